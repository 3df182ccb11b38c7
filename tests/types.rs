//! The generated types as a user meets them: the committed clients match
//! the build's, typed keys and builders, nullable members, and the
//! Orchestration client's types and calls, conversions from plain values
//! and the one variables type.
//!
//! One test binary for the area; each module below is the file of one
//! concern, in tests/types/.

mod types {
    mod ergonomics;
    mod ergonomics_conversions;
    mod generated;
    mod nullable_members;
    mod orchestration;
    mod variables;
}
