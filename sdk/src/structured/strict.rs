//! The JSON schema structured outputs accept in strict mode, as openai-python's
//! `to_strict_json_schema` makes it: every object closed (`additionalProperties: false`) with
//! every property required (an `Option` field is one that may be `null`), `$ref`/`$defs` kept,
//! and what strict mode refuses either dropped (documentation-only keys, number formats) or an
//! error naming where it is (a map: an object of any keys).

use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// String formats strict mode takes; any other `format` is dropped (schemars writes `int32`,
/// `uint`, `double`, … for numbers, which it refuses).
const STRING_FORMATS: &[&str] = &[
    "date-time",
    "time",
    "date",
    "duration",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "uuid",
];

/// The strict form of `schema` (a whole schema, its `$defs` included).
pub fn to_strict(mut schema: Value) -> Result<Value> {
    strict_at(&mut schema, "#")?;
    if let Some(root) = schema.as_object_mut() {
        // Not a keyword of the model's: the dialect and the Rust type's name.
        root.remove("$schema");
        root.remove("title");
    }
    Ok(schema)
}

fn strict_at(schema: &mut Value, at: &str) -> Result<()> {
    let Some(o) = schema.as_object_mut() else {
        return Ok(());
    };
    if o.get("default").is_some_and(Value::is_null) {
        o.remove("default");
    }
    if o.get("format")
        .and_then(Value::as_str)
        .is_some_and(|f| !STRING_FORMATS.contains(&f))
    {
        o.remove("format");
    }
    for defs in ["$defs", "definitions"] {
        if let Some(Value::Object(defs)) = o.get_mut(defs) {
            for (name, def) in defs.iter_mut() {
                strict_at(def, &format!("#/$defs/{name}"))?;
            }
        }
    }
    let is_object =
        o.get("type").and_then(Value::as_str) == Some("object") || o.contains_key("properties");
    if is_object {
        close_object(o, at)?;
    }
    if let Some(Value::Object(props)) = o.get_mut("properties") {
        for (name, prop) in props.iter_mut() {
            strict_at(prop, &format!("{at}/properties/{name}"))?;
        }
    }
    if let Some(items) = o.get_mut("items") {
        strict_at(items, &format!("{at}/items"))?;
    }
    for key in ["anyOf", "oneOf", "allOf", "prefixItems"] {
        if let Some(Value::Array(branches)) = o.get_mut(key) {
            for (i, branch) in branches.iter_mut().enumerate() {
                strict_at(branch, &format!("{at}/{key}/{i}"))?;
            }
        }
    }
    // Strict mode takes `anyOf`, not `oneOf` (schemars writes `oneOf` for enums with data).
    if let Some(one_of) = o.remove("oneOf") {
        o.insert("anyOf".to_owned(), one_of);
    }
    Ok(())
}

/// Closes an object schema: no other properties, all of its own required.
fn close_object(o: &mut Map<String, Value>, at: &str) -> Result<()> {
    match o.get("additionalProperties") {
        None | Some(Value::Bool(false)) => {}
        Some(Value::Object(_)) | Some(Value::Bool(true)) if !o.contains_key("properties") => {
            return Err(Error::InvalidArgument(format!(
                "structured outputs: `{at}` is a map (an object of any keys), which strict mode \
                 does not take; use a struct or a list of pairs"
            )));
        }
        Some(_) => {}
    }
    o.insert("additionalProperties".to_owned(), Value::Bool(false));
    let names: Vec<Value> = o
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().map(Value::String).collect())
        .unwrap_or_default();
    o.insert("required".to_owned(), Value::Array(names));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_close_and_require_everything_at_every_depth() {
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "Answer",
            "type": "object",
            "properties": {
                "steps": {"type": "array", "items": {"$ref": "#/$defs/Step"}},
                "count": {"type": "integer", "format": "uint32", "minimum": 0},
                "when": {"type": "string", "format": "date-time"},
                "note": {"type": ["string", "null"], "default": null},
                "kind": {"oneOf": [{"type": "string", "enum": ["a"]}, {"type": "object", "properties": {"b": {"type": "integer"}}, "required": ["b"]}]}
            },
            "required": ["steps"],
            "$defs": {
                "Step": {"type": "object", "properties": {"text": {"type": "string"}, "next": {"anyOf": [{"$ref": "#/$defs/Step"}, {"type": "null"}]}}}
            }
        });
        let strict = to_strict(schema).unwrap();
        assert_eq!(
            strict,
            json!({
                "type": "object",
                "properties": {
                    "steps": {"type": "array", "items": {"$ref": "#/$defs/Step"}},
                    "count": {"type": "integer", "minimum": 0},
                    "when": {"type": "string", "format": "date-time"},
                    "note": {"type": ["string", "null"]},
                    "kind": {"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "object", "properties": {"b": {"type": "integer"}}, "required": ["b"], "additionalProperties": false}]}
                },
                // serde_json's maps are sorted by key.
                "required": ["count", "kind", "note", "steps", "when"],
                "additionalProperties": false,
                "$defs": {
                    "Step": {"type": "object", "properties": {"text": {"type": "string"}, "next": {"anyOf": [{"$ref": "#/$defs/Step"}, {"type": "null"}]}}, "additionalProperties": false, "required": ["next", "text"]}
                }
            })
        );
    }

    #[test]
    fn a_map_is_refused_with_where_it_is() {
        let schema = json!({
            "type": "object",
            "properties": {"scores": {"type": "object", "additionalProperties": {"type": "number"}}}
        });
        let err = to_strict(schema).unwrap_err().to_string();
        assert!(err.contains("#/properties/scores"), "{err}");
        assert!(err.contains("map"), "{err}");
    }
}
