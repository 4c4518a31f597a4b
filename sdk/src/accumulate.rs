//! Stream helpers like the official SDKs': fold a chat completion stream into the completion it
//! adds up to, take a Responses stream's final response, and read a response's text.

#![allow(deprecated)]

#[cfg(feature = "chat")]
pub use chat::ChatCompletionAccumulator;
#[cfg(feature = "responses")]
pub use responses::ResponseExt;

#[cfg(feature = "chat")]
mod chat {
    use crate::EventStream;
    use crate::error::Result;
    use crate::types::{CreateChatCompletionResponse, CreateChatCompletionStreamResponse};
    use serde_json::{Map, Value};
    use std::sync::OnceLock;

    /// Folds chat completion chunks (`client.chat().completions().create_stream(..)`) into the
    /// `CreateChatCompletionResponse` they add up to: text and refusals joined, tool calls gathered by
    /// index with their argument fragments joined, logprobs appended, usage and finish reasons kept.
    ///
    /// It folds the chunks as JSON, by the rules openai-python's `accumulate_delta` uses (strings
    /// joined, lists of objects merged by their `index`, other lists appended), then decodes the
    /// result: it depends on the wire format only, so it keeps working when a new version of the
    /// spec reshapes the Rust types of a chunk.
    #[derive(Debug, Clone, Default)]
    pub struct ChatCompletionAccumulator {
        /// The completion so far, as JSON: `choices[].message` built from `choices[].delta`.
        json: Map<String, Value>,
        /// The typed completion, decoded from `json` when asked for.
        typed: OnceLock<CreateChatCompletionResponse>,
    }

    /// Keys whose value is replaced, not joined: they name a thing rather than stream text.
    const REPLACED: &[&str] = &["index", "type", "role", "id", "finish_reason"];

    /// Merges `delta` into `into` (openai-python's `accumulate_delta`).
    fn merge(into: &mut Map<String, Value>, delta: Map<String, Value>) {
        for (key, value) in delta {
            let Some(old) = into.get_mut(&key).filter(|v| !v.is_null()) else {
                into.insert(key, value);
                continue;
            };
            match (old, value) {
                (_, Value::Null) => {}
                (old, value) if REPLACED.contains(&key.as_str()) => *old = value,
                (Value::String(old), Value::String(more)) => old.push_str(&more),
                (Value::Object(old), Value::Object(more)) => merge(old, more),
                (Value::Array(old), Value::Array(more)) => merge_list(old, more),
                (old, value) => *old = value,
            }
        }
    }

    /// Entries with an `index` merge into the entry at that index; others are appended.
    fn merge_list(into: &mut Vec<Value>, more: Vec<Value>) {
        for entry in more {
            let index = entry.get("index").and_then(Value::as_i64);
            let at = index.and_then(|i| {
                into.iter()
                    .position(|e| e.get("index").and_then(Value::as_i64) == Some(i))
            });
            match (at, entry) {
                (Some(at), Value::Object(entry)) => {
                    if let Value::Object(old) = &mut into[at] {
                        merge(old, entry);
                    }
                }
                (_, entry) => into.push(entry),
            }
        }
    }

    /// A value that says nothing: a chunk's required fields are encoded even when the API left
    /// them out.
    fn blank(v: &Value) -> bool {
        match v {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Number(n) => n.as_i64() == Some(0),
            _ => false,
        }
    }

    impl ChatCompletionAccumulator {
        pub fn new() -> Self {
            Self::default()
        }

        /// Adds one chunk.
        pub fn push(&mut self, chunk: &CreateChatCompletionStreamResponse) {
            let Ok(Value::Object(chunk)) = serde_json::to_value(chunk) else {
                return;
            };
            self.push_json(chunk);
        }

        /// Adds one chunk given as its JSON text (what a stream receives); text that is not a
        /// chunk adds nothing.
        pub(crate) fn push_text(&mut self, chunk: &str) {
            if let Ok(chunk) = serde_json::from_str(chunk) {
                self.push_json(chunk);
            }
        }

        fn push_json(&mut self, mut chunk: Map<String, Value>) {
            self.typed = OnceLock::new();
            let choices = chunk.remove("choices");
            for (key, value) in chunk {
                if key != "object" && !blank(&value) {
                    self.json.insert(key, value);
                }
            }
            self.json
                .insert("object".to_owned(), Value::from("chat.completion"));
            let all = self
                .json
                .entry("choices")
                .or_insert_with(|| Value::Array(Vec::new()));
            let (Value::Array(all), Some(Value::Array(choices))) = (all, choices) else {
                return;
            };
            for choice in choices {
                let Value::Object(mut choice) = choice else {
                    continue;
                };
                let delta = match choice.remove("delta") {
                    Some(Value::Object(delta)) => delta,
                    _ => Map::new(),
                };
                let index = choice.get("index").and_then(Value::as_i64);
                let at = all
                    .iter()
                    .position(|c| c.get("index").and_then(Value::as_i64) == index);
                let Some(Value::Object(into)) = (match at {
                    Some(at) => all.get_mut(at),
                    None => {
                        all.push(Value::Object(Map::from_iter([
                            ("index".to_owned(), Value::from(index.unwrap_or(0))),
                            ("message".to_owned(), Value::Object(Map::new())),
                        ])));
                        all.last_mut()
                    }
                }) else {
                    continue;
                };
                if let Some(Value::Object(message)) = into.get_mut("message") {
                    merge(message, delta);
                }
                merge(into, choice);
            }
        }

        /// The completion so far.
        pub fn completion(&self) -> &CreateChatCompletionResponse {
            self.typed.get_or_init(|| {
                let mut json = self.json.clone();
                // Tool calls are merged by their `index`, which a completion's tool calls lack.
                if let Some(Value::Array(choices)) = json.get_mut("choices") {
                    for choice in choices {
                        if let Some(Value::Array(calls)) = choice.pointer_mut("/message/tool_calls")
                        {
                            for call in calls.iter_mut().filter_map(Value::as_object_mut) {
                                call.remove("index");
                            }
                        }
                    }
                }
                let text = Value::Object(json).to_string();
                crate::json::from_str(&text).unwrap_or_default()
            })
        }

        pub fn into_completion(self) -> CreateChatCompletionResponse {
            self.completion();
            self.typed.into_inner().unwrap_or_default()
        }
    }

    impl EventStream<CreateChatCompletionStreamResponse> {
        /// Reads the stream to its end and returns the completion it adds up to.
        pub async fn final_completion(mut self) -> Result<CreateChatCompletionResponse> {
            let mut acc = ChatCompletionAccumulator::new();
            // The chunks' JSON is folded as received, without decoding each one first.
            while let Some(chunk) = std::future::poll_fn(|cx| self.poll_text(cx)).await {
                acc.push_text(&chunk?);
            }
            Ok(acc.into_completion())
        }
    }
}

#[cfg(feature = "responses")]
pub(crate) mod responses {
    use crate::EventStream;
    use crate::error::Result;
    use crate::types::{Response, ResponseStreamEvent};

    /// What `final_response` reads of each event: its type, and the response a terminal event
    /// carries. The other events are skipped, not decoded, and no variant of the event union is
    /// named, so this keeps working when a version of the spec renames them.
    #[derive(serde::Deserialize)]
    pub(crate) struct Terminal {
        #[serde(rename = "type", default)]
        kind: String,
        #[serde(default)]
        response: Option<Response>,
    }

    impl Terminal {
        /// The response a terminal event's JSON carries; `None` for any other event (most are
        /// told apart by their text alone, without decoding).
        pub(crate) fn response_in(event: &str) -> Option<Response> {
            if !TERMINAL.iter().any(|t| event.contains(t)) {
                return None;
            }
            let event = crate::json::from_str::<Terminal>(event).ok()?;
            event
                .response
                .filter(|_| TERMINAL.contains(&event.kind.as_str()))
        }
    }

    /// The events that end a response and carry it whole.
    const TERMINAL: &[&str] = &[
        "response.completed",
        "response.incomplete",
        "response.failed",
    ];

    impl EventStream<ResponseStreamEvent> {
        /// Reads the stream to its end and returns the final response, as the last
        /// `response.completed` (or `response.incomplete` / `response.failed`) event carries it.
        pub async fn final_response(mut self) -> Result<Response> {
            let mut last = None;
            while let Some(event) = std::future::poll_fn(|cx| self.poll_text(cx)).await {
                last = Terminal::response_in(&event?).or(last);
            }
            // The stream checks its own end; this is for one whose end was not known.
            last.ok_or_else(|| self.stopped(None))
        }
    }

    /// What the SDK adds to [`Response`] (in [`prelude`](crate::prelude)).
    pub trait ResponseExt {
        /// The text of every `output_text` part of the response's messages, joined (what the
        /// official SDKs call `output_text`). It reads the output as JSON, so it does not depend
        /// on how a version of the spec names the types of output items and their parts.
        fn output_text(&self) -> String;
    }

    impl ResponseExt for Response {
        fn output_text(&self) -> String {
            let mut text = String::new();
            let Ok(serde_json::Value::Array(items)) = serde_json::to_value(&self.output) else {
                return text;
            };
            let of_type =
                |v: &serde_json::Value, t: &str| v.get("type").and_then(|t| t.as_str()) == Some(t);
            for item in items.iter().filter(|i| of_type(i, "message")) {
                let parts = item.get("content").and_then(|c| c.as_array());
                for part in parts
                    .into_iter()
                    .flatten()
                    .filter(|p| of_type(p, "output_text"))
                {
                    text.push_str(
                        part.get("text")
                            .and_then(|t| t.as_str())
                            .unwrap_or_default(),
                    );
                }
            }
            text
        }
    }
}
