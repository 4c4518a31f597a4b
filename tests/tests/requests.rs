//! Requests as the README writes them: an optional field that may be `null` is set in one step
//! (`temperature: 0.7.into()`), an explicit `null` is `Nullable::Null`, and a field left alone is
//! not sent. Checked on the body the client sends to a local server.

use openai_sdk::Nullable;
use openai_sdk::types::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_readme_request_sends_values_nulls_and_nothing_else() {
    let server = MockServer::start().await;
    let completion = json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello"}, "logprobs": null, "finish_reason": "stop"}]
    });
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion))
        .mount(&server)
        .await;
    let client = openai_tests::local_client(&server.uri());

    // The README's first call, with a setting of each kind.
    let request = CreateChatCompletionRequest {
        model: "gpt-4o-mini".into(),
        messages: vec![
            ChatCompletionRequestUserMessage {
                content: "Say hello".into(),
                ..Default::default()
            }
            .into(),
        ],
        temperature: 0.7.into(),
        max_completion_tokens: 256.into(),
        // An explicit `null`: sent as such.
        top_logprobs: Nullable::Null,
        // `top_p`, `stop`, … left alone: not sent.
        ..Default::default()
    };
    let completion = client.chat().completions().create(&request).await.unwrap();
    assert_eq!(
        completion.choices[0].message.content.as_deref(),
        Some("Hello")
    );

    let sent: Value =
        serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(
        sent,
        json!({
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": "Say hello"}],
            "temperature": 0.7,
            "max_completion_tokens": 256,
            "top_logprobs": null,
        })
    );
}

#[test]
fn a_response_tells_absent_null_and_value_apart() {
    let decode = |body: Value| -> CreateChatCompletionRequest {
        openai_sdk::json::from_str(&body.to_string()).unwrap()
    };
    let base = json!({"model": "gpt-4o-mini", "messages": []});
    let mut with_null = base.clone();
    with_null["temperature"] = Value::Null;
    let mut with_value = base.clone();
    with_value["temperature"] = json!(0.2);
    assert!(decode(base).temperature.is_absent());
    assert!(decode(with_null).temperature.is_null());
    assert_eq!(decode(with_value).temperature, Nullable::Value(0.2));
}

/// A request whose required field still holds its default is refused before anything is sent,
/// the error naming the field's JSON path; one of each kind of placeholder.
#[tokio::test]
async fn a_forgotten_required_field_is_named_and_nothing_is_sent() {
    use openai_sdk::types::{
        ChatCompletionTool, CreateEmbeddingRequest, CreateVectorStoreFileRequest, ModelIdsShared,
    };
    let server = MockServer::start().await;
    let client = openai_tests::local_client(&server.uri());
    let refused = |result: openai_sdk::Result<_>| match result {
        Err(openai_sdk::Error::InvalidArgument(message)) => message,
        other => panic!("expected InvalidArgument, got {other:?}"),
    };
    let user = |text: &str| {
        ChatCompletionRequestUserMessage {
            content: text.into(),
            ..Default::default()
        }
        .into()
    };

    // An enum (the model), left at its empty fallback.
    let chat = CreateChatCompletionRequest {
        messages: vec![user("hi")],
        ..Default::default()
    };
    let said = refused(client.chat().completions().create(&chat).await.map(drop));
    assert!(said.contains("required field `model` is not set"), "{said}");

    // A union inside a struct inside a list: the message's content.
    let chat = CreateChatCompletionRequest {
        model: ModelIdsShared::Gpt4o,
        messages: vec![
            user("hi"),
            ChatCompletionRequestUserMessage::default().into(),
        ],
        ..Default::default()
    };
    let said = refused(client.chat().completions().create(&chat).await.map(drop));
    assert!(
        said.contains("required field `messages[1].content` is not set"),
        "{said}"
    );

    // A string inside a struct inside a list: the tool's function name.
    let chat = CreateChatCompletionRequest {
        model: ModelIdsShared::Gpt4o,
        messages: vec![user("hi")],
        tools: Some(vec![ChatCompletionTool::default().into()]),
        ..Default::default()
    };
    let said = refused(client.chat().completions().create(&chat).await.map(drop));
    assert!(
        said.contains("required field `tools[0].function.name` is not set"),
        "{said}"
    );

    // A union at the top: the embedding's input.
    let embedding = CreateEmbeddingRequest {
        model: "text-embedding-3-small".into(),
        ..Default::default()
    };
    let said = refused(client.embeddings().create(&embedding).await.map(drop));
    assert!(said.contains("required field `input` is not set"), "{said}");

    // A string: the file to add to a vector store.
    let said = refused(
        client
            .vector_stores()
            .files()
            .create("vs_1", &CreateVectorStoreFileRequest::default())
            .await
            .map(drop),
    );
    assert!(
        said.contains("required field `file_id` is not set"),
        "{said}"
    );

    assert!(server.received_requests().await.unwrap().is_empty());

    // Set, the same requests go out (the check refuses placeholders, not requests).
    let chat = CreateChatCompletionRequest {
        model: ModelIdsShared::Gpt4o,
        messages: vec![user("hi")],
        ..Default::default()
    };
    let _ = client.chat().completions().create(&chat).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
