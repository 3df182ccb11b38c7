//! The default tenant (`CAMUNDA_DEFAULT_TENANT_ID`), filled into requests
//! that take a tenant and were given none.
//!
//! A multi-tenant cluster needs the tenant on every command that creates
//! something; setting it once in the configuration is what users of
//! Camunda's other SDKs are used to. Only commands are filled in, never
//! searches: a tenant in a search filter would narrow its results.

use reqwest::Request;
use serde_json::{Map, Value};

/// Operations (progenitor's operation ids) whose JSON body takes a
/// `tenantId`.
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

    #[test]
    fn searches_and_tenant_management_are_untouched() {
        for op in ["search_process_instances", "create_tenant"] {
            let mut r = request(r#"{"filter":{}}"#);
            fill_default_tenant(&mut r, op, "acme");
            assert!(body(&r).get("tenantId").is_none(), "{op}");
        }
    }
}
