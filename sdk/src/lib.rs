//! Typed client for the OpenAI API, generated from its OpenAPI spec.
//!
//! [`types`] holds one Rust type per schema of the spec. Responses decode leniently: a field the
//! spec calls required may be missing or `null`, unknown fields are ignored, and enum values,
//! constants and union variants the spec does not list are kept in an `Unknown` variant rather
//! than failing the whole response. Requests encode exactly what the spec asks.

#[rustfmt::skip]
mod generated;
mod file;
pub mod json;
mod rt;

pub use file::InputFile;
pub use generated::{consts, types};
