//! Stage 1: read the spec text into a [`Value`] tree, check what the later stages rely on, and
//! give one spelling to what JSON Schema spells two ways (a list of types is a union).
//!
//! The spec is OpenAPI 3.1 with 3.0 leftovers (`nullable`, boolean `exclusiveMinimum`).
//! `openapiv3` models 3.0 only: it silently drops `const`, `webhooks` and `$ref` sibling keys and
//! turns objects mixing `type: object` with a union into `SchemaKind::Any`, and `oas3` (a 3.1
//! model) rejects this very file. So the generator reads the document into its own ordered tree
//! and the lowering stage interprets schemas itself, with a JSON pointer at every step. This
//! module is the only place that knows the document is YAML.

use crate::error::{Error, Result};
use crate::value::{Reader, Value};
use crate::warning::{Warning, WarningKind};
use indexmap::IndexMap;
use serde::de::DeserializeSeed;
use std::cell::RefCell;

/// A loaded spec: the tree, and what was taken in a way of its own (a key given twice).
pub struct Spec {
    pub root: Value,
    pub warnings: Vec<Warning>,
}

pub fn load(text: &str) -> Result<Spec> {
    let (at, duplicates) = (RefCell::new(String::from("#")), RefCell::new(Vec::new()));
    let reader = Reader {
        at: &at,
        duplicates: &duplicates,
    };
    let root: Value = reader
        .deserialize(serde_yaml::Deserializer::from_str(text))
        .map_err(|e| {
            let place = e
                .location()
                .map(|l| format!("line {}, column {}", l.line(), l.column()))
                .unwrap_or_else(|| "the document".to_owned());
            Error::new("#", format!("the spec is not valid YAML ({place}): {e}"))
        })?;
    let version = root
        .get("openapi")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new("#/openapi", "missing `openapi` version string"))?;
    if !(version.starts_with("3.0.") || version.starts_with("3.1.")) {
        return Err(Error::new(
            "#/openapi",
            format!("unsupported OpenAPI version `{version}` (3.0.x and 3.1.x are supported)"),
        ));
    }
    let mut root = root;
    if let Value::Object(map) = &mut root {
        // A document may define no schemas of its own.
        let components = map
            .entry("components".to_owned())
            .or_insert_with(|| Value::Object(IndexMap::new()));
        if let Value::Object(components) = components {
            components
                .entry("schemas".to_owned())
                .or_insert_with(|| Value::Object(IndexMap::new()));
        }
    }
    if root
        .pointer("#/components/schemas")
        .and_then(Value::as_object)
        .is_none()
    {
        return Err(Error::new("#/components/schemas", "not a mapping"));
    }
    let mut warnings: Vec<Warning> = duplicates
        .into_inner()
        .into_iter()
        .map(|pointer| {
            Warning::new(
                WarningKind::Document,
                pointer,
                "the key is given more than once; the last value is taken",
            )
        })
        .collect();
    warnings.extend(drop_non_schemas(&mut root));
    check_refs(&root, &mut String::from("#"), &root)?;
    split_type_lists(&mut root, false);
    Ok(Spec { root, warnings })
}

/// Entries of `components/schemas` that cannot be a schema (a string, a number, a list: a schema
/// is a mapping or a boolean) are left out, each with a warning; a `$ref` to one is then an
/// error, as to any missing schema.
fn drop_non_schemas(root: &mut Value) -> Vec<Warning> {
    let schemas = match root {
        Value::Object(root) => match root.get_mut("components") {
            Some(Value::Object(components)) => components.get_mut("schemas"),
            _ => None,
        },
        _ => None,
    };
    let Some(Value::Object(schemas)) = schemas else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    schemas.retain(|name, schema| {
        let keep = matches!(schema, Value::Object(_) | Value::Bool(_));
        if !keep {
            warnings.push(Warning::new(
                WarningKind::Document,
                format!("#/components/schemas/{}", crate::value::escape_token(name)),
                "not a schema (a mapping or a boolean): left out",
            ));
        }
        keep
    });
    warnings
}

/// Keys that document a schema, kept on the schema when its types are split.
const DOCS: &[&str] = &[
    "description",
    "title",
    "deprecated",
    "example",
    "examples",
    "default",
];

/// `type: [string, integer]` (JSON Schema 2020-12, OpenAPI 3.1) is a union of the types: it is
/// rewritten as `anyOf` of one schema per type (each with the other keywords), plus `null` when
/// listed, so lowering knows one spelling of a union. A list of one type and `null` stays: that
/// is a nullable type, which lowering reads as such.
fn split_type_lists(value: &mut Value, in_properties: bool) {
    match value {
        Value::Object(map) => {
            let types: Vec<String> = match map.get("type") {
                Some(Value::Array(ts)) => ts
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                _ => Vec::new(),
            };
            let kinds = types.iter().filter(|t| *t != "null").count();
            if kinds >= 2 && !map.contains_key("anyOf") && !map.contains_key("oneOf") {
                map.shift_remove("type");
                let (docs, rest): (IndexMap<String, Value>, IndexMap<String, Value>) =
                    std::mem::take(map)
                        .into_iter()
                        .partition(|(k, _)| DOCS.contains(&k.as_str()));
                let branches = types
                    .iter()
                    .map(|t| {
                        let mut branch =
                            IndexMap::from([("type".to_owned(), Value::String(t.clone()))]);
                        if t != "null" {
                            branch.extend(rest.clone());
                        }
                        Value::Object(branch)
                    })
                    .collect();
                *map = docs;
                map.insert("anyOf".to_owned(), Value::Array(branches));
            }
            for (key, v) in map.iter_mut() {
                if !is_data(key, in_properties) {
                    split_type_lists(v, key == "properties");
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| split_type_lists(v, false)),
        _ => {}
    }
}

/// Whether the value under `key` is data (an example, an extension), not part of a schema: a
/// property of that name is still a schema.
fn is_data(key: &str, in_properties: bool) -> bool {
    !in_properties && (key == "example" || key == "examples" || key.starts_with("x-"))
}

/// Every local `$ref` must point somewhere: a dangling one is a broken document, reported here
/// with its pointer whether or not generation would reach it. Example values and extensions
/// are data, not schemas, and are not searched.
fn check_refs(root: &Value, at: &mut String, value: &Value) -> Result<()> {
    let len = at.len();
    match value {
        Value::Object(map) => {
            let in_properties = at.ends_with("/properties");
            for (key, v) in map {
                if is_data(key, in_properties) {
                    continue;
                }
                at.push('/');
                at.push_str(&crate::value::escape_token(key));
                if key == "$ref"
                    && let Value::String(r) = v
                    && r.starts_with('#')
                    && root.pointer(r).is_none()
                {
                    return Err(Error::new(
                        at.clone(),
                        format!("`$ref` `{r}` points to nothing in the document"),
                    ));
                }
                check_refs(root, at, v)?;
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push_str(&format!("/{i}"));
                check_refs(root, at, v)?;
                at.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

/// JSON embedded in the spec's text (an example's request body), read as a tree; `None` if it is
/// not valid. JSON is YAML, so the same reader serves.
pub fn embedded_json(text: &str) -> Option<Value> {
    serde_yaml::from_str(text).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_document_without_components_generates() {
        let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /ping:\n    get:\n      operationId: ping\n      responses: {'204': {description: ok}}\n";
        let generated = crate::generate(spec).unwrap();
        assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
        assert!(
            generated
                .files
                .iter()
                .any(|f| f.contents.contains("pub fn retrieve"))
                || generated
                    .files
                    .iter()
                    .any(|f| f.contents.contains("pub fn ping")),
        );
    }

    #[test]
    fn a_dangling_ref_is_an_error_with_its_pointer() {
        let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        example: {$ref: '#/components/schemas/Gone'}\n      example: {$ref: 'not checked: an example is data'}\n";
        let error = super::load(spec).err().unwrap();
        assert_eq!(
            error.pointer,
            "#/components/schemas/A/properties/example/$ref"
        );
    }

    #[test]
    fn a_key_given_twice_takes_the_last_value_and_says_where() {
        let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    RateLimits:\n      properties:\n        type: {type: string}\n        a~b/c: {type: string}\n        type: {type: integer}\n        a~b/c: {type: boolean}\n";
        let loaded = super::load(spec).unwrap();
        let ty = loaded
            .root
            .pointer("#/components/schemas/RateLimits/properties/type/type");
        assert_eq!(ty.and_then(super::Value::as_str), Some("integer"));
        let pointers: Vec<&str> = loaded.warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/components/schemas/RateLimits/properties/type",
                "#/components/schemas/RateLimits/properties/a~0b~1c"
            ]
        );
    }

    #[test]
    fn an_entry_of_the_schemas_that_is_not_a_schema_is_left_out() {
        let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Fine: {type: string}\n    schemas: [not, a, schema]\n    Open: true\n";
        let generated = crate::generate(spec).unwrap();
        let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            warnings,
            [
                "warning[document]: #/components/schemas/schemas: not a schema (a mapping or a boolean): left out"
            ]
        );
    }
}
