//! What the real API sends that the spec does not promise, applied to every JSON response
//! example: each mutated payload must still decode, and encoding it back must keep everything it
//! had (unknown fields, unknown enum values and union variants, `null`s; a `null` in an optional
//! field the spec does not let be `null` decodes as `None`, and so encodes as absent).

use openai_tests::{examples, lost, roundtrip_schema, spec};
use serde_json::{Value, json};

/// Paths (as key lists) of every object member in `v`.
fn members(v: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                at.push(Step::Key(k.clone()));
                out.push(at.clone());
                members(child, at, out);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                at.push(Step::Index(i));
                members(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// The parent container of `path` and the last step.
fn parent<'v>(v: &'v mut Value, path: &[Step]) -> (&'v mut Value, Step) {
    let (last, init) = path.split_last().expect("non-empty path");
    let mut at = v;
    for step in init {
        at = match step {
            Step::Key(k) => &mut at[k.as_str()],
            Step::Index(i) => &mut at[*i],
        };
    }
    (at, last.clone())
}

fn insert_unknown_everywhere(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.values_mut().for_each(insert_unknown_everywhere);
            m.insert("zz_new_field".into(), json!({"nested": [1, "two"]}));
        }
        Value::Array(a) => a.iter_mut().for_each(insert_unknown_everywhere),
        _ => {}
    }
}

struct Tally {
    cases: usize,
    failures: Vec<String>,
}

impl Tally {
    /// Decodes `mutated` as `schema`; fails when decoding fails or encoding loses something.
    fn check(&mut self, what: &str, schema: &str, mutated: &Value) {
        self.cases += 1;
        let result =
            roundtrip_schema(schema, &mutated.to_string(), false).expect("a type for every schema");
        let problem = match result {
            Err(e) => Some(e),
            Ok(back) => lost(mutated, &back, ""),
        };
        if let Some(problem) = problem {
            self.failures.push(format!("{what}: {problem}"));
        }
    }
}

#[test]
fn mutated_response_examples_still_decode_and_keep_everything() {
    let spec = spec();
    let mut tally = Tally {
        cases: 0,
        failures: Vec::new(),
    };
    let mut kinds = [0usize; 4];
    for ex in examples(&spec) {
        let Some(schema) = ex.response_schema.as_deref() else {
            continue;
        };
        let Some(original) = ex
            .response
            .as_deref()
            .and_then(|r| serde_json::from_str::<Value>(r).ok())
        else {
            continue;
        };
        let mut unknown = original.clone();
        insert_unknown_everywhere(&mut unknown);
        tally.check(&format!("{} unknown fields", ex.id), schema, &unknown);
        kinds[0] += 1;

        let mut paths = Vec::new();
        members(&original, &mut Vec::new(), &mut paths);
        for path in &paths {
            let name = format!("{} {path:?}", ex.id);
            let (container, last) = {
                let mut copy = original.clone();
                let (p, last) = parent(&mut copy, path);
                let Step::Key(k) = &last else {
                    unreachable!("members are keys")
                };
                let is_string = p[k.as_str()].is_string();
                (is_string, (copy.clone(), k.clone()))
            };
            let (base, key) = last;
            // An enum value, constant or discriminator the spec never listed (any string).
            if container {
                let mut m = base.clone();
                parent(&mut m, path).0[key.as_str()] = json!("zz_unknown_value");
                tally.check(&format!("{name} unknown value"), schema, &m);
                kinds[1] += 1;
            }
            // `null` where the spec may not allow it.
            let mut m = base.clone();
            parent(&mut m, path).0[key.as_str()] = Value::Null;
            tally.check(&format!("{name} null"), schema, &m);
            kinds[2] += 1;
            // The member missing, required or not.
            let mut m = base;
            if let Value::Object(obj) = parent(&mut m, path).0 {
                obj.remove(&key);
            }
            tally.check(&format!("{name} missing"), schema, &m);
            kinds[3] += 1;
        }
    }
    println!(
        "forward compatibility: {} mutated payloads ({} with unknown fields everywhere, {} unknown values, {} nulls, {} missing members), {} failures",
        tally.cases,
        kinds[0],
        kinds[1],
        kinds[2],
        kinds[3],
        tally.failures.len()
    );
    let shown: Vec<&String> = tally.failures.iter().take(40).collect();
    assert!(
        tally.failures.is_empty(),
        "{} failures, first ones:\n{shown:#?}",
        tally.failures.len()
    );
    assert!(kinds.iter().all(|k| *k > 0));
}

/// The `null`s the API sends where its spec promises a value: a required field's is kept (the
/// field takes its default, `extra` says it was `null`, and it encodes back); an optional field's
/// is `None`, as absent is. Strict decoding refuses both.
#[test]
fn nulls_where_the_spec_promises_a_value() {
    use openai_sdk::types::OpenAiFile;
    let text = r#"{"id":"file-1","object":"file","bytes":null,"created_at":1,"expires_at":null,"filename":"a.txt","purpose":"batch","status":"processed"}"#;
    let file: OpenAiFile = openai_sdk::json::from_str(text).unwrap();
    assert_eq!(file.bytes, 0);
    assert_eq!(file.extra.get("bytes").map(|raw| raw.get()), Some("null"));
    assert_eq!(file.expires_at, None);
    assert!(!file.extra.contains_key("expires_at"));
    let back = serde_json::to_value(&file).unwrap();
    assert_eq!(back["bytes"], Value::Null);
    assert!(back.get("expires_at").is_none());
    for field in ["bytes", "expires_at"] {
        let one_null = text.replace(&format!(r#""{field}":null"#), &format!(r#""{field}":1"#));
        let other = if field == "bytes" {
            "expires_at"
        } else {
            "bytes"
        };
        let err = openai_sdk::json::from_str_strict::<OpenAiFile>(&one_null).unwrap_err();
        assert!(err.to_string().contains(other), "{err}");
    }
}

/// A field the spec does not list is kept as the text it came as (pretty-printed here, as the
/// API sends it), whichever deserializer reads it: the SDK's, serde_json's, or a `Value`'s (which
/// writes it out compact); so is a value that does not fit its field (the SDK's, which alone is
/// lenient). It encodes back as it came.
#[test]
fn unknown_fields_keep_their_text() {
    use openai_sdk::types::OpenAiFile;
    let moderation = "{\n    \"flagged\": false,\n    \"categories\": [\"a\", \"\\u00e9\"]\n  }";
    let text = format!(
        "{{\n  \"id\": \"file-1\",\n  \"object\": \"file\",\n  \"bytes\": 12,\n  \"moderation\": {moderation},\n  \"created_at\": 1,\n  \"filename\": \"a.txt\",\n  \"purpose\": \"batch\",\n  \"status\": \"processed\"\n}}"
    );
    let ours: OpenAiFile = openai_sdk::json::from_str(&text).unwrap();
    let theirs: OpenAiFile = serde_json::from_str(&text).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let from_value: OpenAiFile = serde_json::from_value(value.clone()).unwrap();
    for file in [&ours, &theirs] {
        assert_eq!(file.extra.get("moderation").unwrap().get(), moderation);
    }
    let compact = r#"{"categories":["a","é"],"flagged":false}"#;
    assert_eq!(from_value.extra.get("moderation").unwrap().get(), compact);
    assert_eq!(ours, theirs);
    assert_eq!(ours, from_value);
    assert_eq!(
        ours.extra.value("moderation"),
        Some(value["moderation"].clone())
    );
    assert_eq!(serde_json::to_value(&ours).unwrap(), value);
    let encoded = serde_json::to_string(&ours).unwrap();
    assert!(
        encoded.contains(&format!(r#""moderation":{moderation}"#)),
        "{encoded}"
    );

    let misfit = text.replace("\"bytes\": 12", "\"bytes\": \"12\"");
    let ours: OpenAiFile = openai_sdk::json::from_str(&misfit).unwrap();
    assert_eq!(ours.bytes, 0);
    assert_eq!(ours.extra.get("bytes").unwrap().get(), r#""12""#);
    assert_eq!(ours.extra.get("moderation").unwrap().get(), moderation);
}
