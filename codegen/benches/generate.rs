//! `cargo bench -p openai-codegen`: wall time of a whole generation from the real spec, stage
//! by stage, and its ratio to parsing alone (the floor: NOTES.md measured serde_yaml at ~0.09 s).
//! Goal: a whole generation under 1 s in release.

use openai_codegen::{emit, load, lower, render};
use std::time::{Duration, Instant};

const RUNS: usize = 7;

/// Median wall time of `RUNS` calls after one warm-up.
fn median<T>(mut f: impl FnMut() -> T) -> Duration {
    std::hint::black_box(f());
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml");
    let text = std::fs::read_to_string(path).expect("spec/openapi.yaml");
    let spec = load::load(&text).expect("spec loads");
    let (api, _) = lower::lower(&spec).expect("spec lowers");

    let parse = median(|| load::load(&text).expect("spec loads"));
    let lowering = median(|| lower::lower(&spec).expect("spec lowers"));
    let emitting = median(|| emit::emit(&api).expect("emits"));
    let rendering = median(|| {
        emit::emit(&api)
            .expect("emits")
            .into_iter()
            .map(render::render)
            .collect::<Result<Vec<_>, _>>()
    });
    let whole = median(|| openai_codegen::generate(&text).expect("generates"));

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "generation of spec/openapi.yaml ({} bytes), median of {RUNS} runs:",
        text.len()
    );
    println!("  parse (load)          {:>8.1} ms", ms(parse));
    println!("  lower                 {:>8.1} ms", ms(lowering));
    println!("  emit                  {:>8.1} ms", ms(emitting));
    println!("  emit + render, 1 core {:>8.1} ms", ms(rendering));
    println!("  whole generate        {:>8.1} ms", ms(whole));
    println!(
        "  ratio whole / parse   {:>8.2}x",
        whole.as_secs_f64() / parse.as_secs_f64()
    );
    println!(
        "  goal: whole < 1000 ms: {}",
        if whole < Duration::from_secs(1) {
            "met"
        } else {
            "NOT met"
        }
    );
}
