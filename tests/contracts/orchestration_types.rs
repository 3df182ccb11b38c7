//! The generated types of the Orchestration Cluster API beyond what Prism
//! exercises: every discriminated union decodes each tag into the variant
//! its mapping names (and an unknown tag into the catch-all), and the typed
//! keys check what they accept.
//!
//! The unions and their variants are read from `openapi/orchestration.json`,
//! so a union or a variant added to the contract is tested (or fails the
//! list below) without an edit here.

#![cfg(feature = "orchestration")]

use std::collections::BTreeMap;
use std::fmt::Debug;

use crate::support::spec::contract;
use camunda8::orchestration::keys::{
    DecisionEvaluationInstanceKey, InvalidKey, JobKey, ProcessDefinitionId, ProcessInstanceKey,
    TenantId, Username,
};
use camunda8::orchestration::types;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------------------
// Discriminated unions
// ---------------------------------------------------------------------------

/// One `discriminator` of the contract: where it is, its property, and its
/// mapping (tag → variant schema name).
#[derive(Debug)]
struct Union {
    property: String,
    mapping: BTreeMap<String, String>,
}

/// Every schema with a `discriminator` in the contract, by JSON pointer.
fn unions(spec: &Value) -> BTreeMap<String, Union> {
    fn walk(value: &Value, ptr: &str, out: &mut BTreeMap<String, Union>) {
        match value {
            Value::Object(map) => {
                if let Some(d) = map.get("discriminator") {
                    let property = d["propertyName"]
                        .as_str()
                        .expect("propertyName")
                        .to_string();
                    let mut mapping: BTreeMap<String, String> = d
                        .get("mapping")
                        .and_then(Value::as_object)
                        .map(|m| {
                            m.iter()
                                .map(|(tag, r)| {
                                    let name = r.as_str().expect("mapping $ref");
                                    (
                                        tag.clone(),
                                        name.rsplit('/').next().unwrap_or(name).to_string(),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    // Branches without a mapping entry are tagged with their
                    // own schema name (OpenAPI's default).
                    for branch in map
                        .get("oneOf")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        if let Some(r) = branch.get("$ref").and_then(Value::as_str) {
                            let name = r.rsplit('/').next().unwrap_or(r).to_string();
                            if !mapping.values().any(|v| *v == name) {
                                mapping.insert(name.clone(), name);
                            }
                        }
                    }
                    out.insert(ptr.to_string(), Union { property, mapping });
                }
                for (key, child) in map {
                    walk(child, &format!("{ptr}/{key}"), out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &format!("{ptr}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    walk(spec, "", &mut out);
    out
}

/// A JSON value valid for `schema`: its required members only, with
/// realistic values (keys, ids, the default tenant, timestamps).
fn sample(spec: &Value, schema: &Value, depth: usize) -> Value {
    assert!(depth < 12, "schema too deep to sample: {schema}");
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let target = spec
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling {r}"));
        return sample(spec, target, depth + 1);
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        let parts: Vec<Value> = all.iter().map(|p| sample(spec, p, depth + 1)).collect();
        if let [one] = parts.as_slice() {
            return one.clone();
        }
        let mut merged = Map::new();
        for part in parts {
            match part {
                Value::Object(m) => merged.extend(m),
                other => panic!("allOf of a non-object {other}: extend the sampler"),
            }
        }
        return Value::Object(merged);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema.get(key).and_then(|b| b.get(0)) {
            return sample(spec, first, depth + 1);
        }
    }
    if let Some(first) = schema.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => json!(
            match (format, schema.get("pattern").and_then(Value::as_str)) {
                ("date-time", _) => "2026-11-30T02:15:00.000Z",
                ("TenantId", _) => "<default>",
                (_, Some("^-?[0-9]+$")) => "2251799813690746",
                (_, Some("^[0-9]+-[0-9]+$")) => "2251799813690802-1",
                _ => "order-process",
            }
        ),
        Some("integer") => json!(
            schema
                .get("minimum")
                .and_then(Value::as_i64)
                .unwrap_or(1)
                .max(1)
        ),
        Some("number") => json!(1249.5),
        Some("boolean") => json!(false),
        Some("array") => {
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            let item = sample(spec, &schema["items"], depth + 1);
            Value::Array((0..min).map(|_| item.clone()).collect())
        }
        _ => {
            let mut out = Map::new();
            let required = schema.get("required").and_then(Value::as_array);
            for name in required.into_iter().flatten().filter_map(Value::as_str) {
                let prop = &schema["properties"][name];
                out.insert(name.to_string(), sample(spec, prop, depth + 1));
            }
            Value::Object(out)
        }
    }
}

/// The name of the variant `value` decoded into and the type it holds, from
/// its `Debug` form (`Variant(Inner { … })`, or `Object({…})` for the
/// catch-all).
fn decoded_as(value: &impl Debug) -> (String, String) {
    let debug = format!("{value:?}");
    let (variant, rest) = debug.split_once('(').expect("a tuple variant");
    let inner = rest
        .split([' ', '(', '{'])
        .next()
        .unwrap_or_default()
        .to_string();
    (variant.to_string(), inner)
}

/// For every tag of `union`: a body with that tag decodes as `T` into the
/// variant holding the mapped schema; a body with an unknown tag decodes
/// into the catch-all `Object` variant. Returns the tags checked.
fn check_union<T: DeserializeOwned + serde::Serialize + Debug>(pointer: &str) -> Vec<String> {
    let spec = contract("orchestration");
    let all = unions(&spec);
    let union = all.get(pointer).unwrap_or_else(|| {
        panic!(
            "no discriminator at {pointer}; the contract has {:?}",
            all.keys()
        )
    });
    assert!(!union.mapping.is_empty(), "{union:?}");
    let mut checked = Vec::new();
    for (tag, variant) in &union.mapping {
        let schema = json!({"$ref": format!("#/components/schemas/{variant}")});
        let mut body = sample(&spec, &schema, 0);
        body[&union.property] = json!(tag);
        let decoded: T = serde_json::from_value(body.clone()).unwrap_or_else(|e| {
            panic!("{pointer}: the {tag:?} body does not decode: {e}\n  body: {body}")
        });
        let (name, inner) = decoded_as(&decoded);
        assert_eq!(
            inner, *variant,
            "{pointer}: tag {tag:?} must decode into the variant holding {variant}, \
             got {name}({inner} …)\n  body: {body}"
        );
        // The tag survives a round trip: the body is re-encoded as received.
        let back = serde_json::to_value(&decoded).expect("encode");
        assert_eq!(back[&union.property], json!(tag), "{pointer}: {back}");
        checked.push(tag.clone());
    }

    // A tag this client does not know (added by a newer server): kept, not
    // failed, and not taken for a known variant.
    let first = union.mapping.values().next().expect("a variant");
    let mut body = sample(
        &spec,
        &json!({"$ref": format!("#/components/schemas/{first}")}),
        0,
    );
    body[&union.property] = json!("ADDED_IN_A_LATER_RELEASE");
    let decoded: T = serde_json::from_value(body.clone()).unwrap_or_else(|e| {
        panic!("{pointer}: an unknown tag fails to decode: {e}\n  body: {body}")
    });
    let (name, _) = decoded_as(&decoded);
    assert_eq!(
        name, "Object",
        "{pointer}: unknown tag decoded as {decoded:?}"
    );
    let back = serde_json::to_value(&decoded).expect("encode");
    assert_eq!(
        back, body,
        "{pointer}: the unknown body is kept as received"
    );
    checked
}

/// The unions tested below; the contract must have exactly these.
const UNIONS: [&str; 8] = [
    "/components/schemas/AgentInstanceMessageContent",
    "/components/schemas/AncestorScopeInstruction",
    "/components/schemas/ClusterRestoreOperation",
    "/components/schemas/ElementInstanceWaitStateResult/properties/details",
    "/components/schemas/JobResult",
    "/components/schemas/ProcessInstanceCreationRuntimeInstruction",
    "/components/schemas/SourceElementInstruction",
    "/components/schemas/WaitStateDetails",
];

#[test]
fn every_discriminated_union_of_the_contract_has_a_test_here() {
    let found: Vec<String> = unions(&contract("orchestration")).into_keys().collect();
    assert_eq!(found, UNIONS, "add a test below for each new union");
}

#[test]
fn agent_instance_message_content_decodes_by_content_type() {
    let tags = check_union::<types::AgentInstanceMessageContent>(UNIONS[0]);
    assert_eq!(tags, ["DOCUMENT", "OBJECT", "TEXT"]);
}

#[test]
fn ancestor_scope_instruction_decodes_by_ancestor_scope_type() {
    let tags = check_union::<types::AncestorScopeInstruction>(UNIONS[1]);
    assert_eq!(tags, ["direct", "inferred", "sourceParent"]);
}

#[test]
fn cluster_restore_operation_decodes_by_operation() {
    let tags = check_union::<types::ClusterRestoreOperation>(UNIONS[2]);
    assert_eq!(tags.len(), 5, "{tags:?}");
}

#[test]
fn element_instance_wait_state_details_decode_by_wait_state_type() {
    let tags = check_union::<types::WaitStateDetails>(UNIONS[3]);
    assert_eq!(tags.len(), 6, "{tags:?}");
}

#[test]
fn job_result_decodes_by_type() {
    let tags = check_union::<types::JobResult>(UNIONS[4]);
    assert_eq!(tags, ["adHocSubProcess", "userTask"]);
}

#[test]
fn process_instance_creation_runtime_instruction_decodes_by_type() {
    let tags = check_union::<types::ProcessInstanceCreationRuntimeInstruction>(UNIONS[5]);
    assert_eq!(tags, ["TERMINATE_PROCESS_INSTANCE"]);
}

#[test]
fn source_element_instruction_decodes_by_source_type() {
    let tags = check_union::<types::SourceElementInstruction>(UNIONS[6]);
    assert_eq!(tags, ["byId", "byKey"]);
}

#[test]
fn wait_state_details_decode_by_wait_state_type() {
    let tags = check_union::<types::WaitStateDetails>(UNIONS[7]);
    assert_eq!(
        tags,
        [
            "CONDITION",
            "JOB",
            "MESSAGE",
            "SIGNAL",
            "TIMER",
            "USER_TASK"
        ]
    );
}

/// The check itself can fail: a union that ignores the tag (every body
/// lands in one variant, as typify's plain untagged enums did before the
/// `discriminated_unions` step) is caught.
#[test]
#[should_panic(expected = "must decode into the variant holding")]
fn a_union_ignoring_its_tag_is_caught() {
    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    #[serde(untagged)]
    enum IgnoresTag {
        #[allow(dead_code)]
        SourceElementIdInstruction(Map<String, Value>),
    }
    check_union::<IgnoresTag>(UNIONS[6]);
}

// ---------------------------------------------------------------------------
// Untagged unions whose branches differ by their required members
// ---------------------------------------------------------------------------

/// The spec's three examples of a process instance creation decode into
/// the branch that describes all of them (step `specific_branches_first`):
/// with the published order, the by-version-tag body decoded as `Id` and
/// lost its version tag.
#[test]
fn process_instance_creation_decodes_into_the_most_specific_branch() {
    let cases = [
        (
            json!({"processDefinitionKey": "2251799813686749", "variables": {}}),
            "Key",
        ),
        (
            json!({
                "processDefinitionId": "order-process",
                "processDefinitionVersion": 3,
                "variables": {}
            }),
            "Id",
        ),
        (
            json!({
                "processDefinitionId": "order-process",
                "processDefinitionVersionTag": "release-2026-10",
                "variables": {}
            }),
            "VersionTag",
        ),
    ];
    for (body, expected) in cases {
        let decoded: types::ProcessInstanceCreationInstruction =
            serde_json::from_value(body.clone()).expect("decodes");
        let (variant, _) = decoded_as(&decoded);
        assert_eq!(variant, expected, "{body}");
        assert_eq!(
            serde_json::to_value(&decoded).expect("encode"),
            body,
            "nothing is dropped"
        );
    }
}

/// Every kind of search page decodes into its own branch and keeps all its
/// members (step `closed_optional_branches`): before, each page decoded as
/// `LimitPagination` and lost `from`, `after` or `before`.
#[test]
fn search_pages_decode_into_their_own_kind() {
    let cases = [
        (json!({"limit": 20}), "LimitPagination"),
        (json!({"from": 40, "limit": 20}), "OffsetPagination"),
        (
            json!({"after": "WzIyNTE3OTk4MTM2ODcxMDJd", "limit": 20}),
            "CursorForwardPagination",
        ),
        (
            json!({"before": "WzIyNTE3OTk4MTM2ODcxMDJd", "limit": 20}),
            "CursorBackwardPagination",
        ),
    ];
    for (page, expected) in cases {
        let query: types::ProcessInstanceSearchQuery =
            serde_json::from_value(json!({"page": page})).expect("decodes");
        let (variant, _) = decoded_as(query.page.as_ref().expect("a page"));
        assert_eq!(variant, expected, "{page}");
        assert_eq!(
            serde_json::to_value(&query).expect("encode"),
            json!({"page": page}),
            "nothing is dropped"
        );
    }
}

// ---------------------------------------------------------------------------
// Typed keys
// ---------------------------------------------------------------------------

fn reason(error: InvalidKey) -> &'static str {
    error.reason
}

#[test]
fn numeric_keys_take_decimal_numbers_within_their_length() {
    let key = ProcessInstanceKey::new("2251799813690746").expect("a real key");
    assert_eq!(key.as_str(), "2251799813690746");
    assert_eq!(key.to_string(), "2251799813690746");
    assert_eq!(
        "2251799813690746".parse::<ProcessInstanceKey>(),
        Ok(key.clone())
    );
    assert_eq!(ProcessInstanceKey::from(2_251_799_813_690_746_i64), key);
    assert!(
        ProcessInstanceKey::new("-1").is_ok(),
        "the pattern allows a sign"
    );

    assert_eq!(
        reason(ProcessInstanceKey::new("").unwrap_err()),
        "shorter than 1 characters"
    );
    assert_eq!(
        reason(ProcessInstanceKey::new("1".repeat(26)).unwrap_err()),
        "longer than 25 characters"
    );
    assert!(ProcessInstanceKey::new("1".repeat(25)).is_ok());
    for bad in [
        "2251799813690746a",
        "order-process",
        " 2251799813690746",
        "22517998.5",
    ] {
        let error = ProcessInstanceKey::new(bad).expect_err(bad);
        assert_eq!(error.kind, "ProcessInstanceKey");
        assert_eq!(error.reason, "not a decimal number", "{bad}");
    }
    let error = JobKey::new("job-1").unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid JobKey: not a decimal number (got \"job-1\")"
    );
}

#[test]
fn tenant_ids_take_the_default_tenant_and_word_characters() {
    for good in [
        "<default>",
        "emea-retail",
        "tenant_42",
        "eu.payments",
        &"t".repeat(31),
    ] {
        assert!(TenantId::new(good).is_ok(), "{good}");
    }
    assert_eq!(TenantId::new("<default>").unwrap().as_str(), "<default>");
    assert_eq!(
        reason(TenantId::new("t".repeat(32)).unwrap_err()),
        "longer than 31 characters"
    );
    for bad in ["<other>", "default>", "emea retail", "emea/retail", ""] {
        assert!(TenantId::new(bad).is_err(), "{bad:?} is not a tenant id");
    }
}

#[test]
fn patterned_ids_follow_the_contract() {
    assert!(ProcessDefinitionId::new("order-process").is_ok());
    assert!(ProcessDefinitionId::new("_order.v2").is_ok());
    assert!(
        ProcessDefinitionId::new("-order").is_err(),
        "must not start with '-'"
    );
    assert!(Username::new("jane.doe@example.com").is_ok());
    assert!(Username::new("jane doe").is_err());
    assert!(DecisionEvaluationInstanceKey::new("2251799813690802-1").is_ok());
    assert!(DecisionEvaluationInstanceKey::new("2251799813690802").is_err());
}

#[test]
fn keys_are_plain_json_strings_checked_on_decode() {
    let key = ProcessInstanceKey::new("2251799813690746").unwrap();
    assert_eq!(
        serde_json::to_value(&key).unwrap(),
        json!("2251799813690746")
    );
    let back: ProcessInstanceKey = serde_json::from_value(json!("2251799813690746")).unwrap();
    assert_eq!(back, key);
    let error = serde_json::from_value::<ProcessInstanceKey>(json!("not-a-key")).unwrap_err();
    assert!(
        error.to_string().contains("not a decimal number"),
        "{error}"
    );
    assert!(serde_json::from_value::<ProcessInstanceKey>(json!(2251799813690746_i64)).is_err());
    let tenant: TenantId = serde_json::from_value(json!("<default>")).unwrap();
    assert_eq!(serde_json::to_string(&tenant).unwrap(), "\"<default>\"");
}
