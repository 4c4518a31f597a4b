//! Decode throughput of large API responses: openai-sdk's types (through
//! `openai_sdk::json::from_slice`, as the client decodes), async-openai's types and
//! `serde_json::Value` (both through `serde_json::from_slice`).
//!
//! The payloads are generated here, deterministically, in the key order the API sends, and are
//! checked before timing: they must fit both crates' types, and ours must encode back to the
//! same JSON, so no contender is timed on a decode that fails or drops data.

use openai_compare::{ROUNDS, Rng, assert_round_trip, decode, measure, quoted, row};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt::Write;
use std::hint::black_box;

/// A `n`-choice chat completion with long content, tool calls and `tokens` logprob entries (each
/// with three alternatives) per choice.
fn chat_completion(n: usize, tokens: usize) -> String {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut s = String::from(
        r#"{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741570283,"model":"gpt-4o-2024-08-06","choices":["#,
    );
    for i in 0..n {
        let token = |rng: &mut Rng| {
            let t = rng.word();
            let bytes: Vec<String> = t.bytes().map(|b| b.to_string()).collect();
            format!(
                r#""token":{},"logprob":{},"bytes":[{}]"#,
                quoted(t),
                -rng.unit().abs() * 9.0,
                bytes.join(",")
            )
        };
        let mut logprobs = Vec::with_capacity(tokens);
        for _ in 0..tokens {
            let top: Vec<String> = (0..3).map(|_| format!("{{{}}}", token(&mut rng))).collect();
            logprobs.push(format!(
                r#"{{{},"top_logprobs":[{}]}}"#,
                token(&mut rng),
                top.join(",")
            ));
        }
        let tool_calls: Vec<String> = (0..3)
            .map(|j| {
                let arguments = format!(
                    r#"{{"location":{},"unit":"celsius","days":{j},"notes":{}}}"#,
                    quoted(rng.word()),
                    quoted(&rng.text(20))
                );
                format!(
                    r#"{{"id":"call_{i}_{j}_FthC9qRpsL5kBpwwyw6c7j4k","type":"function","function":{{"name":"get_weather","arguments":{}}}}}"#,
                    quoted(&arguments)
                )
            })
            .collect();
        let _ = write!(
            s,
            r#"{}{{"index":{i},"message":{{"role":"assistant","content":{},"refusal":null,"tool_calls":[{}],"annotations":[{{"type":"url_citation","url_citation":{{"end_index":120,"start_index":20,"title":"Weather in Paris","url":"https://example.com/weather/paris"}}}}]}},"logprobs":{{"content":[{}],"refusal":null}},"finish_reason":"tool_calls"}}"#,
            if i > 0 { "," } else { "" },
            quoted(&rng.text(400)),
            tool_calls.join(","),
            logprobs.join(","),
        );
    }
    s += r#"],"usage":{"prompt_tokens":1117,"completion_tokens":46055,"total_tokens":47172,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_fc9f1d7035"}"#;
    s
}

/// A Responses API response: `rounds` × (a reasoning item with a summary, four function calls,
/// a message with annotated output text).
fn response(rounds: usize) -> String {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut items = Vec::new();
    for i in 0..rounds {
        let summary: Vec<String> = (0..2)
            .map(|_| {
                format!(
                    r#"{{"type":"summary_text","text":{}}}"#,
                    quoted(&rng.text(60))
                )
            })
            .collect();
        items.push(format!(
            r#"{{"id":"rs_{i:04}6876cf02e0bc8192a40af51f8f3ec6","type":"reasoning","summary":[{}]}}"#,
            summary.join(",")
        ));
        for j in 0..4 {
            let arguments = format!(
                r#"{{"location":{},"unit":"celsius","query":{}}}"#,
                quoted(rng.word()),
                quoted(&rng.text(15))
            );
            items.push(format!(
                r#"{{"id":"fc_{i:04}{j}6876cf0369a48192bb4ab6ea1c0cb5","type":"function_call","status":"completed","arguments":{},"call_id":"call_{i}_{j}_Xj1PUn8D4PnMvGcWEzlLLpTN","name":"get_weather"}}"#,
                quoted(&arguments)
            ));
        }
        items.push(format!(
            r#"{{"id":"msg_{i:04}6876cf0440f48192a1b5e47a6fa0c1d8","type":"message","status":"completed","content":[{{"type":"output_text","annotations":[{{"type":"url_citation","start_index":12,"end_index":96,"url":"https://example.com/weather/paris?utm_source=openai","title":"Paris weather"}},{{"type":"file_citation","file_id":"file-2dtbBZdjtDKS8eqWxqbgDi","filename":"forecast.pdf","index":140}}],"logprobs":[],"text":{}}}],"role":"assistant"}}"#,
            quoted(&rng.text(200))
        ));
    }
    format!(
        r#"{{"id":"resp_6876cf01e0bc819aa1b5e47a6fa0c1d8","object":"response","created_at":1752616705,"status":"completed","background":false,"completed_at":1752616790,"error":null,"incomplete_details":null,"instructions":"You are a weather assistant.","max_output_tokens":null,"max_tool_calls":null,"model":"o4-mini-2025-04-16","output":[{}],"parallel_tool_calls":true,"previous_response_id":null,"prompt_cache_key":null,"reasoning":{{"effort":"medium","summary":"detailed"}},"safety_identifier":null,"service_tier":"default","store":true,"temperature":1.0,"text":{{"format":{{"type":"text"}},"verbosity":"medium"}},"tool_choice":"auto","tools":[{{"type":"function","name":"get_weather","description":"Get the current weather in a location","parameters":{{"type":"object","properties":{{"location":{{"type":"string"}},"unit":{{"type":"string","enum":["celsius","fahrenheit"]}},"query":{{"type":"string"}}}},"required":["location","unit","query"],"additionalProperties":false}},"strict":true}}],"top_logprobs":0,"top_p":1.0,"truncation":"disabled","usage":{{"input_tokens":2143,"input_tokens_details":{{"cached_tokens":1920}},"output_tokens":51822,"output_tokens_details":{{"reasoning_tokens":9216}},"total_tokens":53965}},"user":null,"metadata":{{"session":"bench"}}}}"#,
        items.join(",")
    )
}

/// `n` embeddings of `dims` floats, printed as the API prints them (shortest `f32` form).
fn embeddings(n: usize, dims: usize) -> String {
    let mut rng = Rng(0xd1b5_4a32_d192_ed03);
    let data: Vec<String> = (0..n)
        .map(|i| {
            let v: Vec<String> = (0..dims).map(|_| (rng.unit() * 0.1).to_string()).collect();
            format!(
                r#"{{"object":"embedding","index":{i},"embedding":[{}]}}"#,
                v.join(",")
            )
        })
        .collect();
    format!(
        r#"{{"object":"list","data":[{}],"model":"text-embedding-3-small","usage":{{"prompt_tokens":8192,"total_tokens":8192}}}}"#,
        data.join(",")
    )
}

/// A model list of `n` models.
fn models(n: usize) -> String {
    let owners = ["system", "openai", "openai-internal", "user-abc123"];
    let data: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id":"gpt-4o-2024-08-06-ft-{i:03}","object":"model","created":{},"owned_by":"{}"}}"#,
                1_686_935_002 + i * 86_400,
                owners[i % owners.len()]
            )
        })
        .collect();
    format!(r#"{{"object":"list","data":[{}]}}"#, data.join(","))
}

/// Checks `json` against both crates' types, then times the three decoders; returns the
/// throughputs (ours, async-openai's, `Value`'s) in MB/s.
fn compare<Ours, Theirs>(name: &str, json: &str) -> [f64; 3]
where
    Ours: DeserializeOwned + Serialize,
    Theirs: DeserializeOwned,
{
    let bytes = json.as_bytes();
    decode::<Value>(&format!("{name} (as serde_json::Value)"), bytes);
    decode::<Theirs>(&format!("{name} (as async-openai's type)"), bytes);
    let ours: Ours = openai_sdk::json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("{name} does not decode as openai-sdk's type: {e}"));
    assert_round_trip(&format!("{name} (openai-sdk's type)"), &ours, bytes);
    drop(ours);
    // `json::from_slice` retries leniently when the single pass fails: say so, as that is slow.
    if let Err(e) = serde_json::from_slice::<Ours>(bytes) {
        println!("note: {name} needs openai-sdk's lenient second pass ({e})");
    }
    let mbps = measure(
        bytes.len(),
        &mut [
            &mut decoding(openai_sdk::json::from_slice::<Ours>, bytes),
            &mut decoding(serde_json::from_slice::<Theirs>, bytes),
            &mut decoding(serde_json::from_slice::<Value>, bytes),
        ],
    );
    mbps.try_into().expect("three contenders")
}

/// A contender: `decode` applied to `bytes`, the result dropped (freeing it is part of the cost).
fn decoding<'a, T: 'a>(
    decode: fn(&'a [u8]) -> serde_json::Result<T>,
    bytes: &'a [u8],
) -> impl FnMut() + 'a {
    move || drop(black_box(decode(black_box(bytes)).expect("decodes")))
}

type Compare = fn(&str, &str) -> [f64; 3];

fn main() {
    use async_openai::types as theirs;
    use openai_sdk::types as ours;

    println!("decode throughput, MB/s (best of {ROUNDS} interleaved rounds, release)");
    println!("goals: openai-sdk ≥ 1.2× async-openai, ≥ 1.0× serde_json::Value");
    println!();
    let rows = [
        (
            "chat completion",
            chat_completion(4, 800),
            compare::<ours::CreateChatCompletionResponse, theirs::chat::CreateChatCompletionResponse>
                as Compare,
        ),
        (
            "responses",
            response(60),
            compare::<ours::Response, theirs::responses::Response>,
        ),
        (
            "embeddings 100×1536",
            embeddings(100, 1536),
            compare::<ours::CreateEmbeddingResponse, theirs::embeddings::CreateEmbeddingResponse>,
        ),
        (
            "models ×200",
            models(200),
            compare::<ours::ListModelsResponse, theirs::models::ListModelResponse>,
        ),
    ];
    // `cargo bench .. --bench decode -- responses` measures only the payloads named so.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|(name, ..)| only.is_empty() || only.iter().any(|o| name.contains(o.as_str())))
        .collect();
    let results: Vec<_> = rows
        .iter()
        .map(|(name, json, compare)| compare(name, json))
        .collect();
    println!(
        "{:<22} {:>12} {:>10} {:>10} {:>10} {:>12} {:>12}",
        "payload", "size", "openai-sdk", "async-oai", "Value", "sdk/async", "sdk/Value"
    );
    for ((name, json, _), [ours, theirs, value]) in rows.iter().zip(results) {
        println!(
            "{} {:>11.2}× {:>11.2}×",
            row(name, json.len(), &[ours, theirs, value]),
            ours / theirs,
            ours / value
        );
    }
}
