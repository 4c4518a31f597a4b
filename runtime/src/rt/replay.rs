//! The entries a union reads before its tag, kept so that the chosen variant can read them as if
//! they came from the input.
//!
//! Only scalars are kept this way (in practice `id` and the tag itself). They are replayed by
//! writing them out as a small JSON object and reading that with the same deserializer as the
//! rest of the input: a deserializer of our own would compile one more decoder for every field
//! type of every variant.

use super::{Fields, FieldsInto};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// A JSON scalar, borrowed from the input when it can be.
pub enum Scalar<'de> {
    Str(Cow<'de, str>),
    I64(i64),
    U64(u64),
    F64(f64),
    Bool(bool),
    Null,
}

impl From<Scalar<'_>> for Value {
    fn from(s: Scalar<'_>) -> Value {
        match s {
            Scalar::Str(s) => Value::String(s.into_owned()),
            Scalar::I64(n) => n.into(),
            Scalar::U64(n) => n.into(),
            Scalar::F64(n) => n.into(),
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Null => Value::Null,
        }
    }
}

/// A value read before the tag: a scalar, or anything else as JSON.
pub enum Seen<'de> {
    Scalar(Scalar<'de>),
    Other(Value),
}

impl From<Seen<'_>> for Value {
    fn from(s: Seen<'_>) -> Value {
        match s {
            Seen::Scalar(s) => s.into(),
            Seen::Other(v) => v,
        }
    }
}

impl<'de> de::Deserialize<'de> for Seen<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SeenVisitor)
    }
}

struct SeenVisitor;

impl<'de> Visitor<'de> for SeenVisitor {
    type Value = Seen<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Seen<'de>, E> {
        Ok(Seen::Scalar(Scalar::Str(Cow::Borrowed(v))))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Seen<'de>, E> {
        Ok(Seen::Scalar(Scalar::Str(Cow::Owned(v.to_owned()))))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Seen<'de>, E> {
        Ok(Seen::Scalar(Scalar::Str(Cow::Owned(v))))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Seen<'de>, E> {
        Ok(Seen::Scalar(Scalar::I64(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Seen<'de>, E> {
        Ok(Seen::Scalar(Scalar::U64(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Seen<'de>, E> {
        Ok(Seen::Scalar(Scalar::F64(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Seen<'de>, E> {
        Ok(Seen::Scalar(Scalar::Bool(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Seen<'de>, E> {
        Ok(Seen::Scalar(Scalar::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Seen<'de>, E> {
        Ok(Seen::Scalar(Scalar::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Seen<'de>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Seen<'de>, A::Error> {
        de::Deserialize::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Seen::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Seen<'de>, A::Error> {
        de::Deserialize::deserialize(de::value::MapAccessDeserializer::new(map)).map(Seen::Other)
    }
}

/// Writes `entries` out as a JSON object.
pub fn to_json<'a>(entries: impl Iterator<Item = (&'a str, &'a Scalar<'a>)>) -> String {
    let mut out = Vec::with_capacity(64);
    out.push(b'{');
    for (i, (key, value)) in entries.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Writing strings and numbers to a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut out, key);
        out.push(b':');
        let _ = match value {
            Scalar::Str(s) => serde_json::to_writer(&mut out, s),
            Scalar::I64(n) => serde_json::to_writer(&mut out, n),
            Scalar::U64(n) => serde_json::to_writer(&mut out, n),
            Scalar::F64(n) => serde_json::to_writer(&mut out, n),
            Scalar::Bool(b) => serde_json::to_writer(&mut out, b),
            Scalar::Null => serde_json::to_writer(&mut out, &()),
        };
    }
    out.push(b'}');
    String::from_utf8(out).unwrap_or_default()
}

/// Reads the fields of the JSON object `json` into `out`.
pub fn fill<T: Fields>(out: &mut T, json: &str) -> Result<(), serde_json::Error> {
    crate::json::decode_seed(FieldsInto(out), json)
}
