//! Sample JSON for a schema, for calling operations against the mock server: `minimal` fills only
//! required fields, `full` fills every field it can (nested ones too, to a depth).

use openai_codegen::value::Value as Spec;
use serde_json::{Map, Value, json};

pub struct Sampler<'a> {
    spec: &'a Spec,
    full: bool,
}

/// Below this depth a full sample fills required fields only (recursive schemas end).
const FULL_DEPTH: usize = 6;
const MAX_DEPTH: usize = 24;

fn num(s: &Spec, key: &str) -> Option<f64> {
    match s.get(key)? {
        Spec::Int(i) => Some(*i as f64),
        Spec::Float(f) => Some(*f),
        _ => None,
    }
}

fn to_json(v: &Spec) -> Value {
    serde_json::from_str(&v.to_json()).unwrap_or(Value::Null)
}

fn is_null(s: &Spec) -> bool {
    s.get("type").and_then(Spec::as_str) == Some("null")
}

fn describes(s: &Spec) -> bool {
    const KEYS: &[&str] = &[
        "$ref",
        "type",
        "properties",
        "items",
        "enum",
        "const",
        "oneOf",
        "anyOf",
        "allOf",
        "additionalProperties",
    ];
    s.as_object()
        .is_none_or(|o| o.keys().any(|k| KEYS.contains(&k.as_str())))
}

impl<'a> Sampler<'a> {
    pub fn new(spec: &'a Spec, full: bool) -> Self {
        Sampler { spec, full }
    }

    pub fn at(&self, pointer: &str) -> Value {
        let schema = self
            .spec
            .pointer(pointer)
            .unwrap_or_else(|| panic!("no schema at {pointer}"));
        self.sample(schema, 0)
    }

    fn resolve<'s>(&'s self, mut s: &'s Spec) -> &'s Spec {
        while let Some(r) = s.get("$ref").and_then(Spec::as_str) {
            s = self
                .spec
                .pointer(r)
                .unwrap_or_else(|| panic!("dangling {r}"));
        }
        s
    }

    pub fn sample(&self, schema: &Spec, depth: usize) -> Value {
        let s = self.resolve(schema);
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if let Some(c) = s.get("const") {
            return to_json(c);
        }
        if let Some(values) = s.get("enum").and_then(Spec::as_array)
            && let Some(v) = values.iter().find(|v| **v != Spec::Null)
        {
            return to_json(v);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = s.get(key).and_then(Spec::as_array)
                && let Some(b) = branches.iter().find(|b| describes(b) && !is_null(b))
                && s.get("properties").is_none()
            {
                return self.sample(b, depth + 1);
            }
        }
        if let Some(parts) = s.get("allOf").and_then(Spec::as_array) {
            let mut merged = Map::new();
            let mut other = None;
            for part in parts.iter().filter(|p| describes(p)) {
                match self.sample(part, depth + 1) {
                    Value::Object(m) => merged.extend(m),
                    v => other = Some(v),
                }
            }
            if let Some(Value::Object(own)) = s.get("properties").map(|_| self.object(s, depth)) {
                merged.extend(own);
            }
            return if merged.is_empty() {
                other.unwrap_or(Value::Object(merged))
            } else {
                Value::Object(merged)
            };
        }
        let ty = match s.get("type") {
            Some(Spec::String(t)) => Some(t.as_str()),
            Some(Spec::Array(ts)) => ts.iter().filter_map(Spec::as_str).find(|t| *t != "null"),
            _ if s.get("items").is_some() => Some("array"),
            _ => None,
        };
        match ty {
            Some("string") => self.string(s),
            Some("integer") => json!(self.number(s).round() as i64),
            Some("number") => json!(self.number(s)),
            Some("boolean") => json!(true),
            Some("array") => {
                let n = num(s, "minItems").unwrap_or(1.0).max(1.0) as usize;
                let item = s
                    .get("items")
                    .map_or(json!("value"), |i| self.sample(i, depth + 1));
                Value::Array(vec![item; n])
            }
            Some("object") | None if s.get("properties").is_some() => self.object(s, depth),
            Some("object") => match s.get("additionalProperties") {
                Some(ap @ Spec::Object(m)) if !m.is_empty() => {
                    json!({"key": self.sample(ap, depth + 1)})
                }
                _ => json!({}),
            },
            Some("null") => Value::Null,
            _ => json!("value"),
        }
    }

    fn object(&self, s: &Spec, depth: usize) -> Value {
        let required: Vec<&str> = s
            .get("required")
            .and_then(Spec::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(Spec::as_str)
            .collect();
        // `anyOf: [{required: [a]}, {required: [b]}]`: one of them must be there.
        let mut required: Vec<String> = required.iter().map(|r| r.to_string()).collect();
        for key in ["anyOf", "oneOf"] {
            if let Some(first) = s
                .get(key)
                .and_then(Spec::as_array)
                .and_then(|b| b.first())
                .filter(|b| !describes(b))
            {
                required.extend(
                    first
                        .get("required")
                        .and_then(Spec::as_array)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(Spec::as_str)
                        .map(str::to_owned),
                );
            }
        }
        // `not: {required: [a, b]}`: never all of them.
        let excluded: Vec<String> = s
            .pointer("#/not/required")
            .and_then(Spec::as_array)
            .map(|names| {
                names
                    .iter()
                    .skip(1)
                    .filter_map(Spec::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let full = self.full && depth < FULL_DEPTH;
        let mut out = Map::new();
        for (name, prop) in s
            .get("properties")
            .and_then(Spec::as_object)
            .into_iter()
            .flatten()
        {
            let wanted = required.contains(name) || (full && !excluded.contains(name));
            if wanted && self.resolve(prop).get("readOnly").and_then(Spec::as_bool) != Some(true) {
                out.insert(name.clone(), self.sample(prop, depth + 1));
            }
        }
        Value::Object(out)
    }

    fn number(&self, s: &Spec) -> f64 {
        let exclusive = |k: &str| s.get(k).and_then(Spec::as_bool) == Some(true);
        match (
            num(s, "minimum").or(num(s, "exclusiveMinimum")),
            num(s, "maximum").or(num(s, "exclusiveMaximum")),
        ) {
            (Some(lo), Some(hi)) => {
                let mid = (lo + hi) / 2.0;
                if s.get("type").and_then(Spec::as_str) == Some("integer") {
                    mid.floor().max(lo)
                } else {
                    mid
                }
            }
            (Some(lo), None) => {
                lo + if exclusive("exclusiveMinimum")
                    || s.get("exclusiveMinimum")
                        .is_some_and(|v| !matches!(v, Spec::Bool(_)))
                {
                    1.0
                } else {
                    0.0
                }
            }
            (None, Some(hi)) => hi.min(1.0),
            (None, None) => 1.0,
        }
    }

    fn string(&self, s: &Spec) -> Value {
        let text = match s.get("format").and_then(Spec::as_str) {
            Some("binary") => "upload.bin".to_owned(),
            Some("uri" | "url") => "https://example.com/resource".to_owned(),
            Some("date-time") => "2024-01-01T00:00:00Z".to_owned(),
            Some("date") => "2024-01-01".to_owned(),
            Some("email") => "someone@example.com".to_owned(),
            _ => "value".to_owned(),
        };
        let min = num(s, "minLength").unwrap_or(0.0) as usize;
        let max = num(s, "maxLength")
            .map(|m| m as usize)
            .unwrap_or(usize::MAX);
        let mut text = text;
        while text.len() < min {
            text.push('x');
        }
        text.truncate(max.max(1));
        json!(text)
    }
}
