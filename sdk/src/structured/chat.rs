//! `client.chat().completions().parse::<T>(..)`.

use super::stream::{Fold, ParseStream};
use super::{Parsed, json_schema_format};
use crate::ChatCompletionAccumulator;
use crate::error::{Error, Result};
use crate::resources::ChatCompletions;
use crate::stream::StreamEnd;
use crate::types::{
    CreateChatCompletionRequest, CreateChatCompletionResponse, CreateChatCompletionStreamResponse,
};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::marker::PhantomData;

/// A chat completion with each choice's answer parsed as `T`.
#[derive(Debug, Clone)]
pub struct ParsedChatCompletion<T> {
    pub completion: CreateChatCompletionResponse,
    /// One for each of `completion.choices`, in order.
    pub choices: Vec<Parsed<T>>,
}

impl<'c> ChatCompletions<'c> {
    /// Creates a chat completion whose answer is a `T`: `response_format` is set to `T`'s strict
    /// JSON schema (whatever the request says), and each choice's content is parsed as `T`. A
    /// refusal is a choice with `refusal` and no `parsed`; a choice cut short (`finish_reason`
    /// `length` or `content_filter`) is [`Error::Incomplete`], since its JSON is unfinished.
    pub async fn parse<T: JsonSchema + DeserializeOwned>(
        &self,
        body: &CreateChatCompletionRequest,
    ) -> Result<ParsedChatCompletion<T>> {
        let format = ("response_format", response_format::<T>()?);
        let response =
            super::call::<CreateChatCompletionResponse>(self.client, CREATE, body, format)
                .with_response()
                .await?;
        ParsedChatCompletion::new(response.data, &response.request_id)
    }

    /// [`parse`](Self::parse), streamed: the chunks arrive as
    /// `create_stream` yields them, and
    /// [`final_parsed`](ChatCompletionParseStream::final_parsed) folds them into the completion
    /// and parses its answers.
    pub async fn parse_stream<T: JsonSchema + DeserializeOwned>(
        &self,
        body: &CreateChatCompletionRequest,
    ) -> Result<ChatCompletionParseStream<T>> {
        let format = ("response_format", response_format::<T>()?);
        let events = super::call_stream(self.client, CREATE, body, format, StreamEnd::Done).await?;
        Ok(ParseStream::new(events, ChatFold::default()))
    }
}

/// The operation id and path of a chat completion.
const CREATE: (&str, &str) = ("createChatCompletion", "/chat/completions");

/// `response_format` asking for `T`.
fn response_format<T: JsonSchema>() -> Result<Value> {
    Ok(serde_json::json!({
        "type": "json_schema",
        "json_schema": json_schema_format::<T>()?,
    }))
}

/// The chunks of a [`parse_stream`](ChatCompletions::parse_stream), folded into a
/// [`ParsedChatCompletion`].
pub type ChatCompletionParseStream<T> =
    ParseStream<CreateChatCompletionStreamResponse, ChatFold<T>>;

/// Folds chat chunks into the completion they add up to.
#[derive(Debug)]
pub struct ChatFold<T> {
    completion: ChatCompletionAccumulator,
    _answer: PhantomData<fn() -> T>,
}

impl<T> Default for ChatFold<T> {
    fn default() -> Self {
        ChatFold {
            completion: ChatCompletionAccumulator::new(),
            _answer: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Fold for ChatFold<T> {
    type Output = ParsedChatCompletion<T>;

    fn push(&mut self, event: &str) {
        self.completion.push_text(event);
    }

    fn finish(self, request_id: &Option<String>) -> Option<Result<ParsedChatCompletion<T>>> {
        Some(ParsedChatCompletion::new(
            self.completion.into_completion(),
            request_id,
        ))
    }
}

impl<T: DeserializeOwned> ParsedChatCompletion<T> {
    /// Each choice of `completion` parsed as `T`.
    fn new(completion: CreateChatCompletionResponse, request_id: &Option<String>) -> Result<Self> {
        // Read as JSON: the answer's place in the wire format, whatever Rust types a version
        // of the spec gives the choices.
        let json = serde_json::to_value(&completion).unwrap_or_default();
        let choices = json
            .get("choices")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|choice| parse_choice(choice, request_id))
            .collect::<Result<_>>()?;
        Ok(ParsedChatCompletion {
            completion,
            choices,
        })
    }
}

fn parse_choice<T: DeserializeOwned>(
    choice: &Value,
    request_id: &Option<String>,
) -> Result<Parsed<T>> {
    let reason = choice.get("finish_reason").and_then(Value::as_str);
    if let Some(reason @ ("length" | "content_filter")) = reason {
        return Err(Error::Incomplete {
            reason: reason.to_owned(),
        });
    }
    let message = choice.get("message");
    let text = |key: &str| {
        message
            .and_then(|m| m.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    if let Some(refusal) = text("refusal") {
        return Ok(Parsed::refused(refusal));
    }
    Parsed::answer(&text("content").unwrap_or_default(), request_id)
}
