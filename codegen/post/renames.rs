//! The one table of operations whose generated method gets another name
//! than the contract's operationId (step `names_users_guess`,
//! codegen/post/method_renames.rs); the crate's tests that check coverage
//! by method name read it through `camunda8_codegen::post::renames`.

/// `(api, contract name, name users look for, why)`.
pub const RENAMES: &[(&str, &str, &str, &str)] = &[
    (
        "orchestration",
        "create_element_instance_variables",
        "set_variables",
        "it sets (creates or updates) variables in an element or process instance's scope, as Zeebe's SetVariables",
    ),
    (
        "orchestration",
        "search_mapping_rule",
        "search_mapping_rules",
        "every other search is named in the plural",
    ),
    (
        "orchestration",
        "get_process_instance_statistics",
        "get_process_instance_element_statistics",
        "it returns the statistics of the instance's elements (`/statistics/element-instances`)",
    ),
    (
        "orchestration",
        "get_resource_content",
        "get_resource_content_json",
        "it returns the content as a JSON map; the bytes are `get_resource_content_binary`",
    ),
];

/// The method name of the operation progenitor would call `name` in `api`.
pub fn renamed(api: &str, name: &str) -> String {
    RENAMES
        .iter()
        .find(|(a, old, ..)| *a == api && *old == name)
        .map_or(name, |(_, _, new, _)| new)
        .to_string()
}
