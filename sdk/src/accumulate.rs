//! Stream helpers like the official SDKs': fold a chat completion stream into the completion it
//! adds up to, take a Responses stream's final response, and read a response's text.

#![allow(deprecated)]

#[cfg(feature = "chat")]
pub use chat::ChatCompletionAccumulator;

#[cfg(feature = "chat")]
mod chat {
    use crate::EventStream;
    use crate::error::Result;
    use crate::types::{
        ChatCompletionMessageToolCall, ChatCompletionMessageToolCallsItem,
        ChatCompletionResponseMessageFunctionCall, CreateChatCompletionResponse,
        CreateChatCompletionResponseChoicesItem, CreateChatCompletionResponseChoicesItemLogprobs,
        CreateChatCompletionStreamResponse,
    };
    use futures_util::StreamExt;

    /// Folds chat completion chunks (`client.chat().completions().create_stream(..)`) into the
    /// `CreateChatCompletionResponse` they add up to: text and refusals joined, tool calls gathered by
    /// index with their argument fragments joined, usage and finish reasons kept.
    #[derive(Debug, Clone, Default)]
    pub struct ChatCompletionAccumulator {
        completion: CreateChatCompletionResponse,
        /// For each choice, the position of each tool-call index in its `tool_calls`.
        tool_slots: Vec<(i64, Vec<(i64, usize)>)>,
    }

    fn append(into: &mut Option<String>, more: &str) {
        into.get_or_insert_with(String::new).push_str(more);
    }

    impl ChatCompletionAccumulator {
        pub fn new() -> Self {
            Self::default()
        }

        /// Adds one chunk.
        pub fn push(&mut self, chunk: &CreateChatCompletionStreamResponse) {
            let c = &mut self.completion;
            if !chunk.id.is_empty() {
                c.id.clone_from(&chunk.id);
            }
            if chunk.created != 0 {
                c.created = chunk.created;
            }
            if !chunk.model.is_empty() {
                c.model.clone_from(&chunk.model);
            }
            if chunk.system_fingerprint.is_some() {
                c.system_fingerprint.clone_from(&chunk.system_fingerprint);
            }
            if chunk.service_tier.is_some() {
                c.service_tier.clone_from(&chunk.service_tier);
            }
            if let Some(Some(usage)) = &chunk.usage {
                c.usage = Some(usage.clone());
            }
            for delta in &chunk.choices {
                let at = match c.choices.iter().position(|ch| ch.index == delta.index) {
                    Some(at) => at,
                    None => {
                        c.choices.push(CreateChatCompletionResponseChoicesItem {
                            index: delta.index,
                            ..Default::default()
                        });
                        self.tool_slots.push((delta.index, Vec::new()));
                        c.choices.len() - 1
                    }
                };
                let choice = &mut c.choices[at];
                let message = &mut choice.message;
                if let Some(Some(text)) = &delta.delta.content {
                    append(&mut message.content, text);
                }
                if let Some(Some(text)) = &delta.delta.refusal {
                    append(&mut message.refusal, text);
                }
                if let Some(call) = &delta.delta.function_call {
                    let f = message
                        .function_call
                        .get_or_insert_with(ChatCompletionResponseMessageFunctionCall::default);
                    if let Some(name) = &call.name {
                        f.name.push_str(name);
                    }
                    if let Some(args) = &call.arguments {
                        f.arguments.push_str(args);
                    }
                }
                let slots = &mut self
                    .tool_slots
                    .iter_mut()
                    .find(|(i, _)| *i == delta.index)
                    .expect("a slot per choice")
                    .1;
                for part in delta.delta.tool_calls.iter().flatten() {
                    let calls = message.tool_calls.get_or_insert_with(Vec::new);
                    let pos = match slots.iter().find(|(i, _)| *i == part.index) {
                        Some((_, pos)) => *pos,
                        None => {
                            calls.push(ChatCompletionMessageToolCallsItem::Function(
                                ChatCompletionMessageToolCall::default(),
                            ));
                            slots.push((part.index, calls.len() - 1));
                            calls.len() - 1
                        }
                    };
                    if let ChatCompletionMessageToolCallsItem::Function(call) = &mut calls[pos] {
                        if let Some(id) = &part.id {
                            call.id.clone_from(id);
                        }
                        if let Some(f) = &part.function {
                            if let Some(name) = &f.name {
                                call.function.name.push_str(name);
                            }
                            if let Some(args) = &f.arguments {
                                call.function.arguments.push_str(args);
                            }
                        }
                    }
                }
                if let Some(reason) = &delta.finish_reason {
                    choice.finish_reason = reason.as_str().into();
                }
                if let Some(Some(logprobs)) = &delta.logprobs {
                    let into = choice.logprobs.get_or_insert_with(
                        CreateChatCompletionResponseChoicesItemLogprobs::default,
                    );
                    if let Some(tokens) = &logprobs.content {
                        into.content
                            .get_or_insert_with(Vec::new)
                            .extend(tokens.iter().cloned());
                    }
                    if let Some(tokens) = &logprobs.refusal {
                        into.refusal
                            .get_or_insert_with(Vec::new)
                            .extend(tokens.iter().cloned());
                    }
                }
            }
        }

        /// The completion so far.
        pub fn completion(&self) -> &CreateChatCompletionResponse {
            &self.completion
        }

        pub fn into_completion(self) -> CreateChatCompletionResponse {
            self.completion
        }
    }

    impl EventStream<CreateChatCompletionStreamResponse> {
        /// Reads the stream to its end and returns the completion it adds up to.
        pub async fn final_completion(mut self) -> Result<CreateChatCompletionResponse> {
            let mut acc = ChatCompletionAccumulator::new();
            while let Some(chunk) = self.next().await {
                acc.push(&chunk?);
            }
            Ok(acc.into_completion())
        }
    }
}

#[cfg(feature = "responses")]
mod responses {
    use crate::EventStream;
    use crate::error::{Error, Result};
    use crate::types::{OutputItem, OutputMessageContent, Response, ResponseStreamEvent};
    use futures_util::StreamExt;

    impl EventStream<ResponseStreamEvent> {
        /// Reads the stream to its end and returns the final response, as the last
        /// `response.completed` (or `response.incomplete` / `response.failed`) event carries it.
        pub async fn final_response(mut self) -> Result<Response> {
            let mut last = None;
            while let Some(event) = self.next().await {
                match event? {
                    ResponseStreamEvent::ResponseCompleted(e) => last = Some(e.response),
                    ResponseStreamEvent::ResponseIncomplete(e) => last = Some(e.response),
                    ResponseStreamEvent::ResponseFailed(e) => last = Some(e.response),
                    _ => {}
                }
            }
            last.ok_or_else(|| {
                Error::InvalidArgument("the stream ended without a final response event".to_owned())
            })
        }
    }

    impl Response {
        /// The text of every `output_text` part of the response's messages, joined (what the
        /// official SDKs call `output_text`).
        pub fn output_text(&self) -> String {
            let mut text = String::new();
            for item in &self.output {
                if let OutputItem::Message(message) = item {
                    for part in &message.content {
                        if let OutputMessageContent::OutputText(t) = part {
                            text.push_str(&t.text);
                        }
                    }
                }
            }
            text
        }
    }
}
