//! Every component schema of the spec, and every webhook payload, has a generated type.

use openai_codegen::value::Value;
use openai_tests::{roundtrip_schema, spec};

#[test]
fn every_component_schema_has_a_type() {
    let spec = spec();
    let schemas = spec
        .pointer("#/components/schemas")
        .and_then(Value::as_object)
        .expect("schemas");
    let missing: Vec<&String> = schemas
        .keys()
        .filter(|name| roundtrip_schema(name, "null", false).is_none())
        .collect();
    assert!(missing.is_empty(), "schemas without a type: {missing:?}");
    println!(
        "{} of {} component schemas have a generated type",
        schemas.len() - missing.len(),
        schemas.len()
    );
}

#[test]
fn every_webhook_payload_has_a_type() {
    let spec = spec();
    let hooks = spec
        .get("webhooks")
        .and_then(Value::as_object)
        .expect("webhooks");
    let mut typed = 0;
    for (event, item) in hooks {
        let schema = item
            .pointer("#/post/requestBody/content/application~1json/schema/$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .unwrap_or_else(|| panic!("webhook {event} has no payload schema reference"));
        assert!(
            roundtrip_schema(schema, "{}", false).is_some(),
            "webhook {event}: no type for {schema}"
        );
        typed += 1;
    }
    assert!(typed > 0);
    println!(
        "{typed} of {} webhook payloads have a generated type",
        hooks.len()
    );
}
