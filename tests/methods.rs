//! Every operation of every contract has its client method: the expected
//! names are derived from the contract by the same naming step the build
//! uses, and looked up in the code the build generated.

#![allow(dead_code)]

#[path = "../codegen/naming.rs"]
mod naming;
#[path = "../codegen/walk.rs"]
mod walk;
#[path = "../codegen/words.rs"]
mod words;

use std::collections::BTreeSet;

use serde_json::Value;

fn contract(api: &str) -> Value {
    let path = format!("{}/openapi/{api}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

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

fn check(api: &str, source: &str, count: usize, required: &[&str]) {
    let expected: Vec<(String, String, String)> = naming::method_names(&contract(api));
    assert_eq!(expected.len(), count, "{api}: operations in the contract");
    let names: BTreeSet<String> = expected.iter().map(|(_, _, n)| n.clone()).collect();
    assert_eq!(names.len(), count, "{api}: method names are unique");
    let source = compact(source);
    let generated = generated_methods(&source);
    for (method, path, name) in &expected {
        assert!(
            source.contains(&format!("pubfn{name}(&self)")),
            "{api}: no method {name} for {method} {path}"
        );
    }
    assert_eq!(
        generated, names,
        "{api}: generated methods = contract operations"
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

#[test]
fn sixty_nine_operations_in_all() {
    let total: usize = ["admin", "zeebe", "operate"]
        .iter()
        .map(|api| naming::method_names(&contract(api)).len())
        .sum();
    assert_eq!(total, 69);
}
