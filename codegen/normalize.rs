//! The normalization pipeline: named steps applied, in order, to a spec held
//! as `serde_json::Value` before progenitor sees it.
//!
//! Every step is a documented function returning one line per change, so
//! the generated file's header can say exactly what was altered and where.
//! Steps are idempotent: on an already-normalized spec they report nothing.

use serde_json::Value;

/// One normalization step.
pub struct Step {
    /// Short stable name (shown in the generated header).
    pub name: &'static str,
    /// One-line reason.
    pub why: &'static str,
    /// The transformation; returns the changes made.
    pub run: fn(&mut Value) -> Vec<String>,
}

/// What one step changed.
pub struct Report {
    /// The step's name.
    pub name: &'static str,
    /// The step's one-line reason.
    pub why: &'static str,
    /// One line per change (JSON pointer and what happened).
    pub changes: Vec<String>,
}

/// The generic steps, in the order they run (after the API's errata).
pub const STEPS: &[Step] = &[
    Step {
        name: "multipart_by_hand",
        why: "progenitor cannot send multipart/form-data; those operations are hand-written",
        run: crate::multipart::multipart_by_hand,
    },
    Step {
        name: "shared_unions",
        why: "an inline oneOf/anyOf identical to a component references it: one type instead of a copy per member (codegen/names.rs)",
        run: crate::names::shared_unions,
    },
    Step {
        name: "strip_titles",
        why: "schema titles make typify emit duplicate types",
        run: crate::schemas::strip_titles,
    },
    Step {
        name: "name_operations",
        why: "readable method names derived from method + path where ids are missing or generic",
        run: crate::naming::name_operations,
    },
    Step {
        name: "json_media_types",
        why: "problem+json, other +json and */* bodies are JSON; progenitor types only application/json",
        run: crate::media::json_media_types,
    },
    Step {
        name: "single_request_media_type",
        why: "progenitor sends one representation per request body",
        run: crate::media::single_request_media_type,
    },
    Step {
        name: "union_error_schemas",
        why: "error responses with different JSON schemas panic progenitor; they share one untagged union",
        run: crate::media::union_error_schemas,
    },
    Step {
        name: "typed_bodiless_errors",
        why: "mixed error kinds panic progenitor; bodiless errors get the problem schema (hook fills the body)",
        run: crate::media::typed_bodiless_errors,
    },
    Step {
        name: "single_success_kind",
        why: "mixed success kinds panic progenitor; the non-JSON codes arrive as UnexpectedResponse",
        run: crate::media::single_success_kind,
    },
    Step {
        name: "scalar_formats_only",
        why: "typify panics on a format attached to an array or object",
        run: crate::schemas::scalar_formats_only,
    },
    Step {
        name: "typed_defaults",
        why: "typify panics on a default of the wrong JSON type",
        run: crate::schemas::typed_defaults,
    },
    Step {
        name: "open_objects",
        why: "additionalProperties: false rejects fields added by newer servers",
        run: crate::schemas::open_objects,
    },
    Step {
        name: "newer_members_optional",
        why: "members added after the oldest served release (8.8) may be missing from older clusters' answers",
        run: crate::versions::newer_members_optional,
    },
    Step {
        name: "identifier_schema_names",
        why: "component names that are not identifiers are renamed with their $refs",
        run: crate::schemas::identifier_schema_names,
    },
    Step {
        name: "discriminated_unions",
        why: "typify ignores discriminators; each variant gets a closed tag, the union a catch-all branch",
        run: crate::unions::discriminated_unions,
    },
    Step {
        name: "string_only_one_of",
        why: "a oneOf of plain strings makes an undecodable enum; it is a string",
        run: crate::unions::string_only_one_of,
    },
    Step {
        name: "specific_branches_first",
        why: "untagged unions take the first branch that decodes; a branch requiring more members goes first",
        run: crate::unions::specific_branches_first,
    },
    Step {
        name: "closed_optional_branches",
        why: "untagged unions of objects without required members take the first branch; the branches are closed",
        run: crate::unions::closed_optional_branches,
    },
    Step {
        name: "nullable_components",
        why: "a nullable component becomes a newtype around Option; nullability moves to its uses",
        run: crate::nullable::nullable_components,
    },
    Step {
        name: "shared_variables",
        why: "every free-form object member (variables, custom headers, custom properties) is one type, crate::Variables; the former per-member types become deprecated aliases (codegen/variables.rs)",
        run: crate::variables::shared_variables,
    },
    Step {
        name: "semantic_keys",
        why: "identifiers with a custom string format reference one component per format (typed keys)",
        run: crate::keys::semantic_keys,
    },
    Step {
        name: "merge_string_enum_unions",
        why: "anyOf/oneOf of string enums is one enum (exact decoding with catch-all enums)",
        run: crate::schemas::merge_string_enum_unions,
    },
    Step {
        name: "hoist_colliding_inline_schemas",
        why: "inline types whose derived name equals a component would be defined twice",
        run: crate::schemas::hoist_colliding_inline_schemas,
    },
    Step {
        name: "hoist_colliding_operation_bodies",
        why: "an inline body whose derived type name is a component's would be replaced by that component",
        run: crate::schemas::hoist_colliding_operation_bodies,
    },
    Step {
        name: "request_type_names",
        why: "a `…Body` component that is one operation's request body only is named `<Operation>Request` (codegen/names.rs)",
        run: crate::names::request_type_names,
    },
    Step {
        name: "array_item_names",
        why: "inline array items are named after their component and member in the singular, not `…Item`; identical ones share a type",
        run: crate::names::array_item_names,
    },
    Step {
        name: "problem_type_names",
        why: "the problem body named `Error` is `ProblemDetail`, as in the other APIs",
        run: crate::names::problem_type_names,
    },
    Step {
        name: "secret_fields",
        why: "secret values become crate::Secret, which never prints them",
        run: crate::secrets::secret_fields,
    },
    Step {
        name: "hoist_inline_enums",
        why: "every string enum becomes a named, forward-compatible Rust enum",
        run: crate::enums::hoist_inline_enums,
    },
    Step {
        name: "shared_enums",
        why: "string enums with the same values are one type (the contract's `…Enum` where there is one); the copies become deprecated aliases",
        run: crate::names::shared_enums,
    },
    Step {
        name: "filter_types",
        why: "a search filter that reuses a result type gets its own `<Result>Filter` type, every member optional (after hoist_inline_enums, so both share the enums)",
        run: crate::names::filter_types,
    },
];

/// Applies the errata of `api` and then every step of [`STEPS`] to `spec`.
pub fn normalize(api: &str, spec: &mut Value) -> Vec<Report> {
    let mut reports = vec![Report {
        name: "errata",
        why: "corrections of mistakes in the published spec (codegen/errata.rs)",
        changes: crate::errata::apply_errata(api, spec),
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
