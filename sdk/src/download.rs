//! Downloaded content: what an operation that sends a file answers (`client.files().content(id)`,
//! audio from `audio().speech()`, a container file, a video), whatever its spec says the body is.

use crate::body::{Body, Failure};
use crate::error::{Error, Result};
use crate::request::Live;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap};
use serde::de::DeserializeOwned;
use std::path::Path;

/// A file the API is sending: its headers are in, its body is read when asked for, so a large
/// file never has to fit in memory ([`save`](Self::save), [`bytes_stream`](Self::bytes_stream)).
/// The read timeout applies between chunks, not to the whole body.
///
/// ```no_run
/// # async fn run(client: openai_sdk::Client) -> Result<(), openai_sdk::Error> {
/// let file = client.files().content("file-abc123").await?;
/// println!("{:?} {:?}", file.content_type(), file.file_name());
/// let text = file.text().await?;                   // or .bytes(), .save(path), .bytes_stream()
/// # Ok(()) }
/// ```
///
/// A body cut short is an error ([`Error::Transport`] or [`Error::Timeout`]), not retried: the
/// bytes already handed over cannot be taken back. Dropping a `Download` closes the connection.
#[must_use = "a download's body is read only when asked for"]
pub struct Download {
    status: u16,
    headers: HeaderMap,
    request_id: Option<String>,
    body: Body,
    live: Live,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download")
            .field("status", &self.status)
            .field("content_type", &self.content_type())
            .field("file_name", &self.file_name())
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

impl Download {
    pub(crate) fn new(response: reqwest::Response, live: Live) -> Self {
        Download {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            request_id: crate::client::request_id(response.headers()),
            body: Body::new(response, live.timeouts),
            live,
        }
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// `x-request-id`, for support requests.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The `content-type` the server sent (`application/octet-stream`, `text/plain;
    /// charset=utf-8`, `audio/mpeg`, …), whatever the spec said.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE)?.to_str().ok()
    }

    /// The file's name from `content-disposition`: its `filename*` (RFC 6266, any charset-less
    /// UTF-8 name) when there is one, else its `filename`.
    pub fn file_name(&self) -> Option<String> {
        file_name(self.headers.get(CONTENT_DISPOSITION)?.to_str().ok()?)
    }

    /// The body's length, if the server said it.
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .get(CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .parse()
            .ok()
    }

    /// The whole body, in memory.
    pub async fn bytes(self) -> Result<Bytes> {
        let size = self.content_length();
        let Download { body, mut live, .. } = self;
        let read = body.read_all(size).await;
        live.finish(read.map_err(Failure::into_error))
    }

    /// The whole body as text (invalid UTF-8 replaced, as `reqwest::Response::text` does).
    pub async fn text(self) -> Result<String> {
        Ok(String::from_utf8_lossy(&self.bytes().await?).into_owned())
    }

    /// The body decoded as JSON `T`, for a file that holds JSON.
    pub async fn json<T: DeserializeOwned>(self) -> Result<T> {
        let request_id = self.request_id.clone();
        let bytes = self.bytes().await?;
        crate::json::from_slice(&bytes).map_err(|source| Error::decode(source, &bytes, request_id))
    }

    /// Each line of a JSON Lines file (a batch's output or error file, a fine-tuning file)
    /// decoded as `T` as it arrives (`serde_json::Value` for any line); blank lines are skipped.
    pub fn json_lines<T: DeserializeOwned + Send + 'static>(
        self,
    ) -> impl Stream<Item = Result<T>> + Send + Unpin + 'static {
        let request_id = self.request_id.clone();
        lines(self.bytes_stream())
            .map(move |line| {
                let line = line?;
                crate::json::from_slice(&line)
                    .map_err(|source| Error::decode(source, &line, request_id.clone()))
            })
            .boxed()
    }

    /// The body chunk by chunk, as it arrives.
    pub fn bytes_stream(self) -> impl Stream<Item = Result<Bytes>> + Send + Unpin + 'static {
        let Download { body, live, .. } = self;
        futures_util::stream::unfold(Some((body, live)), |state| async move {
            let (mut body, mut live) = state?;
            match body.next().await {
                Some(Ok(chunk)) => Some((Ok(chunk), Some((body, live)))),
                Some(Err(failure)) => Some((live.finish(Err(failure.into_error())), None)),
                None => {
                    live.finish(Ok(()))
                        .expect("finishing a whole body cannot fail");
                    None
                }
            }
        })
        .boxed()
    }

    /// Writes the body to `path` as it arrives (memory stays at one chunk, whatever the file's
    /// size) and returns the number of bytes written. A download that fails leaves no file
    /// behind: it is written beside `path` and renamed into place once complete.
    pub async fn save(self, path: impl AsRef<Path>) -> Result<u64> {
        use tokio::io::AsyncWriteExt;
        let path = path.as_ref();
        let partial = partial_path(path);
        let written = async {
            let mut file = tokio::fs::File::create(&partial).await.map_err(Error::Io)?;
            let mut written = 0u64;
            let mut chunks = self.bytes_stream();
            while let Some(chunk) = chunks.next().await {
                let chunk = chunk?;
                file.write_all(&chunk).await.map_err(Error::Io)?;
                written += chunk.len() as u64;
            }
            file.flush().await.map_err(Error::Io)?;
            file.sync_all().await.map_err(Error::Io)?;
            Ok(written)
        }
        .await;
        match written {
            Ok(n) => {
                tokio::fs::rename(&partial, path).await.map_err(Error::Io)?;
                Ok(n)
            }
            Err(e) => {
                let _ = tokio::fs::remove_file(&partial).await;
                Err(e)
            }
        }
    }
}

/// The lines of a byte stream, without their line ends; blank lines are left out.
fn lines(
    chunks: impl Stream<Item = Result<Bytes>> + Send + 'static,
) -> impl Stream<Item = Result<Bytes>> + Send + 'static {
    struct State<S> {
        chunks: std::pin::Pin<Box<S>>,
        buffer: bytes::BytesMut,
        /// How much of `buffer` is known to hold no line end.
        scanned: usize,
        ended: bool,
    }
    let state = State {
        chunks: Box::pin(chunks),
        buffer: bytes::BytesMut::new(),
        scanned: 0,
        ended: false,
    };
    futures_util::stream::unfold(state, |mut s| async move {
        loop {
            let line = match memchr::memchr(b'\n', &s.buffer[s.scanned..]) {
                Some(at) => {
                    let mut line = s.buffer.split_to(s.scanned + at + 1);
                    s.scanned = 0;
                    line.truncate(line.len() - 1);
                    Some(line)
                }
                None if s.ended => {
                    s.scanned = 0;
                    (!s.buffer.is_empty()).then(|| s.buffer.split())
                }
                None => None,
            };
            if let Some(mut line) = line {
                if line.last() == Some(&b'\r') {
                    line.truncate(line.len() - 1);
                }
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                return Some((Ok(line.freeze()), s));
            }
            if s.ended {
                return None;
            }
            s.scanned = s.buffer.len();
            match s.chunks.next().await {
                Some(Ok(chunk)) => s.buffer.extend_from_slice(&chunk),
                Some(Err(e)) => {
                    s.ended = true;
                    s.buffer.clear();
                    return Some((Err(e), s));
                }
                None => s.ended = true,
            }
        }
    })
}

/// `name.part` beside `path`, where a download is written until it is complete.
fn partial_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".part");
    path.with_file_name(name)
}

/// The file name a `content-disposition` value gives: `filename*=UTF-8''…` (percent-encoded)
/// first, then `filename="…"` or `filename=token`.
fn file_name(disposition: &str) -> Option<String> {
    let params = disposition.split(';').skip(1).filter_map(|p| {
        let (key, value) = p.split_once('=')?;
        Some((key.trim().to_ascii_lowercase(), value.trim()))
    });
    let mut plain = None;
    for (key, value) in params {
        match key.as_str() {
            "filename*" => {
                let (charset, rest) = value.split_once('\'')?;
                let (_language, encoded) = rest.split_once('\'')?;
                if charset.eq_ignore_ascii_case("utf-8") {
                    let decoded = percent_encoding::percent_decode_str(encoded).decode_utf8();
                    if let Ok(name) = decoded {
                        return Some(name.into_owned());
                    }
                }
            }
            "filename" if plain.is_none() => {
                let name = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                    Some(quoted) => quoted.replace("\\\"", "\"").replace("\\\\", "\\"),
                    None => value.to_owned(),
                };
                plain = Some(name);
            }
            _ => {}
        }
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_come_from_content_disposition() {
        // As the API sends a container file (recorded).
        let recorded =
            "attachment; filename=\"file.txt\"; filename*=UTF-8''946e6dc9-test-get-file.txt";
        assert_eq!(
            file_name(recorded).as_deref(),
            Some("946e6dc9-test-get-file.txt")
        );
        assert_eq!(
            file_name("attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf").as_deref(),
            Some("résumé.pdf")
        );
        assert_eq!(
            file_name("attachment; filename=\"a \\\"b\\\".jsonl\"").as_deref(),
            Some("a \"b\".jsonl")
        );
        assert_eq!(
            file_name("inline; filename=out.mp3").as_deref(),
            Some("out.mp3")
        );
        assert_eq!(file_name("attachment"), None);
    }

    #[tokio::test]
    async fn json_lines_split_wherever_chunks_end() {
        let chunks = ["{\"a\":1}\n{\"a\"", ":2}\r\n\n", "{\"a\":3}"]
            .map(|c| Ok(Bytes::from_static(c.as_bytes())));
        let got: Vec<Bytes> = lines(futures_util::stream::iter(chunks))
            .map(|l| l.unwrap())
            .collect()
            .await;
        assert_eq!(got, [&b"{\"a\":1}"[..], b"{\"a\":2}", b"{\"a\":3}"]);
    }

    #[test]
    fn a_partial_download_sits_beside_its_file() {
        assert_eq!(
            partial_path(Path::new("/tmp/out/batch.jsonl")),
            Path::new("/tmp/out/batch.jsonl.part")
        );
    }
}
