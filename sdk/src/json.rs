//! Decoding API payloads the way the client does: fast, and never failing a whole value over
//! one field the spec got wrong.

use serde::de::DeserializeOwned;

/// Decodes `json` as `T`. If the fast single pass fails, the JSON is decoded again in lenient
/// mode, where a field whose value does not fit its type (the spec says array, the API sent a
/// string, or `null` where the spec does not allow it) is kept in its struct's `extra` map and
/// the field gets its default. Only JSON that is not valid at all, or whose top level does not
/// fit `T`, is an error. The fast pass assumes the spec is right; a payload where it is not costs
/// about three decodes instead of one.
pub fn from_str<T: DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    match serde_json::from_str(json) {
        Ok(v) => Ok(v),
        // Invalid JSON fails the same way again (quickly: at the same place).
        Err(fast) => crate::rt::leniently(|| serde_json::from_str(json)).map_err(|_| fast),
    }
}

/// [`from_str`] for bytes. The bytes are checked as UTF-8 once, up front: decoding from `&str`
/// then skips the check serde_json would otherwise make on every string.
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

#[cfg(test)]
mod tests {
    use super::from_slice;
    use std::collections::BTreeMap;

    #[test]
    fn bodies_are_checked_as_utf8() {
        let ok: BTreeMap<String, String> =
            from_slice("{\"text\":\"résumé 東京 🙂 — 18°C\"}".as_bytes()).unwrap();
        assert_eq!(ok["text"], "résumé 東京 🙂 — 18°C");
        // A lone continuation byte inside a string: an error saying where, not a panic.
        let bad = from_slice::<BTreeMap<String, String>>(b"{\"text\":\"caf\x80\"}").unwrap_err();
        assert_eq!((bad.line(), bad.column() > 0), (1, true), "{bad}");
        // Outside any string too.
        assert!(from_slice::<BTreeMap<String, String>>(b"{\"a\":\"b\"}\xff").is_err());
    }
}
