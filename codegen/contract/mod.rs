//! The contract steps: named steps applied, in order, to a spec held as
//! `serde_json::Value` (JSON → JSON) before progenitor sees it. The table
//! [`STEPS`] below lists them all; each is defined in a file of this folder.
//!
//! Every step is a documented function returning one line per change, so
//! the generated file's header can say exactly what was altered and where.
//! Steps are idempotent: on an already-normalized spec they report nothing.
//! A new step: a function `fn(&mut Value) -> Vec<String>` in a file here,
//! one `Step` entry in the table at its place in the order.

use serde_json::Value;

use crate::generate::Report;

/// The generic steps, in the order they run (after the API's errata).
pub const STEPS: &[Step] = &[
    Step {
        name: "multipart_by_hand",
        why: "progenitor cannot send multipart/form-data; those operations are hand-written",
        run: multipart::multipart_by_hand,
    },
    Step {
        name: "shared_unions",
        why: "an inline oneOf/anyOf identical to a component references it: one type instead of a copy per member (codegen/contract/type_names.rs)",
        run: type_names::shared_unions,
    },
    Step {
        name: "strip_titles",
        why: "schema titles make typify emit duplicate types",
        run: schemas::strip_titles,
    },
    Step {
        name: "name_operations",
        why: "readable method names derived from method + path where ids are missing or generic",
        run: operation_names::name_operations,
    },
    Step {
        name: "json_media_types",
        why: "problem+json, other +json and */* bodies are JSON; progenitor types only application/json",
        run: media::json_media_types,
    },
    Step {
        name: "single_request_media_type",
        why: "progenitor sends one representation per request body",
        run: media::single_request_media_type,
    },
    Step {
        name: "union_error_schemas",
        why: "error responses with different JSON schemas panic progenitor; they share one untagged union",
        run: media::union_error_schemas,
    },
    Step {
        name: "typed_bodiless_errors",
        why: "mixed error kinds panic progenitor; bodiless errors get the problem schema (hook fills the body)",
        run: media::typed_bodiless_errors,
    },
    Step {
        name: "single_success_kind",
        why: "mixed success kinds panic progenitor; the non-JSON codes arrive as UnexpectedResponse",
        run: media::single_success_kind,
    },
    Step {
        name: "scalar_formats_only",
        why: "typify panics on a format attached to an array or object",
        run: schemas::scalar_formats_only,
    },
    Step {
        name: "typed_defaults",
        why: "typify panics on a default of the wrong JSON type",
        run: schemas::typed_defaults,
    },
    Step {
        name: "open_objects",
        why: "additionalProperties: false rejects fields added by newer servers",
        run: schemas::open_objects,
    },
    Step {
        name: "newer_members_optional",
        why: "members added after the oldest served release (8.8) may be missing from older clusters' answers",
        run: versions::newer_members_optional,
    },
    Step {
        name: "identifier_schema_names",
        why: "component names that are not identifiers are renamed with their $refs",
        run: schemas::identifier_schema_names,
    },
    Step {
        name: "discriminated_unions",
        why: "typify ignores discriminators; each variant gets a closed tag, the union a catch-all branch",
        run: unions::discriminated_unions,
    },
    Step {
        name: "string_only_one_of",
        why: "a oneOf of plain strings makes an undecodable enum; it is a string",
        run: unions::string_only_one_of,
    },
    Step {
        name: "specific_branches_first",
        why: "untagged unions take the first branch that decodes; a branch requiring more members goes first",
        run: unions::specific_branches_first,
    },
    Step {
        name: "closed_optional_branches",
        why: "untagged unions of objects without required members take the first branch; the branches are closed",
        run: unions::closed_optional_branches,
    },
    Step {
        name: "nullable_components",
        why: "a nullable component becomes a newtype around Option; nullability moves to its uses",
        run: nullable::nullable_components,
    },
    Step {
        name: "shared_variables",
        why: "every free-form object member (variables, custom headers, custom properties) is one type, crate::Variables; the former per-member types become deprecated aliases (codegen/contract/variables.rs)",
        run: variables::shared_variables,
    },
    Step {
        name: "semantic_keys",
        why: "identifiers with a custom string format reference one component per format (typed keys)",
        run: keys::semantic_keys,
    },
    Step {
        name: "merge_string_enum_unions",
        why: "anyOf/oneOf of string enums is one enum (exact decoding with catch-all enums)",
        run: schemas::merge_string_enum_unions,
    },
    Step {
        name: "hoist_colliding_inline_schemas",
        why: "inline types whose derived name equals a component would be defined twice",
        run: schemas::hoist_colliding_inline_schemas,
    },
    Step {
        name: "hoist_colliding_operation_bodies",
        why: "an inline body whose derived type name is a component's would be replaced by that component",
        run: schemas::hoist_colliding_operation_bodies,
    },
    Step {
        name: "request_type_names",
        why: "a `…Body` component that is one operation's request body only is named `<Operation>Request` (codegen/contract/type_names.rs)",
        run: type_names::request_type_names,
    },
    Step {
        name: "array_item_names",
        why: "inline array items are named after their component and member in the singular, not `…Item`; identical ones share a type",
        run: type_names::array_item_names,
    },
    Step {
        name: "problem_type_names",
        why: "the problem body named `Error` is `ProblemDetail`, as in the other APIs",
        run: type_names::problem_type_names,
    },
    Step {
        name: "secret_fields",
        why: "secret values become crate::Secret, which never prints them",
        run: secrets::secret_fields,
    },
    Step {
        name: "hoist_inline_enums",
        why: "every string enum becomes a named, forward-compatible Rust enum",
        run: enums::hoist_inline_enums,
    },
    Step {
        name: "shared_enums",
        why: "string enums with the same values are one type (the contract's `…Enum` where there is one); the copies become deprecated aliases",
        run: type_names::shared_enums,
    },
    Step {
        name: "filter_types",
        why: "a search filter that reuses a result type gets its own `<Result>Filter` type, every member optional (after hoist_inline_enums, so both share the enums)",
        run: type_names::filter_types,
    },
];

/// One normalization step.
pub struct Step {
    /// Short stable name (shown in the generated header).
    pub name: &'static str,
    /// One-line reason.
    pub why: &'static str,
    /// The transformation; returns the changes made.
    pub run: fn(&mut Value) -> Vec<String>,
}

/// Applies the errata of `api` and then every step of [`STEPS`] to `spec`.
pub fn normalize(api: &str, spec: &mut Value) -> Vec<Report> {
    let mut reports = vec![Report {
        name: "errata",
        why: "corrections of mistakes in the published spec (codegen/contract/errata.rs)",
        changes: errata::apply_errata(api, spec),
    }];
    for step in STEPS {
        reports.push(Report {
            name: step.name,
            why: step.why,
            changes: (step.run)(spec),
        });
    }
    reports
}

pub mod enums;
pub mod errata;
pub mod keys;
pub mod media;
pub mod multipart;
pub mod nullable;
pub mod operation_names;
pub mod schemas;
pub mod secrets;
pub mod type_names;
pub mod unions;
pub mod variables;
pub mod versions;
