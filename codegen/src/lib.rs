//! The generator of the `openai-sdk` crate: spec text in, Rust source files out.
//!
//! The pipeline, one module a stage: [`load`] (YAML → document tree) → [`lower`] (schemas →
//! plain-data [`ir`]) → [`emit`] (IR → tokens) → [`render`] (tokens → formatted source) →
//! [`write`] (files → disk, atomically, or a check against what is there).

pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod lower;
pub mod render;
pub mod value;
pub mod write;

pub use error::{Error, Result};
pub use render::GeneratedFile;

/// Runs the whole pipeline on the spec's text. Pure: touches no file.
pub fn generate(spec: &str) -> Result<Vec<GeneratedFile>> {
    let spec = load::load(spec)?;
    let api = lower::lower(&spec)?;
    emit::emit(&api)?.into_iter().map(render::render).collect()
}
