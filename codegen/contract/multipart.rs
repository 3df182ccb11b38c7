//! Operations whose request body is `multipart/form-data`.
//!
//! progenitor refuses them ("unexpected content type: multipart/form-data"),
//! so they leave the generated client and are written by hand on the same
//! client (`src/orchestration/deploy.rs`, `src/orchestration/documents.rs`),
//! through the same hooks. Their response schemas stay in
//! `components/schemas`, so the hand-written methods return generated types.

use serde_json::Value;

use crate::walk::{METHODS, esc};

/// The media type progenitor cannot send.
pub const MULTIPART: &str = "multipart/form-data";

/// Whether `op` takes a multipart request body.
pub fn is_multipart(op: &Value) -> bool {
    op.pointer("/requestBody/content")
        .and_then(Value::as_object)
        .is_some_and(|content| content.contains_key(MULTIPART))
}

/// Step `multipart_by_hand`: removes every operation whose request body is
/// `multipart/form-data` (reported with its operationId), and any path left
/// without an operation.
///
/// Why: progenitor cannot generate a multipart request; the crate provides
/// these operations as hand-written methods instead (a test checks that the
/// contract's multipart operations and the hand-written methods are the
/// same set).
pub fn multipart_by_hand(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return changes;
    };
    let mut emptied = Vec::new();
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let multipart: Vec<String> = item
            .iter()
            .filter(|(method, op)| METHODS.contains(&method.as_str()) && is_multipart(op))
            .map(|(method, _)| method.clone())
            .collect();
        for method in multipart {
            let id = item
                .get(&method)
                .and_then(|op| op.get("operationId"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            item.remove(&method);
            changes.push(format!(
                "/paths/{}/{method} ({id}): multipart body, written by hand",
                esc(path)
            ));
        }
        if !item.keys().any(|k| METHODS.contains(&k.as_str())) {
            emptied.push(path.clone());
        }
    }
    for path in emptied {
        paths.remove(&path);
    }
    changes
}

/// `(operationId, method, path)` of every multipart operation of `spec`.
#[allow(dead_code)] // used by the tests
pub fn multipart_operations(spec: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            if METHODS.contains(&method.as_str()) && is_multipart(op) {
                let id = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                out.push((id, method.clone(), path.clone()));
            }
        }
    }
    out
}
