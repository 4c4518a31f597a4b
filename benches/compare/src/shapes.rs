//! Payloads shaped as the API sends them, for the `real` bench: several bodies of each kind,
//! each in the API's key order (union tags second, after `id`), with the fields the API sends that
//! the spec does not list (`billing`, …, and a 2.8 KB object under a name no spec has) and `null`s
//! where the spec promises a value; and the same bodies as a proxy or a test fixture would pass them on:
//! pretty-printed as the API prints them, compact, or with every object's keys sorted.

use crate::{Rng, quoted};
use serde_json::Value;
use std::fmt::Write;

/// How a body is laid out: the API's key order pretty-printed (as the API sends it), compact, or
/// with keys sorted (as a re-serializing proxy sends it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Pretty,
    Compact,
    Sorted,
}

impl Layout {
    pub fn apply(self, compact: &str) -> String {
        match self {
            Layout::Pretty => pretty(compact),
            Layout::Compact => compact.to_owned(),
            // serde_json's map is a `BTreeMap` (no `preserve_order` here): keys come out sorted.
            Layout::Sorted => serde_json::from_str::<Value>(compact)
                .expect("a generated body is JSON")
                .to_string(),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Layout::Pretty => "pretty",
            Layout::Compact => "compact",
            Layout::Sorted => "sorted keys",
        }
    }
}

/// `compact` indented by two spaces, keys in the order they have, as the API prints its bodies.
pub fn pretty(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' if matches!(chars.peek(), Some('}' | ']')) => {
                out.push(c);
                out.extend(chars.next());
            }
            '{' | '[' => {
                out.push(c);
                depth += 1;
                newline(&mut out, depth);
            }
            '}' | ']' => {
                depth -= 1;
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c => out.push(c),
        }
    }
    out
}

/// The moderation results attached to a completion (~2.8 KB, in the API's shape). The pinned
/// spec lists `moderation` (maps of 13 categories, decoded into openai-sdk's types); async-openai
/// 0.43 does not, and skips it.
fn moderation(rng: &mut Rng) -> String {
    const CATEGORIES: &[&str] = &[
        "harassment",
        "harassment/threatening",
        "hate",
        "hate/threatening",
        "illicit",
        "illicit/violent",
        "self-harm",
        "self-harm/instructions",
        "self-harm/intent",
        "sexual",
        "sexual/minors",
        "violence",
        "violence/graphic",
    ];
    let result = |rng: &mut Rng| {
        let flags: Vec<String> = CATEGORIES
            .iter()
            .map(|c| format!(r#""{c}":false"#))
            .collect();
        let scores: Vec<String> = CATEGORIES
            .iter()
            .map(|c| format!(r#""{c}":{}"#, rng.unit().abs() * 1e-4))
            .collect();
        let types: Vec<String> = CATEGORIES
            .iter()
            .map(|c| format!(r#""{c}":["text"]"#))
            .collect();
        format!(
            r#"{{"type":"moderation_results","model":"omni-moderation-latest","results":[{{"type":"moderation_result","model":"omni-moderation-latest","flagged":false,"categories":{{{}}},"category_scores":{{{}}},"category_applied_input_types":{{{}}}}}]}}"#,
            flags.join(","),
            scores.join(","),
            types.join(",")
        )
    };
    format!(r#"{{"input":{},"output":{}}}"#, result(rng), result(rng))
}

/// [`chat_completions`] with `moderation` under a name no spec lists: a 2.8 KB field that every
/// decoder here skips or keeps as it is (openai-sdk keeps its text in `extra`).
pub fn chat_with_unknown_field() -> Vec<String> {
    chat_completions(true)
        .iter()
        .map(|b| b.replace(r#""moderation":"#, r#""moderation_report":"#))
        .collect()
}

/// Six chat completions, compact, in the API's key order: plain answers, tool calls, logprobs;
/// with `moderation` when `moderation` is set.
pub fn chat_completions(moderation: bool) -> Vec<String> {
    let mut rng = Rng(0x853c_49e6_748f_ea9b);
    (0..6)
        .map(|i| {
            let message = match i % 3 {
                0 => format!(
                    r#"{{"role":"assistant","content":{},"refusal":null,"annotations":[]}}"#,
                    quoted(&rng.text(120 + 40 * i))
                ),
                1 => {
                    let calls: Vec<String> = (0..2)
                        .map(|j| {
                            let arguments = format!(
                                r#"{{"location":{},"unit":"celsius"}}"#,
                                quoted(rng.word())
                            );
                            format!(
                                r#"{{"id":"call_{i}{j}Xj1PUn8D4PnMvGcWEzlLLpTN","type":"function","function":{{"name":"get_weather","arguments":{}}}}}"#,
                                quoted(&arguments)
                            )
                        })
                        .collect();
                    format!(
                        r#"{{"role":"assistant","content":null,"tool_calls":[{}],"refusal":null,"annotations":[]}}"#,
                        calls.join(",")
                    )
                }
                _ => format!(
                    r#"{{"role":"assistant","content":{},"refusal":null,"annotations":[{{"type":"url_citation","url_citation":{{"end_index":98,"start_index":12,"title":"Weather","url":"https://example.com/w?utm_source=openai"}}}}]}}"#,
                    quoted(&rng.text(80))
                ),
            };
            let logprobs = if i == 4 {
                let tokens: Vec<String> = (0..60)
                    .map(|_| {
                        let t = rng.word();
                        let bytes: Vec<String> = t.bytes().map(|b| b.to_string()).collect();
                        format!(
                            r#"{{"token":{},"logprob":{},"bytes":[{}],"top_logprobs":[]}}"#,
                            quoted(t),
                            -rng.unit().abs() * 3.0,
                            bytes.join(",")
                        )
                    })
                    .collect();
                format!(r#"{{"content":[{}],"refusal":null}}"#, tokens.join(","))
            } else {
                "null".to_owned()
            };
            let finish = if i % 3 == 1 { "tool_calls" } else { "stop" };
            let mut s = format!(
                r#"{{"id":"chatcmpl-C{i}MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":{},"model":"gpt-4o-2024-08-06","choices":[{{"index":0,"message":{message},"logprobs":{logprobs},"finish_reason":"{finish}"}}],"usage":{{"prompt_tokens":{},"completion_tokens":{},"total_tokens":{},"prompt_tokens_details":{{"cached_tokens":0,"audio_tokens":0}},"completion_tokens_details":{{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}},"service_tier":"default","system_fingerprint":"fp_07871e2ad8""#,
                1_741_570_283 + i,
                19 + i,
                200 + 10 * i,
                219 + 11 * i
            );
            if moderation {
                let _ = write!(s, r#","moderation":{}"#, self::moderation(&mut rng));
            }
            s.push('}');
            s
        })
        .collect()
}

/// Seven Responses API responses, compact, in the API's key order: each output item's `id`
/// before its `type` tag, as the API sends them; `billing` and `prompt_cache_retention`, which the
/// spec may not list.
pub fn responses() -> Vec<String> {
    let mut rng = Rng(0xda94_2042_e4dd_58b5);
    (0..7)
        .map(|i| {
            let mut items = Vec::new();
            if i % 2 == 0 {
                items.push(format!(
                    r#"{{"id":"rs_{i}876cf02e0bc8192a40af51f8f3ec6","type":"reasoning","summary":[{{"type":"summary_text","text":{}}}]}}"#,
                    quoted(&rng.text(50))
                ));
            }
            if i % 3 == 1 {
                items.push(format!(
                    r#"{{"id":"ws_{i}876cf0369a48192bb4ab6ea1c0cb5","type":"web_search_call","status":"completed","action":{{"type":"search","query":{}}}}}"#,
                    quoted(&rng.text(6))
                ));
            }
            if i % 3 == 2 {
                let arguments = format!(r#"{{"location":{}}}"#, quoted(rng.word()));
                items.push(format!(
                    r#"{{"id":"fc_{i}876cf0369a48192bb4ab6ea1c0cb5","type":"function_call","status":"completed","arguments":{},"call_id":"call_{i}Xj1PUn8D4PnMvGcWEzlLLpTN","name":"get_weather"}}"#,
                    quoted(&arguments)
                ));
            }
            items.push(format!(
                r#"{{"id":"msg_{i}876cf0440f48192a1b5e47a6fa0c1d8","type":"message","status":"completed","content":[{{"type":"output_text","annotations":[{{"type":"url_citation","end_index":96,"start_index":12,"title":"Paris weather","url":"https://example.com/weather/paris?utm_source=openai"}}],"logprobs":[],"text":{}}}],"role":"assistant"}}"#,
                quoted(&rng.text(150 + 60 * i))
            ));
            format!(
                r#"{{"id":"resp_{i}876cf01e0bc819aa1b5e47a6fa0c1d8","object":"response","created_at":{},"status":"completed","background":false,"billing":{{"payer":"developer"}},"completed_at":{},"error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"max_tool_calls":null,"model":"gpt-5-2025-08-07","output":[{}],"parallel_tool_calls":true,"previous_response_id":null,"prompt_cache_key":null,"prompt_cache_retention":null,"reasoning":{{"effort":"medium","summary":null}},"safety_identifier":null,"service_tier":"default","store":true,"temperature":1.0,"text":{{"format":{{"type":"text"}},"verbosity":"medium"}},"tool_choice":"auto","tools":[],"top_logprobs":0,"top_p":1.0,"truncation":"disabled","usage":{{"input_tokens":{},"input_tokens_details":{{"cached_tokens":0}},"output_tokens":{},"output_tokens_details":{{"reasoning_tokens":{}}},"total_tokens":{}}},"user":null,"metadata":{{}}}}"#,
                1_752_616_705 + i,
                1_752_616_790 + i,
                items.join(","),
                31 + i,
                400 + 37 * i,
                128 * (i % 2),
                431 + 38 * i
            )
        })
        .collect()
}

/// A files list of `n` files, compact, in the API's key order; some files still uploading, with
/// `bytes: null` (the spec says required integer).
pub fn files_list(n: usize) -> String {
    const PURPOSES: &[&str] = &["assistants", "batch", "fine-tune", "user_data", "vision"];
    const EXTENSIONS: &[&str] = &["pdf", "jsonl", "png", "txt", "md"];
    let mut rng = Rng(0x6a09_e667_f3bc_c908);
    let data: Vec<String> = (0..n)
        .map(|i| {
            let bytes = if i % 50 == 7 {
                "null".to_owned()
            } else {
                (rng.below(5_000_000) + 100).to_string()
            };
            let expires = if i % 5 == 1 {
                (1_760_000_000 + i).to_string()
            } else {
                "null".to_owned()
            };
            format!(
                r#"{{"object":"file","id":"file-{i:04}{}TvkdjNgnTgk6UhqjNyJbpo","purpose":"{}","filename":"{}_{i}.{}","bytes":{bytes},"created_at":{},"expires_at":{expires},"status":"processed","status_details":null}}"#,
                rng.below(1000),
                PURPOSES[i % PURPOSES.len()],
                rng.word().replace(['"', '\\', '\n'], ""),
                EXTENSIONS[i % EXTENSIONS.len()],
                1_740_000_000 + 3_600 * i,
            )
        })
        .collect();
    format!(
        r#"{{"object":"list","data":[{}],"first_id":"file-0000","last_id":"file-{:04}","has_more":false}}"#,
        data.join(","),
        n - 1
    )
}

/// A models list as `GET /models` sends it.
pub fn models_list(n: usize) -> String {
    let owners = ["system", "openai", "openai-internal"];
    let data: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id":"gpt-{}-{i:03}","object":"model","created":{},"owned_by":"{}"}}"#,
                ["4o", "4.1-mini", "5", "o3", "whisper"][i % 5],
                1_686_935_002 + i * 86_400,
                owners[i % owners.len()]
            )
        })
        .collect();
    format!(r#"{{"object":"list","data":[{}]}}"#, data.join(","))
}
