//! `cargo bench -p openai-sdk --bench embeddings`: an embeddings response as floats against the
//! same as base64 (`encoding_format: "base64"`), in bytes and in time to the `f32`s
//! (`Embedding::vector`), for 1,536 dimensions, pretty-printed as the API sends it. Whether
//! `create` should ask for base64 when the caller did not choose depends on this (and on the bytes,
//! which cross the network).

use base64::Engine;
use openai_sdk::prelude::*;
use openai_sdk::types::CreateEmbeddingResponse;
use std::hint::black_box;
use std::time::{Duration, Instant};

const DIMENSIONS: usize = 1536;

fn floats() -> Vec<f32> {
    (0..DIMENSIONS)
        .map(|i| ((i as f32) * 0.618_034).sin() * 0.05)
        .collect()
}

/// The response as the API writes it: pretty-printed, one number a line.
fn body(embedding: &str) -> String {
    format!(
        "{{\n  \"object\": \"list\",\n  \"data\": [\n    {{\n      \"object\": \"embedding\",\n      \"index\": 0,\n      \"embedding\": {embedding}\n    }}\n  ],\n  \"model\": \"text-embedding-3-small\",\n  \"usage\": {{\n    \"prompt_tokens\": 5,\n    \"total_tokens\": 5\n  }}\n}}\n"
    )
}

fn float_body(v: &[f32]) -> String {
    let lines: Vec<String> = v
        .iter()
        .map(|x| format!("        {}", serde_json::Value::from(*x as f64)))
        .collect();
    body(&format!("[\n{}\n      ]", lines.join(",\n")))
}

fn base64_body(v: &[f32]) -> String {
    let bytes: Vec<u8> = v.iter().flat_map(|f| f.to_le_bytes()).collect();
    body(&format!(
        "\"{}\"",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

/// Best of five rounds of `n` decodes of `body` into the vector.
fn time(body: &str, n: usize) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        for _ in 0..n {
            let r: CreateEmbeddingResponse =
                openai_sdk::json::from_slice(black_box(body.as_bytes())).unwrap();
            black_box(r.data[0].vector());
        }
        best = best.min(start.elapsed() / n as u32);
    }
    best
}

fn main() {
    let v = floats();
    let (floats, base64) = (float_body(&v), base64_body(&v));
    for body in [&floats, &base64] {
        let r: CreateEmbeddingResponse = openai_sdk::json::from_slice(body.as_bytes()).unwrap();
        assert_eq!(r.data[0].vector(), v, "both give the same f32s");
    }
    let (tf, tb) = (time(&floats, 2000), time(&base64, 2000));
    println!("an embeddings response of {DIMENSIONS} dimensions, decoded to its f32s (best of 5):");
    println!("  floats   {:>7} bytes  {:>8.1?}", floats.len(), tf);
    println!("  base64   {:>7} bytes  {:>8.1?}", base64.len(), tb);
    println!(
        "  ratio base64 / floats: {:.2}x the bytes, {:.2}x the time",
        base64.len() as f64 / floats.len() as f64,
        tb.as_secs_f64() / tf.as_secs_f64()
    );
}
