//! Decodes one body set of the `real` bench with openai-sdk's types in a loop, and nothing
//! else, for a profiler: `perf record -g target/release/profile files sorted`. A third argument,
//! `skip`, decodes the same bodies as `serde::de::IgnoredAny` (everything skipped, nothing
//! built): what keeping the fields the spec does not list costs over skipping them is
//! `unknown` less `chat` (typed) against the same difference skipped. `value` decodes them as a
//! `serde_json::Value` through the same deserializer (what `extra` cost when it held `Value`s).
//! `theirs` decodes them with async-openai's types and `serde_json`, for the same count.

use openai_compare::shapes::{self, Layout};
use async_openai::types as theirs;
use openai_sdk::types as ours;
use serde::de::DeserializeOwned;
use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let set = args.first().map_or("files", String::as_str);
    let layout = match args.get(1).map(String::as_str) {
        Some("pretty") => Layout::Pretty,
        Some("sorted") => Layout::Sorted,
        _ => Layout::Compact,
    };
    let compact = match set {
        "chat" => shapes::chat_completions(false),
        "moderation" => shapes::chat_completions(true),
        "unknown" => shapes::chat_with_unknown_field(),
        "responses" => shapes::responses(),
        "models" => vec![shapes::models_list(60)],
        _ => vec![shapes::files_list(1400)],
    };
    let bodies: Vec<String> = compact.iter().map(|b| layout.apply(b)).collect();
    let mode = args.get(2).map_or("typed", String::as_str);
    let decode = match set {
        "chat" | "moderation" | "unknown" => decoder::<
            ours::CreateChatCompletionResponse,
            theirs::chat::CreateChatCompletionResponse,
        >(mode),
        "responses" => decoder::<ours::Response, theirs::responses::Response>(mode),
        "models" => decoder::<ours::ListModelsResponse, theirs::models::ListModelResponse>(mode),
        _ => decoder::<ours::ListFilesResponse, theirs::files::ListFilesResponse>(mode),
    };
    // A fixed count (`PROFILE_ITERS`) for counting instructions (`perf stat -e instructions`),
    // which a noisy machine does not move as it moves time; else five seconds.
    let fixed: Option<u64> = std::env::var("PROFILE_ITERS")
        .ok()
        .and_then(|n| n.parse().ok());
    let start = std::time::Instant::now();
    let mut n = 0u64;
    while fixed.map_or(start.elapsed().as_secs() < 5, |f| n < f) {
        for b in &bodies {
            assert!(black_box(decode(black_box(b.as_bytes()))));
        }
        n += 1;
    }
    println!(
        "{set} {layout:?}: {:.1} µs a set",
        start.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}

/// How a body is decoded in `mode`: as `Ours` (`typed`), as `Theirs` with serde_json (`theirs`),
/// skipped (`skip`) or as a `Value` (`value`) through the SDK's deserializer.
fn decoder<Ours: DeserializeOwned, Theirs: DeserializeOwned>(mode: &str) -> fn(&[u8]) -> bool {
    match mode {
        "skip" => |b| openai_sdk::json::from_slice::<serde::de::IgnoredAny>(b).is_ok(),
        "value" => |b| openai_sdk::json::from_slice::<serde_json::Value>(b).is_ok(),
        "theirs" => |b| serde_json::from_slice::<Theirs>(b).is_ok(),
        _ => |b| openai_sdk::json::from_slice::<Ours>(b).is_ok(),
    }
}
