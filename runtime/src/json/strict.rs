//! Strict mode: decoding that fails wherever a payload departs from the spec.
//!
//! The client never decodes strictly: the API sends what its spec does not promise, and the
//! types keep it (a field the spec does not list goes to `extra`, a value outside a closed enum to
//! `Unknown`, ...). Strict mode turns each of those places into an error, so tests can tell a
//! payload that fits the spec from one that only survived it (see [`super::from_str_strict`]).

use serde::de;
use std::cell::Cell;
use std::fmt::Display;

thread_local! {
    static STRICT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` in strict mode (restored afterwards, even on panic).
pub fn strictly<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            STRICT.with(|s| s.set(self.0));
        }
    }
    let _reset = Reset(STRICT.with(|s| s.replace(true)));
    f()
}

/// Whether decoding runs in strict mode.
#[inline]
#[doc(hidden)]
pub fn is_strict() -> bool {
    STRICT.with(Cell::get)
}

/// In strict mode, the error for a departure from the spec that lenient decoding keeps; `Ok`
/// otherwise. Not generic over the value, so compiled once per error type.
#[cold]
#[doc(hidden)]
pub fn departs<E: de::Error>(what: impl Display) -> Result<(), E> {
    if is_strict() {
        Err(E::custom(format_args!("not in the spec: {what}")))
    } else {
        Ok(())
    }
}
