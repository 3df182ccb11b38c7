//! The generator's steps on small hand-made inputs: the contract steps and
//! errata (`normalize.rs`) and the post-processing steps `own_error_type`
//! (`error_type.rs`), `accept_success_media_types` (`accept.rs`) and
//! `patterns_by_regex_lite` (`patterns.rs`). One
//! test binary: each file is a module.

mod accept;
mod error_type;
mod normalize;
mod patterns;
