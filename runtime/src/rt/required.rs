//! The client's check that a request sets its required fields. Every generated type has a
//! `Default` (so that lenient decoding can fill in what a response leaves out), so a request
//! whose required field was forgotten would go out holding a placeholder: `""` for a string, the
//! empty `Unknown` of an enum, `Unknown(null)` for a union. While the client encodes a body
//! ([`checking`]), a required field of those kinds that still equals its default fails the
//! encoding, naming the field; the error gains each enclosing field's name on its way out, so the
//! client can say `messages[0].content` (it finds the indices, see `openai-sdk`'s `request.rs`).
//! Decoded values encode as before outside the check: it is the client's only.

use serde::ser::{Error, Serialize, SerializeMap};
use std::cell::Cell;

thread_local! {
    static CHECKING: Cell<bool> = const { Cell::new(false) };
}

/// What an error about a forgotten field starts with; the dotted path of field names follows.
pub const MISSING: &str = "required field not set: ";

/// Runs `f` (an encoding) with the check on (restored afterwards, even on panic).
pub fn checking<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            CHECKING.with(|c| c.set(self.0));
        }
    }
    let _reset = Reset(CHECKING.with(|c| c.replace(true)));
    f()
}

fn is_checking() -> bool {
    CHECKING.with(Cell::get)
}

/// Writes a required string, enum or union field; during the check, one that holds its default
/// is an error (unless `extra` sends the field instead: the way to send such a value anyway).
pub fn required<M: SerializeMap, T: Serialize + PartialEq + Default>(
    map: &mut M,
    key: &'static str,
    value: &T,
    extra: &crate::Extra,
) -> Result<(), M::Error> {
    if is_checking() && *value == T::default() && !extra.contains_key(key) {
        return Err(M::Error::custom(format_args!("{MISSING}{key}")));
    }
    super::field(map, key, value, extra)
}

/// During the check, an error about a forgotten field inside field `key` names `key` too.
#[cold]
pub(super) fn within<E: Error>(e: E, key: &str) -> E {
    if !is_checking() {
        return e;
    }
    match e.to_string().strip_prefix(MISSING) {
        Some(path) => E::custom(format_args!("{MISSING}{key}.{path}")),
        None => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default, PartialEq)]
    struct Named {
        name: String,
        extra: crate::Extra,
    }

    impl Serialize for Named {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut map = s.serialize_map(None)?;
            required(&mut map, "name", &self.name, &self.extra)?;
            super::super::end(map, &self.extra)
        }
    }

    #[derive(Default)]
    struct Outer {
        items: Vec<Named>,
        extra: crate::Extra,
    }

    impl Serialize for Outer {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut map = s.serialize_map(None)?;
            super::super::field(&mut map, "items", &self.items, &self.extra)?;
            super::super::end(map, &self.extra)
        }
    }

    #[test]
    fn a_forgotten_field_fails_only_the_check_and_names_its_path() {
        let outer = Outer {
            items: vec![Named::default()],
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&outer).unwrap(),
            r#"{"items":[{"name":""}]}"#
        );
        let e = checking(|| serde_json::to_string(&outer)).unwrap_err();
        assert_eq!(e.to_string(), format!("{MISSING}items.name"));
        let set = Outer {
            items: vec![Named {
                name: "x".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(checking(|| serde_json::to_string(&set)).is_ok());
    }

    #[test]
    fn a_panic_inside_the_check_leaves_it_off() {
        let caught = std::panic::catch_unwind(|| checking(|| panic!("while encoding")));
        assert!(caught.is_err());
        assert!(!is_checking());
        let (_, files) = crate::file::collecting(|| ());
        assert!(files.file("anything").is_none());
    }
}
