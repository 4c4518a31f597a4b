//! Lenient mode, in which [`super::from_str`] decodes (its only pass).
//!
//! In lenient mode the deserializer marks where each object member's value starts. If the value
//! does not decode, it goes back there, takes the value's text and leaves it here for the
//! struct field that asked for it ([`take_rejected`]), which keeps it in its `extra` map and takes
//! its default; reading goes on after the value. A value nested in another (a map entry in a
//! field) is read again at each level its error passes through, so what is left here is always
//! the value of the member whose read saw the error last. Only failing values are read twice:
//! nothing is buffered on the way, and each type has one decoder, used by both passes.

use serde_json::value::RawValue;
use std::cell::Cell;

thread_local! {
    static LENIENT: Cell<bool> = const { Cell::new(false) };
    /// The value of the last member that failed to decode, until a field takes it.
    static REJECTED: Cell<Option<Box<RawValue>>> = const { Cell::new(None) };
}

/// Runs `f` in lenient mode (restored afterwards, even on panic).
#[doc(hidden)]
pub fn leniently<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            LENIENT.with(|l| l.set(self.0));
            REJECTED.with(Cell::take);
        }
    }
    let _reset = Reset(LENIENT.with(|l| l.replace(true)));
    f()
}

/// Whether decoding runs in lenient mode.
#[inline]
#[doc(hidden)]
pub fn is_lenient() -> bool {
    LENIENT.with(Cell::get)
}

/// Leaves the value of a member that failed to decode (`None`: it is not JSON at all).
pub(super) fn set_rejected(value: Option<Box<RawValue>>) {
    REJECTED.with(|r| r.set(value));
}

/// In lenient mode, the value of the member whose read just failed (see the module's doc);
/// `None` outside lenient mode, or when what failed was not a value's type (invalid JSON, too
/// deep), which then fails the whole decode.
#[cold]
#[doc(hidden)]
pub fn take_rejected() -> Option<Box<RawValue>> {
    if is_lenient() {
        REJECTED.with(Cell::take)
    } else {
        None
    }
}
