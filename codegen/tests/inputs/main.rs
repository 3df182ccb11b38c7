//! What the generator reads: spec files found by name (`source.rs`) and the
//! committed contracts as the importer makes them from Camunda's published
//! specs (`contracts.rs`). One test binary: each file is a module.

mod contracts;
mod source;
