//! `cargo xtask spec-history [--dir DIR]`: the generator's promise, tested. Every real version of
//! the spec in `spec/history` (or `DIR`) is generated into a scratch copy of the workspace (the SDK
//! crate, its runtime crate, the type crates and the workspace manifest, nothing else) and the SDK
//! is checked with all features. `cargo check`, not a build: it finds what does not compile in a
//! fraction of the time.

use crate::generate::{self, Options};
use std::path::{Path, PathBuf};

pub const HISTORY_DIR: &str = "spec/history";
/// Scratch workspaces and their shared target directory, under the workspace's `target`.
const SCRATCH_DIR: &str = "target/spec-history";

/// Every spec file in `dir`, sorted by name (oldest first: names start with the date).
pub fn versions(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("error: {}: {e}", dir.display()))?
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .collect();
    files.sort();
    Ok(files)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let root = super::root()?;
    let dir = match args {
        [] => root.join(HISTORY_DIR),
        [flag, dir] if flag == "--dir" => PathBuf::from(dir),
        _ => return Err(format!("unknown arguments {args:?}\n{}", super::USAGE)),
    };
    check_all(&root, &dir)
}

/// Generates and checks every version in `dir`; fails unless all of them pass.
pub fn check_all(root: &Path, dir: &Path) -> Result<(), String> {
    let versions = versions(dir)?;
    let mut passed = 0;
    let mut lines = Vec::new();
    for spec in &versions {
        let name = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        eprintln!("== {name}");
        let outcome = check_version(root, spec, &name);
        match &outcome {
            Ok(summary) => {
                passed += 1;
                lines.push(format!("  ok    {name}: {summary}"));
            }
            Err(e) => lines.push(format!(
                "  FAIL  {name}: {}",
                e.lines().next().unwrap_or_default()
            )),
        }
    }
    let total = versions.len();
    println!("{}", lines.join("\n"));
    println!("spec history: {passed}/{total} regenerate and compile");
    stability(&versions)?;
    if passed == total {
        Ok(())
    } else {
        Err(format!(
            "{} of {total} spec versions do not regenerate and compile",
            total - passed
        ))
    }
}

/// Between consecutive versions, the Rust names that moved although their schema did not
/// (the goal is none; `cargo xtask diff` lists them).
fn stability(versions: &[PathBuf]) -> Result<(), String> {
    for pair in versions.windows(2) {
        let read =
            |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
        let found = openai_codegen::diff::diff(&read(&pair[0])?, &read(&pair[1])?)
            .map_err(|e| format!("error: diff: {e}"))?;
        let name = |p: &Path| {
            p.file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        };
        println!(
            "names moved with their schema unchanged, {} → {}: {} types, {} methods",
            name(&pair[0]),
            name(&pair[1]),
            found.moved_types.len(),
            found.moved_methods.len()
        );
    }
    Ok(())
}

/// One version: a scratch workspace with the SDK crate, generated from `spec`, then checked.
fn check_version(root: &Path, spec: &Path, name: &str) -> Result<String, String> {
    let scratch = root.join(SCRATCH_DIR).join(name);
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    }
    for krate in CRATES {
        copy_dir(&root.join(krate), &scratch.join(krate))?;
    }
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    std::fs::write(scratch.join("Cargo.toml"), workspace_manifest(root)?)
        .map_err(|e| format!("{}: {e}", scratch.display()))?;
    let summary = generate::generate(&Options {
        root: scratch.clone(),
        spec: Some(spec.to_path_buf()),
        check: false,
        deny_warnings: false,
    })?;
    let target = root.join(SCRATCH_DIR).join("target");
    let manifest = scratch.join("Cargo.toml");
    crate::test::cargo(
        &scratch,
        &[
            "check",
            "--quiet",
            "--manifest-path",
            &manifest.to_string_lossy(),
            "-p",
            "openai-sdk",
            "--all-features",
        ],
        &[("CARGO_TARGET_DIR", &target.to_string_lossy())],
    )?;
    Ok(summary)
}

/// What a scratch workspace holds: the SDK, the runtime it builds on and the generated type crates.
const CRATES: [&str; 3] = ["runtime", "sdk", "types"];

/// The workspace's manifest with the SDK, its runtime and its type crates as its only members.
fn workspace_manifest(root: &Path) -> Result<String, String> {
    let text =
        std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| format!("Cargo.toml: {e}"))?;
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("members") {
            out.push_str("members = [\"runtime\", \"sdk\", \"types/*\"]\n");
        } else if !line.starts_with("exclude") {
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("{}: {e}", from.display()))?
            .path();
        let dest = to.join(path.file_name().expect("an entry has a name"));
        if path.is_dir() {
            copy_dir(&path, &dest)?;
        } else {
            std::fs::copy(&path, &dest).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}
