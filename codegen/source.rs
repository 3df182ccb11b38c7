//! Finding and reading the spec files the build generates from.
//!
//! By default the committed contracts in `openapi/` are used. The variable
//! `CAMUNDA8_OPENAPI_DIR` may name another folder — even one holding
//! Camunda's published files unmodified. In either folder each API's file is
//! found by its name prefix (`admin*`, `zeebe*`, `operate*`) and extension
//! (`.json`, `.yaml`, `.yml`).

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The one spec file for `api` in `dir`, or a readable error.
pub fn find(dir: &Path, api: &str) -> Result<PathBuf, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot list spec folder {}: {e}", dir.display()))?;
    let mut found: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot list spec folder {}: {e}", dir.display()))?
            .path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        let spec_ext = [".json", ".yaml", ".yml"]
            .iter()
            .any(|e| lower.ends_with(e));
        if path.is_file() && spec_ext && lower.starts_with(api) {
            found.push(path);
        }
    }
    found.sort();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(format!(
            "no spec for the `{api}` API in {}: expected one file named {api}*.json, {api}*.yaml or {api}*.yml",
            dir.display()
        )),
        _ => Err(format!(
            "several specs for the `{api}` API in {}: {}; keep exactly one file named {api}*",
            dir.display(),
            found
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Parses a JSON or YAML (by extension) spec into a `serde_json::Value`.
pub fn parse(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let is_json = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        serde_json::from_str(&text)
            .map_err(|e| format!("{} is not valid JSON: {e}", path.display()))
    } else {
        serde_norway::from_str(&text)
            .map_err(|e| format!("{} is not valid YAML: {e}", path.display()))
    }
}
