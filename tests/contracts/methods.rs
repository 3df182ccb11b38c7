//! Every operation of every contract has its client method: the expected
//! names are derived from the contract by the same naming step the build
//! uses, and looked up in the code the build generated.

use std::collections::BTreeSet;

use crate::support::spec::contract;
use camunda8_codegen::contract::{multipart, operation_names};
use camunda8_codegen::post::renames::RENAMES;
use camunda8_codegen::words;

/// The source without whitespace (prettyplease wraps long signatures).
fn compact(source: &str) -> String {
    source
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace(",)", ")")
}

/// Names of the `Client` methods in generated code (`pub fn x(&self) -> builder::X`).
fn generated_methods(compact: &str) -> BTreeSet<String> {
    compact
        .split("pubfn")
        .skip(1)
        .filter_map(|rest| {
            let (name, sig) = rest.split_once('(')?;
            sig.starts_with("&self)->builder::")
                .then(|| name.to_string())
        })
        .collect()
}

/// Hand-written methods of an API's client (operations progenitor cannot
/// generate), found as `pub fn <name>(&self)` in the API's folder.
fn hand_written(api: &str) -> BTreeSet<String> {
    let dir = format!("{}/src/{api}", env!("CARGO_MANIFEST_DIR"));
    let mut out = BTreeSet::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return out;
    };
    for entry in entries {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for rest in compact(&text).split("pubfn").skip(1) {
            if let Some((name, sig)) = rest.split_once('(')
                && sig.starts_with("&self)")
            {
                out.insert(name.to_string());
            }
        }
    }
    out
}

fn check(api: &str, source: &str, count: usize, required: &[&str]) {
    check_with(api, source, count, required, &[]);
}

/// Like [`check`], for an API whose operations `by_hand` are hand-written
/// methods instead of generated ones.
fn check_with(api: &str, source: &str, count: usize, required: &[&str], by_hand: &[&str]) {
    let expected: Vec<(String, String, String)> = operation_names::method_names(&contract(api));
    assert_eq!(expected.len(), count, "{api}: operations in the contract");
    let names: BTreeSet<String> = expected.iter().map(|(_, _, n)| n.clone()).collect();
    assert_eq!(names.len(), count, "{api}: method names are unique");
    let source = compact(source);
    let generated = generated_methods(&source);
    let by_hand: BTreeSet<String> = by_hand.iter().map(|n| n.to_string()).collect();
    let written = hand_written(api);
    for (method, path, name) in &expected {
        if by_hand.contains(name) {
            assert!(
                written.contains(name),
                "{api}: no hand-written method {name} for {method} {path}"
            );
            continue;
        }
        assert!(
            source.contains(&format!("pubfn{name}(&self)")),
            "{api}: no method {name} for {method} {path}"
        );
    }
    assert!(
        generated.is_disjoint(&by_hand),
        "{api}: an operation is both generated and hand-written"
    );
    // An operation renamed for users (codegen/post/renames.rs) has its new
    // method and keeps the contract's name as a deprecated alias.
    let renamed: BTreeSet<String> = RENAMES
        .iter()
        .filter(|(owner, _, _, _)| *owner == api)
        .map(|(_, _, new, _)| new.to_string())
        .collect();
    let all: BTreeSet<String> = generated.union(&by_hand).cloned().collect();
    let wanted: BTreeSet<String> = names.union(&renamed).cloned().collect();
    assert_eq!(
        all, wanted,
        "{api}: generated + hand-written methods = contract operations + their new names"
    );
    for name in required {
        assert!(
            names.contains(*name),
            "{api}: expected method {name}, got {names:?}"
        );
    }
}

#[cfg(feature = "admin")]
#[test]
fn admin_has_43_methods() {
    let source = include_str!(concat!(env!("OUT_DIR"), "/admin.rs"));
    check(
        "admin",
        source,
        43,
        &[
            "get_clusters",
            "create_cluster",
            "get_cluster",
            "create_client",
            "get_client",
            "update_ip_allowlist",
            "wake",
        ],
    );
}

#[cfg(feature = "zeebe")]
#[test]
fn zeebe_has_5_methods() {
    let source = include_str!(concat!(env!("OUT_DIR"), "/zeebe.rs"));
    check(
        "zeebe",
        source,
        5,
        &[
            "get_topology",
            "complete_user_task",
            "assign_user_task",
            "update_user_task",
            "unassign_user_task",
        ],
    );
}

#[cfg(feature = "operate")]
#[test]
fn operate_has_21_methods() {
    let source = include_str!(concat!(env!("OUT_DIR"), "/operate.rs"));
    check(
        "operate",
        source,
        21,
        &[
            "search_variables",
            "search_process_instances",
            "search_process_definitions",
            "search_incidents",
            "search_flownode_instances",
            "search_decision_requirements",
            "search_decision_instances",
            "search_decision_definitions",
            "get_variable",
            "get_process_instance",
            "delete_process_instance",
            "get_process_instance_statistics",
            "get_process_instance_sequence_flows",
            "get_process_definition",
            "get_process_definition_xml",
            "get_incident",
            "get_flownode_instance",
            "get_decision_requirements",
            "get_decision_requirements_xml",
            "get_decision_instance",
            "get_decision_definition",
        ],
    );
}

#[cfg(feature = "orchestration")]
#[test]
fn orchestration_has_244_methods() {
    let source = include_str!(concat!(env!("OUT_DIR"), "/orchestration.rs"));
    check_with(
        "orchestration",
        source,
        244,
        &[
            "create_deployment",
            "create_process_instance",
            "cancel_process_instance",
            "search_process_instances",
            "get_process_instance",
            "activate_jobs",
            "complete_job",
            "fail_job",
            "throw_job_error",
            "update_job",
            "publish_message",
            "correlate_message",
            "broadcast_signal",
            "resolve_incident",
            "search_incidents",
            "search_user_tasks",
            "complete_user_task",
            "evaluate_decision",
            "get_topology",
            "create_document",
            "create_documents",
        ],
        // multipart/form-data bodies: see codegen/contract/multipart.rs
        &["create_deployment", "create_document", "create_documents"],
    );
}

/// The multipart operations of the contract are exactly the ones the
/// build leaves to hand-written code.
#[cfg(feature = "orchestration")]
#[test]
fn multipart_operations_are_the_hand_written_ones() {
    let contract = contract("orchestration");
    let ids: BTreeSet<String> = multipart::multipart_operations(&contract)
        .into_iter()
        .map(|(id, _, _)| words::snake(&id))
        .collect();
    let expected: BTreeSet<String> = ["create_deployment", "create_document", "create_documents"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(ids, expected);
    let written = hand_written("orchestration");
    assert!(ids.is_subset(&written), "hand-written: {written:?}");
}

#[test]
fn operations_in_all() {
    let count = |api: &str| operation_names::method_names(&contract(api)).len();
    assert_eq!(count("admin") + count("zeebe") + count("operate"), 69);
    assert_eq!(count("orchestration"), 244);
}
