//! An answer's body as it arrives, under the call's timeouts.
//!
//! The read timeout bounds each wait for more bytes, not the whole body: a stream or a download
//! lives as long as bytes keep coming, as with httpx's read timeout (openai-python). The
//! deadline, when the caller set a total timeout, bounds the whole call, body included.

use crate::error::Error;
use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

/// How long a call may wait: for each read, and in all.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timeouts {
    /// The longest wait for the answer's next bytes (its headers, then each chunk).
    pub(crate) read: Duration,
    /// When the whole call must be over, and the total it was given.
    pub(crate) deadline: Option<(Instant, Duration)>,
}

impl Timeouts {
    pub(crate) fn new(read: Duration, total: Option<Duration>) -> Self {
        Timeouts {
            read,
            deadline: total.map(|total| (Instant::now() + total, total)),
        }
    }

    /// When a wait that starts at `from` runs out.
    pub(crate) fn until(&self, from: Instant) -> Instant {
        let read = from + self.read;
        match self.deadline {
            Some((deadline, _)) => read.min(deadline),
            None => read,
        }
    }

    /// The timeout that ran out at `now`: the total one if its deadline has passed.
    pub(crate) fn expired(&self, now: Instant) -> Duration {
        match self.deadline {
            Some((deadline, total)) if now >= deadline => total,
            _ => self.read,
        }
    }

    /// Whether waiting `delay` from now would pass the deadline.
    pub(crate) fn passes_deadline(&self, delay: Duration) -> bool {
        self.deadline
            .is_some_and(|(deadline, _)| Instant::now() + delay >= deadline)
    }

    /// `future` (sending a request, until its headers are in), or the timeout that ran out.
    pub(crate) async fn wait<F: Future>(&self, future: F) -> Result<F::Output, Duration> {
        let until = self.until(Instant::now());
        tokio::time::timeout_at(until, future)
            .await
            .map_err(|_| self.expired(Instant::now()))
    }
}

/// Why a body stopped short.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The connection broke, or the body ended before its declared length.
    Transport(reqwest::Error),
    /// No bytes within the read timeout, or the deadline passed: the timeout that ran out.
    Timeout(Duration),
}

impl Failure {
    /// The error a caller sees when the body is not retried.
    pub(crate) fn into_error(self) -> Error {
        match self {
            Failure::Transport(e) => Error::Transport(e),
            Failure::Timeout(d) => Error::Timeout(d),
        }
    }
}

type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// A response body, chunk by chunk; a chunk that does not come within the read timeout (or by
/// the deadline) ends it with [`Failure::Timeout`].
pub(crate) struct Body {
    chunks: Chunks,
    timeouts: Timeouts,
    /// When the last bytes arrived. The timer is moved on from it only when it fires, so a fast
    /// stream re-arms it once per read timeout rather than once per chunk.
    last: Instant,
    timer: Pin<Box<Sleep>>,
}

impl Body {
    pub(crate) fn new(response: reqwest::Response, timeouts: Timeouts) -> Self {
        let last = Instant::now();
        Body {
            chunks: Box::pin(response.bytes_stream()),
            timer: Box::pin(tokio::time::sleep_until(timeouts.until(last))),
            timeouts,
            last,
        }
    }

    /// The whole body; `size` (the `content-length`, if any) sizes the buffer once.
    pub(crate) async fn read_all(mut self, size: Option<u64>) -> Result<Bytes, Failure> {
        use futures_util::StreamExt;
        let Some(first) = self.next().await.transpose()? else {
            return Ok(Bytes::new());
        };
        let Some(second) = self.next().await.transpose()? else {
            // The usual JSON answer: one chunk, kept without a copy.
            return Ok(first);
        };
        // Capped: a length the server claims is not a reason to reserve gigabytes up front.
        let hint = size.map_or(0, |s| s.min(64 << 20) as usize);
        let mut all = BytesMut::with_capacity(hint.max(first.len() + second.len()));
        all.extend_from_slice(&first);
        all.extend_from_slice(&second);
        while let Some(chunk) = self.next().await.transpose()? {
            all.extend_from_slice(&chunk);
        }
        Ok(all.freeze())
    }
}

impl Stream for Body {
    type Item = Result<Bytes, Failure>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match this.chunks.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.last = Instant::now();
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(Failure::Transport(e)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => loop {
                if this.timer.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                let until = this.timeouts.until(this.last);
                let now = Instant::now();
                if now >= until {
                    return Poll::Ready(Some(Err(Failure::Timeout(this.timeouts.expired(now)))));
                }
                this.timer.as_mut().reset(until);
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_caps_each_wait_and_names_the_total() {
        let t = Timeouts {
            read: Duration::from_secs(10),
            deadline: Some((
                Instant::now() + Duration::from_secs(3),
                Duration::from_secs(3),
            )),
        };
        let now = Instant::now();
        assert!(t.until(now) <= now + Duration::from_secs(3));
        assert_eq!(t.expired(now), Duration::from_secs(10));
        assert_eq!(
            t.expired(now + Duration::from_secs(4)),
            Duration::from_secs(3)
        );
        assert!(t.passes_deadline(Duration::from_secs(5)));
        assert!(!t.passes_deadline(Duration::from_secs(1)));
        let read_only = Timeouts::new(Duration::from_secs(2), None);
        assert_eq!(read_only.until(now), now + Duration::from_secs(2));
        assert!(!read_only.passes_deadline(Duration::from_secs(3600)));
    }
}
