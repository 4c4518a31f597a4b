//! Stage 1: read the spec text into a [`Value`] tree and check what the later stages rely on.
//!
//! The spec is OpenAPI 3.1 with 3.0 leftovers (`nullable`, boolean `exclusiveMinimum`).
//! `openapiv3` models 3.0 only: it silently drops `const`, `webhooks` and `$ref` sibling keys and
//! turns objects mixing `type: object` with a union into `SchemaKind::Any`, and `oas3` (a 3.1
//! model) rejects this very file. So the generator reads the document into its own ordered tree
//! and the lowering stage interprets schemas itself, with a JSON pointer at every step. This
//! module is the only place that knows the document is YAML.

use crate::error::{Error, Result};
use crate::value::Value;

/// A loaded spec: the tree plus the version it declares.
pub struct Spec {
    pub root: Value,
}

pub fn load(text: &str) -> Result<Spec> {
    let root: Value = serde_yaml::from_str(text).map_err(|e| {
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
    if root
        .pointer("#/components/schemas")
        .and_then(Value::as_object)
        .is_none()
    {
        return Err(Error::new(
            "#/components/schemas",
            "missing or not a mapping",
        ));
    }
    check_refs(&root, &mut String::from("#"), &root)?;
    Ok(Spec { root })
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
                let data = key == "example" || key == "examples" || key.starts_with("x-");
                if data && !in_properties {
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
