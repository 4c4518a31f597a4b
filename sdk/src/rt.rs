//! Support for generated operations: decoding a response body by its kind, and reading and
//! setting a list's cursor however optional the spec made its fields. The support for generated
//! types is the runtime crate's (`openai_sdk_runtime::rt`), re-exported here so generated code
//! names both as `rt::`.

use crate::Nullable;
/// How a generated stream resumes after its connection breaks (`.resumes(..)`); unused by a spec
/// with no resumable stream.
#[allow(unused_imports)]
pub(crate) use crate::resume::Resume;
/// How a generated streaming call's stream ends (`.ends(..)`).
pub(crate) use crate::stream::StreamEnd;
pub(crate) use openai_sdk_runtime::rt::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

type DecodeResult<T> = Result<T, serde_json::Error>;

/// What a response body's decoder knows besides the body.
#[derive(Debug, Default)]
pub(crate) struct Received<'a> {
    /// The `content-type` the server sent (empty if none).
    pub(crate) content_type: &'a str,
    /// The union variant the request asked for (see `Request::variant_by`).
    pub(crate) variant: Option<usize>,
}

impl Received<'_> {
    /// Whether the server sent text that is not JSON (`text/plain`, `text/vtt`): a transcription
    /// asked for in `text`, `srt` or `vtt`, where the spec describes JSON.
    fn is_plain_text(&self) -> bool {
        let essence = self
            .content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim();
        essence.len() > 5
            && essence[..5].eq_ignore_ascii_case("text/")
            && !essence.eq_ignore_ascii_case("text/event-stream")
            && !essence.eq_ignore_ascii_case("text/html")
    }
}

/// A JSON response, decoded the way [`crate::json`] does. Text the server sent instead of JSON
/// is taken as a JSON string by a type that has a place for one (a union's text variant); for any
/// other type the body is read as JSON, so text that is not JSON stays a decode error holding it.
pub(crate) fn decode_json<T: DeserializeOwned>(
    body: bytes::Bytes,
    received: &Received,
) -> DecodeResult<T> {
    if received.is_plain_text()
        && let Ok(text) = std::str::from_utf8(&body)
        && let Ok(value) = crate::json::from_str_strict(&serde_json::to_string(text)?)
    {
        return Ok(value);
    }
    crate::json::from_slice(&body)
}

/// [`decode_json`] for a union whose variant the request decides: a JSON answer is decoded as
/// the variant the request asked for, even when it lacks keys the spec requires of it (a
/// diarized transcription comes without `task` and `duration`), as long as it is the kind of
/// JSON value the variant is; else as the union decodes it by itself.
pub(crate) fn decode_variant<T: DeserializeOwned + Union>(
    body: bytes::Bytes,
    received: &Received,
) -> DecodeResult<T> {
    if let Some(variant) = received.variant
        && !received.is_plain_text()
    {
        let value: Value = crate::json::from_slice(&body)?;
        let kind_fits = match T::SHAPES.get(variant) {
            Some(Shape::Object(_)) => value.is_object(),
            Some(_) => true,
            None => false,
        };
        if kind_fits && let Ok(picked) = crate::json::leniently(|| T::variant(variant, &value)) {
            return Ok(picked);
        }
    }
    decode_json(body, received)
}

pub(crate) fn decode_text(body: bytes::Bytes, _: &Received) -> DecodeResult<String> {
    Ok(String::from_utf8_lossy(&body).into_owned())
}

pub(crate) fn decode_empty(_: bytes::Bytes, _: &Received) -> DecodeResult<()> {
    Ok(())
}

/// The items of a page, however optional the spec made the list.
pub(crate) trait PageItems<T> {
    fn last_item(&self) -> Option<&T>;
    fn into_vec(self) -> Vec<T>;
}

impl<T> PageItems<T> for Vec<T> {
    fn last_item(&self) -> Option<&T> {
        self.last()
    }
    fn into_vec(self) -> Vec<T> {
        self
    }
}

impl<T> PageItems<T> for Option<Vec<T>> {
    fn last_item(&self) -> Option<&T> {
        self.as_ref()?.last()
    }
    fn into_vec(self) -> Vec<T> {
        self.unwrap_or_default()
    }
}

impl<T> PageItems<T> for Nullable<Vec<T>> {
    fn last_item(&self) -> Option<&T> {
        self.value()?.last()
    }
    fn into_vec(self) -> Vec<T> {
        self.into_value().unwrap_or_default()
    }
}

/// `has_more`, however optional: absent means no more.
pub(crate) trait Flag {
    fn get(&self) -> bool;
}

impl Flag for bool {
    fn get(&self) -> bool {
        *self
    }
}

impl Flag for Option<bool> {
    fn get(&self) -> bool {
        self.unwrap_or(false)
    }
}

impl Flag for Nullable<bool> {
    fn get(&self) -> bool {
        self.value().copied().unwrap_or(false)
    }
}

/// A cursor from the response, however optional; empty means none.
pub(crate) trait Text {
    fn text(&self) -> Option<String>;
}

impl Text for String {
    fn text(&self) -> Option<String> {
        (!self.is_empty()).then(|| self.clone())
    }
}

impl Text for Option<String> {
    fn text(&self) -> Option<String> {
        self.as_ref().and_then(Text::text)
    }
}

impl Text for Nullable<String> {
    fn text(&self) -> Option<String> {
        self.value().and_then(Text::text)
    }
}

/// Puts a cursor into the query parameter that takes it.
pub(crate) trait Cursor {
    fn set(&mut self, cursor: String);
}

impl Cursor for String {
    fn set(&mut self, cursor: String) {
        *self = cursor;
    }
}

impl Cursor for Option<String> {
    fn set(&mut self, cursor: String) {
        *self = Some(cursor);
    }
}

impl Cursor for Nullable<String> {
    fn set(&mut self, cursor: String) {
        *self = Nullable::Value(cursor);
    }
}

/// Whether a status (an enum, however optional) is one of `values` on the wire.
pub(crate) fn status_in<S: Serialize>(status: &S, values: &[&str]) -> bool {
    matches!(serde_json::to_value(status), Ok(Value::String(s)) if values.contains(&s.as_str()))
}

/// The value of a top-level `key` of a JSON object, read without building a tree (every other
/// member is skipped); `None` when the text is not an object, has no such member, or its value
/// is not a `T`.
pub(crate) fn top_level<T: DeserializeOwned>(json: &str, key: &str) -> Option<T> {
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
    struct Member<'k, T>(&'k str, std::marker::PhantomData<T>);
    impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Member<'_, T> {
        type Value = Option<T>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de, T: DeserializeOwned> Visitor<'de> for Member<'_, T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
            let mut found = None;
            while let Some(key) = map.next_key::<Key<'de>>()? {
                if key.as_str() == self.0 {
                    found = Some(map.next_value::<T>()?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    crate::json::decode_seed(Member(key, std::marker::PhantomData), json)
        .ok()
        .flatten()
}

/// The `id` of a list item of any shape (a struct or a union of them).
pub(crate) fn item_id<T: Serialize>(item: &T) -> Option<String> {
    match serde_json::to_value(item).ok()?.get("id")? {
        Value::String(id) if !id.is_empty() => Some(id.clone()),
        _ => None,
    }
}
