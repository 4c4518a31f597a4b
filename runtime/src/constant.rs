//! Constant strings of the spec (`"chat.completion"`, a union variant's `type` tag) as types.
//!
//! Each constant is an alias of one generic type, `Const<Marker>`, with a marker that only names
//! the string. Its impls (equality, hashing, `Debug`, `Display`, serde) are written once here:
//! giving each of the spec's ~400 constants its own struct and ten impls cost about 1.3 s of every
//! build, whichever API areas it enables.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

/// Names the string of a [`Const`]; implemented by the marker types of the SDK's `consts`.
pub trait Constant {
    /// The string the spec defines.
    const VALUE: &'static str;
}

/// A constant string of the spec: [`Default`] fills it in, so requests never spell it out.
///
/// Decoding accepts any string: a value the spec does not list is kept (see
/// [`is_expected`](Self::is_expected)) and encodes back unchanged.
pub struct Const<M> {
    /// What the API sent instead of the constant, if it did.
    unexpected: Option<Box<str>>,
    marker: PhantomData<fn() -> M>,
}

impl<M: Constant> Const<M> {
    /// The string the spec defines.
    pub const VALUE: &'static str = M::VALUE;

    /// The value as sent: the constant, unless the API sent something else.
    pub fn as_str(&self) -> &str {
        self.unexpected.as_deref().unwrap_or(M::VALUE)
    }

    /// False when the API sent a value other than the constant.
    pub fn is_expected(&self) -> bool {
        self.unexpected.is_none()
    }
}

impl<M> Default for Const<M> {
    fn default() -> Self {
        Const {
            unexpected: None,
            marker: PhantomData,
        }
    }
}

impl<M> Clone for Const<M> {
    fn clone(&self) -> Self {
        Const {
            unexpected: self.unexpected.clone(),
            marker: PhantomData,
        }
    }
}

impl<M> PartialEq for Const<M> {
    fn eq(&self, other: &Self) -> bool {
        self.unexpected == other.unexpected
    }
}

impl<M> Eq for Const<M> {}

impl<M> Hash for Const<M> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.unexpected.hash(state);
    }
}

/// Shows the value, as a string literal.
impl<M: Constant> fmt::Debug for Const<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl<M: Constant> fmt::Display for Const<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<M: Constant> Serialize for Const<M> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de, M: Constant> Deserialize<'de> for Const<M> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(Expect(M::VALUE)).map(|unexpected| Const {
            unexpected,
            marker: PhantomData,
        })
    }
}

/// Reads a string, keeping it only when it is not the expected one. Not generic over the
/// marker, so it is compiled once for all constants.
struct Expect(&'static str);

impl<'de> Visitor<'de> for Expect {
    type Value = Option<Box<str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the string {:?}", self.0)
    }

    // Like a string enum, `null` is an error here, for the field holding it to keep.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v == self.0 {
            return Ok(None);
        }
        crate::json::departs(format_args!("{v:?} for the constant {:?}", self.0))?;
        Ok(Some(v.into()))
    }
}

/// Declares a constant of `consts`: an alias of [`Const`] with the marker of the same name.
#[macro_export]
#[doc(hidden)]
macro_rules! constant {
    ($name:ident = $value:literal) => {
        #[doc = concat!("The constant `\"", $value, "\"`; filled in by `Default`.")]
        pub type $name = $crate::Const<marker::$name>;
    };
}

/// Declares the marker naming a constant's string: an empty enum and its [`Constant`] impl.
#[macro_export]
#[doc(hidden)]
macro_rules! constant_marker {
    ($name:ident = $value:literal) => {
        pub enum $name {}
        impl $crate::Constant for $name {
            const VALUE: &'static str = $value;
        }
    };
}
