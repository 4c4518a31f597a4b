//! The Realtime API over a WebSocket (the `websocket` feature): `client.realtime().connect(model)`
//! opens `wss://…/realtime?model=…` with the client's base URL, credential and headers (an Azure
//! client's `…/openai/realtime?api-version=…&deployment=…` and its `api-key` or Entra token), then
//! sends [`RealtimeClientEvent`]s and yields [`RealtimeServerEvent`]s.
//!
//! What arrives: each text frame decoded as a [`RealtimeServerEvent`] (a type this SDK does not
//! know is its `Unknown` variant, kept); an `error` event as an [`Error::Api`] with the fields of its
//! `error` object (and status 101, the handshake's, as a streamed call's errors carry its 200); a
//! frame that is not an event as an [`Error::Decode`], after which the session goes on. The server
//! closing normally ends the stream; closing with another code is one [`Error::Closed`] with the
//! code and reason, then the end. Pings are answered as they are read.
//!
//! ```no_run
//! use futures_util::StreamExt;
//! use openai_sdk::types::RealtimeServerEvent;
//! # async fn run(client: openai_sdk::Client) -> Result<(), openai_sdk::Error> {
//! let (mut send, mut events) = client.realtime().connect("gpt-realtime").await?.split();
//! send.session_update(&serde_json::json!({"type": "realtime", "output_modalities": ["text"]}))
//!     .await?;
//! send.conversation_item_create(&serde_json::json!({
//!     "type": "message",
//!     "role": "user",
//!     "content": [{"type": "input_text", "text": "Say hello"}],
//! }))
//! .await?;
//! send.response_create().await?;
//! while let Some(event) = events.next().await {
//!     match event? {
//!         RealtimeServerEvent::ResponseOutputTextDelta(delta) => print!("{}", delta.delta),
//!         RealtimeServerEvent::ResponseDone(_) => break,
//!         _ => {}
//!     }
//! }
//! send.close().await
//! # }
//! ```

use crate::client::{Auth, Client, Secret, header, request_id, sensitive};
use crate::error::{ApiError, DecodeError, Error, Result};
use crate::types::{RealtimeClientEvent, RealtimeServerEvent};
use base64::Engine;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, Stream, StreamExt};
use reqwest::header::AUTHORIZATION;
use serde::Serialize;
use serde_json::{Map, Value};
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The HTTP status of a WebSocket handshake, which the events of a session carry.
const SWITCHING_PROTOCOLS: u16 = 101;

impl RealtimeConnect {
    /// A session with `model`, or attached to the SIP call `call_id`: what the `connect` and
    /// `connect_call` methods of the Realtime resource return (the generator gives them to the
    /// spec's `realtime` resource, the WebSocket endpoint's; a spec without one has none).
    pub(crate) fn new(client: &Client, model: Option<String>, call_id: Option<String>) -> Self {
        RealtimeConnect {
            client: client.clone(),
            model,
            call_id,
            secret: None,
            query: Vec::new(),
            headers: Vec::new(),
        }
    }
}

/// A Realtime session to open; `.await` it.
#[must_use = "a connection opens when awaited"]
#[derive(Debug)]
pub struct RealtimeConnect {
    client: Client,
    model: Option<String>,
    call_id: Option<String>,
    secret: Option<Secret>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

impl RealtimeConnect {
    /// Authenticates with an ephemeral client secret (from `client.realtime().client_secrets()`)
    /// instead of the client's key: how a browser or a device opens a session.
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = Some(Secret(secret.into()));
        self
    }

    /// Adds a query parameter to the WebSocket URL.
    pub fn query_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Sends an extra header with the handshake (overriding the client's).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The `ws://` or `wss://` URL: the base URL's, its path followed by `/realtime`.
    fn url(&self) -> Result<reqwest::Url> {
        let inner = &self.client.inner;
        let mut url = self.client.base()?;
        let scheme = if url.scheme() == "http" { "ws" } else { "wss" };
        url.set_scheme(scheme)
            .map_err(|()| Error::InvalidArgument(format!("cannot make `{url}` a WebSocket URL")))?;
        let path = format!("{}/realtime", url.path().trim_end_matches('/'));
        url.set_path(&path);
        {
            let mut query = url.query_pairs_mut();
            let model = self.model.as_deref();
            match &inner.azure {
                Some(azure) => {
                    let (name, version) = azure.query();
                    query.append_pair(name, version);
                    if let Some(model) = model {
                        query.append_pair("deployment", azure.realtime_deployment(model));
                    }
                }
                None => {
                    if let Some(model) = model {
                        query.append_pair("model", model);
                    }
                }
            }
            if let Some(call_id) = &self.call_id {
                query.append_pair("call_id", call_id);
            }
            query.extend_pairs(&self.query);
        }
        Ok(url)
    }

    async fn open(self) -> Result<RealtimeConnection> {
        let url = self.url()?;
        let mut request = url
            .as_str()
            .into_client_request()
            .map_err(|e| Error::WebSocket(e.into()))?;
        let headers = request.headers_mut();
        headers.extend(self.client.inner.headers.clone());
        let (name, value) = match &self.secret {
            Some(secret) => (
                AUTHORIZATION,
                sensitive(&format!("Bearer {}", secret.0)).ok_or_else(|| {
                    Error::InvalidArgument("the client secret is not a valid header value".into())
                })?,
            ),
            None => self.client.credential(Auth::Key).await?,
        };
        headers.insert(name, value);
        for (name, value) in &self.headers {
            let (name, value) = header(name, value)?;
            headers.insert(name, value);
        }
        let timeout = self.client.inner.timeout;
        let (socket, response) =
            tokio::time::timeout(timeout, tokio_tungstenite::connect_async(request))
                .await
                .map_err(|_| Error::Timeout(timeout))?
                .map_err(refused)?;
        let request_id = request_id(response.headers());
        let (sink, stream) = socket.split();
        Ok(RealtimeConnection {
            sender: RealtimeSender { sink },
            events: RealtimeEvents {
                stream,
                request_id,
                done: false,
            },
        })
    }
}

impl IntoFuture for RealtimeConnect {
    type Output = Result<RealtimeConnection>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.open())
    }
}

/// A handshake the server refused with an HTTP status is an API error like any other.
fn refused(e: tungstenite::Error) -> Error {
    match e {
        tungstenite::Error::Http(response) => {
            let request_id = request_id(response.headers());
            let body = response.body().as_deref().unwrap_or_default();
            Error::Api(Box::new(ApiError::from_body(
                response.status().as_u16(),
                body,
                request_id,
            )))
        }
        other => Error::WebSocket(other.into()),
    }
}

/// An open Realtime session: send events with its methods, receive them as a [`Stream`]. To
/// send and receive from separate tasks, [`split`](Self::split) it.
#[derive(Debug)]
pub struct RealtimeConnection {
    sender: RealtimeSender,
    events: RealtimeEvents,
}

impl RealtimeConnection {
    /// The request id of the handshake, for support requests.
    pub fn request_id(&self) -> Option<&str> {
        self.events.request_id.as_deref()
    }

    /// The sending half and the receiving half, to use from separate tasks.
    pub fn split(self) -> (RealtimeSender, RealtimeEvents) {
        (self.sender, self.events)
    }

    /// The sending half, for the helpers of the common events: `session.sender().response_create()`.
    pub fn sender(&mut self) -> &mut RealtimeSender {
        &mut self.sender
    }

    /// Sends one event (the helpers for the common ones are on [`RealtimeSender`]).
    pub async fn send(&mut self, event: impl Into<RealtimeClientEvent>) -> Result<()> {
        self.sender.send(event).await
    }

    /// Closes the session (a normal close) and waits for the server's answer.
    pub async fn close(mut self) -> Result<()> {
        self.sender.close().await?;
        // Read what is left until the server's close arrives.
        while self.events.next().await.is_some() {}
        Ok(())
    }
}

impl Stream for RealtimeConnection {
    type Item = Result<RealtimeServerEvent>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.get_mut().events).poll_next(cx)
    }
}

/// The sending half of a [`RealtimeConnection`].
pub struct RealtimeSender {
    sink: SplitSink<Socket, Message>,
}

impl std::fmt::Debug for RealtimeSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RealtimeSender").finish_non_exhaustive()
    }
}

impl RealtimeSender {
    /// Sends one event as JSON.
    pub async fn send(&mut self, event: impl Into<RealtimeClientEvent>) -> Result<()> {
        self.send_json(&event.into()).await
    }

    /// Sends any JSON value as an event: for events newer than this SDK.
    pub async fn send_json(&mut self, event: &impl Serialize) -> Result<()> {
        let text = serde_json::to_string(event)
            .map_err(|e| Error::InvalidArgument(format!("cannot encode the event: {e}")))?;
        self.sink
            .send(Message::text(text))
            .await
            .map_err(|e| Error::WebSocket(e.into()))
    }

    /// An event of type `kind`, with `field` set to `value` when given.
    async fn send_kind(&mut self, kind: &str, field: Option<(&str, Value)>) -> Result<()> {
        let mut event = Map::new();
        event.insert("type".to_owned(), Value::String(kind.to_owned()));
        if let Some((name, value)) = field {
            event.insert(name.to_owned(), value);
        }
        self.send_json(&event).await
    }

    /// `session.update`: `session` is the session's configuration (a type of the SDK's, or
    /// JSON).
    pub async fn session_update(&mut self, session: &impl Serialize) -> Result<()> {
        self.send_kind("session.update", Some(("session", to_value(session)?)))
            .await
    }

    /// `conversation.item.create`.
    pub async fn conversation_item_create(&mut self, item: &impl Serialize) -> Result<()> {
        self.send_kind("conversation.item.create", Some(("item", to_value(item)?)))
            .await
    }

    /// `response.create`, with the session's settings.
    pub async fn response_create(&mut self) -> Result<()> {
        self.send_kind("response.create", None).await
    }

    /// `response.create` with settings of this response's own.
    pub async fn response_create_with(&mut self, response: &impl Serialize) -> Result<()> {
        self.send_kind("response.create", Some(("response", to_value(response)?)))
            .await
    }

    /// `response.cancel`: stops the response in progress.
    pub async fn response_cancel(&mut self) -> Result<()> {
        self.send_kind("response.cancel", None).await
    }

    /// `input_audio_buffer.append`: raw audio in the session's input format (16-bit PCM at 24
    /// kHz by default), sent as base64.
    pub async fn input_audio_buffer_append(&mut self, audio: &[u8]) -> Result<()> {
        let audio = base64::engine::general_purpose::STANDARD.encode(audio);
        self.send_kind(
            "input_audio_buffer.append",
            Some(("audio", Value::String(audio))),
        )
        .await
    }

    /// `input_audio_buffer.commit`: the appended audio is a user message.
    pub async fn input_audio_buffer_commit(&mut self) -> Result<()> {
        self.send_kind("input_audio_buffer.commit", None).await
    }

    /// `input_audio_buffer.clear`.
    pub async fn input_audio_buffer_clear(&mut self) -> Result<()> {
        self.send_kind("input_audio_buffer.clear", None).await
    }

    /// Starts a normal close of the session.
    pub async fn close(&mut self) -> Result<()> {
        let frame = CloseFrame {
            code: CloseCode::Normal,
            reason: "".into(),
        };
        match self.sink.send(Message::Close(Some(frame))).await {
            Ok(())
            | Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed) => {
                Ok(())
            }
            Err(e) => Err(Error::WebSocket(e.into())),
        }
    }
}

fn to_value(value: &impl Serialize) -> Result<Value> {
    serde_json::to_value(value)
        .map_err(|e| Error::InvalidArgument(format!("cannot encode the event: {e}")))
}

/// The receiving half of a [`RealtimeConnection`]: the server's events.
pub struct RealtimeEvents {
    stream: SplitStream<Socket>,
    request_id: Option<String>,
    /// The session has ended: nothing more will come.
    done: bool,
}

impl std::fmt::Debug for RealtimeEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RealtimeEvents")
            .field("request_id", &self.request_id)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl RealtimeEvents {
    /// One text frame as an item.
    fn event(&self, text: &str) -> Result<RealtimeServerEvent> {
        if is_error_event(text) {
            return Err(Error::Api(Box::new(ApiError::from_event(
                SWITCHING_PROTOCOLS,
                text,
                self.request_id.clone(),
            ))));
        }
        crate::json::from_str(text).map_err(|source| {
            Error::Decode(Box::new(DecodeError {
                source,
                body: text.to_owned(),
                request_id: self.request_id.clone(),
            }))
        })
    }
}

/// Whether an event's `type` is `error`. Other events may hold an `error` object (a failed
/// transcription's), so the type decides; only a frame that mentions `"error"` is read twice.
fn is_error_event(text: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Kind<'a> {
        #[serde(borrow, rename = "type")]
        kind: Option<std::borrow::Cow<'a, str>>,
    }
    memchr::memmem::find(text.as_bytes(), b"\"error\"").is_some()
        && serde_json::from_str::<Kind<'_>>(text).is_ok_and(|k| k.kind.as_deref() == Some("error"))
}

impl Stream for RealtimeEvents {
    type Item = Result<RealtimeServerEvent>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            let message = match this.stream.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None)
                | Poll::Ready(Some(Err(
                    tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed,
                ))) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(Error::WebSocket(e.into()))));
                }
                Poll::Ready(Some(Ok(message))) => message,
            };
            return Poll::Ready(Some(match message {
                Message::Text(text) => this.event(&text),
                Message::Binary(bytes) => match std::str::from_utf8(&bytes) {
                    Ok(text) => this.event(text),
                    Err(e) => Err(Error::Decode(Box::new(DecodeError {
                        source: serde::de::Error::custom(format!("a binary frame: {e}")),
                        body: String::from_utf8_lossy(&bytes).into_owned(),
                        request_id: this.request_id.clone(),
                    }))),
                },
                Message::Close(frame) => {
                    this.done = true;
                    match frame {
                        Some(frame) if frame.code != CloseCode::Normal => Err(Error::Closed {
                            code: frame.code.into(),
                            reason: frame.reason.as_str().to_owned(),
                        }),
                        _ => return Poll::Ready(None),
                    }
                }
                // Pings are answered by the WebSocket layer; pongs and raw frames say nothing.
                Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => continue,
            }));
        }
    }
}
