//! Uploading a large file in parts: `upload_file_chunked`, generated where the spec has an upload
//! that takes its file in parts (the generator's `lower/chunked_upload.rs`), is a
//! [`ChunkedUpload`] to await. A single multipart upload is capped (512 MB for `/files`) and holds
//! the whole file in memory; this reads the file a part at a time, sends a few parts at once, and
//! completes the upload with their ids in order.

use crate::InputFile;
use crate::error::{Error, Result};
use crate::request::Request;
use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use std::future::{Future, IntoFuture};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncReadExt};

/// The size of a part unless [`ChunkedUpload::part_size`] says otherwise (openai-python's).
pub const DEFAULT_PART_SIZE: usize = 64 << 20;
/// How many parts are sent at once unless [`ChunkedUpload::parallel`] says otherwise.
pub const DEFAULT_PARALLEL: usize = 3;

/// What a chunked upload reads: a file on disk (`Path`, `PathBuf`), bytes in memory (an
/// [`InputFile`]), or any reader whose length is known ([`ChunkSource::reader`]).
pub struct ChunkSource {
    name: String,
    kind: Source,
}

enum Source {
    Path(PathBuf),
    Bytes(Bytes),
    Reader(u64, Box<dyn AsyncRead + Send + Unpin>),
}

impl std::fmt::Debug for ChunkSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChunkSource")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl ChunkSource {
    /// `size` bytes from `reader`, uploaded as a file called `name`.
    pub fn reader(
        name: impl Into<String>,
        size: u64,
        reader: impl AsyncRead + Send + Unpin + 'static,
    ) -> Self {
        ChunkSource {
            name: name.into(),
            kind: Source::Reader(size, Box::new(reader)),
        }
    }
}

impl From<&Path> for ChunkSource {
    fn from(path: &Path) -> Self {
        path.to_path_buf().into()
    }
}

impl From<PathBuf> for ChunkSource {
    fn from(path: PathBuf) -> Self {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        ChunkSource {
            name,
            kind: Source::Path(path),
        }
    }
}

impl From<InputFile> for ChunkSource {
    fn from(file: InputFile) -> Self {
        ChunkSource {
            name: file.name,
            kind: Source::Bytes(file.bytes),
        }
    }
}

/// Reads the parts of a source, one at a time.
enum Parts {
    Bytes(Bytes),
    Reader(Box<dyn AsyncRead + Send + Unpin>),
}

impl Parts {
    /// The next `len` bytes.
    async fn next(&mut self, len: usize) -> std::io::Result<Bytes> {
        match self {
            Parts::Bytes(bytes) => Ok(bytes.split_to(len.min(bytes.len()))),
            Parts::Reader(reader) => {
                let mut part = vec![0; len];
                reader.read_exact(&mut part).await?;
                Ok(part.into())
            }
        }
    }
}

type PartUpload = Pin<Box<dyn Future<Output = Result<String>> + Send>>;
type Create<U> = Box<dyn FnOnce(u64, &str) -> Request<U> + Send>;
type AddPart = Arc<dyn Fn(&str, InputFile) -> PartUpload + Send + Sync>;
type Complete<U> = Box<dyn FnOnce(&str, Vec<String>) -> Request<U> + Send>;

/// An upload of a file in parts, run when awaited: the upload is created with the file's size,
/// the parts are sent ([`parallel`](Self::parallel) at a time, each retried as any call is), and
/// the upload is completed with the parts' ids in the file's order. It gives the completed upload
/// (with the file it made). Memory holds the parts in flight, not the file.
///
/// ```no_run
/// # async fn run(client: openai_sdk::Client) -> Result<(), openai_sdk::Error> {
/// use openai_sdk::types::CreateUploadRequest;
/// let upload = client
///     .uploads()
///     .upload_file_chunked(
///         std::path::Path::new("training.jsonl"),
///         &CreateUploadRequest {
///             purpose: "fine-tune".into(),
///             mime_type: "text/jsonl".into(),
///             ..Default::default()
///         },
///     )
///     .part_size(16 << 20)
///     .await?;
/// println!("{:?}", upload.file);
/// # Ok(()) }
/// ```
#[must_use = "an upload does nothing until it is awaited"]
pub struct ChunkedUpload<U> {
    source: ChunkSource,
    create: Create<U>,
    part: AddPart,
    complete: Complete<U>,
    part_size: usize,
    parallel: usize,
}

impl<U> std::fmt::Debug for ChunkedUpload<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChunkedUpload")
            .field("source", &self.source)
            .field("part_size", &self.part_size)
            .field("parallel", &self.parallel)
            .finish_non_exhaustive()
    }
}

impl<U: serde::Serialize + Send + 'static> ChunkedUpload<U> {
    pub(crate) fn new(
        source: ChunkSource,
        create: impl FnOnce(u64, &str) -> Request<U> + Send + 'static,
        part: impl Fn(&str, InputFile) -> PartUpload + Send + Sync + 'static,
        complete: impl FnOnce(&str, Vec<String>) -> Request<U> + Send + 'static,
    ) -> Self {
        ChunkedUpload {
            source,
            create: Box::new(create),
            part: Arc::new(part),
            complete: Box::new(complete),
            part_size: DEFAULT_PART_SIZE,
            parallel: DEFAULT_PARALLEL,
        }
    }

    /// A part's call, as the id of the part it made.
    pub(crate) fn part<P: serde::Serialize + Send + 'static>(call: Request<P>) -> PartUpload {
        Box::pin(async move {
            let part = call.await?;
            crate::rt::item_id(&part)
                .ok_or_else(|| Error::InvalidArgument("an uploaded part has no `id`".to_owned()))
        })
    }

    /// The size of each part but the last (64 MiB by default; the API takes up to 64 MiB).
    pub fn part_size(mut self, bytes: usize) -> Self {
        self.part_size = bytes.max(1);
        self
    }

    /// How many parts are sent at once (3 by default).
    pub fn parallel(mut self, parts: usize) -> Self {
        self.parallel = parts.max(1);
        self
    }

    async fn run(self) -> Result<U> {
        let ChunkSource { name, kind } = self.source;
        let (size, parts) = match kind {
            Source::Path(path) => {
                let file = tokio::fs::File::open(&path).await.map_err(Error::Io)?;
                let size = file.metadata().await.map_err(Error::Io)?.len();
                (size, Parts::Reader(Box::new(file)))
            }
            Source::Bytes(bytes) => (bytes.len() as u64, Parts::Bytes(bytes)),
            Source::Reader(size, reader) => (size, Parts::Reader(reader)),
        };
        let upload = (self.create)(size, &name).await?;
        let id = crate::rt::item_id(&upload)
            .ok_or_else(|| Error::InvalidArgument("the upload made has no `id`".to_owned()))?;
        let part_size = self.part_size as u64;
        let (add, upload_id) = (self.part.clone(), id.clone());
        // Each part is read when there is room for it among those in flight.
        let part_calls =
            futures_util::stream::try_unfold((parts, 0u64), move |(mut parts, sent)| {
                let (add, upload_id, name) = (add.clone(), upload_id.clone(), name.clone());
                async move {
                    if sent >= size {
                        return Ok(None);
                    }
                    let len = part_size.min(size - sent) as usize;
                    let bytes = parts.next(len).await.map_err(Error::Io)?;
                    let call = add(&upload_id, InputFile::from_bytes(name, bytes));
                    Ok(Some((call, (parts, sent + len as u64))))
                }
            });
        let part_ids: Vec<String> = part_calls
            .try_buffered(self.parallel)
            .boxed()
            .try_collect()
            .await?;
        (self.complete)(&id, part_ids).await
    }
}

impl<U: serde::Serialize + Send + 'static> IntoFuture for ChunkedUpload<U> {
    type Output = Result<U>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<U>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
