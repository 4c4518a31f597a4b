//! `cargo xtask generate [--check]`: one code path serves writing and checking, as in
//! rust-analyzer's codegen, so what CI checks is exactly what the command writes.
//!
//! Without `--spec` it regenerates the SDK from `spec/openapi.yaml` and the snapshot of every
//! fixture spec (see [`crate::snapshots`]). Everything is generated before anything is written,
//! so a bad spec (or `--deny-warnings` with a warning) leaves every file as it was.

use crate::snapshots;
use openai_codegen::write::{Drift, OWNED_DIRS, check, write};
use openai_codegen::{GeneratedFile, Warning};
use std::path::{Path, PathBuf};

/// Generated files, the directories they own, and the fallbacks taken to make them.
pub struct Output {
    pub owned: Vec<String>,
    pub files: Vec<GeneratedFile>,
    pub warnings: Vec<Warning>,
}

/// What `cargo xtask generate` is asked to do.
pub struct Options {
    /// The workspace to write into.
    pub root: PathBuf,
    /// Another spec than `ROOT/spec/openapi.yaml` (fixture snapshots are then left alone).
    pub spec: Option<PathBuf>,
    pub check: bool,
    pub deny_warnings: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options {
            root: super::root()?,
            spec: None,
            check: false,
            deny_warnings: false,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--check" => options.check = true,
                "--deny-warnings" => options.deny_warnings = true,
                "--spec" => {
                    options.spec = Some(PathBuf::from(args.next().ok_or("--spec needs a path")?))
                }
                "--root" => options.root = PathBuf::from(args.next().ok_or("--root needs a path")?),
                other => return Err(format!("unknown argument `{other}`\n{}", super::USAGE)),
            }
        }
        Ok(options)
    }
}

pub fn generate_from(spec: &Path) -> Result<openai_codegen::Generated, String> {
    let text = std::fs::read_to_string(spec)
        .map_err(|e| format!("error: cannot read {}: {e}", spec.display()))?;
    openai_codegen::generate(&text).map_err(|e| format!("error: {}: {e}", spec.display()))
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let summary = generate(&options)?;
    println!("{summary}");
    Ok(())
}

/// Generates (and writes, or checks); the summary line on success.
pub fn generate(options: &Options) -> Result<String, String> {
    let root = &options.root;
    let started = std::time::Instant::now();
    let spec = options
        .spec
        .clone()
        .unwrap_or_else(|| root.join("spec/openapi.yaml"));
    let sdk = generate_from(&spec)?;
    // Manifests are edited in place (their features follow the spec), not owned like a directory.
    let mut manifests = vec![crate::features::manifest(root, &sdk.files)?];
    let mut outputs = vec![Output {
        owned: OWNED_DIRS.iter().map(|d| d.to_string()).collect(),
        files: sdk.files,
        warnings: sdk.warnings,
    }];
    if options.spec.is_none() && root.join(snapshots::FIXTURES_DIR).is_dir() {
        let (fixtures, manifest) = snapshots::generate(root)?;
        outputs.push(fixtures);
        manifests.push(manifest);
    }
    let warnings: Vec<&Warning> = outputs.iter().flat_map(|o| &o.warnings).collect();
    for w in &warnings {
        eprintln!("{w}");
    }
    let summary = openai_codegen::warning::summary(warnings.iter().copied());
    if options.deny_warnings && !warnings.is_empty() {
        return Err(format!(
            "error: {summary}, and --deny-warnings is set; nothing was written"
        ));
    }
    let count: usize = outputs.iter().map(|o| o.files.len()).sum();
    if options.check {
        let mut drift = Vec::new();
        for out in &outputs {
            let owned: Vec<&str> = out.owned.iter().map(String::as_str).collect();
            drift.extend(check(root, &owned, &out.files).map_err(|e| format!("error: {e}"))?);
        }
        for manifest in &manifests {
            if std::fs::read_to_string(root.join(&manifest.path))
                .ok()
                .as_deref()
                != Some(manifest.contents.as_str())
            {
                drift.push(Drift::Stale(manifest.path.clone()));
            }
        }
        if drift.is_empty() {
            return Ok(format!(
                "generated code is up to date ({count} files); {summary}"
            ));
        }
        let list: Vec<String> = drift.iter().map(|d| format!("  {d}")).collect();
        return Err(format!(
            "generated code differs from what the spec gives:\n{}\nrun `cargo xtask generate` and commit the result",
            list.join("\n")
        ));
    }
    for out in &outputs {
        let owned: Vec<&str> = out.owned.iter().map(String::as_str).collect();
        write(root, &owned, &out.files).map_err(|e| format!("error: {e}"))?;
    }
    for manifest in &manifests {
        let path = root.join(&manifest.path);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(manifest.contents.as_str()) {
            std::fs::write(&path, &manifest.contents)
                .map_err(|e| format!("error: {}: {e}", manifest.path))?;
        }
    }
    Ok(format!(
        "generated {count} files in {:.2?}; {summary}",
        started.elapsed()
    ))
}
