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
//!
//! # Workflows
//!
//! Answers are read by what the server sends: a file comes as a [`Download`] (read whole, as
//! lines, or streamed to disk), text where the spec describes JSON as the answer union's `Text`
//! variant. Objects the API works on in the background have `poll` and `create_and_poll`
//! ([`Polling`]); large files go up in parts with `upload_file_chunked` ([`ChunkedUpload`]); a
//! Responses stream resumes after a dropped connection. The timeouts are openai-python's: 5 s to
//! connect, 600 s between two reads of an answer (a stream lives as long as events come), and no
//! total unless [`Request::total_timeout`] sets one. The batch workflow:
//!
//! ```no_run
//! # #[cfg(all(feature = "batches", feature = "files"))]
//! # async fn run(client: openai_sdk::Client) -> Result<(), openai_sdk::Error> {
//! use futures_util::StreamExt;
//! use openai_sdk::InputFile;
//! use openai_sdk::types::{BatchesCreateBody, CreateFileRequest};
//!
//! let file = client
//!     .files()
//!     .create(&CreateFileRequest {
//!         file: InputFile::from_path("requests.jsonl").await.map_err(openai_sdk::Error::Io)?,
//!         purpose: "batch".into(),
//!         ..Default::default()
//!     })
//!     .await?;
//! let batch = client
//!     .batches()
//!     .create_and_poll(&BatchesCreateBody {
//!         input_file_id: file.id,
//!         endpoint: "/v1/chat/completions".into(),
//!         ..Default::default()
//!     })
//!     .timeout(std::time::Duration::from_secs(24 * 3600))
//!     .await?;
//! let output = client
//!     .files()
//!     .content(batch.output_file_id.as_deref().unwrap_or_default())
//!     .await?;
//! let mut lines = output.json_lines::<serde_json::Value>();
//! while let Some(line) = lines.next().await {
//!     println!("{}", line?["response"]["body"]["choices"][0]["message"]["content"]);
//! }
//! # Ok(()) }
//! ```

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
