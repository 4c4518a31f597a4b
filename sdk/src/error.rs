//! The one error type of the SDK.

use std::fmt;
use std::time::Duration;

/// What went wrong with a call. Every variant that follows a response carries the request id
/// (`x-request-id`), which OpenAI support asks for.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status.
    Api(Box<ApiError>),
    /// The request could not be sent or the response not received (connection refused, reset,
    /// TLS failure).
    Transport(reqwest::Error),
    /// The answer stalled: no bytes within the read timeout (for the headers, or between two
    /// chunks of the body), or the call's total timeout passed. Holds the timeout that ran out.
    Timeout(Duration),
    /// The response arrived but its body is not what the operation returns.
    Decode(Box<DecodeError>),
    /// An argument was rejected before anything was sent (an empty path parameter, a body that
    /// cannot be encoded, a missing API key).
    InvalidArgument(String),
    /// The token provider of an Azure OpenAI client failed to give a token.
    Credential(Box<dyn std::error::Error + Send + Sync>),
    /// The server closed the Realtime WebSocket other than normally: its close code and reason.
    Closed { code: u16, reason: String },
    /// The Realtime WebSocket failed: a handshake, protocol or connection problem.
    WebSocket(Box<dyn std::error::Error + Send + Sync>),
    /// A stream stopped before its end: the connection closed before `[DONE]` or the event that
    /// ends it (a proxy or load balancer cutting it at an event boundary), or broke mid-stream.
    /// The events received before were yielded.
    Stream(Box<StreamError>),
    /// A local file could not be read or written (a download saved to disk, a file uploaded in
    /// parts).
    Io(std::io::Error),
    /// A structured answer was cut short (`finish_reason` `length` or `content_filter`): its
    /// JSON is unfinished.
    Incomplete { reason: String },
}

/// A stream that stopped before its end.
#[derive(Debug)]
pub struct StreamError {
    /// How many events arrived before it stopped.
    pub events: usize,
    /// The transport error that broke it; `None` when the connection closed early but cleanly.
    pub source: Option<reqwest::Error>,
    pub request_id: Option<String>,
}

/// An error status from the API, with the fields of its `{"error": {...}}` body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    /// `error.message`, or the raw body when it is not JSON.
    pub message: String,
    /// `error.type` (`invalid_request_error`, …).
    pub kind: Option<String>,
    /// `error.code` (`model_not_found`, …); a string or a number on the wire.
    pub code: Option<String>,
    /// `error.param`: the request field at fault.
    pub param: Option<String>,
    pub request_id: Option<String>,
    /// The body as received.
    pub body: String,
}

/// A response body that does not decode as the operation's type: not JSON, or JSON whose top
/// level does not fit (anything deeper that does not fit is kept, see [`crate::json`]).
#[derive(Debug)]
pub struct DecodeError {
    /// Why, with the line and column in `body`.
    pub source: serde_json::Error,
    /// The body as received.
    pub body: String,
    pub request_id: Option<String>,
}

impl Error {
    /// The HTTP status, for API errors.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            _ => None,
        }
    }

    /// The request id the API gave the failed call, if a response arrived.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            Error::Stream(e) => e.request_id.as_deref(),
            _ => None,
        }
    }
}

impl Error {
    /// A body that does not decode, kept with the error.
    pub(crate) fn decode(
        source: serde_json::Error,
        body: &[u8],
        request_id: Option<String>,
    ) -> Error {
        Error::Decode(Box::new(DecodeError {
            source,
            body: String::from_utf8_lossy(body).into_owned(),
            request_id,
        }))
    }
}

impl ApiError {
    pub(crate) fn from_body(status: u16, body: &[u8], request_id: Option<String>) -> ApiError {
        let value = serde_json::from_slice::<serde_json::Value>(body).ok();
        let error = value
            .as_ref()
            .and_then(|v| v.get("error"))
            .filter(|e| e.is_object());
        ApiError::from_object(
            status,
            error,
            String::from_utf8_lossy(body).into_owned(),
            request_id,
        )
    }

    /// An error event in a stream: `{"error": {...}}`, or the error object itself.
    pub(crate) fn from_event(status: u16, data: &str, request_id: Option<String>) -> ApiError {
        let value = serde_json::from_str::<serde_json::Value>(data).ok();
        let error = value
            .as_ref()
            .map(|v| v.get("error").filter(|e| e.is_object()).unwrap_or(v))
            .filter(|e| e.is_object());
        ApiError::from_object(status, error, data.to_owned(), request_id)
    }

    /// The fields of an `error` object; the raw body stands in for a missing message.
    fn from_object(
        status: u16,
        error: Option<&serde_json::Value>,
        body: String,
        request_id: Option<String>,
    ) -> ApiError {
        let field = |name: &str| -> Option<String> {
            match error?.get(name)? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            }
        };
        ApiError {
            status,
            message: field("message").unwrap_or_else(|| body.clone()),
            kind: field("type"),
            code: field("code"),
            param: field("param"),
            request_id,
            body,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => {
                write!(f, "API error {}", e.status)?;
                if let Some(code) = &e.code {
                    write!(f, " ({code})")?;
                }
                write!(f, ": {}", e.message)?;
                if let Some(id) = &e.request_id {
                    write!(f, " [request id {id}]")?;
                }
                Ok(())
            }
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Timeout(after) => write!(f, "request timed out after {after:?}"),
            Error::Decode(e) => {
                write!(f, "cannot decode the response: {}", e.source)?;
                if let Some(id) = &e.request_id {
                    write!(f, " [request id {id}]")?;
                }
                Ok(())
            }
            Error::InvalidArgument(why) => write!(f, "invalid argument: {why}"),
            Error::Credential(e) => write!(f, "the token provider failed: {e}"),
            Error::Closed { code, reason } => {
                write!(f, "the server closed the WebSocket ({code}): {reason}")
            }
            Error::WebSocket(e) => write!(f, "WebSocket error: {e}"),
            Error::Stream(e) => {
                write!(
                    f,
                    "the stream stopped before its end, after {} events",
                    e.events
                )?;
                match &e.source {
                    Some(source) => write!(f, ": {source}")?,
                    None => write!(f, ": the connection closed")?,
                }
                if let Some(id) = &e.request_id {
                    write!(f, " [request id {id}]")?;
                }
                Ok(())
            }
            Error::Io(e) => write!(f, "file error: {e}"),
            Error::Incomplete { reason } => {
                write!(f, "the answer stopped before it was complete ({reason})")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Io(e) => Some(e),
            Error::Decode(e) => Some(&e.source),
            Error::Credential(e) | Error::WebSocket(e) => Some(e.as_ref()),
            Error::Stream(e) => e.source.as_ref().map(|e| e as _),
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
