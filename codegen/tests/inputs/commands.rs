//! The commands (`codegen/commands.rs`, `codegen/main.rs`) on small inputs,
//! and what the generator's fingerprint covers.

use std::fs;
use std::path::Path;
use std::process::Command;

use camunda8_codegen::commands::{self, Output};
use camunda8_codegen::{APIS, crate_root, fingerprint};

/// A published spec of `api`, with prose the importer drops.
fn published(api: &str) -> String {
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "{api}", "version": "1", "description": "prose"}},
            "paths": {{"/x": {{"get": {{"operationId": "getX", "summary": "prose",
                "responses": {{"200": {{"description": "prose"}}}}}}}}}}}}"#
    )
}

#[test]
fn import_writes_each_contract_once_and_then_finds_it_current() {
    let reference = tempfile::tempdir().unwrap();
    for api in APIS {
        fs::write(
            reference.path().join(format!("{api}-api.json")),
            published(api),
        )
        .unwrap();
    }
    let root = tempfile::tempdir().unwrap();
    let outputs = commands::imported(root.path(), reference.path()).unwrap();
    assert_eq!(outputs.len(), APIS.len());
    for output in &outputs {
        assert!(!output.is_current(), "{}", output.path.display());
        assert!(output.write().unwrap());
        assert!(output.is_current());
        assert!(!output.write().unwrap(), "a current file is not rewritten");
    }
    let admin = fs::read_to_string(root.path().join("openapi/admin.json")).unwrap();
    assert!(admin.contains("\"operationId\": \"getX\"") && !admin.contains("prose"));
    // A published spec missing: the error names the API and the folder.
    fs::remove_file(reference.path().join("zeebe-api.json")).unwrap();
    let err = commands::imported(root.path(), reference.path()).unwrap_err();
    assert!(err.contains("no spec for the `zeebe` API"), "{err}");
}

#[test]
fn an_edited_file_is_not_current() {
    let dir = tempfile::tempdir().unwrap();
    let output = Output {
        path: dir.path().join("generated/admin.rs"),
        text: "// code\n".to_string(),
    };
    assert!(output.write().unwrap());
    fs::write(&output.path, "// edited by hand\n").unwrap();
    assert!(!output.is_current());
    assert!(output.write().unwrap());
    assert_eq!(fs::read_to_string(&output.path).unwrap(), "// code\n");
}

#[test]
fn generate_rejects_an_unknown_api() {
    let root = crate_root();
    let err = commands::generated(&root.join("openapi"), &root.join("generated"), &["camunda"])
        .unwrap_err();
    assert!(err.contains("unknown API `camunda`"), "{err}");
}

/// What the crate's build script runs: `generate <spec-dir> <out-dir> <api>`
/// writes the committed file's text.
#[test]
fn the_binary_generates_as_the_build_script_asks() {
    let out = tempfile::tempdir().unwrap();
    let root = crate_root();
    let status = Command::new(env!("CARGO_BIN_EXE_camunda8-codegen"))
        .arg("generate")
        .arg(root.join("openapi"))
        .arg(out.path())
        .arg("admin")
        .status()
        .unwrap();
    assert!(status.success());
    let written = fs::read_to_string(out.path().join("admin.rs")).unwrap();
    let committed = fs::read_to_string(root.join("generated/admin.rs")).unwrap();
    assert!(
        written == committed,
        "generated/admin.rs is stale: run `cargo codegen generate`"
    );
    let usage = Command::new(env!("CARGO_BIN_EXE_camunda8-codegen"))
        .arg("regenerate")
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("usage: camunda8-codegen import"));
}

/// Writes `text` to `dir/name`, creating folders.
fn put(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// The generator's fingerprint covers the step folders (a changed step
/// regenerates), not its tests or build output (which change nothing the
/// generator writes).
#[test]
fn the_fingerprint_covers_step_folders_not_tests() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "Cargo.toml", "[package]\n");
    put(dir.path(), "lib.rs", "pub mod contract;\n");
    put(dir.path(), "contract/mod.rs", "pub const STEPS: () = ();\n");
    put(dir.path(), "tests/drift.rs", "#[test] fn t() {}\n");
    put(dir.path(), "target/debug/out.rs", "\n");
    let before = fingerprint::generator(dir.path()).unwrap();
    put(dir.path(), "tests/drift.rs", "#[test] fn u() {}\n");
    put(dir.path(), "target/debug/out.rs", "// other\n");
    assert_eq!(fingerprint::generator(dir.path()).unwrap(), before);
    put(
        dir.path(),
        "contract/mod.rs",
        "pub const STEPS: ((),) = ((),);\n",
    );
    let after_step = fingerprint::generator(dir.path()).unwrap();
    assert_ne!(after_step, before, "a changed contract step");
    put(dir.path(), "post/new_step.rs", "\n");
    assert_ne!(
        fingerprint::generator(dir.path()).unwrap(),
        after_step,
        "a new post step"
    );
}
