//! Encode throughput of a large chat completion request: openai-sdk's
//! `CreateChatCompletionRequest` against async-openai's, both through `serde_json::to_vec` (as
//! the clients encode bodies), with `serde_json::Value` for reference.
//!
//! Both requests are decoded from the same JSON text, so they carry identical content, and each
//! must encode back to that JSON before it is timed.

use openai_compare::{ROUNDS, Rng, assert_round_trip, decode, measure, quoted, row};
use serde::Serialize;
use serde_json::Value;
use std::hint::black_box;

/// A function tool with a JSON-schema object of `fields` string properties.
fn tool(rng: &mut Rng, name: &str, fields: usize) -> String {
    let properties: Vec<String> = (0..fields)
        .map(|i| {
            format!(
                r#""field_{i}":{{"type":"string","description":{},"enum":["a","b","c"]}}"#,
                quoted(&rng.text(12))
            )
        })
        .collect();
    let required: Vec<String> = (0..fields).map(|i| format!(r#""field_{i}""#)).collect();
    format!(
        r#"{{"type":"function","function":{{"name":"{name}","description":{},"parameters":{{"type":"object","properties":{{{}}},"required":[{}],"additionalProperties":false}},"strict":true}}}}"#,
        quoted(&rng.text(25)),
        properties.join(","),
        required.join(",")
    )
}

/// A conversation of `turns` rounds of: user text and image, assistant tool calls, tool
/// results, assistant answer; after system and developer messages, with `tools` tools and the
/// usual options.
fn chat_request(turns: usize, tools: usize) -> String {
    let mut rng = Rng(0x6a09_e667_f3bc_c909);
    let mut messages = vec![
        format!(
            r#"{{"role":"system","content":{}}}"#,
            quoted(&rng.text(150))
        ),
        format!(
            r#"{{"role":"developer","content":{}}}"#,
            quoted(&rng.text(80))
        ),
    ];
    for t in 0..turns {
        messages.push(format!(
            r#"{{"role":"user","content":[{{"type":"text","text":{}}},{{"type":"image_url","image_url":{{"url":"https://example.com/photos/{t}.jpg","detail":"high"}}}}]}}"#,
            quoted(&rng.text(60))
        ));
        let calls: Vec<String> = (0..2)
            .map(|j| {
                let arguments = format!(r#"{{"field_0":"a","query":{}}}"#, quoted(&rng.text(10)));
                format!(
                    r#"{{"id":"call_{t}_{j}","type":"function","function":{{"name":"tool_{j}","arguments":{}}}}}"#,
                    quoted(&arguments)
                )
            })
            .collect();
        messages.push(format!(
            r#"{{"role":"assistant","tool_calls":[{}]}}"#,
            calls.join(",")
        ));
        for j in 0..2 {
            messages.push(format!(
                r#"{{"role":"tool","content":{},"tool_call_id":"call_{t}_{j}"}}"#,
                quoted(&rng.text(40))
            ));
        }
        messages.push(format!(
            r#"{{"role":"assistant","content":{}}}"#,
            quoted(&rng.text(120))
        ));
    }
    let tools: Vec<String> = (0..tools)
        .map(|i| tool(&mut rng, &format!("tool_{i}"), 8))
        .collect();
    format!(
        r#"{{"messages":[{}],"model":"gpt-4o-2024-08-06","max_completion_tokens":4096,"frequency_penalty":0.2,"presence_penalty":0.1,"top_logprobs":5,"store":false,"logprobs":true,"n":1,"temperature":0.7,"top_p":0.9,"tools":[{}],"tool_choice":"auto","parallel_tool_calls":true,"user":"user-1234","metadata":{{"session":"bench","tier":"pro"}}}}"#,
        messages.join(","),
        tools.join(",")
    )
}

/// `value` encoded the way the clients encode request bodies.
fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("encodes")
}

fn main() {
    let json = chat_request(100, 8);
    let bytes = json.as_bytes();
    let ours: openai_sdk::types::CreateChatCompletionRequest =
        decode("the request as openai-sdk's type", bytes);
    let theirs: async_openai::types::chat::CreateChatCompletionRequest =
        decode("the request as async-openai's type", bytes);
    let value: Value = decode("the request as serde_json::Value", bytes);
    assert_round_trip("openai-sdk's request", &ours, bytes);
    assert_round_trip("async-openai's request", &theirs, bytes);

    let mbps = measure(
        bytes.len(),
        &mut [
            &mut || drop(black_box(encode(black_box(&ours)))),
            &mut || drop(black_box(encode(black_box(&theirs)))),
            &mut || drop(black_box(encode(black_box(&value)))),
        ],
    );
    println!("encode throughput of CreateChatCompletionRequest with serde_json::to_vec, MB/s");
    println!("(best of {ROUNDS} interleaved rounds, release)");
    println!();
    println!(
        "{:<22} {:>12} {:>10} {:>10} {:>10} {:>12}",
        "payload", "size", "openai-sdk", "async-oai", "Value", "sdk/async"
    );
    println!(
        "{} {:>11.2}×",
        row("chat request", bytes.len(), &mbps),
        mbps[0] / mbps[1]
    );
}
