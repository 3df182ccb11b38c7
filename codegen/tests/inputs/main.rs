//! What the generator reads and the commands around it: spec files found by
//! name (`source.rs`), the committed contracts as the importer makes them
//! from Camunda's published specs (`contracts.rs`), and the `import`,
//! `generate` and `check` commands with the fingerprint that decides when
//! the build regenerates (`commands.rs`). One test binary: each file is a
//! module.

mod commands;
mod contracts;
mod source;
