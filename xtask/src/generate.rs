//! `cargo xtask generate [--check]`: one code path serves writing and checking, as in
//! rust-analyzer's codegen, so what CI checks is exactly what the command writes.

use openai_codegen::write::{check, write};
use std::path::PathBuf;

pub fn run(args: &[String]) -> Result<(), String> {
    let root = super::root();
    let mut spec = root.join("spec/openapi.yaml");
    let mut check_only = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check_only = true,
            "--spec" => spec = PathBuf::from(args.next().ok_or("--spec needs a path")?),
            other => return Err(format!("unknown argument `{other}`\n{}", super::USAGE)),
        }
    }
    let text = std::fs::read_to_string(&spec)
        .map_err(|e| format!("error: cannot read {}: {e}", spec.display()))?;
    let started = std::time::Instant::now();
    let files =
        openai_codegen::generate(&text).map_err(|e| format!("error: {}: {e}", spec.display()))?;
    if check_only {
        let drift = check(&root, &files).map_err(|e| format!("error: {e}"))?;
        if drift.is_empty() {
            println!("generated code is up to date ({} files)", files.len());
            return Ok(());
        }
        let list: Vec<String> = drift.iter().map(|d| format!("  {d}")).collect();
        return Err(format!(
            "generated code differs from what the spec gives:\n{}\nrun `cargo xtask generate` and commit the result",
            list.join("\n")
        ));
    }
    write(&root, &files).map_err(|e| format!("error: {e}"))?;
    println!(
        "generated {} files in {:.2?}",
        files.len(),
        started.elapsed()
    );
    Ok(())
}
