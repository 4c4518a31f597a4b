//! Stage 5: put generated files on disk, or compare them with what is there.
//!
//! The generator owns whole directories (for the SDK, [`OWNED_DIRS`]): a file there that the
//! spec does not produce is "extra". Writing builds each directory beside the old one and swaps it in with a
//! rename, so a failure part-way leaves the previous output intact.

use crate::emit::{SDK_DIR, TESTS_DIR, TYPES_DIR};
use crate::error::{Error, Result};
use crate::render::GeneratedFile;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

pub const OWNED_DIRS: &[&str] = &[SDK_DIR, TESTS_DIR, TYPES_DIR];

/// How a file on disk differs from what the spec gives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Drift {
    Stale(String),
    Missing(String),
    Extra(String),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Stale(p) => write!(f, "stale:   {p}"),
            Drift::Missing(p) => write!(f, "missing: {p}"),
            Drift::Extra(p) => write!(f, "extra:   {p}"),
        }
    }
}

fn io_err(path: &Path, e: std::io::Error) -> Error {
    Error::new(path.display().to_string(), e.to_string())
}

/// Every file under `dir`, as paths relative to `root` with `/` separators.
fn list(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err(dir, e)),
    };
    for entry in entries {
        let path = entry.map_err(|e| io_err(dir, e))?.path();
        if path.is_dir() {
            list(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).expect("under root");
            out.push(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
    Ok(())
}

/// Compares `files` with the `owned` directories under `root`; empty when up to date.
pub fn check(root: &Path, owned: &[&str], files: &[GeneratedFile]) -> Result<Vec<Drift>> {
    let wanted: BTreeMap<&str, &str> = files
        .iter()
        .map(|f| (f.path.as_str(), f.contents.as_str()))
        .collect();
    let mut present = Vec::new();
    for dir in owned {
        list(root, &root.join(dir), &mut present)?;
    }
    let mut drift = Vec::new();
    for path in &present {
        match wanted.get(path.as_str()) {
            None => drift.push(Drift::Extra(path.clone())),
            Some(want) => {
                let have = fs::read(root.join(path)).map_err(|e| io_err(&root.join(path), e))?;
                if have != want.as_bytes() {
                    drift.push(Drift::Stale(path.clone()));
                }
            }
        }
    }
    for path in wanted.keys() {
        if !present.iter().any(|p| p == path) {
            drift.push(Drift::Missing((*path).to_owned()));
        }
    }
    drift.sort();
    Ok(drift)
}

/// Writes `files`, replacing each `owned` directory whole. Directories already up to date are
/// not touched (their timestamps stay, so cargo rebuilds nothing).
pub fn write(root: &Path, owned: &[&str], files: &[GeneratedFile]) -> Result<()> {
    for dir in owned {
        let prefix = format!("{dir}/");
        let mine: Vec<&GeneratedFile> = files
            .iter()
            .filter(|f| f.path.starts_with(&prefix))
            .collect();
        let stale = check(root, &[dir], files)?.iter().any(|d| match d {
            Drift::Extra(p) | Drift::Stale(p) | Drift::Missing(p) => p.starts_with(&prefix),
        });
        if stale {
            replace_dir(root, dir, &mine)?;
        }
    }
    Ok(())
}

fn replace_dir(root: &Path, dir: &str, files: &[&GeneratedFile]) -> Result<()> {
    let target = root.join(dir);
    let name = target
        .file_name()
        .expect("a directory name")
        .to_string_lossy()
        .into_owned();
    let parent = target.parent().expect("a parent directory").to_path_buf();
    let staging: PathBuf = parent.join(format!(".{name}.new"));
    let old: PathBuf = parent.join(format!(".{name}.old"));
    for stale in [&staging, &old] {
        if stale.exists() {
            fs::remove_dir_all(stale).map_err(|e| io_err(stale, e))?;
        }
    }
    for file in files {
        let rel = file
            .path
            .strip_prefix(&format!("{dir}/"))
            .expect("filtered by prefix");
        let path = staging.join(rel);
        fs::create_dir_all(path.parent().expect("a parent")).map_err(|e| io_err(&path, e))?;
        fs::write(&path, &file.contents).map_err(|e| io_err(&path, e))?;
    }
    if target.exists() {
        fs::rename(&target, &old).map_err(|e| io_err(&target, e))?;
    }
    if let Err(e) = fs::rename(&staging, &target) {
        let _ = fs::rename(&old, &target);
        return Err(io_err(&target, e));
    }
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| io_err(&old, e))?;
    }
    Ok(())
}
