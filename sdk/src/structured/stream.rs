//! A streamed structured answer: the events go by as the plain stream yields them, and are
//! folded on the way into what `final_parsed` parses at the end.

use crate::EventStream;
use crate::error::Result;
use futures_util::Stream;
use serde::de::DeserializeOwned;
use std::pin::Pin;
use std::task::{Context, Poll};

/// What a parse stream keeps of its events (their JSON text, as received) to give its answer.
pub trait Fold {
    type Output;
    fn push(&mut self, event: &str);
    /// The answer; `None` when the events held none (no final response).
    fn finish(self, request_id: &Option<String>) -> Option<Result<Self::Output>>;
}

/// The events of a streamed structured answer (`parse_stream`), decoded as `E` like those of the
/// plain stream; [`final_parsed`](Self::final_parsed) gives the parsed answer.
#[must_use = "streams do nothing unless polled"]
pub struct ParseStream<E, F> {
    events: EventStream<E>,
    fold: F,
}

impl<E, F: std::fmt::Debug> std::fmt::Debug for ParseStream<E, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParseStream")
            .field("events", &self.events)
            .field("fold", &self.fold)
            .finish()
    }
}

impl<E: DeserializeOwned, F: Fold> ParseStream<E, F> {
    pub(crate) fn new(events: EventStream<E>, fold: F) -> Self {
        ParseStream { events, fold }
    }

    /// The request id of the streaming call.
    pub fn request_id(&self) -> Option<&str> {
        self.events.request_id()
    }

    /// Reads the rest of the stream and parses the answer it adds up to. An error event, or a
    /// stream that stopped before its end, is the error; an event that does not decode as `E` is skipped, since
    /// the answer is folded from the JSON.
    pub async fn final_parsed(mut self) -> Result<F::Output> {
        while let Some(text) = std::future::poll_fn(|cx| self.events.poll_text(cx)).await {
            self.fold.push(&text?);
        }
        let request_id = self.events.request_id().map(str::to_owned);
        self.fold
            .finish(&request_id)
            .unwrap_or_else(|| Err(self.events.stopped(None)))
    }
}

impl<E: DeserializeOwned, F: Fold + Unpin> Stream for ParseStream<E, F> {
    type Item = Result<E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<E>>> {
        let this = self.get_mut();
        this.events.poll_text(cx).map(|item| {
            item.map(|text| {
                let text = text?;
                this.fold.push(&text);
                this.events.decode(text)
            })
        })
    }
}
