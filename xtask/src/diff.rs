//! `cargo xtask diff OLD NEW [--json]`: what changed for SDK users between two spec files, as
//! Markdown (default) or JSON, on standard output.

use std::path::Path;

pub fn run(args: &[String]) -> Result<(), String> {
    let mut json = false;
    let mut files = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--json" => json = true,
            flag if flag.starts_with("--") => {
                return Err(format!("unknown argument `{flag}`\n{}", super::USAGE));
            }
            file => files.push(file),
        }
    }
    let [old, new] = files.as_slice() else {
        return Err(format!("diff takes two spec files\n{}", super::USAGE));
    };
    print!("{}", report(Path::new(old), Path::new(new), json)?);
    Ok(())
}

/// The report of `old` → `new`, labelled with their file names.
pub fn report(old: &Path, new: &Path, json: bool) -> Result<String, String> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| format!("error: cannot read {}: {e}", p.display()))
    };
    let diff = openai_codegen::diff::diff(&read(old)?, &read(new)?)
        .map_err(|e| format!("error: {} → {}: {e}", old.display(), new.display()))?;
    let label = |p: &Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    Ok(if json {
        openai_codegen::diff::report::json(&diff, &label(old), &label(new)) + "\n"
    } else {
        openai_codegen::diff::report::markdown(&diff, &label(old), &label(new))
    })
}
