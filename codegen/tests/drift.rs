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

/// The reviewed summary table names existing methods only, covers every
/// search of every API and at least 40 other Orchestration Cluster API
/// operations, and each summary is one sentence of reasonable length.
#[test]
fn summaries_cover_every_search_and_name_real_methods() {
    use camunda8_codegen::summaries::SUMMARIES;
    let root = crate_root();
    let mut seen = std::collections::BTreeSet::new();
    for api in camunda8_codegen::APIS {
        let code =
            std::fs::read_to_string(root.join("generated").join(format!("{api}.rs"))).unwrap();
        let methods: Vec<String> = code
            .lines()
            .filter_map(|l| l.strip_prefix("    pub fn "))
            .filter_map(|l| l.split_once('(').map(|(name, _)| name.to_string()))
            .collect();
        for (a, method, summary) in SUMMARIES.iter().filter(|(a, _, _)| *a == api) {
            assert!(
                methods.contains(&method.to_string()),
                "{a}: no method {method}"
            );
            assert!(seen.insert((*a, *method)), "{a}: {method} listed twice");
            assert!(
                summary.ends_with('.') && summary.len() < 160 && !summary.contains('\n'),
                "{a}::{method}: not a one-line sentence: {summary:?}"
            );
        }
        for method in methods.iter().filter(|m| m.starts_with("search_")) {
            // A method renamed by step names_users_guess is summarized
            // under the contract's name (the summary is attached first).
            let contract_name = camunda8_codegen::post::renames::RENAMES
                .iter()
                .find(|(a, _, new, _)| *a == api && *new == method.as_str())
                .map_or(method.as_str(), |(_, old, _, _)| *old);
            assert!(
                seen.contains(&(api, contract_name)),
                "{api}: search {method} has no summary"
            );
        }
    }
    let core = SUMMARIES
        .iter()
        .filter(|(a, m, _)| *a == "orchestration" && !m.starts_with("search_"))
        .count();
    assert!(core >= 40, "only {core} core commands summarized");
}
