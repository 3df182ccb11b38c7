//! Method names: operationIds derived from an operation's method and path.
//!
//! progenitor names each client method after the operation's `operationId`
//! (snake-cased) and refuses operations without one. Camunda's specs have
//! two problems: Zeebe 8.6 has no operationIds at all, and Operate's are
//! springdoc's generic ones (`search`, `search_1`, …, `byKey_3`,
//! `xmlByKey_1`, `delete`), which would give methods such as `search_5`.
//!
//! The fix is an algorithm, not a table, so a new spec version gets sensible
//! names too:
//! * an operation without an operationId gets a derived one;
//! * when a spec shows springdoc's signature — at least two operationIds
//!   that differ only by a numeric `_N` suffix — *every* operation of that
//!   spec gets a derived name (mixing styles would be confusing);
//! * otherwise an operationId is kept (the Administration API's are good).
//!
//! Derivation (`derive_name`): drop a leading version segment (`v1`);
//! collect the resources (static segments; those followed by a `{param}`
//! are singular); the last static segment decides the verb:
//! * `POST …/search` → `search_<collection>`;
//! * a trailing action noun from a small vocabulary (`completion`,
//!   `assignment`, …) → `<verb>_<resource>`; `DELETE …/assignee` →
//!   `unassign_<resource>`;
//! * otherwise the HTTP method gives the verb (`get`, `create`, `update`,
//!   `delete`, `list` for a GET on a plural collection) and the object is the
//!   joined resource words, e.g. `GET /process-instances/{key}/statistics` →
//!   `get_process_instance_statistics`.
//!
//! A small noun vocabulary expands abbreviations (`drd` → decision
//! requirements) and knows nouns that are their own plural.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::walk::visit_operations;
use crate::words::snake;

/// Abbreviated path nouns and their expansion (plural, singular).
const NOUNS: [(&str, &str, &str); 1] = [("drd", "decision_requirements", "decision_requirements")];

/// Nouns whose singular equals the plural (no `s` is removed).
const INVARIANT: [&str; 4] = ["requirements", "statistics", "status", "details"];

/// Trailing action nouns and the verb they stand for, with the method they
/// apply to (`None`: any).
const ACTIONS: [(&str, Option<&str>, &str); 14] = [
    ("completion", None, "complete"),
    ("assignment", None, "assign"),
    ("assignee", Some("delete"), "unassign"),
    ("cancellation", None, "cancel"),
    ("resolution", None, "resolve"),
    ("activation", None, "activate"),
    ("deletion", None, "delete"),
    ("evaluation", None, "evaluate"),
    ("publication", None, "publish"),
    ("correlation", None, "correlate"),
    ("migration", None, "migrate"),
    ("modification", None, "modify"),
    ("failure", None, "fail"),
    ("search", Some("post"), "search"),
];

/// Snake-cased words of one path segment, abbreviations expanded.
fn noun(segment: &str, singular: bool) -> String {
    let base = snake(segment);
    if let Some((_, plural, single)) = NOUNS.iter().find(|(abbr, _, _)| *abbr == base) {
        return if singular { single } else { plural }.to_string();
    }
    if !singular {
        return base;
    }
    let mut words: Vec<String> = base.split('_').map(str::to_string).collect();
    if let Some(last) = words.last_mut() {
        *last = singularize(last);
    }
    words.join("_")
}

/// English singular of a simple plural noun.
fn singularize(word: &str) -> String {
    if INVARIANT.contains(&word) || word.ends_with("ss") {
        word.to_string()
    } else if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = word.strip_suffix('s') {
        stem.to_string()
    } else {
        word.to_string()
    }
}

/// The name derived from an operation's HTTP method and path.
pub fn derive_name(method: &str, path: &str) -> String {
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .enumerate()
        .filter(|(i, s)| {
            !(*i == 0
                && s.len() > 1
                && s.starts_with('v')
                && s[1..].chars().all(|c| c.is_ascii_digit()))
        })
        .map(|(_, s)| s)
        .collect();
    let is_param = |s: &str| s.starts_with('{');
    // Resources: each static segment, singular when a parameter follows it.
    let mut resources: Vec<(String, bool)> = Vec::new();
    for (i, seg) in segments.iter().enumerate() {
        if is_param(seg) {
            continue;
        }
        let followed_by_param = segments.get(i + 1).is_some_and(|s| is_param(s));
        resources.push((seg.to_string(), followed_by_param));
    }
    let ends_with_param = segments.last().is_some_and(|s| is_param(s));
    let method = method.to_ascii_lowercase();

    // A trailing action noun (`…/{key}/completion`, `…/search`).
    if !ends_with_param
        && resources.len() > 1
        && let Some((last, _)) = resources.last()
    {
        let last_snake = snake(last);
        if let Some((_, _, verb)) = ACTIONS
            .iter()
            .find(|(n, m, _)| *n == last_snake && m.is_none_or(|m| m == method))
        {
            let object = join(&resources[..resources.len() - 1], *verb == "search");
            return format!("{verb}_{object}");
        }
    }
    let verb = match method.as_str() {
        "get" if !ends_with_param && resources.len() == 1 && is_plural(&resources[0].0) => "list",
        "get" => "get",
        "post" => "create",
        "put" | "patch" => "update",
        "delete" => "delete",
        other => other,
    };
    // Creating in a collection creates one item: `POST /jobs` → `create_job`.
    if verb == "create"
        && let Some(last) = resources.last_mut()
    {
        last.1 = true;
    }
    format!("{verb}_{}", join(&resources, false))
}

/// Whether a path noun is a plural collection name.
fn is_plural(segment: &str) -> bool {
    let last = noun(segment, false);
    let word = last.rsplit('_').next().unwrap_or("");
    word.ends_with('s') && !INVARIANT.contains(&word) && !word.ends_with("ss")
}

/// Joins resources; the last one stays plural when `plural_last` is set.
fn join(resources: &[(String, bool)], plural_last: bool) -> String {
    let n = resources.len();
    resources
        .iter()
        .enumerate()
        .map(|(i, (seg, single))| {
            let singular = if i + 1 == n {
                *single && !plural_last
            } else {
                true
            };
            noun(seg, singular)
        })
        .collect::<Vec<_>>()
        .join("_")
}

/// Whether the spec's operationIds look generated by springdoc: two or more
/// of them equal after removing a numeric `_N` suffix.
pub fn has_generic_ids(spec: &Value) -> bool {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut spec = spec.clone();
    visit_operations(&mut spec, &mut |op, _, _, _| {
        if let Some(id) = op.get("operationId").and_then(Value::as_str) {
            let base = match id.rsplit_once('_') {
                Some((base, n)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => base,
                _ => id,
            };
            *seen.entry(base.to_string()).or_default() += 1;
        }
    });
    seen.values().any(|n| *n > 1)
}

/// Normalization step: gives every operation a readable, unique
/// operationId (see the module documentation). Returns one line per change.
pub fn name_operations(spec: &mut Value) -> Vec<String> {
    let replace_all = has_generic_ids(spec);
    let mut changes = Vec::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    visit_operations(spec, &mut |op, _, _, _| {
        if let Some(id) = op.get("operationId").and_then(Value::as_str)
            && !replace_all
        {
            taken.insert(snake(id));
        }
    });
    visit_operations(spec, &mut |op, ptr, method, path| {
        let current = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_string);
        if current.is_some() && !replace_all {
            return;
        }
        let mut name = derive_name(method, path);
        if taken.contains(&name) {
            let base = name.clone();
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{base}_{n}");
                n += 1;
            }
        }
        taken.insert(name.clone());
        let was = current.as_deref().unwrap_or("(none)");
        changes.push(format!("{ptr}: operationId {was} -> {name}"));
        if let Some(obj) = op.as_object_mut() {
            obj.insert("operationId".to_string(), Value::String(name));
        }
    });
    changes
}

/// The Rust method name progenitor generates for an operationId.
pub fn method_name(operation_id: &str) -> String {
    snake(operation_id)
}

/// `(method, path, method name)` of every operation of a spec after
/// [`name_operations`], sorted by path and method.
pub fn method_names(spec: &Value) -> Vec<(String, String, String)> {
    let mut spec = spec.clone();
    name_operations(&mut spec);
    let mut out = Vec::new();
    visit_operations(&mut spec, &mut |op, _, method, path| {
        let id = op.get("operationId").and_then(Value::as_str).unwrap_or("");
        out.push((method.to_string(), path.to_string(), method_name(id)));
    });
    out.sort();
    out
}
