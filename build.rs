//! Generates the API clients (see codegen/ for every step and its reason).
//!
//! For each enabled feature (`admin`, `zeebe`, `operate`): read the API's
//! spec, normalize it, run progenitor, write `$OUT_DIR/<api>.rs`. A
//! disabled API is neither read nor generated.
//!
//! Specs come from `openapi/` (the committed contracts) or from the folder
//! named by `CAMUNDA8_OPENAPI_DIR` (relative to the crate root), which may
//! hold Camunda's published files unmodified; see `codegen/source.rs`.
//! Errors are returned up to `main`, which reports them with context.

#[path = "codegen/enums.rs"]
mod enums;
#[path = "codegen/errata.rs"]
mod errata;
#[path = "codegen/error_type.rs"]
mod error_type;
#[path = "codegen/facts.rs"]
mod facts;
#[path = "codegen/generate.rs"]
mod generate;
#[path = "codegen/keys.rs"]
mod keys;
#[path = "codegen/media.rs"]
mod media;
#[path = "codegen/multipart.rs"]
mod multipart;
#[allow(dead_code)] // `method_names` serves the tests
#[path = "codegen/naming.rs"]
mod naming;
#[path = "codegen/normalize.rs"]
mod normalize;
#[path = "codegen/nullable.rs"]
mod nullable;
#[path = "codegen/schemas.rs"]
mod schemas;
#[path = "codegen/secrets.rs"]
mod secrets;
#[path = "codegen/source.rs"]
mod source;
#[path = "codegen/unions.rs"]
mod unions;
#[path = "codegen/versions.rs"]
mod versions;
#[path = "codegen/walk.rs"]
mod walk;
#[path = "codegen/words.rs"]
mod words;

use std::path::PathBuf;
use std::time::Instant;

const APIS: [&str; 4] = ["admin", "zeebe", "operate", "orchestration"];

fn main() {
    if let Err(message) = run() {
        println!("cargo:warning=camunda8 code generation failed: {message}");
        panic!("camunda8 code generation failed: {message}");
    }
}

fn run() -> Result<(), String> {
    let started = Instant::now();
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=codegen");
    println!("cargo:rerun-if-env-changed=CAMUNDA8_OPENAPI_DIR");
    let manifest = PathBuf::from(env("CARGO_MANIFEST_DIR")?);
    let out_dir = PathBuf::from(env("OUT_DIR")?);
    let custom = std::env::var_os("CAMUNDA8_OPENAPI_DIR").filter(|v| !v.is_empty());
    let dir = match &custom {
        Some(d) => manifest.join(d),
        None => manifest.join("openapi"),
    };
    // Tells tests/generated.rs whether OUT_DIR holds the committed contracts' output.
    let from = custom
        .as_ref()
        .map(|_| dir.display().to_string())
        .unwrap_or_default();
    println!("cargo:rustc-env=CAMUNDA8_GENERATED_FROM={from}");
    // A file added to or removed from the folder can change which spec is used.
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut timings = Vec::new();
    for api in APIS {
        if std::env::var_os(format!("CARGO_FEATURE_{}", api.to_uppercase())).is_none() {
            continue;
        }
        let t = Instant::now();
        let path = source::find(&dir, api)?;
        println!("cargo:rerun-if-changed={}", path.display());
        let mut spec = source::parse(&path)?;
        let mut reports = normalize::normalize(api, &mut spec);
        let enum_defs = enums::collect(&spec);
        let key_defs = keys::collect(&spec);
        let shown = path
            .strip_prefix(&manifest)
            .unwrap_or(&path)
            .display()
            .to_string();
        let (code, post) = generate::generate(api, spec, &enum_defs, &key_defs)?;
        reports.extend(post);
        let text = format!("{}{code}", generate::header(api, &shown, &reports));
        let target = out_dir.join(format!("{api}.rs"));
        std::fs::write(&target, text)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        timings.push(format!("{api}: {} ms", t.elapsed().as_millis()));
    }
    timings.push(format!("total: {} ms", started.elapsed().as_millis()));
    let _ = std::fs::write(
        out_dir.join("codegen-timings.txt"),
        timings.join("\n") + "\n",
    );
    Ok(())
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("cargo did not set {name}"))
}
