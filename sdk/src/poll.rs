//! Waiting for the API to finish an object it works on in the background (a batch, a run, a
//! vector store file, a video): `poll` and `create_and_poll`, generated for every such object
//! (see the generator's `lower/polling.rs`), are a [`Polling`] to await.

use crate::error::{Error, Result};
use crate::request::{ApiResponse, Request};
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

/// How long to wait between two asks when the API does not say (openai-python's default).
const DEFAULT_INTERVAL: Duration = Duration::from_secs(1);

/// Asks the API for an object again and again until its status says the API is done with it,
/// then gives the object (whatever the outcome: `completed`, `failed`, `expired`, …; check its
/// status). Between two asks it waits as long as the API's `openai-poll-after-ms` header says
/// (1 second without it), or [`interval`](Self::interval). Each ask is an ordinary call, with its
/// retries and timeouts.
///
/// ```no_run
/// # async fn run(client: openai_sdk::Client) -> Result<(), openai_sdk::Error> {
/// let batch = client
///     .batches()
///     .poll("batch_abc123")
///     .interval(std::time::Duration::from_secs(5))
///     .timeout(std::time::Duration::from_secs(24 * 3600))
///     .await?;
/// println!("{:?} {:?}", batch.status, batch.output_file_id);
/// # Ok(()) }
/// ```
#[must_use = "polling does nothing until it is awaited"]
pub struct Polling<T> {
    first: First<T>,
    retrieve: Retrieve<T>,
    done: fn(&T) -> bool,
    interval: Option<Duration>,
    timeout: Option<Duration>,
}

/// The `GET` of the object, given its id.
type Retrieve<T> = Box<dyn Fn(&str) -> Request<T> + Send + Sync>;

/// Where polling starts: an object already made, or the calls that make it.
enum First<T> {
    Id(String),
    Make(Pin<Box<dyn Future<Output = Result<ApiResponse<T>>> + Send>>),
}

/// How many files `upload_and_poll` uploads at once (openai-python's `max_concurrency`).
const UPLOADS_AT_ONCE: usize = 5;

impl<T> std::fmt::Debug for Polling<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Polling")
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl<T: serde::Serialize + Send + 'static> Polling<T> {
    /// Polls the object `id` with `retrieve` until `done`.
    pub(crate) fn of(
        id: &str,
        retrieve: impl Fn(&str) -> Request<T> + Send + Sync + 'static,
        done: fn(&T) -> bool,
    ) -> Self {
        Polling::new(First::Id(id.to_owned()), retrieve, done)
    }

    /// Sends `create`, then polls what it made.
    pub(crate) fn after(
        create: Request<T>,
        retrieve: impl Fn(&str) -> Request<T> + Send + Sync + 'static,
        done: fn(&T) -> bool,
    ) -> Self {
        Polling::new(
            First::Make(Box::pin(create.with_response())),
            retrieve,
            done,
        )
    }

    /// Sends the `uploads` (a few at a time), then what `create` makes of the ids of the files
    /// they made, then polls that.
    pub(crate) fn after_uploads<F: serde::Serialize + Send + 'static>(
        uploads: Vec<Request<F>>,
        create: impl FnOnce(Vec<String>) -> Request<T> + Send + 'static,
        retrieve: impl Fn(&str) -> Request<T> + Send + Sync + 'static,
        done: fn(&T) -> bool,
    ) -> Self {
        use futures_util::{StreamExt, TryStreamExt};
        let make = async move {
            let files: Vec<F> =
                futures_util::stream::iter(uploads.into_iter().map(IntoFuture::into_future))
                    .buffered(UPLOADS_AT_ONCE)
                    .try_collect()
                    .await?;
            let ids = files
                .iter()
                .map(|file| {
                    crate::rt::item_id(file).ok_or_else(|| {
                        Error::InvalidArgument("an uploaded file has no `id`".to_owned())
                    })
                })
                .collect::<Result<Vec<String>>>()?;
            create(ids).with_response().await
        };
        Polling::new(First::Make(Box::pin(make)), retrieve, done)
    }

    fn new(
        first: First<T>,
        retrieve: impl Fn(&str) -> Request<T> + Send + Sync + 'static,
        done: fn(&T) -> bool,
    ) -> Self {
        Polling {
            first,
            retrieve: Box::new(retrieve),
            done,
            interval: None,
            timeout: None,
        }
    }

    /// Waits this long between two asks, whatever the API's `openai-poll-after-ms` says.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = Some(interval);
        self
    }

    /// Gives up with [`Error::Timeout`] when the object is not done this long after the start.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    async fn run(self) -> Result<T> {
        let deadline = self.timeout.map(|t| (tokio::time::Instant::now() + t, t));
        let (id, mut current) = match self.first {
            First::Id(id) => {
                let current = (self.retrieve)(&id).with_response().await?;
                (id, current)
            }
            First::Make(make) => {
                let created = make.await?;
                let id = crate::rt::item_id(&created.data).ok_or_else(|| {
                    Error::InvalidArgument("the object made has no `id` to poll".to_owned())
                })?;
                (id, created)
            }
        };
        loop {
            if (self.done)(&current.data) {
                return Ok(current.data);
            }
            let wait = self.interval.unwrap_or_else(|| poll_after(&current));
            if let Some((deadline, total)) = deadline
                && tokio::time::Instant::now() + wait >= deadline
            {
                return Err(Error::Timeout(total));
            }
            tokio::time::sleep(wait).await;
            current = (self.retrieve)(&id).with_response().await?;
        }
    }
}

/// The wait the API asks for before the next poll (`openai-poll-after-ms`), or the default.
fn poll_after<T>(response: &ApiResponse<T>) -> Duration {
    response
        .headers
        .get("openai-poll-after-ms")
        .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
        .map_or(DEFAULT_INTERVAL, Duration::from_millis)
}

impl<T: serde::Serialize + Send + 'static> IntoFuture for Polling<T> {
    type Output = Result<T>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
