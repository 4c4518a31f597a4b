//! Fuzz targets for what the SDK reads from the network and the encodings it writes. Each takes arbitrary bytes and panics
//! when a property fails; the same functions run under libFuzzer (`fuzz_targets/`, nightly,
//! for long runs) and, bounded, in this crate's test (stable, every `cargo xtask test`).
//!
//! - [`json`]: the SDK's deserializer gives the values serde_json gives wherever serde_json
//!   accepts the input, and decoding into the largest response types and event unions never
//!   panics; what strict decoding accepts, lenient decoding decodes the same.
//! - [`lenient`]: an object decoded leniently and encoded back keeps every member it had.
//! - [`sse`]: the SSE parser gives the same events however the bytes are split into chunks.
//! - [`webhook`]: verification never panics, and never accepts a signature that is not the
//!   HMAC of the delivery.
//! - [`encode`]: query parameters and multipart bodies, read back as a server reads them, are
//!   what was encoded.

use openai_sdk::types::{
    AssistantStreamEvent, CreateChatCompletionResponse, CreateChatCompletionStreamResponse,
    RealtimeServerEvent, Response, ResponseStreamEvent, WebhookEvent,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

mod encode;
mod sse;
mod webhook;

pub use encode::encode;
pub use sse::sse;
pub use webhook::webhook;

/// The types decoded: the largest response objects and the event unions.
macro_rules! each_type {
    ($check:ident, $text:expr) => {
        $check::<Response>($text);
        $check::<CreateChatCompletionResponse>($text);
        $check::<CreateChatCompletionStreamResponse>($text);
        $check::<ResponseStreamEvent>($text);
        $check::<AssistantStreamEvent>($text);
        $check::<RealtimeServerEvent>($text);
        $check::<WebhookEvent>($text);
    };
}

/// The SDK's deserializer against serde_json, and typed decoding that never panics.
pub fn json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        // Bytes that are not UTF-8 are an error, never a panic.
        assert!(openai_sdk::json::from_slice::<Value>(data).is_err());
        return;
    };
    if let Ok(expected) = serde_json::from_str::<Value>(text) {
        let ours = openai_sdk::json::from_str::<Value>(text);
        assert_eq!(ours.as_ref().ok(), Some(&expected), "{text:?}: {ours:?}");
    }
    each_type!(strict_then_lenient, text);
}

/// What strict decoding accepts, lenient decoding decodes to the same value.
fn strict_then_lenient<T: DeserializeOwned + Serialize>(text: &str) {
    let lenient = openai_sdk::json::from_str::<T>(text);
    if let Ok(strict) = openai_sdk::json::from_str_strict::<T>(text) {
        let lenient = lenient.expect("lenient decoding takes what strict decoding takes");
        assert_eq!(
            serde_json::to_value(&strict).ok(),
            serde_json::to_value(&lenient).ok(),
            "{text:?}"
        );
    }
}

/// An object decoded leniently keeps every member: encoded back, it has every key it had (one
/// whose value was `null` may be left out: an absent optional field says the same).
pub fn lenient(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(Value::Object(input)) = serde_json::from_str::<Value>(text) else {
        return;
    };
    each_type!(keeps_members, (text, &input));
}

fn keeps_members<T: DeserializeOwned + Serialize>(
    (text, input): (&str, &serde_json::Map<String, Value>),
) {
    let decoded = openai_sdk::json::from_str::<T>(text)
        .unwrap_or_else(|e| panic!("an object decodes leniently: {e}: {text:?}"));
    let output = serde_json::to_value(&decoded).expect("a decoded value encodes");
    let Value::Object(output) = output else {
        panic!("an object encodes back as one: {output}: {text:?}")
    };
    for (key, value) in input {
        assert!(
            output.contains_key(key) || value.is_null(),
            "member `{key}` lost in {}: {text:?} -> {output:?}",
            std::any::type_name::<T>()
        );
    }
}
