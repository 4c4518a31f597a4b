//! Server-sent events: the parser's rules, chunking independence, and streaming calls.

use futures_util::StreamExt;
use openai_sdk::prelude::*;
use openai_sdk::sse::{Event, Parser, parse_all};
use openai_sdk::types::{
    CreateChatCompletionRequest, CreateChatCompletionStreamResponse, ResponseStreamEvent,
};
use openai_sdk::{Client, Error};
use std::collections::VecDeque;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn ev(event: Option<&str>, data: &str, id: Option<&str>) -> Event {
    Event {
        event: event.map(str::to_owned),
        data: data.to_owned(),
        id: id.map(str::to_owned),
        retry: None,
    }
}

#[test]
fn whatwg_rules() {
    let stream = "\u{feff}: a comment\ndata: first\ndata:  two spaces\r\n\r\nevent: update\rid: 7\rdata:{\"x\":\"é🦀\"}\r\rdata\n\nretry: 1500\nevent: ignored\n\ndata: [DONE]\n\n";
    let events = parse_all(stream.as_bytes());
    let mut third = ev(None, "", Some("7"));
    third.retry = None;
    assert_eq!(events[0], ev(None, "first\n two spaces", None));
    assert_eq!(events[1], ev(Some("update"), "{\"x\":\"é🦀\"}", Some("7")));
    assert_eq!(events[2], third, "a field name alone is an empty value");
    assert_eq!(events[3].data, "[DONE]");
    assert_eq!(
        events[3].retry,
        Some(1500),
        "retry is kept; an event with no data is not dispatched"
    );
    assert_eq!(events.len(), 4);
}

#[test]
fn a_missing_final_blank_line_loses_nothing() {
    assert_eq!(
        parse_all(b"data: a\n\ndata: b"),
        vec![ev(None, "a", None), ev(None, "b", None)]
    );
}

/// A small deterministic generator (no dependency for one test).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

fn parse_chunks(chunks: &[&[u8]]) -> Vec<Event> {
    let mut parser = Parser::new();
    let mut out = VecDeque::new();
    for chunk in chunks {
        parser.feed(chunk, &mut out);
    }
    parser.finish(&mut out);
    out.into()
}

#[test]
fn any_split_into_chunks_yields_the_same_events() {
    let stream = "\u{feff}event: a\r\ndata: one\r\ndata: é🦀 two\r\n\r\n: keep-alive\n\ndata: three\rid: x\r\rdata: four\n\ndata: [DONE]\n\n";
    let bytes = stream.as_bytes();
    let whole = parse_all(bytes);
    assert_eq!(whole.len(), 4);
    let mut cases = 0;
    // Every split in two and in three (inside CRLF pairs, UTF-8 characters and the BOM too).
    for i in 0..=bytes.len() {
        for j in i..=bytes.len() {
            assert_eq!(
                parse_chunks(&[&bytes[..i], &bytes[i..j], &bytes[j..]]),
                whole,
                "split at {i}, {j}"
            );
            cases += 1;
        }
    }
    // Random splits into many pieces, one byte at a time included.
    let mut rng = Lcg(42);
    for _ in 0..2000 {
        let mut chunks = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let len = 1 + rng.next(8);
            let end = (at + len).min(bytes.len());
            chunks.push(&bytes[at..end]);
            at = end;
        }
        assert_eq!(parse_chunks(&chunks), whole);
        cases += 1;
    }
    println!(
        "sse: {cases} chunkings of a {}-byte stream give the same {} events",
        bytes.len(),
        whole.len()
    );
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("sk-test")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

fn sse(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_raw(body, "text/event-stream")
        .insert_header("x-request-id", "req_stream")
}

fn chunk(json: serde_json::Value) -> String {
    format!("data: {json}\n\n")
}

fn chat_chunks() -> String {
    let base = |choices: serde_json::Value, usage: serde_json::Value| serde_json::json!({"id": "c1", "object": "chat.completion.chunk", "created": 7, "model": "gpt-4o", "choices": choices, "usage": usage});
    let mut body = String::new();
    body += &chunk(base(
        serde_json::json!([{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": null}]),
        serde_json::Value::Null,
    ));
    body += &chunk(base(
        serde_json::json!([{"index": 0, "delta": {"content": "Hel"}, "finish_reason": null}]),
        serde_json::Value::Null,
    ));
    body += ": keep-alive\n\n";
    body += &chunk(base(
        serde_json::json!([{"index": 0, "delta": {"content": "lo"}, "finish_reason": null}]),
        serde_json::Value::Null,
    ));
    body += &chunk(base(
        serde_json::json!([{"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"ci"}}]}, "finish_reason": null}]),
        serde_json::Value::Null,
    ));
    body += &chunk(base(
        serde_json::json!([{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "ty\":\"Paris\"}"}}]}, "finish_reason": null}]),
        serde_json::Value::Null,
    ));
    body += &chunk(base(
        serde_json::json!([{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]),
        serde_json::Value::Null,
    ));
    body += &chunk(base(
        serde_json::json!([]),
        serde_json::json!({"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}),
    ));
    body += "data: [DONE]\n\n";
    body += "data: {\"after\": \"done is ignored\"}\n\n";
    body
}

const CHAT_COMPLETION: &str = r#"{"id":"c1","object":"chat.completion","created":7,"model":"gpt-4o","choices":[{"index":0,"finish_reason":"tool_calls","logprobs":null,"message":{"role":"assistant","content":"Hello","refusal":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]}}],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}"#;

fn request() -> CreateChatCompletionRequest {
    serde_json::from_value(serde_json::json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "stream": true})).unwrap()
}

#[tokio::test]
async fn a_chat_stream_adds_up_to_the_plain_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .and(body_partial_json(serde_json::json!({"stream": true})))
        .respond_with(sse(chat_chunks()))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(CHAT_COMPLETION, "application/json"))
        .mount(&server)
        .await;
    let client = client(&server);

    let stream = client
        .chat()
        .completions()
        .create_stream(&request())
        .await
        .unwrap();
    assert_eq!(stream.request_id(), Some("req_stream"));
    let chunks: Vec<CreateChatCompletionStreamResponse> =
        stream.map(|c| c.unwrap()).collect().await;
    assert_eq!(
        chunks.len(),
        7,
        "the comment is skipped and nothing after [DONE] is read"
    );

    let streamed = client
        .chat()
        .completions()
        .create_stream(&request())
        .await
        .unwrap()
        .final_completion()
        .await
        .unwrap();
    let plain = client
        .chat()
        .completions()
        .create(&request())
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&streamed).unwrap(),
        serde_json::to_value(&plain).unwrap()
    );

    // The plain method never asked for a stream, although the body said `stream: true`.
    let bodies: Vec<serde_json::Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r: &Request| r.body_json().unwrap())
        .collect();
    assert_eq!(
        bodies
            .iter()
            .filter(|b| b.get("stream") == Some(&serde_json::json!(true)))
            .count(),
        2
    );
    assert!(bodies[2].get("stream").is_none(), "{}", bodies[2]);
}

#[tokio::test]
async fn error_events_and_unknown_events() {
    let server = MockServer::start().await;
    let body = [
        chunk(serde_json::json!({"type": "response.created", "sequence_number": 0, "response": {"id": "r1", "object": "response", "status": "in_progress", "output": []}})),
        chunk(serde_json::json!({"type": "response.brand_new_event", "sequence_number": 1, "payload": [1, 2]})),
        "event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"boom\",\"param\":null}\n\n".to_owned(),
        chunk(serde_json::json!({"error": {"message": "quota", "type": "insufficient_quota"}})),
        chunk(serde_json::json!({"type": "response.completed", "sequence_number": 4, "response": {"id": "r1", "object": "response", "status": "completed", "output": [
            {"type": "message", "id": "m1", "role": "assistant", "status": "completed", "content": [{"type": "output_text", "text": "Hi there", "annotations": []}]}
        ]}})),
    ]
    .concat();
    Mock::given(method("POST"))
        .and(path("/responses"))
        .respond_with(sse(body))
        .mount(&server)
        .await;
    let client = client(&server);
    let request =
        serde_json::from_value(serde_json::json!({"model": "gpt-4o", "input": "hi"})).unwrap();
    let events: Vec<_> = client
        .responses()
        .create_stream(&request)
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(events.len(), 5);
    assert!(matches!(
        events[0],
        Ok(ResponseStreamEvent::ResponseCreated(_))
    ));
    let Ok(ResponseStreamEvent::Unknown(raw)) = &events[1] else {
        panic!("{:?}", events[1])
    };
    assert_eq!(
        raw["payload"],
        serde_json::json!([1, 2]),
        "an unknown event is kept whole"
    );
    let Err(Error::Api(boom)) = &events[2] else {
        panic!("{:?}", events[2])
    };
    assert_eq!(
        (boom.message.as_str(), boom.code.as_deref()),
        ("boom", Some("server_error"))
    );
    let Err(Error::Api(quota)) = &events[3] else {
        panic!("{:?}", events[3])
    };
    assert_eq!(quota.kind.as_deref(), Some("insufficient_quota"));
    assert!(matches!(
        events[4],
        Ok(ResponseStreamEvent::ResponseCompleted(_))
    ));

    let last = client.responses().create_stream(&request).await.unwrap();
    let err = last.final_response().await.unwrap_err();
    assert!(
        matches!(err, Error::Api(_)),
        "the first error item ends the fold: {err:?}"
    );
}

#[tokio::test]
async fn the_final_response_and_its_text() {
    let server = MockServer::start().await;
    let body = chunk(
        serde_json::json!({"type": "response.completed", "sequence_number": 1, "response": {"id": "r1", "object": "response", "status": "completed", "output": [
            {"type": "message", "id": "m1", "role": "assistant", "status": "completed", "content": [{"type": "output_text", "text": "Hi ", "annotations": []}, {"type": "output_text", "text": "there", "annotations": []}]}
        ]}}),
    );
    Mock::given(method("POST"))
        .and(path("/responses"))
        .respond_with(sse(body))
        .mount(&server)
        .await;
    let request =
        serde_json::from_value(serde_json::json!({"model": "gpt-4o", "input": "hi"})).unwrap();
    let response = client(&server)
        .responses()
        .create_stream(&request)
        .await
        .unwrap()
        .final_response()
        .await
        .unwrap();
    assert_eq!(response.output_text(), "Hi there");
}

#[tokio::test]
async fn an_error_status_comes_back_from_the_call_itself() {
    let server = MockServer::start().await;
    let body = r#"{"error":{"message":"bad model","type":"invalid_request_error","code":"model_not_found","param":"model"}}"#;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw(body, "application/json")
                .insert_header("x-request-id", "req_404"),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .chat()
        .completions()
        .create_stream(&request())
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((api.status, api.param.as_deref()), (404, Some("model")));
    assert_eq!(err.request_id(), Some("req_404"));
}

/// The `streaming_chat` example against a server that streams (the mock server answers a
/// stream request with JSON, which a stream now reports as cut short).
#[tokio::test]
async fn the_streaming_chat_example_prints_the_text_then_the_folded_completion() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .respond_with(sse(chat_chunks()))
        .mount(&server)
        .await;
    let base_url = server.uri();
    let (ok, said) =
        tokio::task::spawn_blocking(move || openai_tests::run_example("streaming_chat", &base_url))
            .await
            .unwrap();
    assert!(ok, "{said}");
    assert!(said.contains("Hello"), "{said}");
    assert!(
        said.contains("1 choice(s), finish reason Some(\"tool_calls\")"),
        "{said}"
    );
}
