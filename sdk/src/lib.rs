//! Typed async client for the OpenAI API, generated from its OpenAPI spec.
//!
//! ```no_run
//! use openai_sdk::types::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
//! # async fn run() -> Result<(), openai_sdk::Error> {
//! let client = openai_sdk::Client::new();
//! let request = CreateChatCompletionRequest {
//!     model: "gpt-4o-mini".into(),
//!     messages: vec![ChatCompletionRequestUserMessage { content: "Hello!".to_owned().into(), ..Default::default() }.into()],
//!     ..Default::default()
//! };
//! let completion = client.chat().completions().create(&request).await?;
//! # Ok(()) }
//! ```
//!
//! - [`resources`]: every operation of the API, as `client.chat().completions().create(..)`,
//!   grouped as the official SDKs group them. Each returns a [`Request`] to `.await`.
//! - [`types`]: one Rust type per schema of the spec. Responses decode leniently: a field the
//!   spec calls required may be missing or `null`, unknown fields are kept, and enum values,
//!   constants and union variants the spec does not list are kept in an `Unknown` variant rather
//!   than failing the whole response. Requests encode exactly what the spec asks.

// With only some areas on, parts of the runtime (multipart bodies, binary downloads, …) have no
// caller; that is expected, not a warning.
#![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports, unused_macros))]

mod accumulate;
mod azure;
mod body;
mod client;
mod custom;
mod download;
#[cfg(feature = "embeddings")]
mod embedding;
mod encode;
mod error;
#[doc(hidden)]
pub mod fuzzing;
#[rustfmt::skip]
mod generated;
mod page;
mod poll;
pub mod prelude;
#[cfg(feature = "websocket")]
mod realtime;
mod request;
mod required;
mod resume;
mod retry;
mod rt;
pub mod sse;
mod stream;
#[cfg(feature = "structured")]
pub mod structured;
mod trace;
mod upload;
pub mod webhooks;

pub use accumulate::*;
pub use azure::{AccessToken, AzureBuilder, TokenError};
pub use bytes::Bytes;
pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
};
pub use download::Download;
pub use error::{ApiError, DecodeError, Error, Result, StreamError};
pub use generated::{consts, resources, types};
pub use openai_sdk_runtime::{Const, Constant, Extra, InputFile, Nullable, json};
pub use page::{Page, Paginator};
pub use poll::Polling;
#[cfg(feature = "websocket")]
pub use realtime::{RealtimeConnect, RealtimeConnection, RealtimeEvents, RealtimeSender};
pub use request::{ApiResponse, Request, RequestOptions};
pub use reqwest::Method;
pub use stream::EventStream;
pub use upload::{ChunkSource, ChunkedUpload, DEFAULT_PARALLEL, DEFAULT_PART_SIZE};
