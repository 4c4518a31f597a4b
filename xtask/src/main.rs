//! Project automation: `cargo xtask generate [--check]` and `cargo xtask test`.

mod features;
mod generate;
mod snapshots;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask generate [--check] [--spec PATH] [--root DIR]
                                 regenerate sdk/src/generated from the spec (--root: another
                                 checkout; --spec: another spec, default ROOT/spec/openapi.yaml)
  cargo xtask test                               the whole test suite, as CI runs it";

/// The workspace root (xtask lives one level below it).
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate::run(&args[1..]),
        Some("test") => test::run_all(&args[1..]),
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
