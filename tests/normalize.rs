//! Each normalization step and erratum, on small synthetic specs.

#![allow(dead_code)]

#[path = "../codegen/enums.rs"]
mod enums;
#[path = "../codegen/errata.rs"]
mod errata;
#[path = "../codegen/facts.rs"]
mod facts;
#[path = "../codegen/keys.rs"]
mod keys;
#[path = "../codegen/media.rs"]
mod media;
#[path = "../codegen/multipart.rs"]
mod multipart;
#[path = "../codegen/names.rs"]
mod names;
#[path = "../codegen/naming.rs"]
mod naming;
#[path = "../codegen/normalize.rs"]
mod normalize;
#[path = "../codegen/nullable.rs"]
mod nullable;
#[path = "../codegen/schemas.rs"]
mod schemas;
#[path = "../codegen/secrets.rs"]
mod secrets;
#[path = "../codegen/summaries.rs"]
mod summaries;
#[path = "../codegen/unions.rs"]
mod unions;
#[path = "../codegen/variables.rs"]
mod variables;
#[path = "../codegen/versions.rs"]
mod versions;
#[path = "../codegen/walk.rs"]
mod walk;
#[path = "../codegen/words.rs"]
mod words;

use serde_json::{Value, json};

fn spec(paths: Value, schemas: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

fn problem_ref() -> Value {
    json!({"$ref": "#/components/schemas/ProblemDetail"})
}

#[test]
fn words_follow_heck() {
    assert_eq!(words::snake("UpdateIpAllowlist"), "update_ip_allowlist");
    assert_eq!(words::snake("GetClusterIPRange"), "get_cluster_ip_range");
    assert_eq!(words::snake("search_1"), "search_1");
    assert_eq!(
        words::pascal("OrganizationRole.ADMIN"),
        "OrganizationRoleAdmin"
    );
    assert_eq!(words::pascal("Record_string.never_"), "RecordStringNever");
    assert_eq!(words::pascal("In progress"), "InProgress");
    assert_eq!(words::pascal("web-modeler"), "WebModeler");
}

#[test]
fn derived_names() {
    let cases = [
        ("get", "/topology", "get_topology"),
        (
            "post",
            "/user-tasks/{userTaskKey}/completion",
            "complete_user_task",
        ),
        (
            "post",
            "/user-tasks/{userTaskKey}/assignment",
            "assign_user_task",
        ),
        ("patch", "/user-tasks/{userTaskKey}", "update_user_task"),
        (
            "delete",
            "/user-tasks/{userTaskKey}/assignee",
            "unassign_user_task",
        ),
        ("post", "/v1/variables/search", "search_variables"),
        ("post", "/v1/drd/search", "search_decision_requirements"),
        (
            "post",
            "/v1/flownode-instances/search",
            "search_flownode_instances",
        ),
        ("get", "/v1/drd/{key}", "get_decision_requirements"),
        ("get", "/v1/drd/{key}/xml", "get_decision_requirements_xml"),
        (
            "get",
            "/v1/process-instances/{key}/statistics",
            "get_process_instance_statistics",
        ),
        (
            "get",
            "/v1/process-instances/{key}/sequence-flows",
            "get_process_instance_sequence_flows",
        ),
        (
            "delete",
            "/v1/process-instances/{key}",
            "delete_process_instance",
        ),
        (
            "get",
            "/v1/decision-instances/{id}",
            "get_decision_instance",
        ),
        (
            "get",
            "/v1/process-definitions/{key}/xml",
            "get_process_definition_xml",
        ),
        // Beyond today's specs: the algorithm still gives sensible names.
        ("get", "/v2/jobs", "list_jobs"),
        ("post", "/v2/jobs", "create_job"),
        (
            "post",
            "/v2/process-instances/{key}/cancellation",
            "cancel_process_instance",
        ),
        ("get", "/clusters/{uuid}/clients/{id}", "get_cluster_client"),
        ("post", "/v2/incidents/{key}/resolution", "resolve_incident"),
    ];
    for (method, path, expected) in cases {
        assert_eq!(
            naming::derive_name(method, path),
            expected,
            "{method} {path}"
        );
    }
}

#[test]
fn name_operations_fills_missing_and_replaces_springdoc_ids() {
    let op = |id: Option<&str>| match id {
        Some(id) => json!({"operationId": id, "responses": {}}),
        None => json!({"responses": {}}),
    };
    // Missing ids are derived; good ids are kept.
    let mut s = spec(
        json!({"/a/{id}": {"get": op(None)}, "/b": {"get": op(Some("ListTheBs"))}}),
        json!({}),
    );
    let changes = naming::name_operations(&mut s);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(s["paths"]["/a/{id}"]["get"]["operationId"], "get_a");
    assert_eq!(s["paths"]["/b"]["get"]["operationId"], "ListTheBs");
    // springdoc's numbered duplicates: every id of the spec is derived.
    let mut s = spec(
        json!({
            "/v1/cats/search": {"post": op(Some("search"))},
            "/v1/dogs/search": {"post": op(Some("search_1"))},
            "/v1/dogs/{key}": {"get": op(Some("byKey"))}
        }),
        json!({}),
    );
    assert!(naming::has_generic_ids(&s));
    assert_eq!(naming::name_operations(&mut s).len(), 3);
    assert_eq!(
        s["paths"]["/v1/dogs/{key}"]["get"]["operationId"],
        "get_dog"
    );
    assert_eq!(
        s["paths"]["/v1/cats/search"]["post"]["operationId"],
        "search_cats"
    );
    // Idempotent.
    assert!(naming::name_operations(&mut s).is_empty());
    // Unique even when two paths derive the same name.
    let mut s = spec(
        json!({"/x/{a}": {"get": op(None)}, "/xs/{a}": {"get": op(None)}}),
        json!({}),
    );
    naming::name_operations(&mut s);
    assert_eq!(s["paths"]["/x/{a}"]["get"]["operationId"], "get_x");
    assert_eq!(s["paths"]["/xs/{a}"]["get"]["operationId"], "get_x_2");
}

#[test]
fn json_media_types_renames_problem_json_and_star() {
    let mut s = spec(
        json!({"/a": {"get": {"operationId": "a", "responses": {
            "200": {"description": "", "content": {"*/*": {"schema": {"type": "string"}}}},
            "400": {"description": "", "content": {"application/problem+json": {"schema": problem_ref()}}},
            "403": {"description": "", "content": {"*/*": {"schema": problem_ref()}}},
            "415": {"description": "", "content": {"application/json": {"schema": problem_ref()},
                                                   "application/vnd.x+json": {"schema": problem_ref()}}},
            "418": {"description": "", "content": {"text/plain": {"schema": {"type": "string"}}}}
        }}}}),
        json!({}),
    );
    let changes = media::json_media_types(&mut s);
    assert_eq!(changes.len(), 4, "{changes:?}");
    let r = &s["paths"]["/a"]["get"]["responses"];
    for code in ["200", "400", "403", "415"] {
        let content = r[code]["content"].as_object().unwrap();
        assert_eq!(
            content.keys().collect::<Vec<_>>(),
            ["application/json"],
            "{code}"
        );
    }
    assert!(r["418"]["content"]["text/plain"].is_object());
    assert!(media::json_media_types(&mut s).is_empty());
}

#[test]
fn single_request_media_type_keeps_json() {
    let mut s = spec(
        json!({"/a": {"post": {"operationId": "a", "requestBody": {"content": {
            "application/json": {"schema": {"type": "object"}},
            "application/vnd.camunda.api.keys.string+json": {"schema": {"type": "object"}}
        }}, "responses": {}}}}),
        json!({}),
    );
    assert_eq!(media::single_request_media_type(&mut s).len(), 1);
    let content = s
        .pointer("/paths/~1a/post/requestBody/content")
        .unwrap()
        .as_object()
        .unwrap();
    assert_eq!(content.keys().collect::<Vec<_>>(), ["application/json"]);
}

#[test]
fn typed_bodiless_errors_gives_404_the_problem_schema() {
    let mut s = spec(
        json!({"/t/{k}": {"delete": {"operationId": "d", "responses": {
            "204": {"description": ""},
            "404": {"description": ""},
            "409": {"description": "", "content": {"application/json": {"schema": problem_ref()}}},
            "400": {"$ref": "#/components/responses/Problem"}
        }}}}),
        json!({"ProblemDetail": {"type": "object"}}),
    );
    s["components"]["responses"] = json!({"Problem": {"description": "", "content": {"application/json": {"schema": problem_ref()}}}});
    let changes = media::typed_bodiless_errors(&mut s);
    assert_eq!(changes.len(), 1, "{changes:?}");
    let r = &s["paths"]["/t/{k}"]["delete"]["responses"];
    assert_eq!(
        r["404"]["content"]["application/json"]["schema"],
        problem_ref()
    );
    assert_eq!(r["404"]["description"], "");
    // Success responses are untouched.
    assert!(r["204"].get("content").is_none());
    // Nothing to do when all errors are bodiless, or when none is.
    let mut all_empty = spec(
        json!({"/t": {"get": {"operationId": "g", "responses": {"200": {"description": ""}, "404": {"description": ""}, "403": {"description": ""}}}}}),
        json!({}),
    );
    assert!(media::typed_bodiless_errors(&mut all_empty).is_empty());
}

#[test]
fn single_success_kind_keeps_the_json_response() {
    let mut s = spec(
        json!({"/f": {"get": {"operationId": "f", "responses": {
            "200": {"description": "", "content": {"application/json": {"schema": {"type": "object"}}}},
            "204": {"description": ""},
            "404": {"description": ""}
        }}}}),
        json!({}),
    );
    let changes = media::single_success_kind(&mut s);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(changes[0].contains("/204") && changes[0].contains("UnexpectedResponse"));
    let r = s["paths"]["/f"]["get"]["responses"].as_object().unwrap();
    assert_eq!(r.keys().collect::<Vec<_>>(), ["200", "404"]);
    assert!(media::single_success_kind(&mut s).is_empty());
}

#[test]
fn schema_repairs() {
    let mut s = spec(
        json!({}),
        json!({
            "A": {"type": "object", "title": "A", "additionalProperties": false, "properties": {
                "tags": {"type": "array", "format": "string<Tag>[]", "items": {"type": "string", "format": "uuid"}},
                "k": {"type": "string", "default": -1},
                "n": {"type": "integer", "default": 3},
                "m": {"type": "object", "additionalProperties": {"type": "string"}, "title": "M"}
            }}
        }),
    );
    assert_eq!(schemas::strip_titles(&mut s).len(), 2);
    assert_eq!(schemas::open_objects(&mut s).len(), 1);
    assert_eq!(schemas::scalar_formats_only(&mut s).len(), 1);
    assert_eq!(schemas::typed_defaults(&mut s).len(), 1);
    let a = &s["components"]["schemas"]["A"];
    assert!(a.get("title").is_none() && a.get("additionalProperties").is_none());
    assert!(a["properties"]["tags"].get("format").is_none());
    assert_eq!(a["properties"]["tags"]["items"]["format"], "uuid");
    assert!(a["properties"]["k"].get("default").is_none());
    assert_eq!(a["properties"]["n"]["default"], 3);
    assert_eq!(
        a["properties"]["m"]["additionalProperties"]["type"],
        "string"
    );
}

#[test]
fn identifier_names_and_enum_unions() {
    let mut s = spec(
        json!({"/m": {"post": {"operationId": "m", "requestBody": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Assignable"}}}}, "responses": {}}}}),
        json!({
            "Role.ADMIN": {"type": "string", "enum": ["admin"]},
            "Role.VISITOR": {"type": "string", "enum": ["visitor"]},
            "Record_string.never_": {"type": "object", "properties": {}},
            "Assignable": {"anyOf": [
                {"$ref": "#/components/schemas/Role.ADMIN"},
                {"$ref": "#/components/schemas/Role.VISITOR"}
            ]},
            "Mixed": {"anyOf": [{"type": "object"}, {"type": "string", "enum": ["ok"]}]}
        }),
    );
    let changes = schemas::identifier_schema_names(&mut s);
    assert_eq!(changes.len(), 3, "{changes:?}");
    let names: Vec<&String> = s["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    for n in ["RoleAdmin", "RoleVisitor", "RecordStringNever"] {
        assert!(names.iter().any(|k| *k == n), "{n} in {names:?}");
    }
    assert_eq!(
        s["components"]["schemas"]["Assignable"]["anyOf"][0]["$ref"],
        "#/components/schemas/RoleAdmin"
    );
    assert_eq!(schemas::merge_string_enum_unions(&mut s).len(), 1);
    assert_eq!(
        s["components"]["schemas"]["Assignable"],
        json!({"type": "string", "enum": ["admin", "visitor"]})
    );
    // A union with a non-enum branch stays.
    assert!(s["components"]["schemas"]["Mixed"]["anyOf"].is_array());
}

#[test]
fn colliding_inline_schema_is_hoisted() {
    let mut s = spec(
        json!({}),
        json!({
            "ClusterStatus": {"type": "string", "enum": ["Healthy"]},
            "Cluster": {"type": "object", "properties": {
                "status": {"type": "object", "properties": {"ready": {"$ref": "#/components/schemas/ClusterStatus"}}},
                "name": {"type": "string"}
            }}
        }),
    );
    let changes = schemas::hoist_colliding_inline_schemas(&mut s);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(
        s["components"]["schemas"]["Cluster"]["properties"]["status"],
        json!({"$ref": "#/components/schemas/ClusterStatusDetails"})
    );
    assert_eq!(
        s["components"]["schemas"]["ClusterStatusDetails"]["properties"]["ready"]["$ref"],
        "#/components/schemas/ClusterStatus"
    );
    assert!(schemas::hoist_colliding_inline_schemas(&mut s).is_empty());
}

#[test]
fn inline_enums_are_hoisted_and_rendered() {
    let mut s = spec(
        json!({"/p": {"get": {"operationId": "list_p", "parameters": [
            {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["ASC", "DESC"]}}
        ], "responses": {}}}}),
        json!({
            "Partition": {"type": "object", "properties": {
                "role": {"type": "string", "enum": ["leader", "follower"]},
                "kind": {"type": "string", "enum": ["UNKNOWN", "In progress", "-", "2fa"], "nullable": true},
                "tags": {"type": "array", "items": {"type": "string", "enum": ["a"]}}
            }},
            "PartitionRole": {"type": "object"}
        }),
    );
    let changes = enums::hoist_inline_enums(&mut s);
    assert_eq!(changes.len(), 4, "{changes:?}");
    let p = &s["components"]["schemas"]["Partition"]["properties"];
    // The derived name is taken by a component: a numbered name is used.
    assert_eq!(
        p["role"],
        json!({"$ref": "#/components/schemas/PartitionRole2"})
    );
    assert_eq!(
        p["kind"],
        json!({"allOf": [{"$ref": "#/components/schemas/PartitionKind"}], "nullable": true})
    );
    assert_eq!(
        p["tags"]["items"]["$ref"],
        "#/components/schemas/PartitionTagsItem"
    );
    assert_eq!(
        s.pointer("/paths/~1p/get/parameters/0/schema/$ref")
            .unwrap(),
        "#/components/schemas/ListPOrder"
    );
    let defs = enums::collect(&s);
    let kind = defs.iter().find(|d| d.name == "PartitionKind").unwrap();
    let variants: Vec<&str> = kind.variants.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(variants, ["UnknownValue", "InProgress", "Value2", "V2fa"]);
    let code = enums::render(&defs);
    assert!(code.contains("pub enum PartitionKind"));
    assert!(code.contains("Unknown(::std::string::String)"));
    assert!(enums::hoist_inline_enums(&mut s).is_empty());
}

#[test]
fn operate_errata() {
    let mut s = spec(
        json!({}),
        json!({
            "ProcessInstance": {"type": "object", "properties": {
                "parentProcessInstanceKey": {"$ref": "#/components/schemas/ProcessInstance"}
            }},
            "QueryX": {"type": "object", "properties": {"searchAfter": {"type": "array", "items": {"type": "object"}}}},
            "ResultsX": {"type": "object", "properties": {"sortValues": {"type": "array", "items": {"type": "object"}}}}
        }),
    );
    // Other APIs' errata do not touch it.
    assert!(errata::apply_errata("zeebe", &mut s.clone()).is_empty());
    assert!(errata::apply_errata("admin", &mut s.clone()).is_empty());
    let changes = errata::apply_errata("operate", &mut s);
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert_eq!(
        s["components"]["schemas"]["ProcessInstance"]["properties"]["parentProcessInstanceKey"],
        json!({"type": "integer", "format": "int64"})
    );
    assert_eq!(
        s["components"]["schemas"]["QueryX"]["properties"]["searchAfter"]["items"],
        json!({})
    );
    assert_eq!(
        s["components"]["schemas"]["ResultsX"]["properties"]["sortValues"]["items"],
        json!({})
    );
    // Fixed specs pass through untouched.
    assert!(errata::apply_errata("operate", &mut s).is_empty());
}

fn contract(api: &str) -> Value {
    let path = format!("{}/openapi/{api}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn pipeline_is_idempotent_on_the_contracts() {
    for api in ["admin", "zeebe", "operate", "orchestration"] {
        let mut s = contract(api);
        let first = normalize::normalize(api, &mut s);
        assert!(
            first.iter().any(|r| !r.changes.is_empty()),
            "{api}: nothing normalized?"
        );
        let again = normalize::normalize(api, &mut s);
        for report in again {
            assert!(
                report.changes.is_empty(),
                "{api}: {} not idempotent: {:?}",
                report.name,
                report.changes
            );
        }
        // Every enum left is a named component.
        let mut inline = Vec::new();
        walk::visit_schemas(&mut s, &mut |schema, ptr, _| {
            let top = ptr
                .strip_prefix("/components/schemas/")
                .is_some_and(|r| !r.contains('/'));
            if !top && schemas::string_enum(schema).is_some() {
                inline.push(ptr.to_string());
            }
        });
        assert!(inline.is_empty(), "{api}: inline enums left: {inline:?}");
    }
}

#[test]
fn zeebe_mixed_error_kinds_are_unified() {
    let mut s = contract("zeebe");
    normalize::normalize("zeebe", &mut s);
    let r = &s["paths"]["/user-tasks/{userTaskKey}/completion"]["post"]["responses"];
    for code in ["400", "404", "409"] {
        assert_eq!(
            r[code]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ProblemDetail",
            "{code}"
        );
    }
}

#[test]
fn secret_fields_refer_to_the_secret_schema() {
    assert!(secrets::is_secret_name("clientSecret"));
    assert!(secrets::is_secret_name("secretValue"));
    assert!(secrets::is_secret_name("password"));
    assert!(!secrets::is_secret_name("secretName"));
    assert!(!secrets::is_secret_name("clientId"));
    let mut s = spec(
        json!({}),
        json!({
            "Created": {"type": "object", "properties": {
                "clientId": {"type": "string"},
                "clientSecret": {"type": "string"},
                "accessToken": {"type": "string", "nullable": true},
                "secretName": {"type": "string"}
            }},
            "ClusterSecrets": {"type": "object", "additionalProperties": {"type": "string"}},
            "Labels": {"type": "object", "additionalProperties": {"type": "string"}}
        }),
    );
    let changes = secrets::secret_fields(&mut s);
    assert_eq!(changes.len(), 3, "{changes:?}");
    let c = &s["components"]["schemas"];
    assert_eq!(
        c["Created"]["properties"]["clientSecret"],
        json!({"$ref": "#/components/schemas/SecretString"})
    );
    assert_eq!(c["Created"]["properties"]["accessToken"]["nullable"], true);
    assert_eq!(
        c["Created"]["properties"]["secretName"],
        json!({"type": "string"})
    );
    assert_eq!(
        c["ClusterSecrets"]["additionalProperties"]["$ref"],
        "#/components/schemas/SecretString"
    );
    assert_eq!(
        c["Labels"]["additionalProperties"],
        json!({"type": "string"})
    );
    assert_eq!(c["SecretString"], json!({"type": "string"}));
    assert!(secrets::secret_fields(&mut s).is_empty());
}

#[test]
fn zeebe_errata() {
    let mut s = spec(
        json!({}),
        json!({"Changeset": {"type": "object", "properties": {
            "dueDate": {"type": "string", "format": "date-time", "nullable": true},
            "followUpDate": {"type": "string", "format": "date-time", "nullable": true},
            "candidateUsers": {"type": "array", "items": {"type": "string"}}
        }}}),
    );
    assert_eq!(errata::apply_errata("zeebe", &mut s).len(), 2);
    assert_eq!(
        s["components"]["schemas"]["Changeset"]["properties"]["dueDate"],
        json!({"type": "string", "nullable": true})
    );
    assert!(errata::apply_errata("zeebe", &mut s).is_empty());
}

#[test]
fn colliding_operation_bodies_are_hoisted() {
    let extended = json!({"allOf": [
        {"$ref": "#/components/schemas/CreateClusterBody"},
        {"type": "object", "properties": {"identityBackendChecksEnabled": {"type": "boolean"}}}
    ]});
    let reply = json!({"type": "object", "properties": {"id": {"type": "string"}}});
    let mut s = spec(
        json!({
            "/clusters": {"post": {
                "operationId": "CreateCluster",
                "requestBody": {"content": {"application/json": {"schema": extended.clone()}}},
                "responses": {"200": {"description": "", "content": {"application/json": {"schema": reply.clone()}}}}
            }},
            "/other": {"post": {
                "operationId": "Other",
                "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}}}},
                "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateClusterResponse"}}}}}
            }}
        }),
        json!({
            "CreateClusterBody": {"type": "object", "properties": {"name": {"type": "string"}}},
            "CreateClusterResponse": {"type": "object"},
            "CreateClusterRequestBody": {"type": "object"}
        }),
    );
    let changes = schemas::hoist_colliding_operation_bodies(&mut s);
    assert_eq!(changes.len(), 2, "{changes:?}");
    let op = &s["paths"]["/clusters"]["post"];
    // `CreateClusterRequestBody` is taken: a numbered name is used.
    assert_eq!(
        op["requestBody"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/CreateClusterRequestBody2"})
    );
    assert_eq!(
        s["components"]["schemas"]["CreateClusterRequestBody2"],
        extended
    );
    assert_eq!(
        op["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/CreateClusterResponseBody"})
    );
    assert_eq!(
        s["components"]["schemas"]["CreateClusterResponseBody"],
        reply
    );
    // No collision (`OtherBody` is no component), or already a $ref: untouched.
    assert_eq!(
        s["paths"]["/other"]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
            ["a"],
        json!({"type": "string"})
    );
    assert!(schemas::hoist_colliding_operation_bodies(&mut s).is_empty());
}

#[test]
fn admin_activity_csv_is_text() {
    let mut s = spec(
        json!({
            "/activity/csv": {"get": {"operationId": "GetCsv", "responses": {
                "200": {"description": "", "content": {"application/json": {"schema": {"type": "string"}}}},
                "403": {"description": ""}
            }}},
            "/activity/json": {"get": {"operationId": "GetJson", "responses": {
                "200": {"description": "", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}}
            }}}
        }),
        json!({}),
    );
    let before_json = s["paths"]["/activity/json"].clone();
    let changes = errata::apply_errata("admin", &mut s);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(changes[0].starts_with("admin_activity_csv_is_text: "));
    assert_eq!(
        s["paths"]["/activity/csv"]["get"]["responses"]["200"]["content"],
        json!({"text/csv": {"schema": {"type": "string"}}})
    );
    assert_eq!(s["paths"]["/activity/json"], before_json);
    assert!(errata::apply_errata("admin", &mut s).is_empty());
}

#[test]
fn multipart_operations_leave_the_spec() {
    let mut s = spec(
        json!({
            "/deployments": {"post": {"operationId": "createDeployment",
                "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object"}}}},
                "responses": {"200": {"description": ""}}}},
            "/documents": {
                "post": {"operationId": "createDocument",
                    "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object"}}}},
                    "responses": {"201": {"description": ""}}},
                "get": {"operationId": "listDocuments", "responses": {"200": {"description": ""}}}}
        }),
        json!({}),
    );
    let listed: Vec<String> = multipart::multipart_operations(&s)
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    assert_eq!(listed, ["createDeployment", "createDocument"]);
    let changes = multipart::multipart_by_hand(&mut s);
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(
        s.pointer("/paths/~1deployments").is_none(),
        "emptied path removed"
    );
    assert!(s.pointer("/paths/~1documents/post").is_none());
    assert!(s.pointer("/paths/~1documents/get").is_some());
    assert!(multipart::multipart_by_hand(&mut s).is_empty());
}

#[test]
fn error_schemas_of_several_kinds_become_one_union() {
    let mut s = spec(
        json!({"/backups": {"post": {"operationId": "takeBackup", "responses": {
            "200": {"description": "", "content": {"application/json": {"schema": {"type": "object"}}}},
            "400": {"description": "", "content": {"application/json": {"schema": problem_ref()}}},
            "409": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Outcome"}}}}
        }}}}),
        json!({
            "ProblemDetail": {"type": "object", "properties": {"title": {"type": "string"}}},
            "Outcome": {"type": "object", "required": ["tenants"], "properties": {"tenants": {"type": "array", "items": {"type": "string"}}}}
        }),
    );
    let changes = media::union_error_schemas(&mut s);
    assert_eq!(changes.len(), 2, "{changes:?}");
    for code in ["400", "409"] {
        let union = s
            .pointer(&format!(
                "/paths/~1backups/post/responses/{code}/content/application~1json/schema/oneOf"
            ))
            .unwrap();
        // The schema with more required members is tried first.
        assert_eq!(union[0]["$ref"], "#/components/schemas/Outcome");
        assert_eq!(union[1]["$ref"], "#/components/schemas/ProblemDetail");
    }
    assert!(media::union_error_schemas(&mut s).is_empty());
}

#[test]
fn discriminated_unions_get_closed_tags_and_a_catch_all() {
    let mut s = spec(
        json!({}),
        json!({
            "WaitState": {
                "oneOf": [{"$ref": "#/components/schemas/JobWait"}, {"$ref": "#/components/schemas/TimerWait"}],
                "discriminator": {"propertyName": "kind", "mapping": {
                    "JOB": "#/components/schemas/JobWait", "TIMER": "#/components/schemas/TimerWait"}}
            },
            "JobWait": {"type": "object", "nullable": true, "properties": {"kind": {"type": "string"}, "jobKey": {"type": "string"}}},
            "TimerWait": {"type": "object", "properties": {"dueDate": {"type": "string"}}}
        }),
    );
    let changes = unions::discriminated_unions(&mut s);
    assert_eq!(changes.len(), 3, "{changes:?}");
    let job = s.pointer("/components/schemas/JobWait").unwrap();
    assert_eq!(job["properties"]["kind"]["enum"], json!(["JOB"]));
    assert_eq!(job["properties"]["kind"][unions::TAG_MARK], json!(true));
    assert!(job["required"].as_array().unwrap().contains(&json!("kind")));
    assert!(job.get("nullable").is_none());
    let timer = s.pointer("/components/schemas/TimerWait").unwrap();
    assert_eq!(timer["properties"]["kind"]["enum"], json!(["TIMER"]));
    let union = s.pointer("/components/schemas/WaitState").unwrap();
    assert!(union.get("discriminator").is_none());
    assert_eq!(union["oneOf"][2], json!({"type": "object"}));
    // A tag stays closed: it is not made a forward-compatible enum.
    assert!(schemas::string_enum(&job["properties"]["kind"]).is_none());
    assert!(unions::discriminated_unions(&mut s).is_empty());
}

#[test]
fn string_only_unions_become_strings() {
    let mut s = spec(
        json!({}),
        json!({
            "ProcessDefinitionKey": {"type": "string", "format": "ProcessDefinitionKey"},
            "FormKey": {"type": "string", "format": "FormKey"},
            "ResourceKey": {"type": "string", "format": "ResourceKey", "oneOf": [
                {"$ref": "#/components/schemas/ProcessDefinitionKey"}, {"$ref": "#/components/schemas/FormKey"}]},
            "Mixed": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
        }),
    );
    let changes = unions::string_only_one_of(&mut s);
    assert_eq!(changes.len(), 1, "{changes:?}");
    let key = s.pointer("/components/schemas/ResourceKey").unwrap();
    assert_eq!(key, &json!({"type": "string", "format": "ResourceKey"}));
    assert!(s.pointer("/components/schemas/Mixed/oneOf").is_some());
}

#[test]
fn nullable_components_become_optional_uses() {
    let mut s = spec(
        json!({"/tasks": {"patch": {"operationId": "updateTask",
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Changeset"}}}},
            "responses": {"204": {"description": ""}}}}}),
        json!({
            "Changeset": {"type": "object", "nullable": true, "properties": {"dueDate": {"type": "string"}}},
            "Task": {"type": "object", "properties": {
                "changes": {"$ref": "#/components/schemas/Changeset"},
                "history": {"type": "array", "items": {"$ref": "#/components/schemas/Changeset"}}}}
        }),
    );
    let changes = nullable::nullable_components(&mut s);
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(
        s.pointer("/components/schemas/Changeset/nullable")
            .is_none()
    );
    let wrapped = json!({"allOf": [{"$ref": "#/components/schemas/Changeset"}], "nullable": true});
    assert_eq!(
        s.pointer("/components/schemas/Task/properties/changes")
            .unwrap(),
        &wrapped
    );
    assert_eq!(
        s.pointer("/components/schemas/Task/properties/history/items")
            .unwrap(),
        &wrapped
    );
    // A request body stays a plain reference.
    assert_eq!(
        s.pointer("/paths/~1tasks/patch/requestBody/content/application~1json/schema/$ref"),
        Some(&json!("#/components/schemas/Changeset"))
    );
    assert!(nullable::nullable_components(&mut s).is_empty());
}

#[test]
fn custom_formats_name_their_key_types() {
    assert_eq!(
        keys::key_name("ProcessInstanceKey").as_deref(),
        Some("ProcessInstanceKey")
    );
    assert_eq!(
        keys::key_name("BatchOperationKey | uuid").as_deref(),
        Some("BatchOperationKey")
    );
    for standard in [
        "date-time",
        "int64",
        "uuid",
        "base64",
        "uri",
        "string<Tag>[]",
        "lowercase",
    ] {
        assert_eq!(keys::key_name(standard), None, "{standard}");
    }
}

#[test]
fn semantic_keys_point_every_identifier_at_its_type() {
    let numeric = json!({"type": "string", "format": "JobKey", "pattern": "^-?[0-9]+$", "minLength": 1, "maxLength": 25});
    let mut s = spec(
        json!({"/jobs/{jobKey}": {"get": {"operationId": "getJob",
            "parameters": [{"name": "jobKey", "in": "path", "required": true,
                "schema": {"type": "string", "format": "JobKey", "pattern": "^-?[0-9]+$"}}],
            "responses": {"200": {"description": ""}}}}}),
        json!({
            "JobKey": {"type": "string", "format": "JobKey", "x-semantic-type": "JobKey",
                "pattern": "^-?[0-9]+$", "minLength": 1, "maxLength": 25},
            "JobKeyExactMatch": numeric.clone(),
            "Job": {"type": "object", "properties": {
                "jobKey": {"type": "string", "format": "JobKey", "pattern": "^-?[0-9]+$"},
                "parent": {"type": "string", "format": "JobKey", "nullable": true},
                "tenantId": {"type": "string", "format": "TenantId", "pattern": "^(<default>|[\\w\\.\\-]{1,31})$"},
                "exact": {"$ref": "#/components/schemas/JobKeyExactMatch"},
                "state": {"type": "string", "format": "JobState", "enum": ["CREATED"]},
                "created": {"type": "string", "format": "date-time"}}}
        }),
    );
    let changes = keys::semantic_keys(&mut s);
    assert!(!changes.is_empty());
    let job = s.pointer("/components/schemas/Job/properties").unwrap();
    assert_eq!(
        job["jobKey"],
        json!({"$ref": "#/components/schemas/JobKey"})
    );
    assert_eq!(
        job["parent"],
        json!({"allOf": [{"$ref": "#/components/schemas/JobKey"}], "nullable": true})
    );
    assert_eq!(
        job["tenantId"],
        json!({"$ref": "#/components/schemas/TenantId"})
    );
    assert_eq!(job["exact"], json!({"$ref": "#/components/schemas/JobKey"}));
    assert_eq!(
        job["state"]["enum"],
        json!(["CREATED"]),
        "enums are not keys"
    );
    assert_eq!(job["created"]["format"], "date-time");
    assert!(
        s.pointer("/components/schemas/JobKeyExactMatch").is_none(),
        "alias removed"
    );
    assert_eq!(
        s.pointer("/paths/~1jobs~1{jobKey}/get/parameters/0/schema")
            .unwrap(),
        &json!({"$ref": "#/components/schemas/JobKey"})
    );
    // The component keeps only its wire constraints.
    assert_eq!(s.pointer("/components/schemas/JobKey").unwrap(), &numeric);
    let defs = keys::collect(&s);
    let names: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["JobKey", "TenantId"]);
    assert_eq!(defs[0].max_length, Some(25));
    assert!(keys::semantic_keys(&mut s).is_empty());
    let code = keys::render("orchestration", &defs);
    assert!(code.contains("pub struct JobKey(::std::string::String);"));
    assert!(code.contains("impl ::std::convert::From<i64> for JobKey"));
    assert!(!code.contains("impl ::std::convert::From<i64> for TenantId"));
}

#[test]
fn orchestration_problem_members_are_optional() {
    let mut s = spec(
        json!({}),
        json!({"ProblemDetail": {"type": "object", "required": ["type", "title", "status", "detail", "instance"],
            "properties": {"title": {"type": "string"}}}}),
    );
    let changes = errata::apply_errata("orchestration", &mut s);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(
        s.pointer("/components/schemas/ProblemDetail/required")
            .is_none()
    );
    assert!(errata::apply_errata("orchestration", &mut s).is_empty());
}

#[test]
fn operation_facts_come_from_the_contract() {
    let s = spec(
        json!({"/process-instances/search": {"post": {"operationId": "searchProcessInstances",
            "x-added-in-version": "8.8", "x-eventually-consistent": true,
            "x-required-permissions": [{"permissionType": "READ_PROCESS_INSTANCE", "resourceType": "PROCESS_DEFINITION"}],
            "responses": {"200": {"description": ""}, "400": {"description": ""}, "500": {"description": ""}}}}}),
        json!({}),
    );
    let facts = facts::collect("orchestration", &s);
    let lines = facts.get("search_process_instances").unwrap().join("\n");
    assert!(lines.contains("Added in Camunda 8.8."), "{lines}");
    assert!(lines.contains("Eventually consistent"), "{lines}");
    assert!(lines.contains("Success: 200."), "{lines}");
    assert!(lines.contains("Declared errors: 400, 500."), "{lines}");
    assert!(
        lines.contains("`READ_PROCESS_INSTANCE` on `PROCESS_DEFINITION`"),
        "{lines}"
    );
    assert!(
        lines.contains("specifications/search-process-instances/"),
        "{lines}"
    );
}

#[test]
fn members_added_after_the_oldest_served_release_are_optional() {
    let mut s = spec(
        json!({}),
        json!({"ActivatedJob": {"type": "object",
            "required": ["jobKey", "kind", "priority", "jobLeaseToken"],
            "x-properties-added-in-version": [
                {"addedInVersionOverride": "8.6", "propertyName": "jobKey"},
                {"addedInVersion": "8.8", "propertyName": "kind"},
                {"addedInVersion": "8.10", "propertyName": "priority"},
                {"addedInVersion": "8.9", "propertyName": "jobLeaseToken"}],
            "properties": {"jobKey": {"type": "string"}, "kind": {"type": "string"},
                "priority": {"type": "integer"}, "jobLeaseToken": {"type": "string"}}}}),
    );
    let changes = versions::newer_members_optional(&mut s);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(
        s.pointer("/components/schemas/ActivatedJob/required")
            .unwrap(),
        &json!(["jobKey", "kind"])
    );
    assert!(versions::newer_members_optional(&mut s).is_empty());
}
