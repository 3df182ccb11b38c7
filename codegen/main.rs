//! `camunda8-codegen`: the one command for the committed contracts and
//! clients (`cargo codegen …` from the repository, an alias for `cargo run
//! -p camunda8-codegen --`):
//!
//! - `import [<reference-dir>]`: rewrites `openapi/<api>.json` from
//!   Camunda's published specs (default: `$CAMUNDA8_REFERENCE_OPENAPI`, else
//!   `../shared/reference/openapi`);
//! - `generate`: rewrites `generated/<api>.rs` from `openapi/`;
//!   `generate <spec-dir> <out-dir> [<api>...]` writes `<out-dir>/<api>.rs`
//!   from the specs in `<spec-dir>` (what the crate's build script runs when
//!   a committed file is stale or `CAMUNDA8_OPENAPI_DIR` is set);
//! - `check [<reference-dir>]`: changes nothing, fails when `import` or
//!   `generate` would change a committed file (contracts are checked only
//!   when the published specs are there).
//!
//! The drift tests (`CAMUNDA8_BLESS=1 cargo test -p camunda8-codegen`) use
//! the same functions (`commands.rs`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use camunda8_codegen::commands::{self, Output};
use camunda8_codegen::{APIS, crate_root};

const USAGE: &str = "usage: camunda8-codegen import [<reference-dir>]
       camunda8-codegen generate [<spec-dir> <out-dir> [<api>...]]
       camunda8-codegen check [<reference-dir>]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["import"] => import(&commands::default_reference_dir()),
        ["import", reference] => import(Path::new(reference)),
        ["generate"] => {
            let root = crate_root();
            generate(&root.join("openapi"), &root.join("generated"), &APIS)
        }
        ["generate", spec_dir, out_dir] => generate(Path::new(spec_dir), Path::new(out_dir), &APIS),
        ["generate", spec_dir, out_dir, apis @ ..] => {
            generate(Path::new(spec_dir), Path::new(out_dir), apis)
        }
        ["check"] => check(None),
        ["check", reference] => check(Some(PathBuf::from(reference))),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("camunda8-codegen: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Writes `outputs`, saying which changed.
fn write(outputs: &[Output]) -> Result<usize, String> {
    let mut changed = 0;
    for output in outputs {
        if output.write()? {
            println!("wrote {}", output.path.display());
            changed += 1;
        }
    }
    Ok(changed)
}

fn import(reference: &Path) -> Result<ExitCode, String> {
    let changed = write(&commands::imported(&crate_root(), reference)?)?;
    if changed == 0 {
        println!("the contracts in openapi/ are up to date");
    } else {
        println!(
            "review the diff of openapi/, then run `cargo codegen generate` (and bless tests/types/generated.rs)"
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn generate(spec_dir: &Path, out_dir: &Path, apis: &[&str]) -> Result<ExitCode, String> {
    write(&commands::generated(spec_dir, out_dir, apis)?)?;
    Ok(ExitCode::SUCCESS)
}

/// `reference`: the folder named on the command line; without one the
/// default folder is used when it exists (a checkout without Camunda's
/// published specs checks the generated files only).
fn check(reference: Option<PathBuf>) -> Result<ExitCode, String> {
    let reference = match reference {
        Some(dir) => Some(dir),
        None => {
            let dir = commands::default_reference_dir();
            if dir.is_dir() {
                Some(dir)
            } else {
                eprintln!(
                    "NOTICE: published specs not found at {} (set {}): contracts not checked",
                    dir.display(),
                    commands::REFERENCE_VAR
                );
                None
            }
        }
    };
    let stale = commands::stale(&crate_root(), reference.as_deref())?;
    if stale.is_empty() {
        println!("openapi/ and generated/ are what the generator makes");
        return Ok(ExitCode::SUCCESS);
    }
    for path in &stale {
        eprintln!("would change: {}", path.display());
    }
    eprintln!("run `cargo codegen import` and/or `cargo codegen generate`, and review the diff");
    Ok(ExitCode::FAILURE)
}
