//! Generated client for the Camunda 8 SaaS Administration API ("Console" / management API: clusters, API clients, members, backups).
//!
//! Everything here is generated at build time by progenitor from the
//! committed contract `openapi/admin.json` after the normalization steps in
//! `codegen/` (the committed copy of the output is `generated/admin.rs`;
//! its header lists every step and what it changed). The entry point is
//! [`Client`]: one method per operation, each returning a request builder
//! whose `send()` gives a [`ResponseValue`] or a [`crate::ApiError`]; the
//! request and response types live in [`types`].
//!
//! This API has no search and no paged list: its lists (`get_clusters`,
//! `get_members`, `get_clients`, `get_backups`, `get_secrets`, …) return
//! every item in one answer, so nothing here pages (see [`crate::search`]
//! for the APIs that do).
//!
//! String enums are forward compatible: a value this crate does not know
//! decodes as the enum's `Unknown(String)` variant instead of failing.

mod generated {
    // progenitor documents the client and its operations, not every field
    // and builder method it generates.
    #![allow(missing_docs)]
    include!(concat!(env!("OUT_DIR"), "/admin.rs"));
}

pub use generated::*;
