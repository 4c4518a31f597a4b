//! The generator of the `openai-sdk` crate: spec text in, Rust source files out.
//!
//! The pipeline, one module a stage: [`load`] (YAML → document tree) → [`lower`] (schemas →
//! plain-data [`ir`]) → [`emit`] (IR → tokens) → [`render`] (tokens → formatted source) →
//! [`write`](mod@write) (files → disk, atomically, or a check against what is there).

pub mod diff;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod lower;
pub mod render;
pub mod value;
pub mod warning;
pub mod write;

pub use error::{Error, Result};
pub use render::GeneratedFile;
pub use warning::{Warning, WarningKind};

/// What a generation gives: the files, and the fallbacks it took to get them.
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    /// Sorted; empty for a spec the generator expresses fully.
    pub warnings: Vec<Warning>,
}

/// Runs the whole pipeline on the spec's text. Pure: touches no file.
pub fn generate(spec: &str) -> Result<Generated> {
    let spec = load::load(spec)?;
    let (api, warnings) = lower::lower(&spec)?;
    let files: Vec<(String, String)> = emit::emit(&api)?
        .into_iter()
        .map(|f| (f.path, f.tokens.to_string()))
        .collect();
    let mut files = render_all(files)?;
    files.extend(emit::manifests(&api)?);
    Ok(Generated { files, warnings })
}

/// Renders files on every core: formatting is most of a generation's time and files are
/// independent. (Token streams are not `Send`, so files cross threads as text.) Output keeps
/// the input order, so generation stays deterministic.
fn render_all(files: Vec<(String, String)>) -> Result<Vec<GeneratedFile>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = files.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(path, code)| render::render_text(path, code))
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(files.len());
        for handle in handles {
            out.extend(handle.join().expect("a render thread does not panic")?);
        }
        Ok(out)
    })
}
