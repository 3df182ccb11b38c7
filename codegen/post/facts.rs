//! Operation facts in the rustdoc of generated methods.
//!
//! The contracts keep no prose (it is Camunda's text, not ours), so
//! progenitor documents a method only with "Sends a `POST` request to
//! `/x`". The post-processing step [`document_operations`] adds what the
//! contract states as data: the Camunda version that added the operation,
//! whether its results are eventually consistent (with a pointer to the
//! helper that waits for them), the success codes, the permissions it
//! requires, and a link to Camunda's reference page for the operation.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::walk::visit_operations;

/// Where Camunda publishes the reference page of each Orchestration Cluster
/// API operation (the operationId in kebab case is appended).
const ORCHESTRATION_REFERENCE: &str =
    "https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/";

/// Camunda's reference page of each other API (these have no page per
/// operation at a stable address; the overview leads to the API explorer).
const API_REFERENCES: [(&str, &str); 3] = [
    (
        "admin",
        "https://docs.camunda.io/docs/apis-tools/administration-api/administration-api-reference/",
    ),
    (
        "operate",
        "https://docs.camunda.io/docs/8.6/apis-tools/operate-api/overview/",
    ),
    (
        "zeebe",
        "https://docs.camunda.io/docs/apis-tools/zeebe-api-rest/overview/",
    ),
];

/// Doc lines per method name, from the (normalized) spec of `api`.
pub fn collect(api: &str, spec: &Value) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let components = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut spec = spec.clone();
    visit_operations(&mut spec, &mut |op, _, _, _| {
        let Some(id) = op.get("operationId").and_then(Value::as_str) else {
            return;
        };
        let mut lines = Vec::new();
        if let Some(version) = op.get("x-added-in-version").and_then(Value::as_str) {
            lines.push(format!("- Added in Camunda {version}."));
        }
        match op.get("x-eventually-consistent").and_then(Value::as_bool) {
            Some(true) => lines.push(
                "- Eventually consistent: a change made a moment ago may not show yet; \
                 wait for it with [`eventually`](crate::orchestration::eventually)."
                    .to_string(),
            ),
            Some(false) => lines.push("- Strongly consistent (not eventually consistent).".into()),
            None => {}
        }
        let schema_of = |v: &Value, pointer: &str| -> Option<String> {
            v.pointer(pointer)
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .map(crate::words::pascal)
        };
        if let Some(body) = op
            .pointer("/requestBody/content/application~1json/schema/$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            let is_union = components
                .get(body)
                .is_some_and(|s| s.get("oneOf").is_some() || s.get("anyOf").is_some());
            let rust = crate::words::pascal(body);
            lines.push(if is_union {
                format!(
                    "- Request body: [`{rust}`](types::{rust}), one of several forms: pass \
                     it to `.body(…)`."
                )
            } else {
                format!(
                    "- Request body: [`{rust}`](types::{rust}); set only the members you \
                     need with `.body_map(|b| b.member(value))`, or pass a whole value to \
                     `.body(…)`."
                )
            });
        }
        if let Some(responses) = op.get("responses").and_then(Value::as_object) {
            let returned: Vec<String> = responses
                .iter()
                .filter(|(code, _)| code.starts_with('2'))
                .filter_map(|(code, r)| {
                    schema_of(r, "/content/application~1json/schema/$ref")
                        .map(|t| format!("[`{t}`](types::{t}) ({code})"))
                })
                .collect();
            if !returned.is_empty() {
                lines.push(format!("- Returns {}.", returned.join(", ")));
            }
            let ok: Vec<&str> = responses
                .keys()
                .filter(|c| c.starts_with('2'))
                .map(String::as_str)
                .collect();
            let errors: Vec<&str> = responses
                .keys()
                .filter(|c| c.starts_with('4') || c.starts_with('5'))
                .map(String::as_str)
                .collect();
            if !ok.is_empty() {
                lines.push(format!("- Success: {}.", ok.join(", ")));
            }
            if !errors.is_empty() {
                lines.push(format!("- Declared errors: {}.", errors.join(", ")));
            }
        }
        if let Some(perms) = op.get("x-required-permissions").and_then(Value::as_array) {
            let perms: Vec<String> = perms
                .iter()
                .filter_map(|p| {
                    let kind = p.get("permissionType").and_then(Value::as_str)?;
                    let resource = p.get("resourceType").and_then(Value::as_str)?;
                    Some(format!("`{kind}` on `{resource}`"))
                })
                .collect();
            if !perms.is_empty() {
                lines.push(format!("- Requires {}.", perms.join(" or ")));
            }
        }
        match api {
            "orchestration" => lines.push(format!(
                "- Reference: <{ORCHESTRATION_REFERENCE}{}/>",
                kebab(id)
            )),
            other => {
                if let Some((_, overview)) = API_REFERENCES.iter().find(|(a, _)| *a == other) {
                    lines.push(format!("- Reference (the API's overview): <{overview}>"));
                }
            }
        }
        if !lines.is_empty() {
            out.insert(crate::words::snake(id), lines);
        }
    });
    out
}

/// `activateJobs` → `activate-jobs`.
fn kebab(id: &str) -> String {
    crate::words::snake(id).replace('_', "-")
}

/// Post-processing step `document_operations`: opens the rustdoc of each
/// `Client` method with the operation's one-line summary when the reviewed
/// table (`summaries.rs`) has one, and appends the operation's facts. Returns one summary
/// line (the methods documented, and any operation without a method).
pub fn document_operations(
    api: &str,
    items: &mut [syn::Item],
    facts: &BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    let mut documented = Vec::new();
    let mut summarized = 0;
    for f in crate::items::client_methods(items) {
        let name = f.sig.ident.to_string();
        if let Some(summary) = crate::summaries::summary(api, &name) {
            let text = format!("{summary}\n");
            f.attrs.insert(0, syn::parse_quote!(#[doc = #text]));
            summarized += 1;
        }
        let Some(lines) = facts.get(&name) else {
            continue;
        };
        let text = format!("\n\n# Facts from the contract\n\n{}\n", lines.join("\n"));
        f.attrs.push(syn::parse_quote!(#[doc = #text]));
        documented.push(name);
    }
    let mut changes = Vec::new();
    if summarized > 0 {
        changes.push(format!(
            "{summarized} method(s) open with their summary (codegen/summaries.rs)"
        ));
    }
    if !documented.is_empty() {
        changes.push(format!("{} method(s) documented", documented.len()));
    }
    let missing: Vec<&String> = facts.keys().filter(|k| !documented.contains(k)).collect();
    if !missing.is_empty() {
        changes.push(format!(
            "operations without a generated method (hand-written): {}",
            missing
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    changes
}
