//! The camunda8 code generator: reads an API's contract, normalizes it
//! (every step named and documented in its own module), runs progenitor and
//! post-processes the code. Its output is committed under `generated/` and
//! compiled by the camunda8 crate as it is; the crate's build script runs
//! this generator only when a contract (or this generator) no longer matches
//! the fingerprints in a committed file's header, or when
//! `CAMUNDA8_OPENAPI_DIR` names other specs. So a user of the crate does
//! not compile progenitor, and replacing a contract and rebuilding is still
//! all it takes to regenerate.
//!
//! The layout: the contract steps (JSON → JSON, [`contract::STEPS`]) in
//! `contract/`, the post-processing steps (syntax tree, [`post::STEPS`]) in
//! `post/`, each folder's `mod.rs` opening with its one table; at the top,
//! what they share: reading specs ([`source`]), importing published ones
//! ([`import`]), walking specs ([`walk`]), words ([`words`]), reading the
//! generated tree ([`items`]), the reviewed summaries ([`summaries`]),
//! running progenitor and writing the header ([`generate`]), the
//! fingerprints ([`fingerprint`]) and the commands ([`commands`]).

pub mod commands;
pub mod contract;
pub use camunda8_fingerprint as fingerprint;
pub mod generate;
pub mod import;
pub mod items;
pub mod post;
pub mod source;
pub mod summaries;
pub mod walk;
pub mod words;

use std::path::{Path, PathBuf};

/// The APIs, in the order the crate's features name them.
pub const APIS: [&str; 4] = ["admin", "zeebe", "operate", "orchestration"];

/// This generator's own folder (the files its fingerprint covers).
pub fn codegen_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The camunda8 crate's root (the parent of `codegen/`).
pub fn crate_root() -> PathBuf {
    let dir = codegen_dir();
    dir.parent().map(Path::to_path_buf).unwrap_or(dir)
}

/// Generates the module of `api` from the one spec for it in `spec_dir`
/// (JSON or YAML, found by name; see `source.rs`): the file's full text,
/// header (source, fingerprints, every step's changes) included.
pub fn generate_api(api: &str, spec_dir: &Path) -> Result<String, String> {
    let path = source::find(spec_dir, api)?;
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut spec = source::parse(&path)?;
    let mut reports = contract::normalize(api, &mut spec);
    let enum_defs = contract::enums::collect(&spec);
    let key_defs = contract::keys::collect(&spec);
    let root = crate_root();
    let shown = path
        .strip_prefix(&root)
        .unwrap_or(&path)
        .display()
        .to_string()
        .replace('\\', "/");
    let (code, post) = generate::generate(api, spec, &enum_defs, &key_defs)?;
    reports.extend(post);
    let fingerprints = format!(
        "{}{}\n{}{}\n",
        fingerprint::CONTRACT_LINE,
        fingerprint::contract(&bytes),
        fingerprint::GENERATOR_LINE,
        fingerprint::generator(&codegen_dir())?,
    );
    Ok(format!(
        "{}{code}",
        generate::header(api, &shown, &fingerprints, &reports)
    ))
}
