//! Snapshots: each small spec in `codegen/tests/fixtures` (one per construct the generator
//! handles) is generated into `codegen/snapshots/<fixture>/`, next to a generated crate root
//! (`codegen/snapshots/src/bin/<fixture>.rs`) that compiles it against the SDK's own runtime.
//! Reviewing a generator change means reading the diff of these files.

use crate::generate::{generate_from, Output};
use openai_codegen::emit::SDK_DIR;
use openai_codegen::render::HEADER;
use openai_codegen::GeneratedFile;
use std::path::Path;

pub const FIXTURES_DIR: &str = "codegen/tests/fixtures";
const SNAPSHOTS_DIR: &str = "codegen/snapshots";
/// Hand-written tests of a fixture's types, included in its crate when present.
const CHECKS_DIR: &str = "codegen/snapshots/checks";

pub fn generate(root: &Path) -> Result<Output, String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join(FIXTURES_DIR))
        .map_err(|e| format!("error: {FIXTURES_DIR}: {e}"))?
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".yaml")
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    let bins = format!("{SNAPSHOTS_DIR}/src/bin");
    let mut out = Output {
        owned: vec![bins.clone()],
        files: Vec::new(),
    };
    for name in names {
        let dir = format!("{SNAPSHOTS_DIR}/{name}");
        for file in generate_from(&root.join(format!("{FIXTURES_DIR}/{name}.yaml")))? {
            if let Some(rest) = file.path.strip_prefix(&format!("{SDK_DIR}/")) {
                out.files.push(GeneratedFile {
                    path: format!("{dir}/{rest}"),
                    contents: file.contents,
                });
            }
        }
        let checks = root
            .join(format!("{CHECKS_DIR}/{name}.rs"))
            .is_file()
            .then(|| format!("#[cfg(test)]\n#[path = \"../../checks/{name}.rs\"]\nmod checks;\n"));
        out.files.push(GeneratedFile {
            path: format!("{bins}/{name}.rs"),
            contents: format!(
                "{HEADER}//! Compiles the generator's output for `{FIXTURES_DIR}/{name}.yaml` with the SDK's runtime.\n\
                 #![allow(unused)]\n\n\
                 {}\
                 #[path = \"../../../../sdk/src/file.rs\"]\nmod file;\n\
                 #[rustfmt::skip]\n#[path = \"../../{name}/mod.rs\"]\nmod generated;\n\
                 #[path = \"../../../../sdk/src/rt.rs\"]\nmod rt;\n\n\
                 use file::InputFile;\nuse generated::{{consts, types}};\n\n\
                 fn main() {{}}\n",
                checks.unwrap_or_default()
            ),
        });
        out.owned.push(dir);
    }
    Ok(out)
}
