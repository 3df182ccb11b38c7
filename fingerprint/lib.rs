//! Fingerprints that tie a committed `generated/<api>.rs` to its inputs.
//!
//! Shared by the generator (codegen/), which writes them into the header of every file
//! it generates, and by the crate's build script, which reads them back to
//! decide whether the committed file can be compiled as it is: one crate,
//! so that both compute the same value. Only `std`
//! is used, so the build script's one dependency compiles in a moment.
//!
//! The hash is 128-bit FNV-1a: stable across Rust releases and platforms
//! (unlike `std`'s `DefaultHasher`), and enough to notice a changed file;
//! it is not meant to resist a deliberate collision. Carriage returns are
//! skipped, so a checkout with CRLF line endings fingerprints the same.

use std::path::Path;

/// The header line that carries the contract's fingerprint.
pub const CONTRACT_LINE: &str = "// contract fingerprint: ";
/// The header line that carries the generator's fingerprint.
pub const GENERATOR_LINE: &str = "// generator fingerprint: ";

/// FNV-1a over `chunks`, each followed by a separator byte, `\r` skipped.
fn fnv1a(chunks: &[&[u8]]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut hash = OFFSET;
    for chunk in chunks {
        for &byte in chunk.iter().chain(std::iter::once(&0xffu8)) {
            if byte == b'\r' {
                continue;
            }
            hash ^= u128::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

/// The fingerprint of a contract file's bytes.
pub fn contract(bytes: &[u8]) -> String {
    format!("{:032x}", fnv1a(&[bytes]))
}

/// The fingerprint of the generator: every `*.rs` file in `codegen_dir`
/// and its subfolders (the step folders `contract/` and `post/`), and its
/// `Cargo.toml`, by relative path (`/`-separated) in sorted order. The
/// generator's own tests (`tests/`) and build output (`target/`) do not
/// change what it generates, so they are left out.
pub fn generator(codegen_dir: &Path) -> Result<String, String> {
    let mut names: Vec<String> = Vec::new();
    sources(codegen_dir, "", &mut names)?;
    names.sort();
    let mut contents: Vec<Vec<u8>> = Vec::new();
    for name in &names {
        let path = codegen_dir.join(name);
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        contents.push(name.as_bytes().to_vec());
        contents.push(bytes);
    }
    let chunks: Vec<&[u8]> = contents.iter().map(Vec::as_slice).collect();
    Ok(format!("{:032x}", fnv1a(&chunks)))
}

/// Adds to `names` the generator's sources in `dir` (`prefix`: its path
/// relative to the generator's folder, ending in `/` unless empty).
fn sources(dir: &Path, prefix: &str, names: &mut Vec<String>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            let skipped = name.starts_with('.')
                || (prefix.is_empty() && matches!(name.as_str(), "tests" | "target"));
            if !skipped {
                sources(&path, &format!("{prefix}{name}/"), names)?;
            }
        } else if name.ends_with(".rs") || (prefix.is_empty() && name == "Cargo.toml") {
            names.push(format!("{prefix}{name}"));
        }
    }
    Ok(())
}

/// The value of the header line starting with `line` in a generated file's
/// text, if the header has one.
pub fn read(text: &str, line: &str) -> Option<String> {
    text.lines()
        .take_while(|l| l.starts_with("//"))
        .find_map(|l| l.strip_prefix(line))
        .map(|v| v.trim().to_string())
}
