//! Generated client for the Zeebe REST API 8.6 (`/v1`: cluster topology and user tasks).
//!
//! Everything here is generated at build time by progenitor from the
//! committed contract `openapi/zeebe.json` after the normalization steps in
//! `codegen/` (the committed copy of the output is `generated/zeebe.rs`;
//! its header lists every step and what it changed). The entry point is
//! [`Client`]: one method per operation, each returning a request builder
//! whose `send()` gives a [`ResponseValue`] or a [`crate::ApiError`]; the
//! request and response types live in [`types`].
//!
//! This API has no search or paged list (its operations are the topology and
//! user-task commands), so nothing here pages; the searches of Camunda 8.6
//! are in the Operate client, those of 8.8+ in the Orchestration Cluster
//! API (see [`crate::search`]).
//!
//! String enums are forward compatible: a value this crate does not know
//! decodes as the enum's `Unknown(String)` variant instead of failing.

mod generated {
    // progenitor documents the client and its operations, not every field
    // and builder method it generates.
    #![allow(missing_docs)]
    include!(concat!(env!("OUT_DIR"), "/zeebe.rs"));
}

pub use generated::*;
