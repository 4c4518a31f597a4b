//! `client.responses().parse::<T>(..)`.

use super::stream::{Fold, ParseStream};
use super::{Parsed, json_schema_format};
use crate::accumulate::responses::Terminal;
use crate::error::{ApiError, Error, Result};
use crate::resources::Responses;
use crate::stream::StreamEnd;
use crate::types::{CreateResponse, Response, ResponseStreamEvent};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::marker::PhantomData;

/// A response with its answer parsed as `T` (openai-python's `output_parsed`).
#[derive(Debug, Clone)]
pub struct ParsedResponse<T> {
    pub response: Response,
    /// The first `output_text` of the response's messages as `T`; `None` when the model refused
    /// or answered with something else (a tool call).
    pub parsed: Option<T>,
    /// Why the model refused, when it did.
    pub refusal: Option<String>,
}

impl<'c> Responses<'c> {
    /// Creates a response whose answer is a `T`: `text.format` is set to `T`'s strict JSON schema
    /// (the rest of `text` is kept), and the output text is parsed as `T`. A refusal is
    /// `refusal` with no `parsed`; an `incomplete` response is [`Error::Incomplete`] with its
    /// reason, and a `failed` one the [`Error::Api`] it carries.
    pub async fn parse<T: JsonSchema + DeserializeOwned>(
        &self,
        body: &CreateResponse,
    ) -> Result<ParsedResponse<T>> {
        let format = ("text", text_format::<T>(body)?);
        let response = super::call::<Response>(self.client, CREATE, body, format)
            .with_response()
            .await?;
        ParsedResponse::new(response.data, &response.request_id)
    }

    /// [`parse`](Self::parse), streamed: the events arrive as
    /// `create_stream` yields them, and
    /// [`final_parsed`](ParseStream::final_parsed) parses the final response's answer.
    pub async fn parse_stream<T: JsonSchema + DeserializeOwned>(
        &self,
        body: &CreateResponse,
    ) -> Result<ResponseParseStream<T>> {
        let format = ("text", text_format::<T>(body)?);
        let events = super::call_stream(
            self.client,
            CREATE,
            body,
            format,
            StreamEnd::Events(&[
                "response.completed",
                "response.failed",
                "response.incomplete",
            ]),
        )
        .await?;
        Ok(ParseStream::new(events, ResponseFold::default()))
    }
}

/// The operation id and path of a response.
const CREATE: (&str, &str) = ("createResponse", "/responses");

/// The request's `text` with its `format` asking for `T`. Read as JSON, so that it keeps the
/// other settings (`verbosity`) whatever Rust type a version of the spec gives them.
fn text_format<T: JsonSchema>(body: &CreateResponse) -> Result<Value> {
    let mut text = serde_json::to_value(body)
        .ok()
        .and_then(|mut body| body.get_mut("text").map(Value::take))
        .filter(Value::is_object)
        .unwrap_or_else(|| Value::Object(Default::default()));
    let mut format = json_schema_format::<T>()?;
    if let Value::Object(format) = &mut format {
        format.insert("type".to_owned(), Value::from("json_schema"));
    }
    text["format"] = format;
    Ok(text)
}

/// The events of a [`parse_stream`](Responses::parse_stream), whose final response gives a
/// [`ParsedResponse`].
pub type ResponseParseStream<T> = ParseStream<ResponseStreamEvent, ResponseFold<T>>;

/// Keeps the response the last terminal event carries.
#[derive(Debug)]
pub struct ResponseFold<T> {
    last: Option<Response>,
    _answer: PhantomData<fn() -> T>,
}

impl<T> Default for ResponseFold<T> {
    fn default() -> Self {
        ResponseFold {
            last: None,
            _answer: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Fold for ResponseFold<T> {
    type Output = ParsedResponse<T>;

    fn push(&mut self, event: &str) {
        if let Some(response) = Terminal::response_in(event) {
            self.last = Some(response);
        }
    }

    fn finish(self, request_id: &Option<String>) -> Option<Result<ParsedResponse<T>>> {
        Some(ParsedResponse::new(self.last?, request_id))
    }
}

impl<T: DeserializeOwned> ParsedResponse<T> {
    /// The answer of `response`, read as JSON so that it does not depend on how a version of the
    /// spec names the types of output items and their parts.
    fn new(response: Response, request_id: &Option<String>) -> Result<Self> {
        let json = serde_json::to_value(&response).unwrap_or_default();
        match json.get("status").and_then(Value::as_str) {
            Some("incomplete") => {
                let reason = json
                    .pointer("/incomplete_details/reason")
                    .and_then(Value::as_str)
                    .unwrap_or("incomplete");
                return Err(Error::Incomplete {
                    reason: reason.to_owned(),
                });
            }
            Some("failed") => {
                let error = json.get("error").cloned().unwrap_or_default();
                return Err(Error::Api(Box::new(ApiError::from_event(
                    200,
                    &error.to_string(),
                    request_id.clone(),
                ))));
            }
            _ => {}
        }
        let of_type = |v: &Value, t: &str| v.get("type").and_then(Value::as_str) == Some(t);
        let parts = json
            .get("output")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|item| of_type(item, "message"))
            .filter_map(|item| item.get("content").and_then(Value::as_array))
            .flatten();
        let mut answer = Parsed {
            parsed: None,
            refusal: None,
        };
        for part in parts {
            let text = |key| part.get(key).and_then(Value::as_str);
            if let (true, Some(refusal)) = (of_type(part, "refusal"), text("refusal")) {
                answer = Parsed::refused(refusal.to_owned());
                break;
            }
            if let (true, Some(output)) = (of_type(part, "output_text"), text("text")) {
                answer = Parsed::answer(output, request_id)?;
                break;
            }
        }
        Ok(ParsedResponse {
            response,
            parsed: answer.parsed,
            refusal: answer.refusal,
        })
    }
}
