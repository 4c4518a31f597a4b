//! Files sent in `multipart/form-data` uploads.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// File contents for an upload field (`format: binary` in the spec).
///
/// In JSON (which the API never sends for these fields) a file stands for its name only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InputFile {
    /// File name sent with the part; the API uses its extension to tell formats apart.
    pub name: String,
    /// MIME type of the part; guessed by the server when `None`.
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl InputFile {
    pub fn from_bytes(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        InputFile {
            name: name.into(),
            content_type: None,
            bytes: bytes.into(),
        }
    }
}

impl Serialize for InputFile {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name)
    }
}

impl<'de> Deserialize<'de> for InputFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = Option::<String>::deserialize(d)?.unwrap_or_default();
        Ok(InputFile {
            name,
            content_type: None,
            bytes: Vec::new(),
        })
    }
}
