//! Structured outputs from Rust types (the `structured` feature): a type's JSON schema, made by
//! `schemars` and made strict, asks the model for exactly that type, and the answer is parsed
//! back into it, as openai-python's `client.chat.completions.parse(response_format=Model)` does.
//!
//! ```no_run
//! # async fn run(client: openai_sdk::Client) -> Result<(), openai_sdk::Error> {
//! use openai_sdk::types::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
//!
//! #[derive(serde::Deserialize, schemars::JsonSchema)]
//! struct Event {
//!     name: String,
//!     date: String,
//!     participants: Vec<String>,
//! }
//!
//! let request = CreateChatCompletionRequest {
//!     model: "gpt-4o-mini".into(),
//!     messages: vec![ChatCompletionRequestUserMessage {
//!         content: "Alice and Bob go to a science fair on Friday.".to_owned().into(),
//!         ..Default::default()
//!     }
//!     .into()],
//!     ..Default::default()
//! };
//! let answer = client.chat().completions().parse::<Event>(&request).await?;
//! match &answer.choices[0] {
//!     openai_sdk::structured::Parsed { parsed: Some(event), .. } => println!("{}", event.name),
//!     openai_sdk::structured::Parsed { refusal, .. } => println!("refused: {refusal:?}"),
//! }
//! # Ok(()) }
//! ```

// Each part of the API it helps with is there when the spec (and the build) has that area.
#[cfg(feature = "chat")]
mod chat;
#[cfg(feature = "responses")]
mod responses;
mod stream;
mod strict;
mod tool;

#[cfg(feature = "chat")]
pub use chat::{ChatCompletionParseStream, ChatFold, ParsedChatCompletion};
#[cfg(feature = "responses")]
pub use responses::{ParsedResponse, ResponseFold, ResponseParseStream};
pub use stream::{Fold, ParseStream};
pub use strict::to_strict;
pub use tool::{FromType, ParseArguments};

use crate::error::{DecodeError, Error, Result};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The strict JSON schema of `T`, as structured outputs take it.
pub fn strict_schema<T: JsonSchema>() -> Result<Value> {
    let schema = serde_json::to_value(schemars::schema_for!(T))
        .map_err(|e| crate::Error::InvalidArgument(format!("cannot encode the schema: {e}")))?;
    to_strict(schema)
}

/// The `json_schema` format that asks for `T`, named after it.
pub(crate) fn json_schema_format<T: JsonSchema>() -> Result<Value> {
    Ok(serde_json::json!({
        "name": format_name(&T::schema_name()),
        "schema": strict_schema::<T>()?,
        "strict": true,
    }))
}

/// A format's name may hold only letters, digits, `_` and `-` (64 at most).
/// The call a `parse` makes: `body` posted as JSON to `path` (the operation `operation`), with
/// the top-level `field` set. Through the any-endpoint layer, so that it depends on the wire
/// format only, not on the signature a spec version gives the generated method (a gateway's
/// spec adds header parameters to it).
fn call<R: DeserializeOwned + Send + 'static>(
    client: &crate::Client,
    (operation, path): (&'static str, &'static str),
    body: &impl serde::Serialize,
    (field, value): (&str, Value),
) -> crate::Request<R> {
    client
        .post::<R>(path, body)
        .named(operation, path)
        .body_field(field, Some(value))
        .body_field("stream", None)
}

/// [`call`], asking for the answer as a stream of `E` that ends so.
fn call_stream<E: DeserializeOwned + Send + 'static>(
    client: &crate::Client,
    (operation, path): (&'static str, &'static str),
    body: &impl serde::Serialize,
    (field, value): (&str, Value),
    end: crate::stream::StreamEnd,
) -> crate::Request<crate::EventStream<E>> {
    client
        .post_stream::<E>(path, body)
        .named(operation, path)
        .body_field(field, Some(value))
        .body_field("stream", Some(true.into()))
        .ends(end)
}

fn format_name(type_name: &str) -> String {
    type_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect()
}

/// One choice's answer: the parsed value, or the model's refusal.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    /// The answer as `T`; `None` when the model refused.
    pub parsed: Option<T>,
    /// Why the model refused, when it did.
    pub refusal: Option<String>,
}

impl<T: DeserializeOwned> Parsed<T> {
    /// An answer: `text` parsed as `T`.
    fn answer(text: &str, request_id: &Option<String>) -> Result<Self> {
        Ok(Parsed {
            parsed: Some(decode(text, request_id)?),
            refusal: None,
        })
    }

    fn refused(refusal: String) -> Self {
        Parsed {
            parsed: None,
            refusal: Some(refusal),
        }
    }
}

/// The model's JSON `text` as `T`; a text that is not one is a decode error holding the text.
fn decode<T: DeserializeOwned>(text: &str, request_id: &Option<String>) -> Result<T> {
    serde_json::from_str(text).map_err(|source| {
        Error::Decode(Box::new(DecodeError {
            source,
            body: text.to_owned(),
            request_id: request_id.clone(),
        }))
    })
}
