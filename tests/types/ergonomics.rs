//! Calls written as a user writes them: each test fails to compile or to
//! pass if the convenience it relies on goes away.
#![cfg(feature = "orchestration")]

use camunda8::orchestration::keys::{DocumentId, ElementId, ProcessInstanceKey};
use camunda8::{ApiError, AuthStrategy, Camunda, Config};

/// A client whose requests never leave the process: every test here fails
/// while building the request.
fn camunda() -> Camunda {
    Config::new()
        .orchestration_url("http://127.0.0.1:9/v2")
        .auth_strategy(AuthStrategy::None)
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_rejected_path_parameter_says_which_rule_it_broke() {
    let camunda = camunda();
    let err = camunda
        .orchestration()
        .expect("orchestration")
        .get_process_instance()
        .process_instance_key("not-a-number")
        .send()
        .await
        .expect_err("an invalid key is not sent");
    let ApiError::InvalidRequest { message } = &err else {
        panic!("expected InvalidRequest, got {err:?}");
    };
    assert!(message.contains("process_instance_key"), "{message}");
    assert!(message.contains("`ProcessInstanceKey`"), "{message}");
    assert!(message.contains("not a decimal number"), "{message}");
    assert!(message.contains("not-a-number"), "{message}");
    assert!(!message.contains(" :: "), "{message}");
}

#[tokio::test]
async fn a_rejected_pattern_is_named_in_the_error() {
    let camunda = camunda();
    let err = camunda
        .orchestration()
        .expect("orchestration")
        .get_tenant()
        .tenant_id("no spaces allowed")
        .send()
        .await
        .expect_err("an invalid tenant id is not sent");
    let ApiError::InvalidRequest { message } = &err else {
        panic!("expected InvalidRequest, got {err:?}");
    };
    assert!(message.contains("tenant_id"), "{message}");
    assert!(message.contains("`TenantId`"), "{message}");
    assert!(message.contains("does not match the pattern"), "{message}");
}

#[test]
fn keys_that_accept_any_string_are_built_without_a_result() {
    let element = ElementId::from("Task_1");
    assert_eq!(element.as_str(), "Task_1");
    let owned = ElementId::from(String::from("Task_2"));
    assert_eq!(owned.as_str(), "Task_2");
    let document: DocumentId = "doc-1".into();
    assert_eq!(document.to_string(), "doc-1");
    // TryFrom, which the builders' setters take, still works (the standard
    // library's blanket impl).
    fn checked<K: TryFrom<&'static str>>(value: &'static str) -> Option<K> {
        K::try_from(value).ok()
    }
    assert_eq!(
        checked::<ElementId>("Task_3"),
        Some(ElementId::from("Task_3"))
    );
    assert_eq!(checked::<ProcessInstanceKey>("x"), None);
    // Checked keys still check.
    assert!(ProcessInstanceKey::try_from("x").is_err());
}

#[test]
fn types_in_public_signatures_are_reachable_through_the_crate() {
    let now: camunda8::chrono::DateTime<camunda8::chrono::Utc> = camunda8::chrono::Utc::now();
    assert!(now.timestamp() > 0);
    let variables: camunda8::serde_json::Map<String, camunda8::serde_json::Value> =
        camunda8::serde_json::json!({ "orderId": "A-1" })
            .as_object()
            .cloned()
            .unwrap_or_default();
    assert_eq!(variables.len(), 1);
    let chunk = camunda8::bytes::Bytes::from_static(b"%PDF");
    assert_eq!(chunk.len(), 4);
}

#[test]
fn pattern_checked_strings_accept_and_refuse_as_their_contract_says() {
    use camunda8::orchestration::types::{BackupIdPrefix, EndCursor};
    // `^\d*\*$` and the base64 pattern of cursors, checked by regex-lite
    // (codegen/post/patterns.rs).
    assert!("2024*".parse::<BackupIdPrefix>().is_ok());
    assert!("*".parse::<BackupIdPrefix>().is_ok());
    let err = "20a4*".parse::<BackupIdPrefix>().unwrap_err();
    assert!(err.to_string().contains("pattern"), "{err}");
    assert!("2024".parse::<BackupIdPrefix>().is_err());
    assert!("WzEsMl0=".parse::<EndCursor>().is_ok());
    assert!("WzEsMl0".parse::<EndCursor>().is_err());
    assert!("not base64!".parse::<EndCursor>().is_err());
    let client = camunda8::orchestration::keys::ClientId::new("app_1@example.com");
    assert!(client.is_ok());
    assert!(camunda8::orchestration::keys::ClientId::new("with space").is_err());
}
