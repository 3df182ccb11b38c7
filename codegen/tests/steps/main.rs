//! The generator's steps on small hand-made inputs: the contract steps and
//! errata (`normalize.rs`) and the post-processing steps `own_error_type`
//! (`error_type.rs`) and `accept_success_media_types` (`accept.rs`). One
//! test binary: each file is a module.

mod accept;
mod error_type;
mod normalize;
