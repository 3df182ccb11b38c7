//! Generated client for the Operate REST API 8.6 (`/v1`: search and read process instances, definitions, incidents, variables, decisions).
//!
//! Everything here is generated at build time by progenitor from the
//! committed contract `openapi/operate.json` after the normalization steps in
//! `codegen/` (the committed copy of the output is `generated/operate.rs`;
//! its header lists every step and what it changed). The entry point is
//! [`Client`]: one method per operation, each returning a request builder
//! whose `send()` gives a [`ResponseValue`] or a [`crate::ApiError`]; the
//! request and response types live in [`types`].
//!
//! Every search (`search_incidents`, `search_process_instances`, … : the 8
//! `POST /v1/<resource>/search` operations) pages through its results as a
//! stream with its builder's `paginate()`, following `sortValues` /
//! `searchAfter` (see [`crate::search`]).
//!
//! String enums are forward compatible: a value this crate does not know
//! decodes as the enum's `Unknown(String)` variant instead of failing.

mod generated {
    // progenitor documents the client and its operations, not every field
    // and builder method it generates.
    #![allow(missing_docs)]
    include!(concat!(env!("OUT_DIR"), "/operate.rs"));
}

pub use generated::*;

mod search;
