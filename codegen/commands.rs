//! The generator's commands, shared by its binary (`main.rs`) and its
//! tests: `import` (Camunda's published specs → `openapi/*.json`),
//! `generate` (`openapi/*.json` → `generated/*.rs`) and `check` (fails when
//! either would change a committed file).
//!
//! Each command works out the files it would write ([`Output`]) first;
//! writing them and comparing them with the committed ones are then the
//! same few lines, so `check` sees exactly what `import` and `generate` do.

use std::path::{Path, PathBuf};

use crate::{APIS, crate_root, generate_api, import, source};

/// The variable naming the folder of Camunda's published specs.
pub const REFERENCE_VAR: &str = "CAMUNDA8_REFERENCE_OPENAPI";

/// One file a command makes: where it goes and its full text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Where the file is written.
    pub path: PathBuf,
    /// Its full text.
    pub text: String,
}

impl Output {
    /// Whether the file on disk already holds exactly this text.
    pub fn is_current(&self) -> bool {
        std::fs::read_to_string(&self.path).is_ok_and(|text| text == self.text)
    }

    /// Writes the file unless it is current; whether it was written.
    pub fn write(&self) -> Result<bool, String> {
        if self.is_current() {
            return Ok(false);
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&self.path, &self.text)
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))?;
        Ok(true)
    }
}

/// Where Camunda's published specs are read from when no folder is named:
/// `$CAMUNDA8_REFERENCE_OPENAPI`, else `../shared/reference/openapi` beside
/// the crate's root (as the CI script has it).
pub fn default_reference_dir() -> PathBuf {
    match std::env::var_os(REFERENCE_VAR).filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => crate_root().join("../shared/reference/openapi"),
    }
}

/// The contract of `api` the importer makes of its published spec in
/// `reference` (found by name, as `source.rs` finds any spec).
pub fn import_api(api: &str, reference: &Path) -> Result<String, String> {
    let path = source::find(reference, api)?;
    let spec = source::parse(&path)?;
    Ok(import::to_contract_text(&import::import(&spec)))
}

/// `import`: every API's contract, `<root>/openapi/<api>.json`, from the
/// published specs in `reference`.
pub fn imported(root: &Path, reference: &Path) -> Result<Vec<Output>, String> {
    APIS.iter()
        .map(|api| {
            Ok(Output {
                path: root.join("openapi").join(format!("{api}.json")),
                text: import_api(api, reference)?,
            })
        })
        .collect()
}

/// `generate`: the module of each of `apis`, `<out_dir>/<api>.rs`, from its
/// spec in `spec_dir`.
pub fn generated(spec_dir: &Path, out_dir: &Path, apis: &[&str]) -> Result<Vec<Output>, String> {
    apis.iter()
        .map(|api| {
            if !APIS.contains(api) {
                return Err(format!("unknown API `{api}`; expected one of {APIS:?}"));
            }
            Ok(Output {
                path: out_dir.join(format!("{api}.rs")),
                text: generate_api(api, spec_dir)?,
            })
        })
        .collect()
}

/// `check`: the committed files under `root` that `import` (when
/// `reference` is given) or `generate` would change. Contracts are
/// compared first; the generated files are made from the committed
/// contracts, as the build does.
pub fn stale(root: &Path, reference: Option<&Path>) -> Result<Vec<PathBuf>, String> {
    let mut outputs = match reference {
        Some(dir) => imported(root, dir)?,
        None => Vec::new(),
    };
    outputs.extend(generated(
        &root.join("openapi"),
        &root.join("generated"),
        &APIS,
    )?);
    Ok(outputs
        .into_iter()
        .filter(|o| !o.is_current())
        .map(|o| o.path)
        .collect())
}
