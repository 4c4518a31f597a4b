//! Every operation of the spec has a method, and the spec-driven mock server accepts a call of
//! it with only the required arguments and one with every parameter and body field set; each
//! response decodes into the operation's type.

use openai_codegen::value::Value as Spec;
use openai_tests::sample::Sampler;
use openai_tests::{OPERATIONS, call_operation, mock, spec};
use serde_json::{Map, Value};

/// Query parameters of an operation as JSON, required ones only or all of them.
fn query(spec: &Spec, method: &str, path: &str, sampler: &Sampler<'_>, full: bool) -> Value {
    let op = spec
        .get("paths")
        .and_then(|p| p.get(path))
        .and_then(|i| i.get(&method.to_lowercase()))
        .expect("operation");
    let mut out = Map::new();
    for p in op
        .get("parameters")
        .and_then(Spec::as_array)
        .unwrap_or_default()
    {
        let required = p.get("required").and_then(Spec::as_bool) == Some(true);
        if p.get("in").and_then(Spec::as_str) == Some("query") && (required || full) {
            let name = p.get("name").and_then(Spec::as_str).expect("a name");
            out.insert(
                name.to_owned(),
                p.get("schema")
                    .map_or(Value::Null, |s| sampler.sample(s, 0)),
            );
        }
    }
    Value::Object(out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_is_accepted_by_the_mock_server() {
    let spec = spec();
    let client = mock::client();
    let mut in_spec = 0;
    for (_, item) in spec.get("paths").and_then(Spec::as_object).expect("paths") {
        in_spec += ["get", "put", "post", "delete", "patch"]
            .iter()
            .filter(|m| item.get(m).is_some())
            .count();
    }
    let excused: Vec<String> =
        std::fs::read_to_string(openai_tests::workspace_root().join("tests/mock-exceptions.txt"))
            .expect("tests/mock-exceptions.txt")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| l.splitn(3, " | ").take(2).collect::<Vec<_>>().join(" | "))
            .collect();
    let mut failures = Vec::new();
    let mut stale = Vec::new();
    let mut accepted = [0usize; 2];
    for op in OPERATIONS {
        let path: Vec<String> = (0..op.path_params).map(|i| format!("id_{i}")).collect();
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        for (slot, full) in [(0, false), (1, true)] {
            let sampler = Sampler::new(&spec, full);
            let query = query(&spec, op.method, op.path, &sampler, full);
            let body = op.body_schema.map_or(Value::Null, |p| sampler.at(p));
            let key = format!("{} | {}", op.id, if full { "full" } else { "required" });
            match call_operation(&client, op.id, &path, &query, &body).await {
                Some(Ok(())) if excused.contains(&key) => stale.push(key),
                Some(Ok(())) => accepted[slot] += 1,
                Some(Err(_)) if excused.contains(&key) => {}
                Some(Err(e)) => failures.push(format!(
                    "{} {} ({}, {}): {e}",
                    op.method,
                    op.path,
                    op.id,
                    if full { "full" } else { "required" }
                )),
                None => failures.push(format!("{}: no method", op.id)),
            }
        }
    }
    println!(
        "operations: {in_spec} in the spec, {} with a method; the mock accepted {} calls with required arguments and {} with every argument ({} listed mock exceptions)",
        OPERATIONS.len(),
        accepted[0],
        accepted[1],
        excused.len()
    );
    assert!(
        stale.is_empty(),
        "listed in tests/mock-exceptions.txt but accepted now (remove them): {stale:?}"
    );
    assert_eq!(
        OPERATIONS.len(),
        in_spec,
        "every operation of the spec has a method"
    );
    assert!(
        failures.is_empty(),
        "{} calls failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
