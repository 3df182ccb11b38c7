//! Searches: the generic paging and filtering helpers, and the search
//! methods of the Operate and Orchestration clients.
//!
//! One test binary for the area; each module below is the file of one
//! concern, in tests/searches/.

mod support;

mod searches {
    mod search;
    mod search_operate;
    mod search_orchestration;
}
