//! Support for generated code: the parts that are the same for every type, written once.
//!
//! Generated types decode leniently (the API sends what its spec does not promise) and encode
//! exactly; the helpers here carry that policy so each generated type stays a few lines.

use crate::{Extra, Nullable};
use serde::de::{
    self, Deserialize, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, Visitor,
};
use serde::ser::{Serialize, SerializeMap};
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

mod replay;
mod required;
mod union;

pub use required::{MISSING, checking, required};
pub use union::{ObjectShape, Shape, Tag};
pub use union::{Read, Union, de_union, resume, resume_value};

/// An object key, borrowed from the input when it can be (so known keys cost no allocation).
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// What the generated code provides for each struct: reading one field, given its key.
pub trait Fields: Default {
    /// What the JSON should have been, for errors ("a FunctionToolCall object").
    const EXPECTING: &'static str;
    fn field<'de, A: MapAccess<'de>>(&mut self, key: Key<'de>, map: &mut A)
    -> Result<(), A::Error>;
}

/// A struct's `Deserialize`: fields in any order, each read by [`Fields::field`].
pub fn de_struct<'de, D: Deserializer<'de>, T: Fields>(d: D) -> Result<T, D::Error> {
    let mut out = T::default();
    FieldsInto(&mut out).deserialize(d)?;
    Ok(out)
}

/// Reads the fields of a JSON object into a struct (which may already hold some).
pub struct FieldsInto<'a, T>(pub &'a mut T);

impl<'de, T: Fields> DeserializeSeed<'de> for FieldsInto<'_, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Fields> Visitor<'de> for FieldsInto<'_, T> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key<'de>>()? {
            self.0.field(key, &mut map)?;
        }
        Ok(())
    }
}

/// In strict mode, an error inside field `name`, saying so (`usage: output_tokens: …`, one
/// name a level). Called on the error path only, so decoding pays nothing for it otherwise.
#[cold]
fn in_field<E: de::Error>(e: E, name: &str) -> E {
    match crate::json::is_strict() {
        true => E::custom(format_args!("{name}: {e}")),
        false => e,
    }
}

/// Decodes a value that had to be buffered (a union that no tag decides) by writing it out and
/// reading it with the deserializer everything else goes through. Reading it straight from the `Value`
/// would be faster here, but would compile a second decoder for every type (a fifth more build
/// time, an eighth more memory); this path is the rare one. (Reading a buffered string directly,
/// without escaping it and parsing it back, was tried with a small deserializer of our own: it
/// cost 6 % more build time, for the rare path.)
pub fn reparse<T: DeserializeOwned>(v: &Value) -> Result<T, serde_json::Error> {
    crate::json::decode(&v.to_string())
}

/// Reads a field's value; `None` when (in lenient mode only) it does not fit `T`, in which case
/// its JSON is kept in `extra` (see `json/lenient.rs`).
fn read<'de, A: MapAccess<'de>, T: DeserializeOwned>(
    map: &mut A,
    key: &Key<'de>,
    extra: &mut Extra,
) -> Result<Option<T>, A::Error> {
    match map.next_value() {
        Ok(v) => Ok(Some(v)),
        Err(e) => {
            kept(e, key, extra)?;
            Ok(None)
        }
    }
}

/// After a field's value failed: in lenient mode, keeps what the deserializer read of it in
/// `extra`; otherwise (or if it was not JSON) the error stands. Not generic over the field's
/// type, so compiled once.
#[cold]
fn kept<E: de::Error>(e: E, key: &Key<'_>, extra: &mut Extra) -> Result<(), E> {
    match crate::json::take_rejected() {
        Some(raw) => {
            extra.push(key.as_str().to_owned(), raw);
            Ok(())
        }
        None => Err(in_field(e, key.as_str())),
    }
}

/// A required field, read as `T` (checking every field for `null` first would cost the common
/// case time). A value that does not fit (a `null` the type cannot hold, a string for a number)
/// is an error outside lenient mode; in lenient mode (the client's) the field takes its default
/// and `extra` keeps the JSON.
#[inline]
pub fn or_default<'de, A: MapAccess<'de>, T: DeserializeOwned + Default>(
    map: &mut A,
    key: Key<'de>,
    extra: &mut Extra,
) -> Result<T, A::Error> {
    match map.next_value() {
        Ok(v) => Ok(v),
        Err(e) => {
            kept(e, &key, extra)?;
            Ok(T::default())
        }
    }
}

/// An optional field the spec does not allow to be `null`: `null` is `None`, as absent is (both
/// say there is no value; in strict mode the `null` is an error). Unlike [`or_default`], this reads
/// an `Option<T>`, checking for `null`: the API sends `null` for many optional fields its spec does
/// not mark nullable (`user`, `safety_identifier`, `expires_at`, ...). Keeping each such `null` in
/// `extra` cost two allocations a field: a files list decoded 1.4× slower for it.
#[inline]
pub fn or_none<'de, A: MapAccess<'de>, T: DeserializeOwned>(
    map: &mut A,
    key: Key<'de>,
    extra: &mut Extra,
) -> Result<Option<T>, A::Error> {
    Ok(match read::<A, Option<T>>(map, &key, extra)? {
        Some(Some(v)) => Some(v),
        Some(None) => {
            crate::json::departs("`null`, which the spec does not allow here")
                .map_err(|e| in_field(e, key.as_str()))?;
            None
        }
        None => None,
    })
}

/// An optional nullable field: a present `null` is `Nullable::Null`, a value `Nullable::Value`
/// (a missing field stays `Absent`, the default); one that does not fit is `Absent`, with its JSON
/// kept in `extra`.
#[inline]
pub fn present<'de, A: MapAccess<'de>, T: DeserializeOwned>(
    map: &mut A,
    key: Key<'de>,
    extra: &mut Extra,
) -> Result<Nullable<T>, A::Error> {
    Ok(read::<A, Nullable<T>>(map, &key, extra)?.unwrap_or_default())
}

/// A field the spec does not list: kept as its JSON text (see `extra.rs`).
pub fn extra<'de, A: MapAccess<'de>>(
    map: &mut A,
    key: Key<'de>,
    extra: &mut Extra,
) -> Result<(), A::Error> {
    crate::json::departs("a field the spec does not list")
        .map_err(|e| in_field(e, key.as_str()))?;
    extra.push(key.into_string(), map.next_value::<Box<RawValue>>()?);
    Ok(())
}

/// Writes a required field (unless `extra` overrides it).
pub fn field<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    value: &T,
    extra: &Extra,
) -> Result<(), M::Error> {
    if extra.is_empty() || !extra.contains_key(key) {
        map.serialize_entry(key, value)
            .map_err(|e| required::within(e, key))?;
    }
    Ok(())
}

/// Writes an optional field when it is set (unless `extra` overrides it).
pub fn optional<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    value: &Option<T>,
    extra: &Extra,
) -> Result<(), M::Error> {
    match value {
        Some(v) => field(map, key, v, extra),
        None => Ok(()),
    }
}

/// Writes an optional nullable field unless it is `Absent` (`Null` as `null`), unless `extra`
/// overrides it.
pub fn nullable<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    value: &Nullable<T>,
    extra: &Extra,
) -> Result<(), M::Error> {
    match value {
        Nullable::Absent => Ok(()),
        set => field(map, key, set, extra),
    }
}

/// Writes `extra` and closes the object.
pub fn end<M: SerializeMap>(mut map: M, extra: &Extra) -> Result<M::Ok, M::Error> {
    for (k, v) in extra.iter() {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

/// Decodes a string enum from any string (unknown ones land in its fallback variant; `known`
/// tells whether the value is one the spec lists or allows). Read as a borrowed string first, so
/// the decoder is compiled once, not once per enum. `null` is an error here, so that the field
/// holding it keeps it (see [`or_default`]).
pub fn de_string_enum<'de, D, T>(d: D, known: fn(&T) -> bool) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    let key = Key::deserialize(d)?;
    let value = T::from(key.as_str());
    if !known(&value) {
        crate::json::departs(format_args!("value {:?}", key.as_str()))?;
    }
    Ok(value)
}

/// Implements `FromStr`, `Display` and serde for a generated string enum (which has `as_str` and
/// `From<&str>`). `open`: any string is valid (the fallback is `Other`); `closed`: a value outside
/// the list is kept in `Unknown`, and fails strict decoding.
#[macro_export]
#[doc(hidden)]
macro_rules! string_enum {
    ($name:ident, open) => {
        $crate::string_enum!($name, |_| true);
    };
    ($name:ident, closed) => {
        $crate::string_enum!($name, |v| !matches!(v, $name::Unknown(_)));
    };
    ($name:ident, $known:expr) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(v: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(v.into())
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                s: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::rt::de_string_enum(d, $known)
            }
        }
    };
}
pub use crate::string_enum;

#[cfg(test)]
mod tests {
    use super::{Extra, Fields, Key, de_struct, or_default, or_none, reparse};
    use serde::de::MapAccess;
    use serde_json::json;
    use std::collections::BTreeMap;

    /// A struct as the generator writes it: fields read by the given `rt` helper, the rest kept.
    macro_rules! fields {
        ($name:ident { $($field:ident: $ty:ty = $read:ident,)* }) => {
            #[derive(Debug, Default, PartialEq)]
            struct $name {
                $($field: $ty,)*
                extra: Extra,
            }

            impl Fields for $name {
                const EXPECTING: &'static str = stringify!($name);
                fn field<'de, A: MapAccess<'de>>(
                    &mut self,
                    key: Key<'de>,
                    map: &mut A,
                ) -> Result<(), A::Error> {
                    match key.as_str() {
                        $(stringify!($field) => self.$field = $read(map, key, &mut self.extra)?,)*
                        _ => super::extra(map, key, &mut self.extra)?,
                    }
                    Ok(())
                }
            }

            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    de_struct(d)
                }
            }
        };
    }

    fields!(Outer {
        id: String = or_default,
        counts: BTreeMap<String, i64> = or_default,
        inner: Option<Inner> = or_none,
    });

    fields!(Inner {
        n: i64 = or_default,
    });

    /// A value that does not fit is kept whole in the `extra` of the innermost struct whose
    /// field holds it, and reading goes on after it.
    #[test]
    fn a_value_that_does_not_fit_is_kept_where_it_failed() {
        let text = r#"{"counts": {"a": 1, "b": "two"}, "inner": {"n": null, "m": [1]},
            "id": 7, "after": true}"#;
        let got: Outer = crate::json::from_str(text).unwrap();
        let expected = Outer {
            id: String::new(),
            counts: BTreeMap::new(),
            inner: Some(Inner {
                n: 0,
                extra: json!({"n": null, "m": [1]})
                    .as_object()
                    .unwrap()
                    .clone()
                    .into(),
            }),
            extra: json!({"counts": {"a": 1, "b": "two"}, "id": 7, "after": true})
                .as_object()
                .unwrap()
                .clone()
                .into(),
        };
        assert_eq!(got, expected);
        // Invalid JSON inside a field still fails the whole value.
        assert!(crate::json::from_str::<Outer>(r#"{"counts": {"a": 1, "b": tru}}"#).is_err());
        assert!(crate::json::from_str::<Outer>(r#"{"inner": {"n": "x"}, "id": }"#).is_err());
        // Nesting too deep for the JSON deserializer fails too (it is not a value to keep).
        let deep = format!(r#"{{"counts": {}{}}}"#, "[".repeat(200), "]".repeat(200));
        assert!(crate::json::from_str::<Outer>(&deep).is_err());
    }

    #[test]
    fn buffered_strings_decode_as_from_text() {
        let text = json!("a \"quoted\" line\nand 東京");
        assert_eq!(
            reparse::<String>(&text).unwrap(),
            "a \"quoted\" line\nand 東京"
        );
        assert_eq!(
            reparse::<Option<String>>(&text).unwrap().as_deref(),
            Some("a \"quoted\" line\nand 東京")
        );
        assert_eq!(
            reparse::<Box<str>>(&text).unwrap().as_ref(),
            "a \"quoted\" line\nand 東京"
        );
        // What does not fit a string from text does not fit it here either.
        assert!(reparse::<i64>(&json!("5")).is_err());
        assert!(reparse::<Vec<String>>(&json!("x")).is_err());
        assert_eq!(reparse::<Option<i64>>(&json!(null)).unwrap(), None);
    }
}
