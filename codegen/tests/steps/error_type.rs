//! The build step `own_error_type` (codegen/post/error_type.rs): which response
//! fields of an operation are secret, and how progenitor's `send` is
//! wrapped, on small hand-made inputs.

use camunda8_codegen::post::error_type;
use serde_json::json;

#[test]
fn secret_paths_follow_refs_arrays_maps_and_composition() {
    let spec = json!({
        "paths": {
            "/clients": {
                "get": {"responses": {"200": {"content": {"application/json": {"schema": {
                    "type": "array", "items": {"$ref": "#/components/schemas/Client"}
                }}}}}},
                "post": {"responses": {"200": {"$ref": "#/components/responses/Created"}}}
            },
            "/secrets": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
                "type": "object",
                "additionalProperties": {"$ref": "#/components/schemas/SecretString"}
            }}}}}}},
            "/plain": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/Node"
            }}}}}}}
        },
        "components": {
            "schemas": {
                "SecretString": {"type": "string"},
                "Client": {"allOf": [
                    {"type": "object", "properties": {"name": {"type": "string"}}},
                    {"type": "object", "properties": {
                        "clientSecret": {"$ref": "#/components/schemas/SecretString"}
                    }}
                ]},
                "Node": {"type": "object", "properties": {
                    "name": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
                }}
            },
            "responses": {"Created": {"content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/Client"
            }}}}}
        }
    });
    let paths = error_type::secret_paths(&spec);
    let get = |m: &str, p: &str| paths.get(&(m.to_string(), p.to_string())).cloned();
    assert_eq!(
        get("GET", "/clients"),
        Some(vec!["/*/clientSecret".to_string()])
    );
    assert_eq!(
        get("POST", "/clients"),
        Some(vec!["/clientSecret".to_string()])
    );
    assert_eq!(get("GET", "/secrets"), Some(vec!["/*".to_string()]));
    // A recursive schema without secrets ends, and lists nothing.
    assert_eq!(get("GET", "/plain"), None);
}

const PROGENITOR_LIKE: &str = r#"
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
pub mod builder {
    impl<'a> CreateClient<'a> {
        pub fn body(self) -> Self { self }
        ///Sends a `POST` request to `/clients`
        pub async fn send(self) -> Result<ResponseValue<types::Created>, Error<types::Problem>> {
            unimplemented!()
        }
    }
}
"#;

#[test]
fn send_is_wrapped_and_progenitors_error_is_not_exported() {
    let mut file: syn::File = syn::parse_str(PROGENITOR_LIKE).unwrap();
    let mut secrets = error_type::SecretPaths::new();
    secrets.insert(
        ("POST".into(), "/clients".into()),
        vec!["/clientSecret".into()],
    );
    let changes = error_type::own_error_type_file("test", &mut file, &secrets).unwrap();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(
        changes[0].contains("CreateClient::send (POST /clients)"),
        "{changes:?}"
    );
    let code = prettyplease::unparse(&file);
    let flat: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "pub use progenitor_client::{ByteStream, ClientInfo, ResponseValue};",
        "use progenitor_client::Error;",
        "async fn send_raw( self, ) -> Result<ResponseValue<types::Created>, Error<types::Problem>>",
        "///Sends a `POST` request to `/clients` pub fn send( self, ) -> impl ::std::future::Future< Output = Result< ResponseValue<types::Created>, crate::ApiError<types::Problem>, >, > { crate::call::run(&[\"/clientSecret\"], self.send_raw()) }",
    ] {
        assert!(flat.contains(expected), "missing {expected}\nin:\n{code}");
    }
    assert!(!flat.contains("pub async fn send_raw"), "{code}");
}

#[test]
fn an_unrecognised_send_fails_the_build() {
    let undocumented = PROGENITOR_LIKE.replace("///Sends a `POST` request to `/clients`", "");
    let mut file: syn::File = syn::parse_str(&undocumented).unwrap();
    let error =
        error_type::own_error_type_file("test", &mut file, &Default::default()).unwrap_err();
    assert!(error.contains("CreateClient::send"), "{error}");

    let other = PROGENITOR_LIKE.replace("Error<types::Problem>", "String");
    let mut file: syn::File = syn::parse_str(&other).unwrap();
    let error =
        error_type::own_error_type_file("test", &mut file, &Default::default()).unwrap_err();
    assert!(error.contains("return type"), "{error}");
}
