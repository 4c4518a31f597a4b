//! Files sent in `multipart/form-data` uploads.

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::RefCell;
use std::path::Path;

/// File contents for an upload field (`format: binary` in the spec). Holding the bytes (cheap
/// to clone) lets a failed upload be retried.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InputFile {
    /// File name sent with the part; the API uses its extension to tell formats apart.
    pub name: String,
    /// MIME type of the part; guessed from the name when `None`.
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

impl InputFile {
    pub fn from_bytes(name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        InputFile {
            name: name.into(),
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// Reads a file; its name is the path's file name.
    pub async fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = tokio::fs::read(path).await?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(InputFile::from_bytes(name, bytes))
    }

    /// Reads everything from an async reader.
    pub async fn from_reader(
        name: impl Into<String>,
        mut reader: impl tokio::io::AsyncRead + Unpin,
    ) -> std::io::Result<Self> {
        let mut bytes = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut bytes).await?;
        Ok(InputFile::from_bytes(name, bytes))
    }

    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

thread_local! {
    /// Files met while encoding a multipart body; `None` when not encoding one.
    static COLLECTED: RefCell<Option<Collected>> = const { RefCell::new(None) };
}

/// The files met while encoding one body, each standing in its JSON as a marker string.
#[doc(hidden)]
pub struct Collected {
    /// `\0openai-file-<random>:`, then the file's index. The random part is new for every body,
    /// so no text of the request (user input included) can pass for a file.
    marker: String,
    files: Vec<InputFile>,
}

impl Collected {
    fn new() -> Self {
        let nonce = std::hash::BuildHasher::hash_one(&std::hash::RandomState::new(), ());
        Collected {
            marker: format!("\u{0}openai-file-{nonce:016x}:"),
            files: Vec::new(),
        }
    }

    /// The file `text` stands for, if it is one of this body's markers.
    pub fn file(&self, text: &str) -> Option<&InputFile> {
        let index: usize = text.strip_prefix(&self.marker)?.parse().ok()?;
        self.files.get(index)
    }
}

/// Runs `f` (which serializes a request) collecting the files it serializes: each becomes a
/// marker string in the output that [`Collected::file`] maps back to the file.
#[doc(hidden)]
pub fn collecting<R>(f: impl FnOnce() -> R) -> (R, Collected) {
    /// Puts back the collection that was there before (restored even on panic).
    struct Reset(Option<Option<Collected>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            if let Some(previous) = self.0.take() {
                COLLECTED.with(|c| c.replace(previous));
            }
        }
    }
    let mut reset = Reset(Some(COLLECTED.with(|c| c.replace(Some(Collected::new())))));
    let out = f();
    let previous = reset.0.take().expect("set above");
    let files = COLLECTED.with(|c| c.replace(previous)).expect("set above");
    (out, files)
}

impl Serialize for InputFile {
    /// In a multipart body, the file itself; in JSON (which the API never takes for these
    /// fields), its name.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let marker = COLLECTED.with(|c| {
            c.borrow_mut().as_mut().map(|collected| {
                collected.files.push(self.clone());
                format!("{}{}", collected.marker, collected.files.len() - 1)
            })
        });
        s.serialize_str(marker.as_deref().unwrap_or(&self.name))
    }
}

impl<'de> Deserialize<'de> for InputFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = Option::<String>::deserialize(d)?.unwrap_or_default();
        Ok(InputFile {
            name,
            content_type: None,
            bytes: Bytes::new(),
        })
    }
}
