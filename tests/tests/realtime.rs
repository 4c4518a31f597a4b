//! Realtime sessions against a local WebSocket server that checks what the client sends (the
//! handshake's URL and headers, each event's JSON) and answers with server events taken from the
//! spec's examples; and the `realtime_text` example, run against it.

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use openai_sdk::types::RealtimeServerEvent;
use openai_sdk::{Client, Error};
use openai_tests::spec;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

/// The example of every server event the spec gives one for, by its `type` (the few with
/// comments in them, which no JSON reader takes, are left out; the server uses none of them).
fn server_examples() -> BTreeMap<String, Value> {
    static EXAMPLES: std::sync::OnceLock<BTreeMap<String, Value>> = std::sync::OnceLock::new();
    EXAMPLES.get_or_init(read_examples).clone()
}

fn read_examples() -> BTreeMap<String, Value> {
    let spec = spec();
    let schemas = spec
        .pointer("#/components/schemas")
        .and_then(|s| s.as_object())
        .unwrap();
    let mut out = BTreeMap::new();
    for (name, schema) in schemas {
        if !name.starts_with("RealtimeServerEvent") {
            continue;
        }
        let Some(example) = schema
            .pointer("#/x-oaiMeta/example")
            .and_then(|e| e.as_str())
        else {
            continue;
        };
        if let Ok(event) = serde_json::from_str::<Value>(&without_trailing_commas(example)) {
            out.insert(event["type"].as_str().unwrap().to_owned(), event);
        }
    }
    out
}

/// `json` without the commas before a `}` or `]` that some of the spec's hand-written examples
/// have (outside strings).
fn without_trailing_commas(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            (in_string, escaped) = (escaped || c != '"', !escaped && c == '\\');
        } else if c == '"' {
            in_string = true;
        } else if c == '}' || c == ']' {
            let kept = out.trim_end().len();
            if out[..kept].ends_with(',') {
                out.truncate(kept - 1);
            }
        }
        out.push(c);
    }
    out
}

/// What the server saw: the handshake's path and query, its headers, and each message.
#[derive(Default, Debug)]
struct Seen {
    uri: String,
    headers: BTreeMap<String, String>,
    events: Vec<Value>,
    /// Pongs the client answered the server's pings with.
    pongs: Vec<Vec<u8>>,
    closed_by_client: bool,
}

/// A server of one session at a time. It answers `session.update`, `conversation.item.create`
/// and `response.create` as the API does; `test.fail` with an `error` event then a text frame
/// that is not JSON and a binary frame that is not UTF-8; `test.close` by closing with code 1011.
async fn server(refuse: bool) -> (String, Arc<Mutex<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}/v1", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Seen::default()));
    let state = seen.clone();
    let examples = server_examples();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let seen = state.clone();
            let examples = examples.clone();
            tokio::spawn(async move { session(tcp, seen, examples, refuse).await });
        }
    });
    (address, seen)
}

#[allow(clippy::result_large_err)] // the handshake callback's type is tungstenite's
async fn session(
    tcp: tokio::net::TcpStream,
    seen: Arc<Mutex<Seen>>,
    examples: BTreeMap<String, Value>,
    refuse: bool,
) {
    let record = seen.clone();
    let handshake = move |request: &Request, response: Response| {
        let mut seen = record.lock().unwrap();
        seen.uri = request.uri().to_string();
        seen.headers = request
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
            .collect();
        if refuse {
            let body = r#"{"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key", "param": null}}"#;
            let mut refusal = ErrorResponse::new(Some(body.to_owned()));
            *refusal.status_mut() = 401.try_into().unwrap();
            refusal
                .headers_mut()
                .insert("x-request-id", "req_refused".parse().unwrap());
            return Err(refusal);
        }
        let mut response = response;
        response
            .headers_mut()
            .insert("x-request-id", "req_ws".parse().unwrap());
        Ok(response)
    };
    let Ok(mut socket) = tokio_tungstenite::accept_hdr_async(tcp, handshake).await else {
        return;
    };
    let example = |kind: &str| {
        examples
            .get(kind)
            .unwrap_or_else(|| panic!("no example of `{kind}` in the spec"))
            .clone()
    };
    let send = |value: Value| Message::text(value.to_string());
    socket.send(send(example("session.created"))).await.unwrap();
    while let Some(Ok(message)) = socket.next().await {
        let event: Value = match message {
            Message::Text(text) => serde_json::from_str(&text).unwrap(),
            Message::Close(_) => {
                seen.lock().unwrap().closed_by_client = true;
                continue;
            }
            Message::Pong(payload) => {
                seen.lock().unwrap().pongs.push(payload.to_vec());
                continue;
            }
            _ => continue,
        };
        let kind = event["type"].as_str().unwrap_or_default().to_owned();
        seen.lock().unwrap().events.push(event);
        let replies: Vec<Message> = match kind.as_str() {
            "session.update" => vec![send(example("session.updated"))],
            "conversation.item.create" => vec![send(example("conversation.item.added"))],
            "response.create" => {
                let delta = |text: &str| {
                    let mut delta = example("response.output_text.delta");
                    delta["delta"] = json!(text);
                    send(delta)
                };
                vec![
                    send(example("response.created")),
                    delta("Hel"),
                    Message::Ping("are you there".into()),
                    // A kind of event the spec does not list (yet).
                    send(
                        json!({"type": "response.sparkles.delta", "event_id": "ev_9", "sparkles": 3}),
                    ),
                    delta("lo"),
                    send(example("response.output_text.done")),
                    send(example("response.done")),
                ]
            }
            "test.fail" => vec![
                send(example("error")),
                Message::text("{not json"),
                Message::Binary(vec![0xff, 0xfe, 0x00].into()),
            ],
            "test.close" => vec![Message::Close(Some(CloseFrame {
                code: CloseCode::Error,
                reason: "server shutting down".into(),
            }))],
            _ => vec![],
        };
        for reply in replies {
            if socket.send(reply).await.is_err() {
                return;
            }
        }
    }
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key("sk-test")
        .base_url(base_url)
        .organization("org-1")
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_text_session_with_deltas_an_unknown_event_errors_and_a_close() {
    let (base_url, seen) = server(false).await;
    let client = client(&base_url);
    let mut session = client
        .realtime()
        .connect("gpt-realtime")
        .query_param("extra", "1")
        .header("x-trace", "t1")
        .await
        .unwrap();
    assert_eq!(session.request_id(), Some("req_ws"));
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.uri, "/v1/realtime?model=gpt-realtime&extra=1");
        assert_eq!(seen.headers["authorization"], "Bearer sk-test");
        assert_eq!(seen.headers["openai-organization"], "org-1");
        assert_eq!(seen.headers["x-trace"], "t1");
        assert!(seen.headers["user-agent"].starts_with("openai-sdk-rust/"));
    }
    let Some(Ok(RealtimeServerEvent::SessionCreated(_))) = session.next().await else {
        panic!("the session starts with session.created")
    };

    let config =
        json!({"type": "realtime", "output_modalities": ["text"], "instructions": "Be brief."});
    session.sender().session_update(&config).await.unwrap();
    let Some(Ok(RealtimeServerEvent::SessionUpdated(_))) = session.next().await else {
        panic!("session.updated")
    };
    let item = json!({"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Hi"}]});
    session
        .sender()
        .conversation_item_create(&item)
        .await
        .unwrap();
    session.sender().response_create().await.unwrap();

    let mut text = String::new();
    let mut unknown = None;
    let mut kinds = Vec::new();
    while let Some(event) = session.next().await {
        let event = event.unwrap();
        match &event {
            RealtimeServerEvent::ResponseOutputTextDelta(delta) => text.push_str(&delta.delta),
            RealtimeServerEvent::Unknown(value) => unknown = Some(value.clone()),
            _ => {}
        }
        let done = matches!(event, RealtimeServerEvent::ResponseDone(_));
        kinds.push(serde_json::to_value(&event).unwrap()["type"].clone());
        if done {
            break;
        }
    }
    assert_eq!(text, "Hello");
    assert_eq!(
        unknown,
        Some(json!({"type": "response.sparkles.delta", "event_id": "ev_9", "sparkles": 3})),
        "an unknown event is kept whole"
    );
    assert_eq!(
        kinds,
        [
            "conversation.item.added",
            "response.created",
            "response.output_text.delta",
            "response.sparkles.delta",
            "response.output_text.delta",
            "response.output_text.done",
            "response.done"
        ]
        .map(Value::from)
    );

    // An `error` event is an `Err` with its fields; a frame that is not an event, a decode
    // error; the session goes on after both.
    session
        .sender()
        .send_json(&json!({"type": "test.fail"}))
        .await
        .unwrap();
    let Some(Err(Error::Api(error))) = session.next().await else {
        panic!("the error event")
    };
    assert_eq!(error.code.as_deref(), Some("invalid_event"));
    assert_eq!(error.kind.as_deref(), Some("invalid_request_error"));
    assert_eq!(error.message, "The 'type' field is missing.");
    assert_eq!(error.request_id.as_deref(), Some("req_ws"));
    assert!(error.body.contains("event_567"), "the whole event is kept");
    let Some(Err(Error::Decode(bad))) = session.next().await else {
        panic!("the malformed frame")
    };
    assert_eq!(bad.body, "{not json");
    let Some(Err(Error::Decode(_))) = session.next().await else {
        panic!("the binary frame")
    };

    // The server closes with a reason: one error, then the end.
    session
        .sender()
        .send_json(&json!({"type": "test.close"}))
        .await
        .unwrap();
    match session.next().await {
        Some(Err(Error::Closed { code, reason })) => {
            assert_eq!(code, 1011);
            assert_eq!(reason, "server shutting down");
        }
        other => panic!("{other:?}"),
    }
    assert!(session.next().await.is_none());
    assert_eq!(
        seen.lock().unwrap().pongs,
        vec![b"are you there".to_vec()],
        "the ping was answered"
    );

    // What the client sent, as the spec's client events.
    let sent = seen.lock().unwrap().events.clone();
    assert_eq!(
        sent[0],
        json!({"type": "session.update", "session": config})
    );
    assert_eq!(
        sent[1],
        json!({"type": "conversation.item.create", "item": item})
    );
    assert_eq!(sent[2], json!({"type": "response.create"}));
    for event in &sent[..3] {
        let typed: openai_sdk::types::RealtimeClientEvent =
            openai_sdk::json::from_str_strict(&event.to_string()).unwrap();
        assert!(!matches!(
            typed,
            openai_sdk::types::RealtimeClientEvent::Unknown(_)
        ));
    }
}

#[tokio::test]
async fn audio_goes_as_base64_a_client_secret_replaces_the_key_and_the_client_closes() {
    let (base_url, seen) = server(false).await;
    let client = client(&base_url);
    let mut session = client
        .realtime()
        .connect_call("rtc_123")
        .client_secret("ek_ephemeral")
        .await
        .unwrap();
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.uri, "/v1/realtime?call_id=rtc_123");
        assert_eq!(seen.headers["authorization"], "Bearer ek_ephemeral");
    }
    let pcm: Vec<u8> = (0..=255).collect();
    session
        .sender()
        .input_audio_buffer_append(&pcm)
        .await
        .unwrap();
    session.sender().input_audio_buffer_commit().await.unwrap();
    session
        .send(openai_sdk::types::RealtimeClientEventResponseCancel::default())
        .await
        .unwrap();
    session.next().await.unwrap().unwrap(); // session.created
    session.close().await.unwrap();
    let seen = seen.lock().unwrap();
    let audio = seen.events[0]["audio"].as_str().unwrap();
    assert_eq!(seen.events[0]["type"], "input_audio_buffer.append");
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(audio)
            .unwrap(),
        pcm
    );
    assert_eq!(seen.events[1], json!({"type": "input_audio_buffer.commit"}));
    assert_eq!(seen.events[2], json!({"type": "response.cancel"}));
    assert!(seen.closed_by_client);
}

#[tokio::test]
async fn azure_sessions_take_the_deployment_version_and_key() {
    let (base_url, seen) = server(false).await;
    let endpoint = base_url.trim_end_matches("/v1");
    let client = Client::azure()
        .endpoint(endpoint)
        .api_version("2025-04-01-preview")
        .api_key("azure-key")
        .deployment("rt-dep")
        .build()
        .unwrap();
    let session = client.realtime().connect("gpt-realtime").await.unwrap();
    drop(session);
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen.uri,
        "/openai/realtime?api-version=2025-04-01-preview&deployment=rt-dep"
    );
    assert_eq!(seen.headers["api-key"], "azure-key");
    assert!(!seen.headers.contains_key("authorization"));
}

#[tokio::test]
async fn a_refused_handshake_is_the_typed_api_error() {
    let (base_url, _) = server(true).await;
    let err = client(&base_url)
        .realtime()
        .connect("gpt-realtime")
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status, 401);
    assert_eq!(api.code.as_deref(), Some("invalid_api_key"));
    assert_eq!(err.request_id(), Some("req_refused"));
}

#[tokio::test]
async fn the_realtime_text_example_runs_against_the_server() {
    let (base_url, seen) = server(false).await;
    let (ok, said) =
        tokio::task::spawn_blocking(move || openai_tests::run_example("realtime_text", &base_url))
            .await
            .unwrap();
    assert!(ok, "{said}");
    assert!(said.contains("Hello"), "{said}");
    assert!(said.contains("session updated"), "{said}");
    assert!(seen.lock().unwrap().closed_by_client, "{said}");
}
