//! Typed server-sent event streams from the API.

use crate::body::{Body, Failure, Timeouts};
use crate::error::{ApiError, Error, Result, StreamError};
use crate::request::Live;
use crate::resume::Resumer;
use crate::sse::{Event, Parser};
use futures_util::Stream;
use memchr::memmem::Finder;
use serde::de::{DeserializeOwned, IgnoredAny};
use std::collections::VecDeque;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::LazyLock;
use std::task::{Context, Poll};

/// How a complete stream ends (the generator finds it in the spec): a stream whose body stops
/// before is [`Error::Stream`], not a quiet end.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) enum StreamEnd {
    /// Not known: any end is taken as complete.
    #[default]
    Unknown,
    /// With `data: [DONE]`.
    Done,
    /// With an event of one of these types (`response.completed`), or `[DONE]`.
    Events(&'static [&'static str]),
}

/// How a stream's events are read, and how it ends.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Framing {
    /// Each event is decoded as `{"event": name, "data": data}`, not from its data alone.
    pub(crate) framed: bool,
    pub(crate) end: StreamEnd,
    /// How the stream resumes after its connection breaks, if it can.
    pub(crate) resume: Option<crate::resume::Resume>,
}

/// The events of a streaming call, decoded as `E` as they arrive.
///
/// `data: [DONE]` ends the stream cleanly. An `event: error`, or a payload with a top-level
/// `error`, arrives as an `Err` item. An event type the SDK does not know arrives as the event
/// union's `Unknown` variant. A stream that stops before its end (the connection closed before
/// `[DONE]` or the operation's last event, or broken) ends with an [`Error::Stream`] item.
/// Dropping the stream closes the connection. It lives as long as events keep coming: the read
/// timeout bounds each wait for more bytes, not the whole stream (a total timeout, if set, does).
#[must_use = "streams do nothing unless polled"]
pub struct EventStream<E> {
    body: Body,
    parser: Parser,
    pending: VecDeque<Event>,
    status: u16,
    request_id: Option<String>,
    /// `[DONE]` or a transport error: nothing more will be yielded.
    done: bool,
    /// The body has ended; what is pending is all there is.
    ended: bool,
    /// The call's span, ended with the stream.
    call: crate::trace::Call,
    framing: Framing,
    /// Events received.
    events: usize,
    /// The event that ends the stream has arrived (or an error event, after which the server
    /// closes it).
    complete: bool,
    /// Searchers for the types of `StreamEnd::Events`, built once rather than per event.
    ends: Vec<Finder<'static>>,
    /// The way back after the connection breaks, for a stream that can resume
    /// (`crate::resume`); boxed, as most streams have none.
    resumer: Option<Box<Resumer>>,
    /// While resuming: the error the stream stopped with, yielded if resuming fails.
    broken: Option<Error>,
    timeouts: Timeouts,
    _event: PhantomData<fn() -> E>,
}

impl<E> std::fmt::Debug for EventStream<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("request_id", &self.request_id)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<E: DeserializeOwned> EventStream<E> {
    pub(crate) fn new(response: reqwest::Response, live: Live) -> Self {
        let Live {
            timeouts,
            call,
            framing,
            client,
            options,
        } = live;
        let resumer = framing
            .resume
            .map(|resume| Box::new(Resumer::new(resume, client, options)));
        EventStream {
            status: response.status().as_u16(),
            request_id: crate::client::request_id(response.headers()),
            body: Body::new(response, timeouts),
            parser: Parser::new(),
            pending: VecDeque::new(),
            done: false,
            ended: false,
            call,
            framing,
            events: 0,
            complete: framing.end == StreamEnd::Unknown,
            ends: match framing.end {
                StreamEnd::Events(types) => types.iter().map(Finder::new).collect(),
                _ => Vec::new(),
            },
            resumer,
            broken: None,
            timeouts,
            _event: PhantomData,
        }
    }

    /// The request id of the streaming call.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// One event's JSON, as its item is decoded from; `None` for an event that carries nothing
    /// to yield.
    fn text(&mut self, event: Event) -> Option<Result<String>> {
        if event.data == "[DONE]" {
            self.done = true;
            self.complete = true;
            return None;
        }
        self.events += 1;
        if let Some(resumer) = &mut self.resumer {
            resumer.observe(&event.data);
        }
        if event.event.as_deref() == Some("error") || has_error(&event.data) {
            self.complete = true;
            return Some(Err(Error::Api(Box::new(ApiError::from_event(
                self.status,
                &event.data,
                self.request_id.clone(),
            )))));
        }
        if let StreamEnd::Events(last) = self.framing.end {
            self.complete |= is_one_of(&event, last, &self.ends);
        }
        if self.framing.framed {
            // The name encoded as a JSON string (quotes escaped); the data is JSON already.
            let name = serde_json::Value::from(event.event.as_deref().unwrap_or("message"));
            let frame = format!(r#"{{"event":{name},"data":{}}}"#, event.data);
            return Some(Ok(frame));
        }
        Some(Ok(event.data))
    }

    /// The stream stopped before its end, broken by `source` or closed.
    pub(crate) fn stopped(&self, source: Option<reqwest::Error>) -> Error {
        Error::Stream(Box::new(StreamError {
            events: self.events,
            source,
            request_id: self.request_id.clone(),
        }))
    }

    pub(crate) fn decode(&self, json: String) -> Result<E> {
        crate::json::from_str(&json)
            .map_err(|source| Error::decode(source, json.as_bytes(), self.request_id.clone()))
    }
}

/// Whether an event is of one of the `types`: by its `event:` name, else by its data's `type`
/// (read only when the data mentions one of them: `finders` search for each).
fn is_one_of(event: &Event, types: &[&str], finders: &[Finder<'_>]) -> bool {
    if let Some(name) = &event.event {
        return types.contains(&name.as_str());
    }
    #[derive(serde::Deserialize)]
    struct Typed<'a> {
        #[serde(rename = "type", borrow)]
        kind: Option<std::borrow::Cow<'a, str>>,
    }
    let data = event.data.as_bytes();
    finders.iter().any(|f| f.find(data).is_some())
        && serde_json::from_str::<Typed>(&event.data)
            .is_ok_and(|e| e.kind.is_some_and(|k| types.contains(&k.as_ref())))
}

/// Whether an event's JSON has a top-level `error` that is not `null`. Most events cannot (the
/// key `"error"` never appears in their text, and cannot hide inside a string, where its quotes
/// would be escaped), so only those that mention it are scanned, without building a tree.
fn has_error(data: &str) -> bool {
    static KEY: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"error\""));
    KEY.find(data.as_bytes()).is_some()
        && crate::rt::top_level::<Option<IgnoredAny>>(data, "error").is_some_and(|e| e.is_some())
}

impl<E: DeserializeOwned> EventStream<E> {
    /// The next event's JSON, before it is decoded: what a helper folding the stream reads.
    pub(crate) fn poll_text(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<String>>> {
        loop {
            if self.done {
                self.pending.clear();
                self.call.end();
                return Poll::Ready(None);
            }
            if let Some(event) = self.pending.pop_front() {
                match self.text(event) {
                    Some(item) => return Poll::Ready(Some(item)),
                    None => continue,
                }
            }
            if self.broken.is_some() {
                match self.resumed(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(None) => continue,
                    Poll::Ready(Some(error)) => return Poll::Ready(Some(Err(error))),
                }
            }
            if self.ended {
                if !self.complete {
                    // The body ended before the stream's last event: said once, after the
                    // events that did arrive.
                    self.complete = true;
                    let error = self.stopped(None);
                    self.call.failed(&error);
                    return Poll::Ready(Some(Err(error)));
                }
                self.call.end();
                return Poll::Ready(None);
            }
            match Pin::new(&mut self.body).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => self.parser.feed(&chunk, &mut self.pending),
                Poll::Ready(Some(Err(failure))) => {
                    let error = match failure {
                        Failure::Timeout(after) => Error::Timeout(after),
                        Failure::Transport(e) => self.stopped(Some(e)),
                    };
                    let Err(error) = self.resume(error) else {
                        continue;
                    };
                    self.done = true;
                    self.call.failed(&error);
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(None) => {
                    if !self.complete && self.resume(self.stopped(None)).is_ok() {
                        continue;
                    }
                    self.parser.finish(&mut self.pending);
                    self.ended = true;
                }
            }
        }
    }

    /// Starts resuming after the stream broke with `error` (a cut body, a stall), if it can;
    /// the part of an event that had arrived is dropped, as the resumed stream sends it again.
    /// `Err(error)` when it cannot.
    fn resume(&mut self, error: Error) -> Result<()> {
        // A total timeout that ran out is not resumed.
        if self.timeouts.passes_deadline(std::time::Duration::ZERO) {
            return Err(error);
        }
        if self.resumer.as_mut().is_some_and(|r| r.start()) {
            self.broken = Some(error);
            Ok(())
        } else {
            Err(error)
        }
    }

    /// The resumed stream, once its response is in: `None` when events flow again, else the
    /// error the stream had stopped with (it ends there).
    fn resumed(&mut self, cx: &mut Context<'_>) -> Poll<Option<Error>> {
        let resumer = self.resumer.as_mut().expect("resuming needs a resumer");
        match std::task::ready!(resumer.poll(cx)) {
            Some(Ok(response)) => {
                self.broken = None;
                self.body = Body::new(response, self.timeouts);
                self.parser = Parser::new();
                Poll::Ready(None)
            }
            _ => {
                let error = self.broken.take().expect("resuming after an error");
                self.done = true;
                self.call.failed(&error);
                Poll::Ready(Some(error))
            }
        }
    }
}

impl<E: DeserializeOwned> Stream for EventStream<E> {
    type Item = Result<E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<E>>> {
        let this = self.get_mut();
        this.poll_text(cx)
            .map(|item| item.map(|text| text.and_then(|text| this.decode(text))))
    }
}

#[cfg(test)]
mod tests {
    use super::has_error;

    #[test]
    fn only_a_top_level_error_that_is_not_null_counts() {
        assert!(has_error(r#"{"type":"error","error":{"message":"boom"}}"#));
        assert!(has_error(r#"{"id":"x","error":"boom"}"#));
        assert!(!has_error(r#"{"error":null,"id":"x"}"#));
        assert!(!has_error(r#"{"response":{"error":{"message":"nested"}}}"#));
        assert!(!has_error(r#"{"delta":"the \"error\" word"}"#));
        assert!(!has_error(r#"{"delta":"no such key"}"#));
        assert!(!has_error(r#"not json "error""#));
    }
}
