//! `camunda8-codegen <spec-dir> <out-dir> <api>...`: generates `<api>.rs`
//! in `<out-dir>` for each API named, from its spec in `<spec-dir>`.
//!
//! The crate's build script calls it when a committed file is stale or
//! `CAMUNDA8_OPENAPI_DIR` is set; `cargo run -p camunda8-codegen -- openapi
//! generated admin zeebe operate orchestration` (from the crate root)
//! rewrites the committed copies, as `CAMUNDA8_BLESS=1 cargo test -p
//! camunda8-codegen` does.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [spec_dir, out_dir, apis @ ..] = args.as_slice() else {
        eprintln!("usage: camunda8-codegen <spec-dir> <out-dir> <api>...");
        return ExitCode::from(2);
    };
    for api in apis {
        if !camunda8_codegen::APIS.contains(&api.as_str()) {
            eprintln!(
                "unknown API `{api}`; expected one of {:?}",
                camunda8_codegen::APIS
            );
            return ExitCode::from(2);
        }
        let text = match camunda8_codegen::generate_api(api, &PathBuf::from(spec_dir)) {
            Ok(text) => text,
            Err(message) => {
                eprintln!("camunda8 code generation failed: {message}");
                return ExitCode::FAILURE;
            }
        };
        let target = PathBuf::from(out_dir).join(format!("{api}.rs"));
        if let Err(e) = std::fs::write(&target, text) {
            eprintln!("cannot write {}: {e}", target.display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
