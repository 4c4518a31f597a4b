//! Every JSON example in the spec decodes into its operation's type and encodes back without
//! losing anything. Exceptions (examples that contradict the spec) are listed, with the reason,
//! in `tests/corpus-exceptions.txt`.

use openai_tests::{curl_body, examples, exceptions, missing, roundtrip_schema, spec};
use serde_json::Value;

/// Runs `check` on every example it applies to; fails listing every unexpected failure, and
/// every listed exception that no longer fails (so the list stays short and true).
fn run(kind: &str, check: impl Fn(&openai_tests::Example) -> Option<Result<(), String>>) {
    let spec = spec();
    let allowed = exceptions(kind);
    let (mut passed, mut excused) = (0, 0);
    let mut failures = Vec::new();
    let mut stale = Vec::new();
    for ex in examples(&spec) {
        let Some(result) = check(&ex) else { continue };
        match (result, allowed.contains(&ex.id)) {
            (Ok(()), false) => passed += 1,
            (Ok(()), true) => stale.push(ex.id.clone()),
            (Err(_), true) => excused += 1,
            (Err(e), false) => failures.push(format!("{kind} | {} | {e}", ex.id)),
        }
    }
    println!(
        "{kind}: {passed} round-trip, {excused} listed exceptions, {} failures",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed as exceptions but now pass (remove them): {stale:?}"
    );
    assert!(passed > 0);
}

fn roundtrip_as(schema: &str, json: &Value) -> Result<Value, String> {
    roundtrip_schema(schema, &json.to_string())
        .unwrap_or_else(|| Err(format!("no type for schema {schema}")))
}

#[test]
fn response_examples_round_trip() {
    run("response", |ex| {
        let json: Value = serde_json::from_str(ex.response.as_deref()?).ok()?;
        let schema = ex.response_schema.as_deref()?;
        Some(
            roundtrip_as(schema, &json)
                .and_then(|back| missing(&json, &back, "").map_or(Ok(()), Err)),
        )
    });
}

#[test]
fn request_examples_round_trip() {
    run("request", |ex| {
        let json = curl_body(ex.curl.as_deref()?)?;
        let schema = ex.request_schema.as_deref()?;
        Some(roundtrip_as(schema, &json).and_then(|back| {
            // Requests must encode exactly what was given: nothing lost, nothing added.
            missing(&json, &back, "")
                .or_else(|| missing(&back, &json, ""))
                .map_or(Ok(()), Err)
        }))
    });
}
