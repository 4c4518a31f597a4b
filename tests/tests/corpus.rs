//! Every JSON example in the spec decodes into its operation's type and encodes back without
//! losing anything, and also decodes strictly (`openai_sdk::json::from_str_strict`): the lenient
//! decoding the client uses would pass a wrongly typed field by keeping it in `extra`, strict
//! decoding fails on it. Exceptions (examples that contradict the spec) are listed, one reason
//! each, in `tests/corpus-exceptions.txt`.

use openai_tests::{curl_body, examples, exceptions, lost, missing, roundtrip_schema, spec};
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

fn roundtrip_as(schema: &str, json: &Value, strict: bool) -> Result<Value, String> {
    roundtrip_schema(schema, &json.to_string(), strict)
        .unwrap_or_else(|| Err(format!("no type for schema {schema}")))
}

/// A response example and its schema.
fn response(ex: &openai_tests::Example) -> Option<(Value, &str)> {
    let json: Value = serde_json::from_str(ex.response.as_deref()?).ok()?;
    Some((json, ex.response_schema.as_deref()?))
}

/// A request example (the body of its curl command) and its schema.
fn request(ex: &openai_tests::Example) -> Option<(Value, &str)> {
    Some((
        curl_body(ex.curl.as_deref()?)?,
        ex.request_schema.as_deref()?,
    ))
}

/// Decodes and encodes back: nothing lost (and for a request, nothing added either: it must
/// encode exactly what was given).
fn check(json: &Value, schema: &str, strict: bool, exact: bool) -> Result<(), String> {
    let back = roundtrip_as(schema, json, strict)?;
    let added = || exact.then(|| missing(&back, json, "")).flatten();
    lost(json, &back, "").or_else(added).map_or(Ok(()), Err)
}

#[test]
fn response_examples_round_trip() {
    run("response", |ex| {
        response(ex).map(|(json, schema)| check(&json, schema, false, false))
    });
}

#[test]
fn request_examples_round_trip() {
    run("request", |ex| {
        request(ex).map(|(json, schema)| check(&json, schema, false, true))
    });
}

#[test]
fn response_examples_decode_strictly() {
    run("strict response", |ex| {
        response(ex).map(|(json, schema)| check(&json, schema, true, false))
    });
}

#[test]
fn request_examples_decode_strictly() {
    run("strict request", |ex| {
        request(ex).map(|(json, schema)| check(&json, schema, true, true))
    });
}
