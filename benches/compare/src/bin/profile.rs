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
    let decode: fn(&[u8]) -> bool = match set {
        _ if mode == "skip" => |b| openai_sdk::json::from_slice::<serde::de::IgnoredAny>(b).is_ok(),
        _ if mode == "value" => |b| openai_sdk::json::from_slice::<serde_json::Value>(b).is_ok(),
        "chat" | "moderation" | "unknown" if mode == "theirs" => {
            |b| serde_json::from_slice::<theirs::chat::CreateChatCompletionResponse>(b).is_ok()
        }
        "responses" if mode == "theirs" => {
            |b| serde_json::from_slice::<theirs::responses::Response>(b).is_ok()
        }
        "models" if mode == "theirs" => {
            |b| serde_json::from_slice::<theirs::models::ListModelResponse>(b).is_ok()
        }
        _ if mode == "theirs" => {
            |b| serde_json::from_slice::<theirs::files::ListFilesResponse>(b).is_ok()
        }
        "chat" | "moderation" | "unknown" => {
            |b| openai_sdk::json::from_slice::<ours::CreateChatCompletionResponse>(b).is_ok()
        }
        "responses" => |b| openai_sdk::json::from_slice::<ours::Response>(b).is_ok(),
        "models" => |b| openai_sdk::json::from_slice::<ours::ListModelsResponse>(b).is_ok(),
        _ => |b| openai_sdk::json::from_slice::<ours::ListFilesResponse>(b).is_ok(),
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
