//! The spec as a plain, ordered document tree.
//!
//! Why not `serde_json::Value` or `serde_yaml::Value`: both reject integers outside i64/u64, and
//! this spec has one (`CreateChatCompletionRequest.seed.minimum: -9223372036854776000`). Our
//! visitor accepts i128/u128 and clamps them to the i64 range, which is what the generated type
//! (`i64`) can hold anyway. Keys keep their document order so fields come out in spec order.

use indexmap::IndexMap;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Array(Vec<Value>),
    Object(IndexMap<String, Value>),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_object(&self) -> Option<&IndexMap<String, Value>> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|m| m.get(key))
    }

    /// Follows a JSON pointer (`#/a/b`), with `~1`/`~0` unescaped.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        let path = pointer.strip_prefix('#')?;
        if path.is_empty() {
            return Some(self);
        }
        let mut at = self;
        for raw in path.strip_prefix('/')?.split('/') {
            let key = raw.replace("~1", "/").replace("~0", "~");
            at = match at {
                Value::Object(m) => m.get(&key)?,
                Value::Array(a) => a.get(key.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(at)
    }

    /// Equal, at every depth, but for the object keys in `ignored` (documentation, say).
    pub fn same_except(&self, other: &Value, ignored: &[&str]) -> bool {
        match (self, other) {
            (Value::Object(a), Value::Object(b)) => Value::same_objects_except(a, b, ignored),
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.same_except(b, ignored))
            }
            _ => self == other,
        }
    }

    /// [`same_except`](Self::same_except) for two mappings.
    pub fn same_objects_except(
        a: &IndexMap<String, Value>,
        b: &IndexMap<String, Value>,
        ignored: &[&str],
    ) -> bool {
        fn kept<'m>(m: &'m IndexMap<String, Value>, ignored: &[&str]) -> Vec<&'m String> {
            let mut keys: Vec<&String> = m
                .keys()
                .filter(|k| !ignored.contains(&k.as_str()))
                .collect();
            keys.sort();
            keys
        }
        let keys = kept(a, ignored);
        keys == kept(b, ignored) && keys.iter().all(|k| a[*k].same_except(&b[*k], ignored))
    }

    /// The value as JSON text (for docs and the corpus of examples).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(f) if f.is_finite() => out.push_str(&f.to_string()),
            Value::Float(_) => out.push_str("null"),
            Value::String(s) => write_json_str(s, out),
            Value::Array(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_json(out);
                }
                out.push(']');
            }
            Value::Object(m) => {
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_str(k, out);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Escapes one reference token of a JSON pointer.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn clamp(v: i128) -> Value {
    Value::Int(v.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
}

/// Reads a document into a [`Value`], noting where it is: a mapping with a key twice keeps the
/// last value (as PyYAML, most OpenAPI tools and browsers' YAML readers do), and the pointer of
/// each such key is kept for a warning.
pub(crate) struct Reader<'p> {
    /// The JSON pointer of the value being read; each level appends its token and takes it off.
    pub(crate) at: &'p RefCell<String>,
    pub(crate) duplicates: &'p RefCell<Vec<String>>,
}

impl Reader<'_> {
    /// Reads the value at `at` + `/token`.
    fn below<T>(&self, token: &str, read: impl FnOnce(Reader<'_>) -> T) -> T {
        let len = self.at.borrow().len();
        {
            let mut at = self.at.borrow_mut();
            at.push('/');
            at.push_str(&escape_token(token));
        }
        let value = read(Reader {
            at: self.at,
            duplicates: self.duplicates,
        });
        self.at.borrow_mut().truncate(len);
        value
    }
}

impl<'de> DeserializeSeed<'de> for Reader<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Reader<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(clamp(v as i128))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(clamp(v))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(clamp(v.min(i128::MAX as u128) as i128))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            let token = out.len().to_string();
            match self.below(&token, |r| seq.next_element_seed(r))? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = IndexMap::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key::<Value>()? {
            // YAML allows non-string keys (`200:` in responses); the spec means their text.
            let key = match key {
                Value::String(s) => s,
                Value::Int(i) => i.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Float(f) => f.to_string(),
                Value::Null => "null".to_owned(),
                _ => return Err(de::Error::custom("a mapping key must be a scalar")),
            };
            let value = self.below(&key, |r| map.next_value_seed(r))?;
            if out.insert(key.clone(), value).is_some() {
                self.below(&key, |r| {
                    r.duplicates.borrow_mut().push(r.at.borrow().clone())
                });
            }
        }
        Ok(Value::Object(out))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        let (at, duplicates) = (RefCell::new(String::from("#")), RefCell::new(Vec::new()));
        Reader {
            at: &at,
            duplicates: &duplicates,
        }
        .deserialize(d)
    }
}
