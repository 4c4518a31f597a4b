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
    render(&read(old)?, &read(new)?, &label(old), &label(new), json)
}

/// A file's name, to label it in a report.
pub fn label(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The report between two spec texts, as Markdown or JSON.
pub fn render(
    old: &str,
    new: &str,
    old_label: &str,
    new_label: &str,
    json: bool,
) -> Result<String, String> {
    let diff = openai_codegen::diff::diff(old, new)
        .map_err(|e| format!("error: {old_label} → {new_label}: {e}"))?;
    Ok(if json {
        openai_codegen::diff::report::json(&diff, old_label, new_label) + "\n"
    } else {
        openai_codegen::diff::report::markdown(&diff, old_label, new_label)
    })
}
