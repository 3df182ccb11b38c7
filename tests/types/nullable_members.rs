//! Members the contract declares required and nullable decode as `None`
//! when an answer leaves them out (generation step
//! `absent_nullable_is_none`, codegen/post/absent.rs): servers and proxies that
//! drop `null` members exist. `null` still decodes as `None`, a value as
//! `Some`, and a value of the type still sends the member (as `null`).
#![cfg(feature = "orchestration")]

use camunda8::orchestration::types::{DeploymentMetadataResult, GroupResult};
use serde_json::{Value, json};

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_json::from_value(value).map_err(|e| e.to_string())
}

#[test]
fn deployment_metadata_without_its_nullable_members_decodes_as_none() {
    let absent: DeploymentMetadataResult = decode(json!({})).expect("absent members decode");
    assert!(absent.decision_definition.is_none());
    assert!(absent.decision_requirements.is_none());
    assert!(absent.form.is_none());
    assert!(absent.process_definition.is_none());
    assert!(absent.resource.is_none());

    let null: DeploymentMetadataResult = decode(json!({
        "decisionDefinition": null,
        "decisionRequirements": null,
        "form": null,
        "processDefinition": null,
        "resource": null,
    }))
    .expect("null members decode");
    assert!(null.decision_definition.is_none());
    assert!(null.process_definition.is_none());

    let form = json!({
        "formId": "form-1",
        "formKey": "2251799813685249",
        "resourceName": "form.form",
        "tenantId": "<default>",
        "version": 1,
    });
    let some: DeploymentMetadataResult =
        decode(json!({ "form": form })).expect("a present member decodes");
    let decoded = some.form.expect("the form is there");
    assert_eq!(decoded.version, 1);
    assert_eq!(decoded.resource_name, "form.form");
    assert!(some.process_definition.is_none());
}

#[test]
fn group_without_a_description_decodes_as_none_and_sends_it_as_null() {
    let group: GroupResult =
        decode(json!({"groupId": "g1", "name": "Group"})).expect("absent description decodes");
    assert_eq!(group.description, None);
    let group: GroupResult = decode(json!({"groupId": "g1", "name": "Group", "description": null}))
        .expect("null description decodes");
    assert_eq!(group.description, None);
    let group: GroupResult =
        decode(json!({"groupId": "g1", "name": "Group", "description": "the admins"}))
            .expect("a description decodes");
    assert_eq!(group.description.as_deref(), Some("the admins"));
    // The members the contract requires are still required …
    assert!(decode::<GroupResult>(json!({"description": null})).is_err());
    // … and serialization still writes the nullable one.
    let sent = serde_json::to_value(GroupResult {
        description: None,
        ..group
    })
    .expect("serializes");
    assert_eq!(sent.get("description"), Some(&Value::Null));
}
