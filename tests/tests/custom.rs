//! Calls to endpoints of the caller's choosing (`client.get/post/post_stream/delete/request`),
//! against a local fake server: what is sent, what comes back, and errors as typed as a
//! generated method's.

use futures_util::StreamExt;
use openai_sdk::types::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
use openai_sdk::{Client, Error, Method};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("sk-test")
        .base_url(format!("{}/v1", server.uri()))
        .default_header("x-everywhere", "1")
        .max_retries(1)
        .build()
        .unwrap()
}

fn json_answer(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_raw(body.to_owned(), "application/json")
        .insert_header("x-request-id", "req_custom")
}

#[derive(Debug, Deserialize, PartialEq)]
struct Loaded {
    models: Vec<String>,
}

#[tokio::test]
async fn a_get_decodes_into_a_type_of_the_callers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/api/tags"))
        .and(query_param("verbose", "true"))
        .and(query_param("limit", "2"))
        .and(header("authorization", "Bearer sk-test"))
        .and(header("x-everywhere", "1"))
        .respond_with(json_answer(
            r#"{
  "models": ["llama3", "qwen"],
  "extra": {"ignored": true}
}"#,
        ))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);
    let loaded: Loaded = client
        .get("/api/tags?verbose=true")
        .query_param("limit", "2")
        .await
        .unwrap();
    assert_eq!(
        loaded,
        Loaded {
            models: vec!["llama3".into(), "qwen".into()]
        }
    );
    // The same call with its status and request id.
    let response = client
        .get::<Value>("api/tags?verbose=true&limit=2")
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.request_id.as_deref(), Some("req_custom"));
    assert_eq!(response.data["models"][1], "qwen");
}

#[tokio::test]
async fn a_post_sends_its_body_and_extra_fields() {
    let server = MockServer::start().await;
    // An SDK request type with a field the spec does not list, in `extra`: sent as given.
    let mut request = CreateChatCompletionRequest {
        model: "gpt-4o-mini".into(),
        messages: vec![
            ChatCompletionRequestUserMessage {
                content: "Hi".to_owned().into(),
                ..Default::default()
            }
            .into(),
        ],
        ..Default::default()
    };
    request.extra.insert("top_k", 40);
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": "Hi"}],
            "top_k": 40
        })))
        .respond_with(json_answer(r#"{"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m", "choices": []}"#))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);
    // The generated method and a call to the path by hand send the same body.
    let typed = client.chat().completions().create(&request).await.unwrap();
    assert_eq!(typed.id, "chatcmpl-1");
    let untyped: Value = client.post("/chat/completions", &request).await.unwrap();
    assert_eq!(untyped["id"], "chatcmpl-1");

    Mock::given(method("PATCH"))
        .and(path("/v1/things/t1"))
        .and(body_json(json!({"name": "new"})))
        .respond_with(json_answer(r#"{"ok": true}"#))
        .expect(1)
        .mount(&server)
        .await;
    let patched: Value = client
        .request(Method::PATCH, "/things/t1")
        .json(&json!({"name": "new"}))
        .await
        .unwrap();
    assert_eq!(patched, json!({"ok": true}));

    Mock::given(method("DELETE"))
        .and(path("/v1/things/t1"))
        .respond_with(json_answer(r#"{"deleted": true}"#))
        .expect(1)
        .mount(&server)
        .await;
    let deleted: Value = client.delete("/things/t1").await.unwrap();
    assert_eq!(deleted["deleted"], true);
}

#[derive(Debug, Deserialize)]
struct Token {
    token: String,
}

#[tokio::test]
async fn a_streamed_post_yields_typed_events() {
    let server = MockServer::start().await;
    let sse = "data: {\"token\": \"Hel\"}\n\n: keep-alive\n\ndata: {\"token\":\"lo\"}\n\ndata: [DONE]\n\n";
    Mock::given(method("POST"))
        .and(path("/v1/generate"))
        .and(body_json(json!({"prompt": "x", "stream": true})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(sse, "text/event-stream")
                .insert_header("x-request-id", "req_stream"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let mut stream = client
        .post_stream::<Token>("/generate", &json!({"prompt": "x", "stream": true}))
        .await
        .unwrap();
    assert_eq!(stream.request_id(), Some("req_stream"));
    let mut text = String::new();
    while let Some(event) = stream.next().await {
        text.push_str(&event.unwrap().token);
    }
    assert_eq!(text, "Hello");
}

#[tokio::test]
async fn a_4xx_is_the_typed_api_error_and_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/things"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw(
                    r#"{"error": {"message": "no such thing", "type": "invalid_request_error", "code": "not_found", "param": "id"}}"#,
                    "application/json",
                )
                .insert_header("x-request-id", "req_404"),
        )
        // Once for each call: neither is retried.
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client
        .post::<Value>("/things", &json!({}))
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status, 404);
    assert_eq!(api.message, "no such thing");
    assert_eq!(api.code.as_deref(), Some("not_found"));
    assert_eq!(api.param.as_deref(), Some("id"));
    assert_eq!(err.request_id(), Some("req_404"));
    // The same for a streamed call: the error status, before any event.
    let err = client
        .post_stream::<Token>("/things", &json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn a_5xx_is_retried_and_the_raw_response_is_there_to_read() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/flaky"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after-ms", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/flaky"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("plain text", "text/plain"))
        .mount(&server)
        .await;
    let client = client(&server);
    let response = client.get::<Value>("/flaky").raw_response().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "plain text");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
