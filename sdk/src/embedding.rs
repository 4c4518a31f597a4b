//! An embedding's vector, whichever `encoding_format` the request asked for. The spec describes
//! only the float array; with `encoding_format: "base64"` the API sends the vector as base64 of
//! little-endian `f32`s (a quarter of the bytes), which decodes leniently into the embedding's
//! `extra` map (the field itself is then empty). [`EmbeddingExt::vector`] reads either.

use crate::types::Embedding;
use base64::Engine;

/// What the SDK adds to [`Embedding`] (in [`prelude`](crate::prelude)).
pub trait EmbeddingExt {
    /// The vector as `f32`s: the float array, or the base64 the API sends when the request
    /// asked for `encoding_format: "base64"` (empty if neither is there or the base64 is bad).
    fn vector(&self) -> Vec<f32>;
}

impl EmbeddingExt for Embedding {
    fn vector(&self) -> Vec<f32> {
        if !self.embedding.is_empty() {
            return self.embedding.iter().map(|&x| x as f32).collect();
        }
        match self.extra.decode::<String>("embedding") {
            Some(Ok(text)) => from_base64(&text).unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

/// Little-endian `f32`s from base64; `None` if it is not base64 of a whole number of them.
fn from_base64(text: &str) -> Option<Vec<f32>> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()?;
    if bytes.len() % 4 != 0 {
        return None;
    }
    Some(
        bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_floats_give_the_same_vector() {
        let floats = [0.0123_f32, -0.5, 1.0e-7, 3.25];
        let bytes: Vec<u8> = floats.iter().flat_map(|f| f.to_le_bytes()).collect();
        let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
        // Pretty-printed, as the API sends it.
        let as_base64 = format!(
            "{{\n  \"object\": \"embedding\",\n  \"index\": 0,\n  \"embedding\": \"{encoded}\"\n}}"
        );
        let as_floats = serde_json::json!({
            "object": "embedding",
            "index": 0,
            "embedding": floats.iter().map(|&f| f as f64).collect::<Vec<_>>(),
        })
        .to_string();
        let a: Embedding = crate::json::from_str(&as_base64).unwrap();
        let b: Embedding = crate::json::from_str(&as_floats).unwrap();
        assert_eq!(a.vector(), floats);
        assert_eq!(b.vector(), floats);
        assert_eq!(from_base64("AAAAAA=="), Some(vec![0.0]));
        assert_eq!(from_base64("AAAA"), None, "three bytes: not a whole f32");
        assert_eq!(from_base64("not base64!"), None);
    }
}
