//! Decoding API payloads the way the client does: fast, and never failing a whole value over
//! one field the spec got wrong.

use serde::de::DeserializeOwned;

/// Decodes `json` as `T`. If the fast single pass fails, the JSON is decoded again in lenient
/// mode, where a field whose value does not fit its type (the spec says array, the API sent a
/// string) is kept in its struct's `extra` map and the field gets its default. Only JSON that is
/// not valid at all, or whose top level does not fit `T`, is an error.
pub fn from_str<T: DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    from_slice(json.as_bytes())
}

/// [`from_str`] for bytes.
pub fn from_slice<T: DeserializeOwned>(json: &[u8]) -> Result<T, serde_json::Error> {
    match serde_json::from_slice(json) {
        Ok(v) => Ok(v),
        Err(fast) => {
            let Ok(value) = serde_json::from_slice::<serde_json::Value>(json) else {
                return Err(fast);
            };
            crate::rt::leniently(|| T::deserialize(&value)).map_err(|_| fast)
        }
    }
}
