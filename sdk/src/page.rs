//! Auto-paging: a stream of every item of a list, fetching the next page only when needed.

use crate::error::Result;
use crate::request::Request;
use futures_util::Stream;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

/// A page of a list response: its items and the cursor of the next page.
pub trait Page: Sized + Send + 'static {
    type Item: Send + 'static;
    /// The cursor for the next page; `None` on the last page.
    fn next_cursor(&self) -> Option<String>;
    fn into_items(self) -> Vec<Self::Item>;
}

type Fetch<P> = Box<dyn FnMut(Option<String>) -> Request<P> + Send>;
type InFlight<P> = Pin<Box<dyn Future<Output = Result<P>> + Send>>;

/// Every item of a list operation, across pages, in order. It keeps the caller's filters, asks
/// for the next page only when the current one is used up, and stops after a page that says it
/// is the last (or comes back empty). Page-at-a-time access stays available through the plain
/// list method.
#[must_use = "streams do nothing unless polled"]
pub struct Paginator<P: Page> {
    fetch: Fetch<P>,
    cursor: Option<String>,
    items: std::vec::IntoIter<P::Item>,
    in_flight: Option<InFlight<P>>,
    done: bool,
}

// Nothing is pinned in place: the in-flight request is boxed.
impl<P: Page> Unpin for Paginator<P> {}

impl<P: Page> std::fmt::Debug for Paginator<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("cursor", &self.cursor)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<P: Page> Paginator<P> {
    /// `fetch` makes the request for a page (`None`: the first).
    pub(crate) fn new(fetch: impl FnMut(Option<String>) -> Request<P> + Send + 'static) -> Self {
        Paginator {
            fetch: Box::new(fetch),
            cursor: None,
            items: Vec::new().into_iter(),
            in_flight: None,
            done: false,
        }
    }
}

impl<P: Page> Stream for Paginator<P> {
    type Item = Result<P::Item>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if self.done {
                return Poll::Ready(None);
            }
            let this = &mut *self;
            let in_flight = match &mut this.in_flight {
                Some(f) => f,
                None => this
                    .in_flight
                    .insert((this.fetch)(this.cursor.take()).into_future()),
            };
            match in_flight.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => {
                    this.in_flight = None;
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Ok(page)) => {
                    this.in_flight = None;
                    this.cursor = page.next_cursor();
                    let items = page.into_items();
                    this.done = items.is_empty() || this.cursor.is_none();
                    this.items = items.into_iter();
                }
            }
        }
    }
}
