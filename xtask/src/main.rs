//! Project automation: `cargo xtask generate [--check]` and `cargo xtask test`.

mod diff;
mod features;
mod generate;
mod history;
mod snapshots;
mod test;
mod update_spec;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask generate [--check] [--deny-warnings] [--spec PATH] [--root DIR]
                                 regenerate sdk/src/generated from the spec (--root: another
                                 checkout; --spec: another spec, default ROOT/spec/openapi.yaml;
                                 --deny-warnings: fail, writing nothing, if a fallback was taken)
  cargo xtask diff OLD NEW [--json]
                                 what changed for SDK users between two spec files (Markdown,
                                 or JSON with --json)
  cargo xtask update-spec PATH [--root DIR]
                                 take a new spec: copy it to spec/openapi.yaml, regenerate, print
                                 the diff; a spec that fails leaves spec/ and sdk/ as they were
  cargo xtask spec-history [--dir DIR]
                                 regenerate every spec of spec/history (or DIR) in a scratch
                                 workspace and check that the SDK compiles with all features
  cargo xtask test               the whole test suite, as CI runs it";

/// The workspace root, read at run time: `cargo run` (which `cargo xtask` is) sets
/// `CARGO_MANIFEST_DIR` to the `xtask` directory of the checkout it runs in. A root compiled in
/// would be wrong when two checkouts share one target directory and cargo reuses the binary
/// built in the other. Run directly, the binary looks up from the current directory.
fn root() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        let dir = PathBuf::from(dir);
        if let Some(parent) = dir.parent().filter(|_| dir.ends_with("xtask")) {
            return Ok(parent.to_path_buf());
        }
    }
    let cwd = std::env::current_dir().map_err(|e| format!("error: current directory: {e}"))?;
    cwd.ancestors()
        .find(|d| d.join("xtask/Cargo.toml").is_file() && d.join("Cargo.toml").is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            format!(
                "error: no workspace with an `xtask` crate at or above {}",
                cwd.display()
            )
        })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate::run(&args[1..]),
        Some("test") => test::run_all(&args[1..]),
        Some("spec-history") => history::run(&args[1..]),
        Some("diff") => diff::run(&args[1..]),
        Some("update-spec") => update_spec::run(&args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
