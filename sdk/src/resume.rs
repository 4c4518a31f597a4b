//! Resuming a stream whose connection broke, from the last event it delivered: a background
//! response's events are kept by the API, and `GET /responses/{id}?stream=true&starting_after=N`
//! sends those after `N` (the generator finds that `GET` in the spec, `lower/retrieve_streams.rs`).
//! The official SDKs leave this to their users; here `final_response()` survives a dropped
//! connection.

use crate::client::Client;
use crate::error::Result;
use crate::request::{Decode, Request, RequestOptions};
use memchr::memmem::Finder;
use reqwest::Method;
use std::future::Future;
use std::pin::Pin;
use std::sync::LazyLock;
use std::task::{Context, Poll};

/// Where a stream resumes: a `GET` of its object from a position in the stream.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Resume {
    /// The `GET`'s path template (its one parameter is the object's id) and operation id.
    pub(crate) route: &'static str,
    pub(crate) operation: &'static str,
    /// The event member holding the object, whose `id` fills the path (`response`).
    pub(crate) member: &'static str,
    /// The query parameter taking the last event's `sequence_number`.
    pub(crate) cursor: &'static str,
}

type Resuming = Pin<Box<dyn Future<Output = Result<reqwest::Response>> + Send>>;

/// A stream's way back after its connection breaks.
pub(crate) struct Resumer {
    resume: Resume,
    client: Client,
    options: RequestOptions,
    /// The object's id, from the first event that holds it.
    id: Option<String>,
    /// The `sequence_number` of the last event delivered.
    position: Option<u64>,
    /// Where the last resume started: a stream resumes again only once it has moved on, so
    /// one that breaks as often as it resumes stops (each resume retries as its call does).
    resumed_at: Option<u64>,
    resuming: Option<Resuming>,
}

impl Resumer {
    pub(crate) fn new(resume: Resume, client: Client, options: RequestOptions) -> Self {
        Resumer {
            resume,
            client,
            options,
            id: None,
            position: None,
            resumed_at: None,
            resuming: None,
        }
    }

    /// Notes what an event delivered tells: its position, and the object's id until known.
    pub(crate) fn observe(&mut self, data: &str) {
        static POSITION: LazyLock<Finder<'static>> =
            LazyLock::new(|| Finder::new(b"\"sequence_number\":"));
        if let Some(at) = POSITION.find(data.as_bytes()) {
            let rest = data[at + "\"sequence_number\":".len()..].trim_start();
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if let Ok(n) = rest[..digits].parse() {
                self.position = Some(n);
            }
        }
        if self.id.is_none() && data.contains(self.resume.member) {
            let value: Option<serde_json::Value> = serde_json::from_str(data).ok();
            self.id = value
                .as_ref()
                .and_then(|v| v.get(self.resume.member)?.get("id")?.as_str())
                .filter(|id| !id.is_empty())
                .map(str::to_owned);
        }
    }

    /// Asks for the events after the last one delivered, if the stream knows where it was and
    /// has moved on since it last resumed; whether a request is on its way.
    pub(crate) fn start(&mut self) -> bool {
        let (Some(id), Some(position)) = (&self.id, self.position) else {
            return false;
        };
        if self.resumed_at == Some(position) {
            return false;
        }
        self.resumed_at = Some(position);
        let request: Request<()> = Request::with_decode(
            &self.client,
            Method::GET,
            crate::encode::path(self.resume.route, &[id]),
            Decode::Body(crate::rt::decode_empty),
        )
        .named(self.resume.operation, self.resume.route)
        .options(self.options.clone())
        .extend_query(vec![
            ("stream".to_owned(), "true".to_owned()),
            (self.resume.cursor.to_owned(), position.to_string()),
        ]);
        self.resuming = Some(Box::pin(request.raw_response()));
        true
    }

    /// The resumed stream's response once it is in; `None` when nothing is being resumed.
    pub(crate) fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<reqwest::Response>>> {
        let Some(resuming) = &mut self.resuming else {
            return Poll::Ready(None);
        };
        let response = std::task::ready!(resuming.as_mut().poll(cx));
        self.resuming = None;
        Poll::Ready(Some(response))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_tell_the_position_and_the_object_id() {
        let client = Client::builder().api_key("k").build().unwrap();
        let resume = Resume {
            route: "/responses/{response_id}",
            operation: "getResponse",
            member: "response",
            cursor: "starting_after",
        };
        let mut resumer = Resumer::new(resume, client, RequestOptions::default());
        assert!(!resumer.start(), "nothing delivered yet");
        resumer.observe(r#"{"type":"response.created","response":{"id":"resp_1","status":"queued"},"sequence_number":0}"#);
        resumer
            .observe(r#"{"type":"response.output_text.delta","delta":"hi","sequence_number": 41}"#);
        assert_eq!(resumer.id.as_deref(), Some("resp_1"));
        assert_eq!(resumer.position, Some(41));
        assert!(resumer.start());
        assert!(!resumer.start(), "not again before the stream moves on");
        resumer
            .observe(r#"{"type":"response.output_text.delta","delta":"!","sequence_number":42}"#);
        assert!(resumer.start());
    }
}
