//! [`Extra`]: what a struct holds besides its fields, as JSON text.
//!
//! The API sends fields its spec does not list (`moderation` on a chat completion, `obfuscation`
//! on stream events, whatever shipped this week). Each struct keeps them, so nothing received is
//! lost, but most are never looked at: they are kept as the text they came as (found by skipping
//! the value, then one copy), and parsed when asked for. Kept as `serde_json::Value`s, they cost
//! several times what skipping them does (an allocation per string, array and object member);
//! 2.8 KB of `moderation` per chat completion took two thirds of its decode time. openai-go keeps
//! unknown fields the same way, as raw JSON.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;
use std::fmt;

/// Fields the spec does not list, and values that did not fit their field (a `null` in a
/// required field, a string where the spec says number), each as its JSON text. Kept from
/// responses; sent with requests, after the fields, overriding a field of the same name.
///
/// ```
/// # use openai_sdk_runtime::Extra;
/// let mut extra = Extra::new();
/// extra.insert("top_k", 40);
/// assert_eq!(extra.get("top_k").map(|raw| raw.get()), Some("40"));
/// assert_eq!(extra.value("top_k"), Some(40.into()));
/// ```
#[derive(Clone, Default)]
pub struct Extra(Vec<(String, Box<RawValue>)>);

impl Extra {
    pub fn new() -> Self {
        Extra(Vec::new())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    /// The JSON text of `key`, as received (`raw.get()` is the text). Of a key an object sent
    /// twice, the last, as serde_json keeps.
    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.0.iter().rfind(|(k, _)| k == key).map(|(_, v)| &**v)
    }

    /// The value of `key`, parsed.
    pub fn value(&self, key: &str) -> Option<Value> {
        self.get(key).map(parse)
    }

    /// The value of `key` decoded as `T` (`None` if absent).
    pub fn decode<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Option<Result<T, serde_json::Error>> {
        self.get(key).map(|raw| crate::json::from_str(raw.get()))
    }

    /// Sets `key` to `value` (a field to send that the spec does not list, or one to override),
    /// returning the text it replaces.
    pub fn insert(
        &mut self,
        key: impl Into<String>,
        value: impl Into<Value>,
    ) -> Option<Box<RawValue>> {
        // Writing out a `Value` cannot fail: its keys are strings and its numbers finite.
        let raw = serde_json::value::to_raw_value(&value.into()).expect("a Value encodes");
        self.insert_raw(key.into(), raw)
    }

    /// Sets `key` to JSON text as it is.
    pub fn insert_raw(&mut self, key: String, raw: Box<RawValue>) -> Option<Box<RawValue>> {
        match self.0.iter_mut().rfind(|(k, _)| *k == key) {
            Some((_, old)) => Some(std::mem::replace(old, raw)),
            None => {
                self.0.push((key, raw));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Box<RawValue>> {
        let at = self.0.iter().rposition(|(k, _)| k == key)?;
        let removed = self.0.remove(at).1;
        self.0.retain(|(k, _)| k != key);
        Some(removed)
    }

    /// Keeps a member as it was received: no look for an earlier one of the same key (a search
    /// per member would make an object of many unknown keys quadratic; [`Extra::get`] takes the
    /// last).
    #[doc(hidden)]
    pub fn push(&mut self, key: String, raw: Box<RawValue>) {
        self.0.push((key, raw));
    }

    /// The keys and their JSON text, in the order received (or inserted).
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &RawValue)> {
        self.0.iter().map(|(k, v)| (k.as_str(), &**v))
    }

    /// Everything, parsed.
    pub fn to_map(&self) -> serde_json::Map<String, Value> {
        self.iter().map(|(k, v)| (k.to_owned(), parse(v))).collect()
    }
}

/// Text a `RawValue` holds is JSON (it was read as JSON, or written from a `Value`).
fn parse(raw: &RawValue) -> Value {
    serde_json::from_str(raw.get()).unwrap_or(Value::Null)
}

/// Equal when the same keys hold the same JSON values, whatever the order and the whitespace.
impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self.iter().all(|(k, a)| {
                other
                    .get(k)
                    .is_some_and(|b| a.get() == b.get() || parse(a) == parse(b))
            })
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// The JSON text as it is, not as a quoted string.
        struct Text<'a>(&'a str);
        impl fmt::Debug for Text<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0)
            }
        }
        f.debug_map()
            .entries(self.iter().map(|(k, v)| (k, Text(v.get()))))
            .finish()
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Extra {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(items: I) -> Self {
        let mut extra = Extra::new();
        for (k, v) in items {
            extra.insert(k, v);
        }
        extra
    }
}

impl From<serde_json::Map<String, Value>> for Extra {
    fn from(map: serde_json::Map<String, Value>) -> Self {
        map.into_iter().collect()
    }
}

/// As a JSON object (the text of each value written as it is).
impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::Extra;
    use serde_json::json;

    #[test]
    fn a_map_of_json_text() {
        let mut extra = Extra::new();
        assert!(extra.is_empty());
        assert!(extra.insert("a", json!({"x": [1, "two"]})).is_none());
        extra.insert("b", "text");
        let old = extra.insert("a", 5).unwrap();
        assert_eq!(old.get(), r#"{"x":[1,"two"]}"#);
        assert_eq!(extra.len(), 2);
        assert!(extra.contains_key("b") && !extra.contains_key("c"));
        assert_eq!(extra.value("b"), Some(json!("text")));
        assert_eq!(extra.decode::<i64>("a").unwrap().unwrap(), 5);
        assert!(extra.decode::<String>("a").unwrap().is_err());
        assert_eq!(extra.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(
            serde_json::to_string(&extra).unwrap(),
            r#"{"a":5,"b":"text"}"#
        );
        assert_eq!(format!("{extra:?}"), r#"{"a": 5, "b": "text"}"#);
        assert_eq!(extra.remove("a").unwrap().get(), "5");
        assert_eq!(extra.to_map(), *json!({"b": "text"}).as_object().unwrap());
    }

    #[test]
    fn equal_as_json_values() {
        let spaced: Extra = crate::json::from_str::<Kept>(r#"{"k": { "a" : [1, 2] }, "z": null}"#)
            .unwrap()
            .0;
        assert_eq!(spaced.get("k").unwrap().get(), r#"{ "a" : [1, 2] }"#);
        let compact: Extra = [("z", json!(null)), ("k", json!({"a": [1, 2]}))]
            .into_iter()
            .collect();
        assert_eq!(spaced, compact);
        let other: Extra = [("z", json!(null)), ("k", json!({"a": [1, 3]}))]
            .into_iter()
            .collect();
        assert_ne!(spaced, other);
        assert_ne!(
            compact,
            Extra::from(json!({"k": {"a": [1, 2]}}).as_object().unwrap().clone())
        );
    }

    /// An object whose members all go to `extra`, as a struct's unknown fields do.
    struct Kept(Extra);

    impl<'de> serde::Deserialize<'de> for Kept {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Kept;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Kept, A::Error> {
                    let mut extra = Extra::new();
                    while let Some(k) = map.next_key::<String>()? {
                        extra.insert_raw(k, map.next_value()?);
                    }
                    Ok(Kept(extra))
                }
            }
            d.deserialize_map(V)
        }
    }
}
