//! Helpers shared by the `decode` and `encode` benches: timing and checking that a contender
//! really carries the whole payload.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::time::{Duration, Instant};

/// Rounds per measurement; the best round counts (the machine is shared and noisy, so the
/// fastest round is the one least disturbed).
pub const ROUNDS: usize = 5;

/// Time each contender runs in one round.
pub const ROUND_TIME: Duration = Duration::from_millis(600);

/// Best throughput in MB/s of each of `runs`, each processing `bytes` bytes per call.
///
/// The contenders run in turn within each round, so that a slow spell of the machine hits them
/// all rather than one.
pub fn measure(bytes: usize, runs: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    // Warm caches and the allocator, then size each contender's round to about ROUND_TIME.
    let iterations: Vec<u32> = runs
        .iter_mut()
        .map(|run| {
            run();
            let start = Instant::now();
            run();
            let once = start.elapsed().max(Duration::from_nanos(1));
            (ROUND_TIME.as_secs_f64() / once.as_secs_f64())
                .ceil()
                .max(1.0) as u32
        })
        .collect();
    let mut best = vec![Duration::MAX; runs.len()];
    for _ in 0..ROUNDS {
        for ((run, &n), best) in runs.iter_mut().zip(&iterations).zip(&mut best) {
            let start = Instant::now();
            for _ in 0..n {
                run();
            }
            *best = (*best).min(start.elapsed() / n);
        }
    }
    best.iter()
        .map(|t| bytes as f64 / 1e6 / t.as_secs_f64())
        .collect()
}

/// Decodes `json` as `T` with serde_json, panicking with the place and reason if it does not fit.
pub fn decode<T: DeserializeOwned>(what: &str, json: &[u8]) -> T {
    serde_json::from_slice(json).unwrap_or_else(|e| {
        // The payloads are one line, so the column is the byte offset.
        let at = e.column().saturating_sub(1).min(json.len());
        let from = at.saturating_sub(120);
        let to = (at + 40).min(json.len());
        panic!(
            "{what} does not decode: {e}\n  near: …{}⟨here⟩{}…",
            String::from_utf8_lossy(&json[from..at]),
            String::from_utf8_lossy(&json[at..to])
        )
    })
}

/// Panics unless `value` encodes to the same JSON as `json`, so a bench cannot be measuring a
/// type that drops or invents data.
pub fn assert_round_trip<T: Serialize>(what: &str, value: &T, json: &[u8]) {
    let expected: Value = decode("the payload as serde_json::Value", json);
    // Through bytes, as on the wire: `to_value` would widen an `f32` 0.2 to 0.20000000298….
    let actual: Value = decode(what, &serde_json::to_vec(value).expect("encodes"));
    if let Some(diff) = first_difference(&expected, &actual, String::new()) {
        panic!("{what} does not encode back to its input: {diff}");
    }
}

/// Where two JSON values first differ, if they do. Numbers are compared by value, since a spec
/// `number` (as `created_at`) encodes back as `1741570283.0` where the API sent `1741570283`; a
/// `null` member may come back absent.
fn first_difference(expected: &Value, actual: &Value, path: String) -> Option<String> {
    let differs = || Some(format!("at `{path}`: expected {expected}, got {actual}"));
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => (a.as_f64() != b.as_f64()).then(differs).flatten(),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (a, b))| first_difference(a, b, format!("{path}[{i}]"))),
        (Value::Object(a), Value::Object(b)) => {
            let keys = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k)));
            keys.into_iter().find_map(|k| match (a.get(k), b.get(k)) {
                (Some(a), Some(b)) => first_difference(a, b, format!("{path}.{k}")),
                // An optional field sent as `null` decodes as `None`, which encodes as absent.
                (Some(Value::Null), None) => None,
                (a, b) => Some(format!("at `{path}.{k}`: expected {a:?}, got {b:?}")),
            })
        }
        _ => (expected != actual).then(differs).flatten(),
    }
}

/// One row of a results table: the size, then each contender's MB/s.
pub fn row(name: &str, bytes: usize, mbps: &[f64]) -> String {
    let mut s = format!("{name:<22} {:>9.1} KB", bytes as f64 / 1e3);
    for v in mbps {
        s += &format!(" {v:>10.1}");
    }
    s
}

/// A deterministic pseudo-random source (xorshift), so every run decodes the same bytes.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn bits(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// In `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.bits() % n as u64) as usize
    }

    /// In `[-1, 1)`.
    pub fn unit(&mut self) -> f32 {
        (self.bits() >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    }

    /// A word of generated text: mostly ASCII, with the escapes and multi-byte characters
    /// real model output has, so string decoding is not all fast path.
    pub fn word(&mut self) -> &'static str {
        #[rustfmt::skip]
        const WORDS: &[&str] = &[
            "the", "weather", "in", "Paris", "is", "mild", "with", "a", "chance", "of", "rain",
            "tomorrow", "and", "temperatures", "around", "18°C", "—", "bring", "an", "umbrella",
            "\"quoted\"", "data", "model", "response", "token", "city", "forecast", "sunny",
            "\n\n", "**bold**", "résumé", "naïve", "東京", "emoji 🙂", "line\\break",
        ];
        WORDS[self.below(WORDS.len())]
    }

    /// `words` words separated by spaces.
    pub fn text(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| self.word())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `s` as a JSON string literal.
pub fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string encodes")
}

pub mod shapes;
