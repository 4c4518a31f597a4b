//! `cargo xtask generate [--check]`: one code path serves writing and checking, as in
//! rust-analyzer's codegen, so what CI checks is exactly what the command writes.
//!
//! Without `--spec` it regenerates the SDK from `spec/openapi.yaml` and the snapshot of every
//! fixture spec (see [`crate::snapshots`]). Everything is generated before anything is written,
//! so a bad spec leaves every file as it was.

use crate::snapshots;
use openai_codegen::GeneratedFile;
use openai_codegen::write::{OWNED_DIRS, check, write};
use std::path::{Path, PathBuf};

/// Generated files and the directories they own.
pub struct Output {
    pub owned: Vec<String>,
    pub files: Vec<GeneratedFile>,
}

pub fn generate_from(spec: &Path) -> Result<Vec<GeneratedFile>, String> {
    let text = std::fs::read_to_string(spec)
        .map_err(|e| format!("error: cannot read {}: {e}", spec.display()))?;
    openai_codegen::generate(&text).map_err(|e| format!("error: {}: {e}", spec.display()))
}

pub fn run(args: &[String]) -> Result<(), String> {
    let mut root = super::root();
    let mut spec = None;
    let mut check_only = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check_only = true,
            "--spec" => spec = Some(PathBuf::from(args.next().ok_or("--spec needs a path")?)),
            "--root" => root = PathBuf::from(args.next().ok_or("--root needs a path")?),
            other => return Err(format!("unknown argument `{other}`\n{}", super::USAGE)),
        }
    }
    let started = std::time::Instant::now();
    let mut outputs = vec![Output {
        owned: OWNED_DIRS.iter().map(|d| d.to_string()).collect(),
        files: generate_from(
            &spec
                .clone()
                .unwrap_or_else(|| root.join("spec/openapi.yaml")),
        )?,
    }];
    if spec.is_none() && root.join(snapshots::FIXTURES_DIR).is_dir() {
        outputs.push(snapshots::generate(&root)?);
    }
    let manifest = if spec.is_none() {
        Some(crate::features::manifest(&root, &outputs[0].files)?)
    } else {
        None
    };
    let count: usize = outputs.iter().map(|o| o.files.len()).sum();
    if check_only {
        let mut drift = Vec::new();
        for out in &outputs {
            let owned: Vec<&str> = out.owned.iter().map(String::as_str).collect();
            drift.extend(check(&root, &owned, &out.files).map_err(|e| format!("error: {e}"))?);
        }
        if let Some(m) = &manifest
            && std::fs::read_to_string(root.join(&m.path)).ok().as_deref()
                != Some(m.contents.as_str())
        {
            drift.push(openai_codegen::write::Drift::Stale(m.path.clone()));
        }
        if drift.is_empty() {
            println!("generated code is up to date ({count} files)");
            return Ok(());
        }
        let list: Vec<String> = drift.iter().map(|d| format!("  {d}")).collect();
        return Err(format!(
            "generated code differs from what the spec gives:\n{}\nrun `cargo xtask generate` and commit the result",
            list.join("\n")
        ));
    }
    for out in &outputs {
        let owned: Vec<&str> = out.owned.iter().map(String::as_str).collect();
        write(&root, &owned, &out.files).map_err(|e| format!("error: {e}"))?;
    }
    if let Some(m) = &manifest {
        let path = root.join(&m.path);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(m.contents.as_str()) {
            std::fs::write(&path, &m.contents).map_err(|e| format!("error: {}: {e}", m.path))?;
        }
    }
    println!("generated {count} files in {:.2?}", started.elapsed());
    Ok(())
}
