//! Finding the spec files: by prefix and extension, with readable errors.

use camunda8_codegen::source;

use std::fs;

#[test]
fn finds_published_and_contract_names() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("admin-api.json"),
        "{\"openapi\": \"3.0.0\"}",
    )
    .unwrap();
    fs::write(
        dir.path().join("zeebe-8.6.yaml"),
        "openapi: \"3.0.3\"\npaths:\n  /topology: {}\n",
    )
    .unwrap();
    fs::write(dir.path().join("operate.yml"), "openapi: 3.0.1\n").unwrap();
    fs::write(dir.path().join("analysis.json"), "{}").unwrap();
    fs::write(dir.path().join("zeebe-notes.txt"), "").unwrap();
    let admin = source::find(dir.path(), "admin").unwrap();
    assert!(admin.ends_with("admin-api.json"));
    let zeebe = source::find(dir.path(), "zeebe").unwrap();
    let spec = source::parse(&zeebe).unwrap();
    assert_eq!(spec["openapi"], "3.0.3");
    assert!(spec["paths"]["/topology"].is_object());
    assert_eq!(source::parse(&admin).unwrap()["openapi"], "3.0.0");
    assert!(
        source::find(dir.path(), "operate")
            .unwrap()
            .ends_with("operate.yml")
    );
}

#[test]
fn errors_name_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("zeebe-8.6.yaml"), "openapi: 3").unwrap();
    fs::write(dir.path().join("zeebe.json"), "{").unwrap();
    let err = source::find(dir.path(), "zeebe").unwrap_err();
    assert!(
        err.contains("several specs") && err.contains("zeebe.json"),
        "{err}"
    );
    let err = source::find(dir.path(), "operate").unwrap_err();
    assert!(err.contains("no spec for the `operate` API"), "{err}");
    let err = source::parse(&dir.path().join("zeebe.json")).unwrap_err();
    assert!(err.contains("not valid JSON"), "{err}");
    let err = source::find(&dir.path().join("missing"), "admin").unwrap_err();
    assert!(err.contains("cannot list spec folder"), "{err}");
}
