//! The generator's steps on small hand-made inputs: the contract steps and
//! errata (`normalize.rs`) and the post-processing step `own_error_type`
//! (`error_type.rs`). One test binary: each file is a module.

mod error_type;
mod normalize;
