//! `Nullable<T>`: an optional field the spec also allows to be `null`, in one type with three
//! states, so setting it takes one step (`temperature: 0.7.into()`) while an explicit `null`
//! stays possible and visible (`Nullable::Null`). It was `Option<Option<T>>`, which made every
//! such setting read `Some(Some(0.7))`; openai-go has the same three states (`param.Opt[T]`,
//! `param.Null[T]()`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An optional field that may also be `null`: left out of a request (`Absent`, the default),
/// sent as `null` (`Null`), or sent with a value (`Value`). Decoded responses tell the three
/// apart the same way. `From<T>` makes a value: `temperature: 0.7.into()`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// Not sent (in a response: not there).
    #[default]
    Absent,
    /// Sent as `null` (in a response: `null`).
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// The value, if there is one (`Absent` and `Null` are both `None`).
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if there is one, mutably.
    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if there is one, taken out.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// `Absent` for `None`, `Value(v)` for `Some(v)`: from an `Option` of a value to send.
    pub fn from_option(value: Option<T>) -> Self {
        value.map_or(Nullable::Absent, Nullable::Value)
    }

    /// The three states as the `Option<Option<T>>` serde speaks: absent `None`, null `Some(None)`.
    pub fn into_options(self) -> Option<Option<T>> {
        match self {
            Nullable::Absent => None,
            Nullable::Null => Some(None),
            Nullable::Value(v) => Some(Some(v)),
        }
    }

    /// What [`into_options`](Self::into_options) gives back.
    pub fn from_options(value: Option<Option<T>>) -> Self {
        match value {
            None => Nullable::Absent,
            Some(None) => Nullable::Null,
            Some(Some(v)) => Nullable::Value(v),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `description: "Tools for the weather".into()`, as for a `String`.
impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Nullable::Value(value.to_owned())
    }
}

/// A value as itself, `Null` (and `Absent`, which a struct leaves out) as `null`.
impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => v.serialize(s),
            _ => s.serialize_none(),
        }
    }
}

/// `null` is `Null`, anything else a `Value`; a struct leaves a missing field `Absent`.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(d)? {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    #[test]
    fn three_states_in_and_out() {
        let t: Nullable<f64> = 0.7.into();
        assert_eq!(t, Nullable::Value(0.7));
        assert_eq!(serde_json::to_string(&t).unwrap(), "0.7");
        assert_eq!(
            serde_json::to_string(&Nullable::<f64>::Null).unwrap(),
            "null"
        );
        let n: Nullable<String> = serde_json::from_str("null").unwrap();
        assert!(n.is_null());
        let s: Nullable<String> = "x".into();
        assert_eq!(s.value().map(String::as_str), Some("x"));
        assert!(Nullable::<i64>::default().is_absent());
        for v in [Nullable::Absent, Nullable::Null, Nullable::Value(1)] {
            assert_eq!(Nullable::from_options(v.into_options()), v);
        }
        assert_eq!(Nullable::from_option(None::<i64>), Nullable::Absent);
    }
}
