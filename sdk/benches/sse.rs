//! `cargo bench -p openai-sdk --bench sse`: server-sent event throughput on large recorded-style
//! streams, in MB/s and events/s: parsing alone, and parsing plus decoding each event into its
//! typed union (what a streaming call does).

use openai_sdk::sse::Parser;
use openai_sdk::types::{CreateChatCompletionStreamResponse, ResponseStreamEvent};
use serde::de::DeserializeOwned;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// A chat completion streamed token by token, as the API sends it.
fn chat_stream(tokens: usize) -> String {
    let mut s = String::new();
    for i in 0..tokens {
        s += &format!(
            "data: {{\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion.chunk\",\"created\":1741570283,\"model\":\"gpt-4o-2024-08-06\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_fc9f1d7035\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\" token{i}\"}},\"logprobs\":null,\"finish_reason\":null}}],\"usage\":null}}\n\n"
        );
    }
    s += "data: [DONE]\n\n";
    s
}

/// A Responses API stream: text deltas between the lifecycle events, with `event:` lines.
fn responses_stream(tokens: usize) -> String {
    let mut s = String::from(
        "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1741570283,\"status\":\"in_progress\",\"model\":\"gpt-4o\",\"output\":[]}}\n\n",
    );
    for i in 0..tokens {
        s += &format!(
            "event: response.output_text.delta\ndata: {{\"type\":\"response.output_text.delta\",\"sequence_number\":{},\"item_id\":\"msg_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654\",\"output_index\":0,\"content_index\":0,\"delta\":\" token{i}\",\"logprobs\":[]}}\n\n",
            i + 1
        );
    }
    s += "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":99999,\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1741570283,\"status\":\"completed\",\"model\":\"gpt-4o\",\"output\":[]}}\n\n";
    s
}

/// Best of `runs` timings of `f`.
fn best(runs: usize, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut fastest = Duration::MAX;
    let mut count = 0;
    for _ in 0..runs {
        let start = Instant::now();
        count = std::hint::black_box(f());
        fastest = fastest.min(start.elapsed());
    }
    (fastest, count)
}

/// Feeds `body` in 16 KiB chunks (as a socket delivers it); returns the events.
fn parse(body: &[u8]) -> VecDeque<openai_sdk::sse::Event> {
    let mut parser = Parser::new();
    let mut out = VecDeque::new();
    for chunk in body.chunks(16 * 1024) {
        parser.feed(chunk, &mut out);
    }
    parser.finish(&mut out);
    out
}

fn decode<E: DeserializeOwned>(body: &[u8]) -> usize {
    parse(body)
        .into_iter()
        .filter(|e| e.data != "[DONE]")
        .map(|e| openai_sdk::json::from_str::<E>(&e.data).is_ok() as usize)
        .sum()
}

fn report(name: &str, body: &str, decode_typed: fn(&[u8]) -> usize) {
    let bytes = body.as_bytes();
    let mb = bytes.len() as f64 / 1e6;
    let (parse_time, events) = best(7, || parse(bytes).len());
    let (typed_time, decoded) = best(7, || decode_typed(bytes));
    assert!(decoded + 1 >= events, "every event decodes");
    println!("{name}: {:.1} MB, {events} events", mb);
    println!(
        "  parse only        {:>8.1} MB/s {:>12.0} events/s",
        mb / parse_time.as_secs_f64(),
        events as f64 / parse_time.as_secs_f64()
    );
    println!(
        "  parse + decode    {:>8.1} MB/s {:>12.0} events/s",
        mb / typed_time.as_secs_f64(),
        decoded as f64 / typed_time.as_secs_f64()
    );
    println!(
        "  decode share of the time: {:.0} %",
        100.0 * (1.0 - parse_time.as_secs_f64() / typed_time.as_secs_f64())
    );
}

fn main() {
    report(
        "chat completion stream",
        &chat_stream(50_000),
        decode::<CreateChatCompletionStreamResponse>,
    );
    report(
        "responses stream",
        &responses_stream(50_000),
        decode::<ResponseStreamEvent>,
    );
}
