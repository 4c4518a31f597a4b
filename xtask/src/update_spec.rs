//! `cargo xtask update-spec PATH`: takes a new version of the spec. It copies the document to
//! `spec/openapi.yaml` (byte for byte), regenerates everything, and prints what changed for SDK
//! users, leaving the tree ready to commit. A document that does not generate changes nothing;
//! a failure while writing puts the old spec and its generated code back.

use crate::generate::{self, Options};
use std::path::{Path, PathBuf};

const SPEC: &str = "spec/openapi.yaml";

pub fn run(args: &[String]) -> Result<(), String> {
    let mut root = super::root()?;
    let mut source = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--root" => root = PathBuf::from(args.next().ok_or("--root needs a path")?),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown argument `{flag}`\n{}", super::USAGE));
            }
            path if source.is_none() => source = Some(PathBuf::from(path)),
            extra => return Err(format!("unexpected argument `{extra}`\n{}", super::USAGE)),
        }
    }
    let source =
        source.ok_or_else(|| format!("update-spec takes a spec file\n{}", super::USAGE))?;
    print!("{}", update(&root, &source)?);
    Ok(())
}

/// Updates the spec of the workspace at `root` from `source`; the diff report on success.
pub fn update(root: &Path, source: &Path) -> Result<String, String> {
    let spec = root.join(SPEC);
    let old = std::fs::read(&spec).map_err(|e| format!("error: {}: {e}", spec.display()))?;
    let new = std::fs::read(source).map_err(|e| format!("error: {}: {e}", source.display()))?;
    // Generated in memory first: a document that fails touches nothing.
    let new_text = String::from_utf8(new.clone())
        .map_err(|e| format!("error: {}: not UTF-8: {e}", source.display()))?;
    openai_codegen::generate(&new_text).map_err(|e| format!("error: {}: {e}", source.display()))?;
    let options = Options {
        root: root.to_path_buf(),
        spec: None,
        check: false,
        deny_warnings: false,
    };
    std::fs::write(&spec, &new).map_err(|e| format!("error: {}: {e}", spec.display()))?;
    let summary = match generate::generate(&options) {
        Ok(summary) => summary,
        Err(e) => {
            let restored = std::fs::write(&spec, &old)
                .map_err(|e| e.to_string())
                .and_then(|()| generate::generate(&options).map(drop));
            return Err(match restored {
                Ok(()) => format!("{e}\nthe previous spec and its generated code are back"),
                Err(again) => format!("{e}\nrestoring the previous spec failed too: {again}"),
            });
        }
    };
    let old_text = String::from_utf8_lossy(&old);
    let before = format!("{SPEC} (before)");
    let report = crate::diff::render(
        &old_text,
        &new_text,
        &before,
        &crate::diff::label(source),
        false,
    )?;
    Ok(format!(
        "{summary}\nspec/openapi.yaml is now {}; review and commit `spec/`, `sdk/` and `tests/src/generated`.\n\n{report}",
        source.display(),
    ))
}
