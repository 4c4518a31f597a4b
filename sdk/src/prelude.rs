//! The methods the SDK adds to generated types, as traits to import in one line:
//! `use openai_sdk::prelude::*;`. (The generated types live in crates of their own, one per API
//! area, so the SDK cannot give them inherent methods.)
//!
//! - `ResponseExt::output_text`: a response's text (`responses` feature);
//! - `EmbeddingExt::vector`: an embedding as `f32`s, float or base64 (`embeddings`);
//! - `FromType::from_type` and `ParseArguments::parse_arguments`: function tools from Rust
//!   types and their calls' arguments back (`structured`).

#[cfg(feature = "responses")]
pub use crate::accumulate::ResponseExt;
#[cfg(feature = "embeddings")]
pub use crate::embedding::EmbeddingExt;
#[cfg(feature = "structured")]
pub use crate::structured::{FromType, ParseArguments};
