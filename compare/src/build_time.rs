//! Clean debug build time of a one-line downstream binary: a baseline
//! using reqwest, serde and tokio directly (what any REST client is built
//! on), one using camunda8 with its default features, one using
//! Camunda's official crate. Each build runs in a fresh target folder
//! (registry sources already downloaded, so the figure is compile time),
//! in rotated order over the rounds, and is reported as a ratio to the
//! baseline of the same round.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The downstream programs built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Program {
    Baseline,
    Camunda8,
    Official,
}

impl Program {
    pub const ALL: [Program; 3] = [Program::Baseline, Program::Camunda8, Program::Official];

    pub fn name(self) -> &'static str {
        match self {
            Program::Baseline => "reqwest + serde + tokio",
            Program::Camunda8 => "camunda8 (default features)",
            Program::Official => "camunda-orchestration-sdk 10.0.0",
        }
    }

    fn folder(self) -> &'static str {
        match self {
            Program::Baseline => "baseline",
            Program::Camunda8 => "camunda8",
            Program::Official => "official",
        }
    }

    fn dependencies(self, repository: &Path) -> String {
        let common =
            "tokio = { version = \"1.40\", features = [\"rt-multi-thread\", \"macros\"] }\n";
        match self {
            Program::Baseline => format!(
                "{common}reqwest = {{ version = \"0.13\", default-features = false, features = [\"json\", \"rustls\", \"http2\"] }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n"
            ),
            Program::Camunda8 => format!(
                "{common}camunda8 = {{ path = \"{}\" }}\n",
                repository.display()
            ),
            Program::Official => format!(
                "{common}camunda-orchestration-sdk = {{ version = \"=10.0.0\", default-features = false, features = [\"rustls\"] }}\n"
            ),
        }
    }

    fn main_rs(self) -> &'static str {
        match self {
            Program::Baseline => {
                "#[tokio::main]\nasync fn main() {\n    let _ = reqwest::Client::new().get(\"http://127.0.0.1:1/v2/topology\").send().await.map(|r| serde_json::to_string(&r.status().as_u16()));\n}\n"
            }
            Program::Camunda8 => {
                "#[tokio::main]\nasync fn main() {\n    let _ = camunda8::Camunda::from_env().map(|c| c.orchestration().map(|o| o.get_topology()).is_ok());\n}\n"
            }
            Program::Official => {
                "#[tokio::main]\nasync fn main() {\n    let _ = camunda_orchestration_sdk::CamundaClient::from_env().map(|c| c.config().rest_address.len());\n}\n"
            }
        }
    }
}

/// Writes the program's package under `root/<folder>` (with the
/// comparison's lockfile, so every program resolves the versions measured
/// here) and fetches its sources, so that a timed build only compiles.
/// Returns the package's folder.
pub fn prepare(root: &Path, repository: &Path, program: Program) -> Result<PathBuf, String> {
    let dir = root.join(program.folder());
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"one-line-{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n[dependencies]\n{}",
        program.folder(),
        program.dependencies(repository)
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/main.rs"), program.main_rs()).map_err(|e| e.to_string())?;
    let lock = repository.join("compare/Cargo.lock");
    if lock.exists() {
        std::fs::copy(&lock, dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    }
    let status = Command::new(cargo())
        .arg("fetch")
        .arg("--quiet")
        .current_dir(&dir)
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo fetch in {} failed", dir.display()));
    }
    Ok(dir)
}

/// One clean debug build of the package in `dir`: seconds.
pub fn build_once(dir: &Path) -> Result<f64, String> {
    let target = dir.join("target");
    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(|e| e.to_string())?;
    }
    let started = Instant::now();
    let status = Command::new(cargo())
        .arg("build")
        .arg("--quiet")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("the build in {} failed", dir.display()));
    }
    Ok(seconds)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}
