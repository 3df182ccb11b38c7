//! `generated/<api>.rs` is the committed output of this generator for
//! `openapi/<api>.json`, and the camunda8 crate compiles it as it is. This
//! test regenerates each API and fails when the result differs, so a change
//! to a contract or to a normalization step shows up in review (and a stale
//! copy cannot reach users). `CAMUNDA8_BLESS=1 cargo test -p
//! camunda8-codegen` rewrites the copies.

use camunda8_codegen::{crate_root, fingerprint, generate_api};

fn check(api: &str) {
    let root = crate_root();
    let built = generate_api(api, &root.join("openapi")).unwrap();
    // The header carries the fingerprints of the files on disk: what the
    // crate's build script compares before it compiles the committed file.
    let contract = std::fs::read(root.join("openapi").join(format!("{api}.json"))).unwrap();
    let generator = fingerprint::generator(&camunda8_codegen::codegen_dir()).unwrap();
    assert_eq!(
        fingerprint::read(&built, fingerprint::CONTRACT_LINE),
        Some(fingerprint::contract(&contract)),
        "{api}: contract fingerprint"
    );
    assert_eq!(
        fingerprint::read(&built, fingerprint::GENERATOR_LINE),
        Some(generator),
        "{api}: generator fingerprint"
    );
    let path = root.join("generated").join(format!("{api}.rs"));
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed == built {
        return;
    }
    if std::env::var_os("CAMUNDA8_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(root.join("generated")).unwrap();
        std::fs::write(&path, &built).unwrap();
        eprintln!("blessed {}", path.display());
        return;
    }
    panic!(
        "{} differs from the generator's output; review and run CAMUNDA8_BLESS=1 cargo test -p camunda8-codegen",
        path.display()
    );
}

#[test]
fn admin_is_committed() {
    check("admin");
}

#[test]
fn zeebe_is_committed() {
    check("zeebe");
}

#[test]
fn operate_is_committed() {
    check("operate");
}

#[test]
fn orchestration_is_committed() {
    check("orchestration");
}

/// A changed byte changes the contract fingerprint; CRLF line endings do not.
#[test]
fn fingerprint_sees_changes_but_not_line_endings() {
    let a = fingerprint::contract(b"{\"a\": 1}\n");
    assert_ne!(a, fingerprint::contract(b"{\"a\": 2}\n"));
    assert_eq!(a, fingerprint::contract(b"{\"a\": 1}\r\n"));
    assert_eq!(a.len(), 32);
}
