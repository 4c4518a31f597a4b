//! Decoding unions (`oneOf`/`anyOf`): picking the variant a JSON value belongs to without
//! failing on values the spec does not know.
//!
//! An object whose discriminator names exactly one variant is decoded in a single pass: the
//! SDK's deserializer finds the tag ahead, wherever it is, and the variant reads the object from
//! its first member (`json/tagged.rs`). With other deserializers, the few scalar entries before
//! the tag (usually just `id`) are kept, then replayed into the variant, which reads the rest of
//! the object straight from the input. Everything else (no
//! discriminator, an unknown or shared tag value, a non-object value) is read as a
//! `serde_json::Value` first and matched against the variants' [`Shape`]s; a value no variant
//! fits is kept whole as `Unknown`.

use super::replay::{self, Scalar, Seen};
use super::{Fields, FieldsInto, Key};
use serde::de::{self, Deserialize, Deserializer, MapAccess, VariantAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// What a JSON value must look like to be one variant of a union.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    Bool,
    Integer,
    Number,
    String,
    /// A string out of a closed list.
    Strings(&'static [&'static str]),
    /// An array, and what its items look like.
    Array(&'static Shape),
    Object(ObjectShape),
    /// Anything (a variant without constraints, or a nested union); tried last.
    Any,
}

#[derive(Debug, Clone, Copy)]
pub struct ObjectShape {
    /// The discriminator property and the values that select this variant.
    pub tag: Option<(&'static str, &'static [&'static str])>,
    pub required: &'static [&'static str],
    /// Other properties with a closed set of values, to tell apart variants sharing a tag.
    pub enums: &'static [(&'static str, &'static [&'static str])],
}

/// Picks the variant a JSON value belongs to: by JSON kind, then for objects by discriminator
/// value, then by which variant's closed-value properties and required keys fit best. `None`
/// means no variant fits (a value the spec does not know yet).
pub fn select(v: &Value, shapes: &[Shape]) -> Option<usize> {
    let pick = |want: &dyn Fn(&Shape) -> bool| shapes.iter().position(want);
    let found = match v {
        Value::Null => None,
        Value::Bool(_) => pick(&|s| matches!(s, Shape::Bool)),
        Value::Number(n) if n.is_f64() => pick(&|s| matches!(s, Shape::Number)),
        Value::Number(_) => {
            pick(&|s| matches!(s, Shape::Integer)).or_else(|| pick(&|s| matches!(s, Shape::Number)))
        }
        Value::String(text) => {
            pick(&|s| matches!(s, Shape::Strings(values) if values.contains(&text.as_str())))
                .or_else(|| pick(&|s| matches!(s, Shape::String)))
        }
        Value::Array(items) => select_array(items, shapes),
        Value::Object(map) => select_object(map, shapes),
    };
    found.or_else(|| pick(&|s| matches!(s, Shape::Any)))
}

/// The first array variant whose item shape every item fits (an empty array fits every one);
/// the first array variant when none does.
fn select_array(items: &[Value], shapes: &[Shape]) -> Option<usize> {
    let arrays = || {
        shapes.iter().enumerate().filter_map(|(i, s)| match s {
            Shape::Array(item) => Some((i, *item)),
            _ => None,
        })
    };
    let fits = |item: &Shape| {
        items
            .iter()
            .all(|v| select(v, std::slice::from_ref(item)).is_some())
    };
    let first = arrays().next()?.0;
    if arrays().nth(1).is_none() {
        return Some(first);
    }
    Some(
        arrays()
            .find(|(_, item)| fits(item))
            .map_or(first, |(i, _)| i),
    )
}

fn select_object(map: &serde_json::Map<String, Value>, shapes: &[Shape]) -> Option<usize> {
    let objects = shapes.iter().enumerate().filter_map(|(i, s)| match s {
        Shape::Object(o) => Some((i, o)),
        _ => None,
    });
    let mut best: Option<(usize, (bool, usize, usize))> = None;
    let mut tagged_miss = false;
    for (i, o) in objects {
        if let Some((prop, values)) = o.tag {
            match map.get(prop).and_then(Value::as_str) {
                Some(tag) if values.contains(&tag) => {}
                Some(_) => {
                    tagged_miss = true;
                    continue;
                }
                None => {}
            }
        }
        let enums = o
            .enums
            .iter()
            .filter(|(prop, values)| {
                map.get(*prop)
                    .and_then(Value::as_str)
                    .is_some_and(|v| values.contains(&v))
            })
            .count();
        let present = o.required.iter().filter(|k| map.contains_key(**k)).count();
        let score = (present == o.required.len(), enums, present);
        if best.is_none_or(|(_, b)| score > b) {
            best = Some((i, score));
        }
    }
    match best {
        // A tag no variant lists is a new variant: keep it whole rather than force it into one.
        None if tagged_miss => None,
        found => found.map(|(i, _)| i),
    }
}

/// A union's discriminator: its property, and each value that selects exactly one variant
/// with that variant, sorted by value (found by binary search, not by comparing the value with
/// every variant's list: a Responses stream event has ~55). A value several variants list is
/// absent, and such an object is matched by its shape.
#[derive(Debug, Clone, Copy)]
pub struct Tag {
    pub prop: &'static str,
    pub variants: &'static [(&'static str, usize)],
}

impl Tag {
    /// The one variant whose tag may be `value`; `None` when none or several may.
    fn variant(&self, value: &str) -> Option<usize> {
        let found = self.variants.binary_search_by(|(tag, _)| (*tag).cmp(value));
        found.ok().map(|at| self.variants[at].1)
    }
}

/// What the generated code provides for each union.
pub trait Union: Sized {
    /// One per variant, in order.
    const SHAPES: &'static [Shape];
    /// The discriminator, when every object variant has one (and it is the same property).
    const TAG: Option<Tag>;
    /// Decodes `v` as variant `i`.
    fn variant(i: usize, v: &Value) -> Result<Self, serde_json::Error>;
    /// Decodes variant `i` (an object variant picked by its tag) from what was read before the
    /// tag and the rest of `map`.
    fn resume<'de, A: MapAccess<'de>>(i: usize, read: Read<'de>, map: A) -> Result<Self, A::Error> {
        let _ = i;
        resume_value(read, map)
    }
    fn unknown(v: Value) -> Self;
}

/// A union's `Deserialize`. With a tag, the SDK's deserializer finds it wherever it is in the
/// object and the variant reads the object once (`json/tagged.rs`).
pub fn de_union<'de, D: Deserializer<'de>, U: Union>(d: D) -> Result<U, D::Error> {
    match U::TAG {
        Some(Tag { prop, .. }) => {
            crate::json::deserialize_tagged(d, prop, UnionVisitor(PhantomData))
        }
        None => d.deserialize_any(UnionVisitor(PhantomData)),
    }
}

/// The variant `v` fits, or `Unknown`. A value that looks like a variant but fails to decode as
/// it is an error outside lenient mode. In lenient mode the variant is decoded leniently too
/// (what does not fit goes to its `extra`), so only a value that fails even so is `Unknown`.
fn from_value<U: Union, E: de::Error>(v: Value) -> Result<U, E> {
    match select(&v, U::SHAPES) {
        Some(i) => match U::variant(i, &v) {
            Ok(u) => Ok(u),
            Err(_) if crate::json::is_lenient() => Ok(U::unknown(v)),
            Err(e) => Err(E::custom(e)),
        },
        None => {
            crate::json::departs("a value no variant of the union fits")?;
            Ok(U::unknown(v))
        }
    }
}

/// The entries of an object read before (and including) its tag; nothing when the tag was found
/// by looking ahead, and the variant reads the object from its start.
pub struct Read<'de> {
    before: Vec<(Key<'de>, Scalar<'de>)>,
    tag: Option<(Key<'de>, Scalar<'de>)>,
}

/// Decodes struct variant `T` from what was read (the tag too, unless `T`'s default already
/// holds it) and the rest of `map`.
pub fn resume<'de, T: Fields, A: MapAccess<'de>>(
    read: Read<'de>,
    map: A,
    tag: bool,
) -> Result<T, A::Error> {
    let mut out = T::default();
    if let Some(json) = read.replayed(tag) {
        replay::fill(&mut out, &json).map_err(de::Error::custom)?;
    }
    FieldsInto(&mut out).visit_map(map)?;
    Ok(out)
}

impl<'de> Read<'de> {
    /// The entries to replay (the tag too, if `tag`) as a JSON object; `None` when there are none.
    fn replayed(&self, tag: bool) -> Option<String> {
        let tag = self.tag.as_ref().filter(|_| tag);
        if self.before.is_empty() && tag.is_none() {
            return None;
        }
        let entries = self.before.iter().chain(tag);
        Some(replay::to_json(entries.map(|(k, v)| (k.as_str(), v))))
    }

    /// All the entries, the tag last.
    fn into_entries(self) -> Vec<(Key<'de>, Seen<'de>)> {
        let mut entries = seen(self.before);
        entries.extend(self.tag.map(|(k, v)| (k, Seen::Scalar(v))));
        entries
    }
}

/// Reads the rest of `map` and decodes the whole object as a `Value`.
pub fn resume_value<'de, U: Union, A: MapAccess<'de>>(
    read: Read<'de>,
    mut map: A,
) -> Result<U, A::Error> {
    rest(read.into_entries(), &mut map).and_then(from_value)
}

/// An object: `entries` already read, then the rest of `map`. (Generic over the input only, not
/// over the union: this and [`scan`] are compiled once, not once per union type.)
fn rest<'de, A: MapAccess<'de>>(
    entries: Vec<(Key<'de>, Seen<'de>)>,
    map: &mut A,
) -> Result<Value, A::Error> {
    let mut object = serde_json::Map::new();
    for (k, v) in entries {
        object.insert(k.into_string(), v.into());
    }
    while let Some(key) = map.next_key::<String>()? {
        let value: Value = map.next_value()?;
        object.insert(key, value);
    }
    Ok(Value::Object(object))
}

/// What reading an object up to its tag found.
enum Scan<'de> {
    /// The tag names exactly one variant; what came before it is kept, the rest is unread.
    Tagged(usize, Read<'de>),
    /// The whole object, read (no tag, a non-scalar before the tag, a tag no single variant has).
    Whole(Value),
}

/// Reads `map` up to its tag property, keeping the scalars before it.
fn scan<'de, A: MapAccess<'de>>(map: &mut A, tag: Tag) -> Result<Scan<'de>, A::Error> {
    let mut before: Vec<(Key<'de>, Scalar<'de>)> = Vec::new();
    while let Some(key) = map.next_key::<Key<'de>>()? {
        let value = match map.next_value::<Seen<'de>>()? {
            Seen::Scalar(value) => value,
            // Not worth replaying: read the object as a `Value`.
            other => {
                let mut entries = seen(before);
                entries.push((key, other));
                return rest(entries, map).map(Scan::Whole);
            }
        };
        if key.as_str() != tag.prop {
            before.push((key, value));
            continue;
        }
        let chosen = match &value {
            Scalar::Str(text) => tag.variant(text),
            _ => None,
        };
        let read = Read {
            before,
            tag: Some((key, value)),
        };
        return match chosen {
            Some(i) => Ok(Scan::Tagged(i, read)),
            None => rest(read.into_entries(), map).map(Scan::Whole),
        };
    }
    rest(seen(before), map).map(Scan::Whole)
}

fn seen<'a>(scalars: Vec<(Key<'a>, Scalar<'a>)>) -> Vec<(Key<'a>, Seen<'a>)> {
    scalars
        .into_iter()
        .map(|(k, v)| (k, Seen::Scalar(v)))
        .collect()
}

struct UnionVisitor<U>(PhantomData<U>);

impl<'de, U: Union> Visitor<'de> for UnionVisitor<U> {
    type Value = U;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<U, E> {
        from_value(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<U, E> {
        from_value(v.into())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<U, E> {
        from_value(v.into())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<U, E> {
        from_value(v.into())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<U, E> {
        from_value(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<U, E> {
        from_value(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<U, E> {
        from_value(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<U, E> {
        from_value(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<U, D::Error> {
        Value::deserialize(d).and_then(from_value)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<U, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).and_then(from_value)
    }
    /// From a deserializer other than the SDK's, asked for a tagged union: as any value.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<U, D::Error> {
        d.deserialize_any(self)
    }
    /// From the SDK's deserializer: an object and its tag, found ahead of reading it.
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<U, A::Error> {
        let (tag, object) = data.variant::<Key<'de>>()?;
        match U::TAG.and_then(|t| t.variant(tag.as_str())) {
            Some(i) => object.newtype_variant_seed(Whole::<U>(i, PhantomData)),
            None => object.newtype_variant::<Value>().and_then(from_value),
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<U, A::Error> {
        let Some(tag) = U::TAG else {
            return rest(Vec::new(), &mut map).and_then(from_value);
        };
        match scan(&mut map, tag)? {
            Scan::Tagged(i, read) => U::resume(i, read, map),
            Scan::Whole(v) => from_value(v),
        }
    }
}

/// Variant `i` of `U`, read from the whole object.
struct Whole<U>(usize, PhantomData<U>);

impl<'de, U: Union> de::DeserializeSeed<'de> for Whole<U> {
    type Value = U;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<U, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, U: Union> Visitor<'de> for Whole<U> {
    type Value = U;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<U, A::Error> {
        let nothing_read = Read {
            before: Vec::new(),
            tag: None,
        };
        U::resume(self.0, nothing_read, map)
    }
}

#[cfg(test)]
mod tests {
    use super::Tag;

    #[test]
    fn a_tag_finds_its_one_variant_by_value() {
        let tag = Tag {
            prop: "type",
            variants: &[("a", 2), ("a.b", 0), ("b", 1), ("response.done", 3)],
        };
        assert_eq!(tag.variant("a"), Some(2));
        assert_eq!(tag.variant("a.b"), Some(0));
        assert_eq!(tag.variant("b"), Some(1));
        assert_eq!(tag.variant("response.done"), Some(3));
        // Unlisted (new, or shared by several variants and so left out): matched by shape.
        for value in ["", "a.", "c", "response", "response.done.x"] {
            assert_eq!(tag.variant(value), None, "{value:?}");
        }
    }
}
