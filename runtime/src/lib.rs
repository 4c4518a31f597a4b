//! The runtime of `openai-sdk`'s generated types, written once: the JSON decoder they go
//! through ([`json`]), how structs and unions read and write themselves (`rt`), constants
//! ([`Const`]), fields the spec does not list ([`Extra`]), optional fields that may be `null`
//! ([`Nullable`]) and files to upload ([`InputFile`]).
//!
//! A crate of its own so that the generated types can be split into crates (by API area) that
//! all build on it. Use it through `openai-sdk`, which re-exports what is public; the rest is
//! hidden and may change in any release.

mod constant;
mod extra;
#[doc(hidden)]
pub mod file;
pub mod json;
mod nullable;
#[doc(hidden)]
pub mod rt;

pub use constant::{Const, Constant};
pub use extra::Extra;
pub use file::InputFile;
pub use nullable::Nullable;
