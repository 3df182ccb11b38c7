//! The post-processing steps: named steps applied, in order, to the syntax
//! tree progenitor generated, before it is printed. The table [`STEPS`]
//! below lists them all; each is defined in a file of this folder.
//!
//! Like the contract steps (`codegen/contract/`), every step returns one line
//! per change for the generated file's header. What a step needs from the
//! contract is gathered once, before progenitor consumes the spec, in
//! [`Inputs`]. A new step: a function in a file here, one `Step` entry in
//! the table at its place in the order.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::generate::Report;

/// The steps, in the order they run (after progenitor, before printing).
pub const STEPS: &[Step] = &[
    Step {
        name: "text_doc_examples",
        why: "progenitor's ```ignore usage examples are illustrations, not doctests: they become ```text",
        run: |file, _| Ok(doc_examples::text_doc_examples(&mut file.items)),
    },
    Step {
        name: "no_api_version_header",
        why: "progenitor sends the contract's info.version as `api-version`, which Camunda's servers do not read: the header is not built (it cost a header map per request)",
        run: |file, _| Ok(api_version::no_api_version_header(&mut file.items)),
    },
    Step {
        name: "no_empty_header_map",
        why: "an operation without header parameters builds no empty header map for reqwest to merge into the request's and drop (codegen/post/headers.rs)",
        run: |file, _| Ok(headers::no_empty_header_map(file)),
    },
    Step {
        name: "accept_success_media_types",
        why: "an operation whose success answer is not JSON (XML, CSV, a document's bytes) sends as Accept the media type(s) its contract declares for it, where progenitor sends none and reqwest `*/*`; JSON answers keep progenitor's application/json (codegen/post/accept.rs)",
        run: |file, inputs| {
            accept::accept_success_media_types(file, &inputs.accepts)
                .map_err(|e| format!("{}: {e}", inputs.api))
        },
    },
    Step {
        name: "url_from_parsed_base",
        why: "request URLs are built from the client's base URL parsed once (Inner::endpoint, src/call/url.rs) instead of a formatted string reqwest parses whole, host included, for every request (codegen/post/url.rs)",
        run: |file, _| Ok(url::url_from_parsed_base(file)),
    },
    Step {
        name: "operation_servers",
        why: "an operation the contract serves on a server of its own (path- or operation-level `servers`) builds its URL on the client's base with the segments that differ replaced: the /cluster/v2/* operations drop the base's /v2 (codegen/post/servers.rs)",
        run: |file, inputs| Ok(servers::operation_servers(file, &inputs.servers)),
    },
    Step {
        name: "decode_moves_headers",
        why: "answers are decoded by crate::call::decode::from_response, which takes the response's headers instead of copying them (progenitor's from_response copies the header map on every answer; codegen/post/decode.rs)",
        run: |file, _| Ok(decode::decode_moves_headers(file)),
    },
    Step {
        name: "scoped_exchange",
        why: "each operation's request and raw result live in blocks that end before the next await, so the call's future keeps no room for them (an async fn keeps every borrowed local to the end of its scope; codegen/post/scope.rs)",
        run: |file, _| Ok(scope::scoped_exchange(file)),
    },
    Step {
        name: "document_operations",
        why: "each method's rustdoc gets the contract's facts (version, consistency, codes, permissions, reference)",
        run: |file, inputs| {
            Ok(facts::document_operations(
                &inputs.api,
                &mut file.items,
                &inputs.operations,
            ))
        },
    },
    Step {
        name: "own_error_type",
        why: "every send() returns crate::ApiError (typed auth errors, server messages, redacted bodies; codegen/post/error_type.rs)",
        run: |file, inputs| error_type::own_error_type_file(&inputs.api, file, &inputs.secrets),
    },
    Step {
        name: "request_builders_only",
        why: "typify's struct builders are kept for request bodies and the branches of union bodies; nested and received types are built with struct literals (codegen/post/builders.rs)",
        run: |file, _| Ok(builders::request_builders_only(file)),
    },
    Step {
        name: "document_items",
        why: "every public item without rustdoc gets one from the contract's facts: members (JSON name, required, constraints, version), types (operations using them), builders, setters, parameters, union branches (codegen/post/docs.rs)",
        run: |file, inputs| Ok(docs::document_items(file, &inputs.items)),
    },
    Step {
        name: "optional_bodies",
        why: "a request body the contract does not require is an Option in the operation's builder: unset, `{}` is sent as Camunda's TypeScript client does; body_map starts from the builder's default (codegen/post/optional_body.rs)",
        run: |file, inputs| {
            optional_body::optional_bodies(file, &inputs.optional_bodies)
                .map_err(|e| format!("{}: {e}", inputs.api))
        },
    },
    Step {
        name: "absent_nullable_is_none",
        why: "a member required and nullable decodes as None when an answer leaves it out (servers and proxies drop nulls), not only when it is null; requests still send it (codegen/post/absent.rs)",
        run: |file, _| Ok(absent::absent_nullable_is_none(file)),
    },
    Step {
        name: "setter_errors_say_why",
        why: "an operation builder's setter keeps the conversion's error (a key's reason, the pattern it missed) and names the type as a user writes it, not as spaced tokens (codegen/post/setter_errors.rs)",
        run: |file, _| Ok(setter_errors::setter_errors_say_why(file)),
    },
    Step {
        name: "optional_setters_take_str",
        why: "a builder setter of an optional text or key member takes crate::IntoOptional (src/optional.rs): `&str`, `String`, the key, `Some`/`None` (codegen/post/optional_setters.rs)",
        run: |file, _| Ok(optional_setters::optional_setters_take_str(file)),
    },
    Step {
        name: "unions_from_branch_builders",
        why: "a union (ProcessInstanceCreationInstruction, …) converts from each branch and each branch's builder, so `.body(Branch::builder()…)` works (codegen/post/union_builders.rs)",
        run: |file, _| Ok(union_builders::unions_from_branch_builders(file)),
    },
    Step {
        name: "filters_from_values",
        why: "a filter property converts from the plain value (`\"x\".into()`, a key, a number, a date, an enum); its branches are `Exact` and `Advanced`, the old names deprecated constants (codegen/post/filter_values.rs)",
        run: |file, _| Ok(filter_values::filters_from_values(file)),
    },
    Step {
        name: "names_users_guess",
        why: "operations renamed to what users search for (one table, codegen/post/renames.rs), old names deprecated aliases; byte-returning methods say how to read the bytes (codegen/post/method_renames.rs)",
        run: |file, inputs| Ok(method_renames::names_users_guess(&inputs.api, file)),
    },
    Step {
        name: "patterns_by_regex_lite",
        why: "typify's pattern checks run on regex-lite instead of regress (about 40,000 lines every build compiled); a pattern where the two could disagree is left to the server (codegen/post/patterns.rs)",
        run: |file, _| patterns::patterns_by_regex_lite(file),
    },
    Step {
        name: "variables_setters",
        why: "the builder setter of an optional free-form member takes crate::IntoVariables: a json!({…}) object, a Map, Variables or an Option of it (codegen/post/variables_setters.rs)",
        run: |file, _| Ok(variables_setters::variables_setters(file)),
    },
];

/// One post-processing step.
pub struct Step {
    /// Short stable name (shown in the generated header).
    pub name: &'static str,
    /// One-line reason.
    pub why: &'static str,
    /// The transformation of the generated file; returns the changes made,
    /// or why the file cannot be generated.
    pub run: fn(&mut syn::File, &Inputs) -> Result<Vec<String>, String>,
}

/// What the steps read from the normalized contract (progenitor consumes
/// the spec, so these are gathered before it runs).
pub struct Inputs {
    /// The API (`admin`, `zeebe`, `operate`, `orchestration`).
    pub api: String,
    /// Per operation (method name), the facts its rustdoc gets (`facts.rs`).
    pub operations: BTreeMap<String, Vec<String>>,
    /// The operations served on a server of their own (`servers.rs`).
    pub servers: BTreeMap<String, servers::Rebase>,
    /// The operations whose request body is optional (`optional_body.rs`).
    pub optional_bodies: BTreeSet<String>,
    /// Per type, the facts its items' rustdoc gets (`docs.rs`).
    pub items: docs::Facts,
    /// Per operation, the secret members of its answers (`error_type.rs`).
    pub secrets: error_type::SecretPaths,
    /// Per operation whose success answer is not JSON, the `Accept` its
    /// request sends (`accept.rs`).
    pub accepts: accept::Accepts,
}

impl Inputs {
    /// Gathers the inputs of `api` from its normalized `spec`.
    pub fn collect(api: &str, spec: &Value) -> Result<Self, String> {
        Ok(Self {
            api: api.to_string(),
            operations: facts::collect(api, spec),
            servers: servers::collect(spec).map_err(|e| format!("{api}: {e}"))?,
            optional_bodies: optional_body::collect(spec),
            items: docs::collect(spec),
            secrets: error_type::secret_paths(spec),
            accepts: accept::collect(spec),
        })
    }
}

/// Applies every step of [`STEPS`] to `file`, in order.
pub fn post_process(file: &mut syn::File, inputs: &Inputs) -> Result<Vec<Report>, String> {
    let mut reports = Vec::new();
    for step in STEPS {
        reports.push(Report {
            name: step.name,
            why: step.why,
            changes: (step.run)(file, inputs)?,
        });
    }
    Ok(reports)
}

pub mod absent;
pub mod accept;
pub mod api_version;
pub mod builders;
pub mod decode;
pub mod doc_examples;
pub mod docs;
pub mod error_type;
pub mod facts;
pub mod filter_values;
pub mod headers;
pub mod method_renames;
pub mod optional_body;
pub mod optional_setters;
pub mod patterns;
pub mod renames;
pub mod scope;
pub mod servers;
pub mod setter_errors;
pub mod union_builders;
pub mod url;
pub mod variables_setters;
