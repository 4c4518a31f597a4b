//! Snapshots: each small spec in `codegen/tests/fixtures` (one per construct the generator
//! handles) is generated into `codegen/snapshots/<fixture>/`, next to a generated crate root
//! (`codegen/snapshots/src/bin/<fixture>.rs`) that compiles it with the SDK's own runtime.
//! Reviewing a generator change means reading the diff of these files.

use crate::generate::{Output, generate_from};
use openai_codegen::GeneratedFile;
use openai_codegen::emit::{SDK_DIR, SHARED, TYPES_DIR};
use openai_codegen::render::HEADER;
use std::path::Path;

pub const FIXTURES_DIR: &str = "codegen/tests/fixtures";
const SNAPSHOTS_DIR: &str = "codegen/snapshots";
/// Hand-written tests of a fixture's types, included in its crate when present.
const CHECKS_DIR: &str = "codegen/snapshots/checks";
/// The crate's manifest, whose features are the fixtures' areas.
const MANIFEST: &str = "codegen/snapshots/Cargo.toml";

/// A fixture's crate root: the SDK's `lib.rs` with every module loaded from `sdk/src` and
/// `generated` from the fixture's snapshot, plus its checks when it has some.
fn crate_root(root: &Path, name: &str) -> Result<String, String> {
    let lib = std::fs::read_to_string(root.join("sdk/src/lib.rs"))
        .map_err(|e| format!("error: sdk/src/lib.rs: {e}"))?;
    let mut out = format!(
        "{HEADER}//! The SDK runtime with the generator's output for `{FIXTURES_DIR}/{name}.yaml`.\n#![allow(unused)]\n// The runtime gates code on areas (`chat`) a fixture may not have.\n#![allow(unexpected_cfgs)]\n\n"
    );
    let kept = lib.lines().filter(|l| {
        !l.starts_with("//!") && !l.starts_with("#![") && !l.starts_with("#[rustfmt::skip]")
    });
    for line in kept.skip_while(|l| l.trim().is_empty()) {
        let module = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "))
            .and_then(|m| m.strip_suffix(';'));
        match module {
            Some("generated") => out.push_str(&format!(
                "#[rustfmt::skip]\n#[path = \"../../{name}/snapshot/mod.rs\"]\n{line}\n"
            )),
            Some(m) => {
                // A module with submodules is a directory.
                let file = match root.join(format!("sdk/src/{m}/mod.rs")).is_file() {
                    true => format!("{m}/mod.rs"),
                    false => format!("{m}.rs"),
                };
                out.push_str(&format!(
                    "#[path = \"../../../../sdk/src/{file}\"]\n{line}\n"
                ))
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.push_str("\nfn main() {}\n");
    // After `main`, so rustfmt does not sort it into the runtime's modules.
    if root.join(format!("{CHECKS_DIR}/{name}.rs")).is_file() {
        out.push_str(&format!(
            "\n#[cfg(test)]\n#[path = \"../../checks/{name}.rs\"]\nmod checks;\n"
        ));
    }
    Ok(out)
}

/// The fixtures' generated files, and the crate's manifest with their features.
pub fn generate(root: &Path) -> Result<(Output, GeneratedFile), String> {
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
        warnings: Vec::new(),
    };
    // Every fixture's areas are features of the one crate that compiles them all, all on.
    let mut features = std::collections::BTreeSet::new();
    for name in names {
        let dir = format!("{SNAPSHOTS_DIR}/{name}");
        let generated = generate_from(&root.join(format!("{FIXTURES_DIR}/{name}.yaml")))?;
        features.extend(crate::features::listed(&generated.files)?);
        out.warnings
            .extend(generated.warnings.into_iter().map(|mut w| {
                w.pointer = format!("{FIXTURES_DIR}/{name}.yaml {}", w.pointer);
                w
            }));
        let mut modules = Vec::new();
        for file in generated.files {
            let rest = match file.path.strip_prefix(&format!("{SDK_DIR}/")) {
                Some(rest) => rest.to_owned(),
                None if file.path.starts_with(&format!("{TYPES_DIR}/")) => {
                    modules.extend(type_module(&file.path));
                    file.path.clone()
                }
                None => continue,
            };
            out.files.push(GeneratedFile {
                path: format!("{dir}/{rest}"),
                contents: file.contents,
            });
        }
        out.files.extend(glue(&dir, &modules));
        out.files.push(GeneratedFile {
            path: format!("{bins}/{name}.rs"),
            contents: crate_root(root, &name)?,
        });
        out.owned.push(dir);
    }
    let quoted: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
    let mut region = format!("default = [{}]\n", quoted.join(", "));
    for f in &features {
        region.push_str(&format!("{f} = []\n"));
    }
    let text = crate::features::read(root, MANIFEST)?;
    let contents = crate::features::splice(&text, MANIFEST, crate::features::FEATURES, &region)?;
    Ok((
        out,
        GeneratedFile {
            path: MANIFEST.to_owned(),
            contents,
        },
    ))
}

/// `(crate, module)` of a type crate's module file (`types/shared/src/types/item.rs`).
fn type_module(path: &str) -> Option<(String, String)> {
    let rest = path.strip_prefix(&format!("{TYPES_DIR}/"))?;
    let (krate, file) = rest.split_once("/src/types/")?;
    Some((krate.to_owned(), file.strip_suffix(".rs")?.to_owned()))
}

/// The fixture's `generated` module for its crate (`snapshot/mod.rs`, `snapshot/types.rs`): the
/// SDK's, but with every type crate's files as modules of one `types` module, since a fixture
/// compiles as one crate. The files are the same: they name other types as `super::Name` and
/// what the runtime gives as `crate::rt`, which the SDK's crate root has too.
fn glue(dir: &str, modules: &[(String, String)]) -> [GeneratedFile; 2] {
    let root = format!(
        "{HEADER}//! The generated SDK code of this fixture as one module (see `xtask/src/snapshots.rs`).\n\n#[path = \"../resources/mod.rs\"]\npub mod resources;\n#[path = \"../{TYPES_DIR}/{SHARED}/src/consts.rs\"]\npub mod consts;\npub mod types;\n"
    );
    let mut types = format!("{HEADER}//! Every type crate's modules, re-exported.\n");
    for (krate, module) in modules {
        let name = format!("{krate}_{module}").replace('-', "_");
        types.push_str(&format!(
            "\n#[path = \"../{TYPES_DIR}/{krate}/src/types/{module}.rs\"]\nmod {name};\npub use self::{name}::*;\n"
        ));
    }
    [
        GeneratedFile {
            path: format!("{dir}/snapshot/mod.rs"),
            contents: root,
        },
        GeneratedFile {
            path: format!("{dir}/snapshot/types.rs"),
            contents: types,
        },
    ]
}
