//! A bounded run of every fuzz target, on stable, in every `cargo xtask test`: each target runs
//! on its seeds (the spec's examples), on the inputs that once failed (`fuzz/regressions/`), and
//! then on random mutations of the seeds until its time is up (`FUZZ_SECONDS`, 4 by default).
//! It is not coverage-guided; libFuzzer is, for long runs (`fuzz/README.md`).

use openai_codegen::value::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every example response or payload in the spec (operations' and schemas'): JSON objects, and
/// streams.
fn spec_examples() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("spec/openapi.yaml")).expect("the spec");
    let spec = openai_codegen::load::load(&text)
        .expect("the spec loads")
        .root;
    let mut out = Vec::new();
    collect(&spec, &mut out);
    out.sort();
    out.dedup();
    out
}

fn collect(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let example = matches!(key.as_str(), "response" | "example" | "value");
                match value {
                    Value::String(s) if example => out.push(s.clone()),
                    // An example given as YAML: its JSON.
                    v @ Value::Object(_) if example => {
                        out.push(v.to_json());
                        collect(v, out);
                    }
                    v => collect(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

/// The seeds of a target: the spec's examples, as the target reads them.
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    let examples = spec_examples();
    let is_json =
        |e: &&String| serde_json::from_str::<serde_json::Value>(e).is_ok_and(|v| v.is_object());
    match target {
        "json" | "lenient" => examples
            .iter()
            .filter(is_json)
            .map(|e| e.clone().into_bytes())
            .collect(),
        // A stream: the examples that are events, framed as the API sends them (those that are
        // already a stream, as they are); the first byte says where to cut.
        "sse" => examples
            .iter()
            .filter(|e| e.contains("data:") || is_json(e))
            .map(|e| {
                let mut seed = vec![7u8];
                if e.contains("data:") {
                    seed.extend_from_slice(e.as_bytes());
                } else {
                    let event = format!("event: message\ndata: {}\n\n", e.replace('\n', ""));
                    seed.extend_from_slice(event.as_bytes());
                }
                seed
            })
            .collect(),
        // A delivery: secret, id, timestamp, signature, and an event as payload.
        "webhook" => examples
            .iter()
            .filter(is_json)
            .filter(|e| e.contains("\"type\""))
            .map(|e| {
                [
                    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".as_bytes(),
                    b"wh_1",
                    b"1750000000",
                    b"v1,AAAA",
                    e.as_bytes(),
                ]
                .join(&0xFFu8)
            })
            .collect(),
        // Request bodies: the example objects, and uploads shaped as the API's (`file:` marks a
        // file), with the names and values that need escaping.
        "encode" => examples
            .iter()
            .filter(is_json)
            .map(|e| e.clone().into_bytes())
            .chain(UPLOADS.iter().map(|u| u.as_bytes().to_vec()))
            .collect(),
        other => panic!("no target `{other}`"),
    }
}

/// Multipart bodies as the API's uploads have them, for the `encode` target.
const UPLOADS: &[&str] = &[
    r#"{"file": "file:train.jsonl", "purpose": "fine-tune", "expires_after": {"anchor": "created_at", "seconds": 3600}}"#,
    r#"{"image": ["file:a.png", "file:b.png"], "mask": "file:mask.png", "prompt": "a cat", "n": 2, "user": null}"#,
    r#"{"file": "file:speech.mp3", "model": "gpt-4o-transcribe", "include[]": ["logprobs"], "timestamp_granularities": ["word", "segment"], "temperature": 0.2}"#,
    r#"{"data": "file:part\r\n--x", "metadata": {"my key": "é \"quoted\"", "tab\tkey": "a\\b", "100%": "%22"}}"#,
    r#"{"file": "file:ré sumé \"final\"\\v2\r\n.pdf", "chunking_strategy": {"type": "static", "static": {"max_chunk_size_tokens": 800}}}"#,
    r#"{"sdp": "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\n", "session": {"type": "realtime", "model": "gpt-realtime", "tools": [{"type": "function", "name": "f"}]}}"#,
    r#"{"files": ["file:a.py", "file:b.py"], "default": true, "description": "", "limit": 10, "order": "desc", "after": "x&y=z#f"}"#,
];

/// Inputs that once failed a target, kept so they never fail again.
fn regressions(target: &str) -> Vec<Vec<u8>> {
    let dir = root().join("fuzz/regressions").join(target);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

/// Byte strings that matter to the formats read.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\\",
    b",",
    b":",
    b"null",
    b"true",
    b"-0",
    b"1e999",
    b"18446744073709551616",
    b"\\u0000",
    b"\\ud800",
    b"\"type\":\"x\"",
    b"\n",
    b"\r",
    b"\r\n",
    b"\n\n",
    b"data: ",
    b"event: ",
    b"id: ",
    b"retry: 1",
    b":comment",
    b"[DONE]",
    b"\xEF\xBB\xBF",
    b"\xFF",
    b"v1,",
    b" ",
    b"whsec_",
    b"\"file:",
    b"\\u0000openai-file:0",
    b"[]",
    b"%2e",
    b"-9223372036854775808",
    b"9223372036854775807",
];

/// One to four random edits of `input` (maybe a splice with `other`).
fn mutate(rng: &mut fastrand::Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.usize(..4) {
        let at = rng.usize(..out.len() + 1);
        match rng.usize(..6) {
            0 if !out.is_empty() => {
                let i = rng.usize(..out.len());
                out[i] ^= 1 << rng.usize(..8);
            }
            1 => {
                let token = TOKENS[rng.usize(..TOKENS.len())];
                out.splice(at..at, token.iter().copied());
            }
            2 => {
                let end = (at + rng.usize(..16)).min(out.len());
                out.drain(at..end);
            }
            3 => {
                let end = (at + rng.usize(..64)).min(out.len());
                let copy = out[at..end].to_vec();
                let to = rng.usize(..out.len() + 1);
                out.splice(to..to, copy);
            }
            4 => out.truncate(at),
            _ => {
                let from = rng.usize(..other.len() + 1);
                out.truncate(at);
                out.extend_from_slice(&other[from..]);
            }
        }
    }
    out
}

fn budget() -> Duration {
    let seconds = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4.0);
    Duration::from_secs_f64(seconds)
}

fn run(target: &str, check: fn(&[u8])) {
    let seeds = seeds(target);
    assert!(seeds.len() > 10, "{target}: {} seeds", seeds.len());
    let fixed = regressions(target);
    for input in seeds.iter().chain(&fixed) {
        check(input);
    }
    let start = Instant::now();
    let mut rng = fastrand::Rng::with_seed(0x9E37_79B9_7F4A_7C15 ^ target.len() as u64);
    let mut runs = 0u64;
    while start.elapsed() < budget() {
        let input = &seeds[rng.usize(..seeds.len())];
        let other = &seeds[rng.usize(..seeds.len())];
        let mutated = mutate(&mut rng, input, other);
        if std::panic::catch_unwind(|| check(&mutated)).is_err() {
            let dir = std::env::temp_dir().join("openai-fuzz");
            std::fs::create_dir_all(&dir).unwrap();
            let file = dir.join(format!("{target}-{runs}"));
            std::fs::write(&file, &mutated).unwrap();
            panic!(
                "{target}: mutation {runs} fails (kept in {})",
                file.display()
            );
        }
        runs += 1;
    }
    println!(
        "{target}: {} seeds, {} regressions, {runs} mutations in {:?}",
        seeds.len(),
        fixed.len(),
        start.elapsed()
    );
}

#[test]
fn json() {
    run("json", openai_fuzz::json);
}

#[test]
fn lenient() {
    run("lenient", openai_fuzz::lenient);
}

#[test]
fn sse() {
    run("sse", openai_fuzz::sse);
}

#[test]
fn webhook() {
    run("webhook", openai_fuzz::webhook);
}

#[test]
fn encode() {
    run("encode", openai_fuzz::encode);
}

/// Writes each target's seeds to `fuzz/corpus/<target>/` for libFuzzer (`fuzz/README.md`).
#[test]
#[ignore = "writes files; run by hand before a long libFuzzer run"]
fn write_corpora() {
    for target in ["json", "lenient", "sse", "webhook", "encode"] {
        let dir = root().join("fuzz/corpus").join(target);
        std::fs::create_dir_all(&dir).unwrap();
        for (i, seed) in seeds(target).iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i:04}")), seed).unwrap();
        }
    }
}
