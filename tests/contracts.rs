//! The contracts: every operation of every API has its client method, is
//! called against Prism (the OpenAPI-validating mock server) and accepted,
//! the generated types decode what the contracts allow, and camunda8 sends
//! what Camunda's official TypeScript client sends.
//!
//! One test binary for the area; each module below is the file of one
//! concern, in tests/contracts/. The contracts and the specs Prism serves
//! are read by `support::spec`, Prism is started by `support::prism`.
//!
//! The tests run in parallel threads of this one process (as many as the
//! machine has cores), so several Prism servers (node processes) start at
//! once: `end_to_end` and `prism_orchestration` start two each. On a shared
//! 2-core machine under load, four at once took 11-19 s to listen (alone,
//! 7-14 s), well within the 90 s `support::prism` allows, so start-ups are
//! not bounded further. No test here sets environment variables, installs a
//! global tracing subscriber or reads the process-wide log.

mod support;

mod contracts {
    /// Shared by the two Prism coverage modules.
    #[cfg(any(
        feature = "orchestration",
        all(feature = "admin", feature = "zeebe", feature = "operate")
    ))]
    mod calls;
    mod end_to_end;
    mod intents;
    mod methods;
    mod orchestration_types;
    mod prism_coverage;
    mod prism_orchestration;
    mod wire_diff;
}
