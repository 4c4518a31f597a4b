//! `client.chat().completions().parse::<T>(..)`.

use super::{Parsed, json_schema_format};
use crate::error::{DecodeError, Error, Result};
use crate::resources::ChatCompletions;
use crate::types::{CreateChatCompletionRequest, CreateChatCompletionResponse};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;

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
        let format = serde_json::json!({
            "type": "json_schema",
            "json_schema": json_schema_format::<T>()?,
        });
        let response = self
            .create(body)
            .body_field("response_format", Some(format))
            .with_response()
            .await?;
        let request_id = response.request_id;
        let completion = response.data;
        // Read as JSON: the answer's place in the wire format, whatever Rust types a version
        // of the spec gives the choices.
        let json = serde_json::to_value(&completion).unwrap_or_default();
        let choices = json
            .get("choices")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|choice| parse_choice(choice, &request_id))
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
        return Ok(Parsed {
            parsed: None,
            refusal: Some(refusal),
        });
    }
    let content = text("content").unwrap_or_default();
    let parsed = serde_json::from_str(&content).map_err(|source| {
        Error::Decode(Box::new(DecodeError {
            source,
            body: content.clone(),
            request_id: request_id.clone(),
        }))
    })?;
    Ok(Parsed {
        parsed: Some(parsed),
        refusal: None,
    })
}
