//! A serde `Deserializer` for JSON text: the one every API payload goes through.
//!
//! serde_json's deserializer was most of the decode time of payloads heavy in numbers (an
//! embedding's 1,536 floats, the five-integer `bytes` array of each logprob): each number went
//! through a per-byte loop with bounds and overflow checks, and each float through a slower
//! conversion. This one reads from a `&str` only (the client checks UTF-8 once, up front), scans
//! strings eight bytes at a time, converts the common floats with one exact operation, and keeps
//! the per-visitor (generic) code to a dispatch on the next byte, with the lexing in `lex.rs`
//! compiled once. It accepts exactly JSON, reports numbers as serde_json does (`u64`, `i64`,
//! `f64`), and limits nesting to 128 levels like serde_json. Errors are `serde_json::Error`s,
//! with the line and column in the message.

use super::lenient;
use super::lex::{Num, Reader, Result, Str};
use super::tagged;
use serde::de::{self, DeserializeSeed, Expected, Unexpected, Visitor};
use serde_json::Error;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// The newtype struct serde_json's `RawValue` asks for: the deserializer answers with the value's
/// text (the protocol serde_json's own deserializers follow, as do simd-json's and sonic-rs's).
/// A struct's [`crate::Extra`] keeps what it does not know this way.
const RAW: &str = "$serde_json::private::RawValue";

/// Nesting is refused at this level (127 levels pass, as in serde_json): deeper input would
/// otherwise exhaust the stack.
const MAX_DEPTH: u32 = 128;

/// Decodes `text` as `T`: one pass, nothing buffered, strings borrowed where `T` allows.
#[doc(hidden)]
pub fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> Result<T> {
    from_str_seed(std::marker::PhantomData, text)
}

/// [`from_str`] with a seed (to decode into an existing value).
#[doc(hidden)]
pub fn from_str_seed<'de, S: DeserializeSeed<'de>>(seed: S, text: &'de str) -> Result<S::Value> {
    let mut de = Deserializer::new(text);
    // Plain matches, not closures: this is compiled once per decoded type.
    match seed.deserialize(&mut de) {
        Ok(value) => match de.finish() {
            Ok(()) => Ok(value),
            Err(e) => Err(e),
        },
        Err(e) => Err(de.locate(e)),
    }
}

pub struct Deserializer<'de> {
    read: Reader<'de>,
    depth: u32,
    /// Whether a member's value that fails is read again for its field to keep.
    lenient: bool,
}

impl<'de> Deserializer<'de> {
    fn new(text: &'de str) -> Self {
        Deserializer {
            read: Reader::new(text),
            depth: MAX_DEPTH,
            lenient: lenient::is_lenient(),
        }
    }

    /// Only whitespace may follow the value.
    fn finish(&mut self) -> Result<()> {
        self.read.finish().map_err(|e| self.locate(e))
    }

    /// Adds the place to an error that has none (all but those serde_json made).
    #[cold]
    fn locate(&self, e: Error) -> Error {
        if e.line() != 0 {
            return e;
        }
        let (line, column) = self.read.position();
        de::Error::custom(format_args!("{e} at line {line} column {column}"))
    }

    /// The colon before a member's value. Not a value to keep if it is missing: a field that
    /// sees this error must not take what an earlier one left.
    #[inline]
    fn colon(&mut self) -> Result<()> {
        let colon = self.read.colon();
        if colon.is_err() && self.lenient {
            lenient::set_rejected(None);
        }
        colon
    }

    /// After a member's value (which started at `mark`) failed. In lenient mode: back to its
    /// start, to take its text for the field to keep (see `lenient.rs`). If it is not
    /// JSON, there is nothing to keep, and the error (which fails the whole decode) stands.
    /// (The nesting count needs no restoring: every array or object entered is left, failed or
    /// not.)
    #[cold]
    fn failed(&mut self, mark: usize, e: Error) -> Error {
        if self.lenient {
            self.read.pos = mark;
            let raw = <Box<RawValue> as de::Deserialize>::deserialize(&mut *self);
            lenient::set_rejected(raw.ok());
        }
        e
    }

    /// The error for a value that is not what `expected` wanted, naming what it is.
    #[cold]
    fn invalid_type(&mut self, expected: &dyn Expected) -> Error {
        let next = self.read.peek();
        // The error points at the start of the value, not past it.
        let start = self.read.pos;
        let error = self.unexpected(next, expected);
        self.read.pos = start;
        error
    }

    fn unexpected(&mut self, next: Option<u8>, expected: &dyn Expected) -> Error {
        let unexpected = match next {
            Some(b'n') => Unexpected::Unit,
            Some(b't') => Unexpected::Bool(true),
            Some(b'f') => Unexpected::Bool(false),
            Some(b'[') => Unexpected::Seq,
            Some(b'{') => Unexpected::Map,
            Some(b'-' | b'0'..=b'9') => match self.read.number() {
                Ok(Num::U(n)) => Unexpected::Unsigned(n),
                Ok(Num::I(n)) => Unexpected::Signed(n),
                Ok(Num::F(n)) => Unexpected::Float(n),
                Err(e) => return e,
            },
            Some(b'"') => {
                return match self.read.string() {
                    Ok(s) => de::Error::invalid_type(Unexpected::Str(s.as_str()), expected),
                    Err(e) => e,
                };
            }
            Some(_) => return self.read.error("expected value"),
            None => return self.read.error("EOF while parsing a value"),
        };
        de::Error::invalid_type(unexpected, expected)
    }

    /// Enters the array or object `expected` wants (`bracket` opens it), or says what is there
    /// instead.
    fn open(&mut self, bracket: u8, expected: &dyn Expected) -> Result<()> {
        if self.read.peek() == Some(bracket) {
            self.enter()
        } else {
            Err(self.invalid_type(expected))
        }
    }

    /// Enters an array or object (its opening bracket next), counting the nesting.
    fn enter(&mut self) -> Result<()> {
        match self.depth.checked_sub(1) {
            Some(depth) if depth > 0 => {
                self.depth = depth;
                self.read.bump();
                Ok(())
            }
            _ => Err(self.read.error("recursion limit exceeded")),
        }
    }

    /// Leaves an array or object after its visitor (which `read` it, or failed): its closing
    /// bracket must be next. Not generic, so not compiled again for each visitor.
    fn leave(&mut self, read: bool, close: u8) -> Result<()> {
        self.depth += 1;
        if read { self.read.close(close) } else { Ok(()) }
    }

    /// A number, or the error for what is there instead.
    #[inline]
    fn number(&mut self, expected: &dyn Expected) -> Result<Num> {
        match self.read.peek() {
            Some(b'-' | b'0'..=b'9') => self.read.number(),
            _ => Err(self.invalid_type(expected)),
        }
    }

    /// Whether a string is next (else the error for what is there instead).
    fn at_string(&mut self, expected: &dyn Expected) -> Result<()> {
        match self.read.peek() {
            Some(b'"') => Ok(()),
            _ => Err(self.invalid_type(expected)),
        }
    }
}

fn visit_str<'de, V: Visitor<'de>>(s: Str<'de, '_>, v: V) -> Result<V::Value> {
    match s {
        Str::Borrowed(s) => v.visit_borrowed_str(s),
        Str::Copied(s) => v.visit_str(s),
    }
}

fn visit_number<'de, V: Visitor<'de>>(n: Num, v: V) -> Result<V::Value> {
    match n {
        Num::U(n) => v.visit_u64(n),
        Num::I(n) => v.visit_i64(n),
        Num::F(n) => v.visit_f64(n),
    }
}

macro_rules! forward_to_i64 {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
            self.deserialize_i64(v)
        })*
    };
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        match self.read.peek() {
            Some(b'n') => {
                self.read.literal("null")?;
                v.visit_unit()
            }
            Some(b't' | b'f') => v.visit_bool(self.read.boolean()?),
            Some(b'-' | b'0'..=b'9') => visit_number(self.read.number()?, v),
            Some(b'"') => visit_str(self.read.string()?, v),
            Some(b'[') => self.deserialize_seq(v),
            Some(b'{') => self.deserialize_map(v),
            Some(_) => Err(self.read.error("expected value")),
            None => Err(self.read.error("EOF while parsing a value")),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        match self.read.peek() {
            Some(b't' | b'f') => v.visit_bool(self.read.boolean()?),
            _ => Err(self.invalid_type(&v)),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        visit_number(self.number(&v)?, v)
    }

    // Every number type reads a number and lets its visitor convert it, as with serde_json.
    forward_to_i64! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i128 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32
        deserialize_f64
    }

    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        self.deserialize_str(v)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        self.at_string(&v)?;
        visit_str(self.read.string()?, v)
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        self.deserialize_str(v)
    }

    /// A string's bytes (after unescaping), or an array of numbers.
    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        match self.read.peek() {
            Some(b'"') => match self.read.string()? {
                Str::Borrowed(s) => v.visit_borrowed_bytes(s.as_bytes()),
                Str::Copied(s) => v.visit_bytes(s.as_bytes()),
            },
            Some(b'[') => self.deserialize_seq(v),
            _ => Err(self.invalid_type(&v)),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        self.deserialize_bytes(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        if self.read.peek() == Some(b'n') {
            self.read.literal("null")?;
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        if self.read.peek() == Some(b'n') {
            self.read.literal("null")?;
            v.visit_unit()
        } else {
            Err(self.invalid_type(&v))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(v)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value> {
        match name {
            tagged::TAGGED => self.tagged(v),
            RAW => self.raw(v),
            _ => v.visit_newtype_struct(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        self.open(b'[', &v)?;
        let visited = v.visit_seq(Items::new(self));
        self.leave(visited.is_ok(), b']')?;
        visited
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        v: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        self.open(b'{', &v)?;
        let visited = v.visit_map(Items::new(self));
        self.leave(visited.is_ok(), b'}')?;
        visited
    }

    /// An object, or (as serde_json allows) an array of the fields in order.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value> {
        match self.read.peek() {
            Some(b'[') => self.deserialize_seq(v),
            _ => self.deserialize_map(v),
        }
    }

    /// Externally tagged, as serde_json reads it: `"Variant"` or `{"Variant": content}`.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value> {
        match self.read.peek() {
            Some(b'"') => match self.read.string()? {
                Str::Borrowed(s) => v.visit_enum(de::value::BorrowedStrDeserializer::new(s)),
                Str::Copied(s) => v.visit_enum(de::value::StrDeserializer::<Error>::new(s)),
            },
            Some(b'{') => {
                self.enter()?;
                let visited = match self.read.key_start() {
                    Ok(()) => v.visit_enum(Variant { de: &mut *self }),
                    Err(e) => Err(e),
                };
                self.leave(visited.is_ok(), b'}')?;
                visited
            }
            _ => Err(self.invalid_type(&v)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        self.deserialize_str(v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        self.read.skip(self.depth)?;
        v.visit_unit()
    }
}

impl<'de> Deserializer<'de> {
    /// A value's text, as serde_json's deserializer gives it to `RawValue`: a map of one member,
    /// the token and the text (borrowed: `Box<RawValue>` copies it once).
    fn raw<V: Visitor<'de>>(&mut self, v: V) -> Result<V::Value> {
        self.read.peek();
        let start = self.read.pos;
        self.read.skip(self.depth)?;
        let text = self.read.since(start);
        v.visit_map(Raw(Some(text)))
    }

    /// A union asks for its value by tag (`tagged.rs`): an object whose tag property holds a
    /// string goes to `visit_enum` whole, the tag naming the variant; anything else as it is.
    fn tagged<V: Visitor<'de>>(&mut self, v: V) -> Result<V::Value> {
        let tag = match (tagged::take_prop(), self.read.peek()) {
            (Some(prop), Some(b'{')) => self.read.peek_member(prop, self.depth),
            _ => None,
        };
        match tag {
            Some(tag) => v.visit_enum(Tagged { de: self, tag }),
            None => de::Deserializer::deserialize_any(self, v),
        }
    }
}

/// A value's text as the one member of a map (see [`Deserializer::raw`]).
struct Raw<'de>(Option<&'de str>);

impl<'de> de::MapAccess<'de> for Raw<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        match self.0 {
            Some(_) => seed
                .deserialize(de::value::BorrowedStrDeserializer::new(RAW))
                .map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value> {
        let text = self.0.take().unwrap_or("null");
        seed.deserialize(de::value::BorrowedStrDeserializer::new(text))
    }
}

/// An object as the variant its tag names.
struct Tagged<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    tag: Cow<'de, str>,
}

impl<'a, 'de> de::EnumAccess<'de> for Tagged<'a, 'de> {
    type Error = Error;
    type Variant = &'a mut Deserializer<'de>;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self::Variant)> {
        let tag = match self.tag {
            Cow::Borrowed(s) => seed.deserialize(de::value::BorrowedStrDeserializer::new(s)),
            Cow::Owned(s) => seed.deserialize(de::value::StringDeserializer::new(s)),
        }?;
        Ok((tag, self.de))
    }
}

/// The object itself, from its first member, is the variant's content.
impl<'de> de::VariantAccess<'de> for &mut Deserializer<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        de::Deserializer::deserialize_ignored_any(self, de::IgnoredAny).map(drop)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value> {
        de::Deserializer::deserialize_map(self, v)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_map(self, v)
    }
}

/// The items of an array or object being read.
struct Items<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    first: bool,
}

impl<'a, 'de> Items<'a, 'de> {
    fn new(de: &'a mut Deserializer<'de>) -> Self {
        Items { de, first: true }
    }
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.de.read.next_item(&mut self.first, b']')? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        self.de.read.numbers_ahead()
    }
}

impl<'de> de::MapAccess<'de> for Items<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.de.read.next_item(&mut self.first, b'}')? {
            return Ok(None);
        }
        self.de.read.key_start()?;
        seed.deserialize(Key(&mut *self.de)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        self.de.colon()?;
        let mark = self.de.read.pos;
        match seed.deserialize(&mut *self.de) {
            Ok(value) => Ok(value),
            Err(e) => Err(self.de.failed(mark, e)),
        }
    }
}

/// An object key (a string is next): read as a string whatever type asks for it.
struct Key<'a, 'de>(&'a mut Deserializer<'de>);

impl<'de> de::Deserializer<'de> for Key<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        visit_str(self.0.read.string()?, v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        v.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value> {
        self.0.deserialize_enum(name, variants, v)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// `{"Variant": content}`: the key names the variant.
struct Variant<'a, 'de> {
    de: &'a mut Deserializer<'de>,
}

impl<'de> de::EnumAccess<'de> for Variant<'_, 'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self)> {
        let variant = seed.deserialize(Key(&mut *self.de))?;
        self.de.read.colon()?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, 'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        de::Deserialize::deserialize(self.de)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(self.de)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value> {
        de::Deserializer::deserialize_seq(self.de, v)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_struct(self.de, "", &[], v)
    }
}
