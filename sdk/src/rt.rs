//! Support for generated operations: decoding a response body by its kind, and reading and
//! setting a list's cursor however optional the spec made its fields. The support for generated
//! types is the runtime crate's (`openai_sdk_runtime::rt`), re-exported here so generated code
//! names both as `rt::`.

use crate::Nullable;
/// How a generated streaming call's stream ends (`.ends(..)`).
pub(crate) use crate::stream::StreamEnd;
pub(crate) use openai_sdk_runtime::rt::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

type DecodeResult<T> = Result<T, serde_json::Error>;

/// A JSON response, decoded the way [`crate::json`] does.
pub(crate) fn decode_json<T: DeserializeOwned>(body: bytes::Bytes) -> DecodeResult<T> {
    crate::json::from_slice(&body)
}

pub(crate) fn decode_bytes(body: bytes::Bytes) -> DecodeResult<bytes::Bytes> {
    Ok(body)
}

pub(crate) fn decode_text(body: bytes::Bytes) -> DecodeResult<String> {
    Ok(String::from_utf8_lossy(&body).into_owned())
}

pub(crate) fn decode_empty(_: bytes::Bytes) -> DecodeResult<()> {
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

/// The `id` of a list item of any shape (a struct or a union of them).
pub(crate) fn item_id<T: Serialize>(item: &T) -> Option<String> {
    match serde_json::to_value(item).ok()?.get("id")? {
        Value::String(id) if !id.is_empty() => Some(id.clone()),
        _ => None,
    }
}
