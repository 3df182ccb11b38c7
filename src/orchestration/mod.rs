//! The Orchestration Cluster API (REST `/v2`), the API of Camunda 8.8, 8.9
//! and 8.10: deploy, process instances, jobs, messages, signals, user
//! tasks, incidents, decisions, searches, identity and cluster operations.
//!
//! The client, its request builders and its types are generated at build
//! time by progenitor from the committed contract `openapi/orchestration.json`
//! after the normalization steps in `codegen/` (the committed copy of the
//! output is `generated/orchestration.rs`; its header lists every step and
//! what it changed). The entry point is [`Client`]
//! (from [`Camunda::orchestration`](crate::Camunda::orchestration)): one
//! method per operation, named after the contract's operationId in snake
//! case, each returning a request builder whose `send()` gives a
//! [`ResponseValue`] or a [`crate::ApiError`]; the request and response
//! types live in [`types`].
//!
//! Hand-written additions, in this folder:
//! - [`keys`]: a newtype per identifier format (`ProcessInstanceKey`,
//!   `JobKey`, `TenantId`, …), generated from the contract's formats;
//! - [`Client::create_deployment`]: deploy resources from memory or from
//!   files (multipart, `deploy.rs`);
//! - [`Client::create_document`] / [`Client::create_documents`]: upload
//!   documents (multipart, `documents.rs`);
//! - text and optional answers: [`Client::process_definition_xml`],
//!   [`Client::user_task_form`] (`None` for the 204 "no form") and their
//!   siblings (`bodies.rs`);
//! - [`eventually`]: repeat an eventually consistent read until it shows
//!   what you wait for ([`consistency`]);
//! - every `search_*` operation as a stream of items (or pages, or a
//!   capped `Vec`) through its builder's `paginate()`, following
//!   `page.endCursor` ([`crate::search`], `search.rs`);
//! - the default tenant (`CAMUNDA_DEFAULT_TENANT_ID`) filled into commands
//!   that take one (`tenant.rs`).
//!
//! String enums are forward compatible: a value this crate does not know
//! decodes as the enum's `Unknown(String)` variant instead of failing.
//!
//! Keys are not interchangeable: a key of one kind is refused where another
//! kind is expected, at compile time. A process instance key fits:
//!
//! ```no_run
//! # use camunda8::orchestration::{Client, keys::ProcessInstanceKey};
//! # async fn run(v2: Client, key: ProcessInstanceKey) {
//! let _ = v2.get_process_instance().process_instance_key(key).send().await;
//! # }
//! ```
//!
//! a job key does not:
//!
//! ```compile_fail
//! # use camunda8::orchestration::{Client, keys::JobKey};
//! # async fn run(v2: Client, key: JobKey) {
//! let _ = v2.get_process_instance().process_instance_key(key).send().await;
//! # }
//! ```

mod generated {
    // progenitor documents the client and its operations, not every field
    // and builder method it generates.
    #![allow(missing_docs)]
    include!(concat!(env!("OUT_DIR"), "/orchestration.rs"));
}

pub use generated::*;

mod bodies;
pub mod consistency;
mod deploy;
mod documents;
mod multipart;
mod search;
mod tenant;

pub(crate) use tenant::fill_default_tenant;

pub use consistency::{ConsistencyError, Eventually, eventually};
pub use deploy::CreateDeployment;
pub use documents::{CreateDocument, CreateDocuments};
pub use multipart::DEFAULT_MAX_BODY_BYTES;
