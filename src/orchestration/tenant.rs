//! The default tenant, filled into requests that take a tenant and were
//! given none.
//!
//! A multi-tenant cluster refuses a command without a tenant (400), and one
//! with multi-tenancy off accepts Camunda's own tenant, `<default>`; so,
//! like Camunda's Java and TypeScript clients, every command that takes a
//! tenant gets `<default>` unless the configuration names another
//! (`CAMUNDA_DEFAULT_TENANT_ID`, `Config::default_tenant_id`) or turns the
//! filling off (`Config::no_default_tenant`). A tenant set on the request
//! wins. Only commands are filled in, never searches: a tenant in a search
//! filter would narrow its results.
//!
//! The commands are those whose request body has a `tenantId` member in the
//! contract (`openapi/orchestration.json`), except `createTenant`, where the
//! member names the tenant being created; job activation takes a list,
//! `tenantIds`; deployment is multipart and filled in by `deploy.rs`. A test
//! below checks this list against the contract.

use reqwest::Request;
use serde_json::{Map, Value};

/// Operations (progenitor's operation ids) whose JSON body takes a
/// `tenantId` that says where the command applies.
const SINGLE: [&str; 7] = [
    "create_process_instance",
    "publish_message",
    "correlate_message",
    "broadcast_signal",
    "evaluate_decision",
    "evaluate_conditionals",
    "evaluate_expression",
];

/// Job activation takes a list, `tenantIds`, unless a `tenantFilter` says
/// which tenants to use.
const ACTIVATE_JOBS: &str = "activate_jobs";

/// Puts `tenant` into the JSON body of `request` when `operation` takes a
/// tenant and the body names none. Bodies that are not JSON objects, and
/// other operations, are left untouched.
pub(crate) fn fill_default_tenant(request: &mut Request, operation: &str, tenant: &str) {
    let single = SINGLE.contains(&operation);
    if !single && operation != ACTIVATE_JOBS {
        return;
    }
    let Some(bytes) = request.body().and_then(|b| b.as_bytes()) else {
        return;
    };
    let Ok(Value::Object(mut body)) = serde_json::from_slice::<Value>(bytes) else {
        return;
    };
    if !fill(&mut body, single, tenant) {
        return;
    }
    if let Ok(text) = serde_json::to_vec(&Value::Object(body)) {
        *request.body_mut() = Some(text.into());
    }
}

/// Fills the tenant into a body; returns whether it changed.
fn fill(body: &mut Map<String, Value>, single: bool, tenant: &str) -> bool {
    let absent = |v: Option<&Value>| v.is_none_or(Value::is_null);
    if single {
        if !absent(body.get("tenantId")) {
            return false;
        }
        body.insert("tenantId".into(), Value::String(tenant.into()));
        return true;
    }
    if !absent(body.get("tenantIds")) || !absent(body.get("tenantFilter")) {
        return false;
    }
    body.insert(
        "tenantIds".into(),
        Value::Array(vec![Value::String(tenant.into())]),
    );
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: &str) -> Request {
        reqwest::Client::new()
            .post("http://localhost/v2/x")
            .body(body.to_string())
            .build()
            .unwrap()
    }

    fn body(request: &Request) -> Value {
        serde_json::from_slice(request.body().unwrap().as_bytes().unwrap()).unwrap()
    }

    #[test]
    fn fills_commands_that_name_no_tenant() {
        let mut r = request(r#"{"processDefinitionId":"order"}"#);
        fill_default_tenant(&mut r, "create_process_instance", "acme");
        assert_eq!(body(&r)["tenantId"], "acme");
    }

    #[test]
    fn keeps_a_tenant_given_by_the_caller() {
        let mut r = request(r#"{"name":"paid","tenantId":"other"}"#);
        fill_default_tenant(&mut r, "publish_message", "acme");
        assert_eq!(body(&r)["tenantId"], "other");
    }

    #[test]
    fn activation_gets_a_list_unless_a_filter_is_set() {
        let mut r = request(r#"{"type":"pay","maxJobsToActivate":5,"timeout":1000}"#);
        fill_default_tenant(&mut r, "activate_jobs", "acme");
        assert_eq!(body(&r)["tenantIds"], serde_json::json!(["acme"]));
        let mut r = request(r#"{"type":"pay","tenantFilter":"ASSIGNED"}"#);
        fill_default_tenant(&mut r, "activate_jobs", "acme");
        assert!(body(&r).get("tenantIds").is_none());
    }

    /// The operations of the contract whose JSON request body has a
    /// top-level member `member` (through `$ref`, `allOf`, `oneOf` and
    /// `anyOf`), as progenitor names them.
    fn operations_with_member(member: &str) -> std::collections::BTreeSet<String> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/orchestration.json");
        let spec: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        fn has(spec: &Value, schema: &Value, member: &str, depth: usize) -> bool {
            if depth > 8 {
                return false;
            }
            if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
                let pointer = reference.trim_start_matches('#');
                return spec
                    .pointer(pointer)
                    .is_some_and(|s| has(spec, s, member, depth + 1));
            }
            schema
                .get("properties")
                .is_some_and(|p| p.get(member).is_some())
                || ["allOf", "oneOf", "anyOf"].iter().any(|k| {
                    schema
                        .get(*k)
                        .and_then(Value::as_array)
                        .is_some_and(|all| all.iter().any(|s| has(spec, s, member, depth + 1)))
                })
        }
        let snake = |id: &str| {
            id.chars().fold(String::new(), |mut out, c| {
                if c.is_ascii_uppercase() {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
                out
            })
        };
        let mut found = std::collections::BTreeSet::new();
        for item in spec["paths"].as_object().unwrap().values() {
            for operation in item.as_object().unwrap().values() {
                let Some(schema) =
                    operation.pointer("/requestBody/content/application~1json/schema")
                else {
                    continue;
                };
                if has(&spec, schema, member, 0) {
                    found.insert(snake(operation["operationId"].as_str().unwrap()));
                }
            }
        }
        found
    }

    #[test]
    fn the_lists_are_the_contracts_commands_that_take_a_tenant() {
        let mut single = operations_with_member("tenantId");
        // There `tenantId` names the tenant being created.
        assert!(single.remove("create_tenant"));
        let listed: std::collections::BTreeSet<String> =
            SINGLE.iter().map(|s| s.to_string()).collect();
        assert_eq!(single, listed);
        let lists = operations_with_member("tenantIds");
        assert_eq!(lists, [ACTIVATE_JOBS.to_string()].into());
    }

    #[test]
    fn searches_and_tenant_management_are_untouched() {
        for op in ["search_process_instances", "create_tenant"] {
            let mut r = request(r#"{"filter":{}}"#);
            fill_default_tenant(&mut r, op, "acme");
            assert!(body(&r).get("tenantId").is_none(), "{op}");
        }
    }
}
