//! Decoding API payloads the way the client does: fast (through the deserializer in `de.rs`,
//! which gives the values serde_json gives, in less time), and never failing a whole value over
//! one field the spec got wrong. Encoding, and `serde_json::Value` outside the SDK's types, stay
//! with serde_json.

use serde::de::DeserializeOwned;

mod de;
mod lenient;
mod lex;
mod strict;
mod tagged;
#[cfg(test)]
mod tests;

// For the SDK and the generated types, not part of the public API (each is `#[doc(hidden)]` where
// it is defined: rustdoc inlining this module into `openai_sdk::json` reads the items, not these
// re-exports).
pub use de::{from_str as decode, from_str_seed as decode_seed};
pub use lenient::{is_lenient, leniently, take_rejected};
pub use strict::{departs, is_strict};
pub use tagged::deserialize_tagged;

/// Decodes `json` as `T`, in one pass, leniently: a field whose value does not fit its type (the
/// spec says array, the API sent a string, or `null` where the spec does not allow it) is kept
/// in its struct's `extra` map and the field gets its default. Only JSON that is not valid at
/// all, or whose top level does not fit `T`, is an error. A value that does not fit is read
/// twice (see `lenient.rs`); nothing else is, so a payload where the spec is wrong costs about
/// what one where it is right does. (It once took a second, lenient pass over the whole payload
/// after a strict one failed: a files list with one `bytes: null` decoded twice.)
pub fn from_str<T: DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    lenient::leniently(|| decode(json))
}

/// Decodes `json` as `T` exactly as the spec describes it: a field the spec does not list, a
/// `null` it does not allow, a string outside a closed enum, a constant that differs, or a value
/// that fits no variant of a union is an error, where [`from_str`] keeps it. For tests, and for
/// finding where the API departs from its spec; the client decodes with [`from_str`].
pub fn from_str_strict<T: DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    strict::strictly(|| decode(json))
}

/// [`from_str`] for bytes. The bytes are checked as UTF-8 once, up front, with SIMD: decoding
/// from `&str` then checks nothing per string.
pub fn from_slice<T: DeserializeOwned>(json: &[u8]) -> Result<T, serde_json::Error> {
    match simdutf8::basic::from_utf8(json) {
        Ok(text) => from_str(text),
        // serde_json reports where the bad byte is (decoding as `Value` rather than `T` keeps a
        // second decoder of every type out of the build).
        Err(utf8) => Err(serde_json::from_slice::<serde_json::Value>(json)
            .err()
            .unwrap_or_else(|| serde::de::Error::custom(utf8))),
    }
}
