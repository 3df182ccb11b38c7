//! Clean debug build time of a one-line downstream binary: a baseline
//! using reqwest, serde and tokio directly (what any REST client is built
//! on), one using camunda8 with its default features, one using camunda8
//! with the features a user of the Orchestration Cluster API needs
//! (`orchestration`, `rustls`, `http2`: the other three APIs off), one
//! using Camunda's official crate. Each build runs in a fresh target folder
//! (registry sources already downloaded, so the figure is compile time),
//! in rotated order over the rounds, and is reported as a ratio to the
//! baseline of the same round: in wall seconds, and in CPU seconds (user
//! plus system time of cargo and every compiler it ran), which depend far
//! less on what else the machine is doing: on a shared machine the wall
//! time of a build doubles under others' load, its CPU time moves by a few
//! per cent.
//!
//! Every build is non-incremental (`CARGO_INCREMENTAL=0`), the way cargo
//! compiles a crate that comes from a registry. camunda8 is a path
//! dependency here, which cargo would otherwise compile incrementally
//! (writing its query cache, about half a GiB for the generated clients),
//! a cost a user who takes it from crates.io does not pay and the
//! official crate, taken from crates.io, does not pay here.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The downstream programs built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Program {
    Baseline,
    Camunda8,
    Camunda8Orchestration,
    Official,
}

impl Program {
    pub const ALL: [Program; 4] = [
        Program::Baseline,
        Program::Camunda8,
        Program::Camunda8Orchestration,
        Program::Official,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Program::Baseline => "reqwest + serde + tokio",
            Program::Camunda8 => "camunda8 (default features)",
            Program::Camunda8Orchestration => "camunda8 (orchestration, rustls, http2)",
            Program::Official => "camunda-orchestration-sdk 10.0.0",
        }
    }

    fn folder(self) -> &'static str {
        match self {
            Program::Baseline => "baseline",
            Program::Camunda8 => "camunda8",
            Program::Camunda8Orchestration => "camunda8-orchestration",
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
            Program::Camunda8Orchestration => format!(
                "{common}camunda8 = {{ path = \"{}\", default-features = false, features = [\"orchestration\", \"rustls\", \"http2\"] }}\n",
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
            Program::Camunda8 | Program::Camunda8Orchestration => {
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

/// The time one clean build took.
#[derive(Clone, Copy, Debug)]
pub struct BuildTime {
    /// Wall seconds.
    pub wall: f64,
    /// CPU seconds (user and system) of cargo and the compilers it ran;
    /// `None` off Linux, where `/proc` does not tell.
    pub cpu: Option<f64>,
}

/// One clean debug build of the package in `dir`.
pub fn build_once(dir: &Path) -> Result<BuildTime, String> {
    let target = dir.join("target");
    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(|e| e.to_string())?;
    }
    let cpu_before = children_cpu_seconds();
    let started = Instant::now();
    let status = Command::new(cargo())
        .arg("build")
        .arg("--quiet")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    let wall = started.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("the build in {} failed", dir.display()));
    }
    let cpu = match (cpu_before, children_cpu_seconds()) {
        (Some(before), Some(after)) => Some(after - before),
        _ => None,
    };
    Ok(BuildTime { wall, cpu })
}

/// User plus system CPU seconds of this process's waited-for children and
/// their own waited-for children (cargo waits for every rustc it runs):
/// fields `cutime` and `cstime` of Linux's `/proc/self/stat`, in clock
/// ticks (`getconf CLK_TCK`, 100 where it does not answer).
fn children_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name, in parentheses, may hold spaces: count after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the name, field 3 (state) is at index 0: cutime (16) at 13, cstime (17) at 14.
    let cutime: f64 = fields.get(13)?.parse().ok()?;
    let cstime: f64 = fields.get(14)?.parse().ok()?;
    Some((cutime + cstime) / clock_ticks())
}

fn clock_ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|t| t.trim().parse::<f64>().ok())
            .filter(|&t| t > 0.0)
            .unwrap_or(100.0)
    })
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}
