//! Embeddings asked for as base64 give the same floats as embeddings asked for as floats, from
//! real-shaped (pretty-printed, 1,536-dimension) responses of a local fake server.

use openai_sdk::prelude::*;
use openai_sdk::types::{CreateEmbeddingRequest, CreateEmbeddingRequestEncodingFormat};
use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn answer(embedding: serde_json::Value) -> ResponseTemplate {
    let body = json!({
        "object": "list",
        "data": [{"object": "embedding", "index": 0, "embedding": embedding}],
        "model": "text-embedding-3-small",
        "usage": {"prompt_tokens": 5, "total_tokens": 5}
    });
    ResponseTemplate::new(200).set_body_raw(
        serde_json::to_string_pretty(&body).unwrap(),
        "application/json",
    )
}

#[tokio::test]
async fn base64_and_float_embeddings_give_the_same_vector() {
    // What a model gives: small values of both signs, every bit of an f32 used.
    let floats: Vec<f32> = (0..1536)
        .map(|i| ((i as f32) * 0.618_034).sin() * 0.05)
        .collect();
    let bytes: Vec<u8> = floats.iter().flat_map(|f| f.to_le_bytes()).collect();
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/embeddings"))
        .and(body_partial_json(json!({"encoding_format": "base64"})))
        .respond_with(answer(json!(encoded)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/embeddings"))
        .and(body_partial_json(json!({"encoding_format": "float"})))
        // The API writes each f32 as the shortest decimal that reads back as it.
        .respond_with(answer(json!(floats)))
        .mount(&server)
        .await;
    let client = openai_tests::local_client(&server.uri());
    let ask = |format| CreateEmbeddingRequest {
        input: "The food was delicious".to_owned().into(),
        model: "text-embedding-3-small".into(),
        encoding_format: Some(format),
        ..Default::default()
    };
    let base64 = client
        .embeddings()
        .create(&ask(CreateEmbeddingRequestEncodingFormat::Base64))
        .await
        .unwrap();
    let float = client
        .embeddings()
        .create(&ask(CreateEmbeddingRequestEncodingFormat::Float))
        .await
        .unwrap();
    assert_eq!(base64.data[0].vector(), floats);
    assert_eq!(float.data[0].vector(), floats);
    assert_eq!(
        base64.usage.total_tokens, 5,
        "the rest of the response is read"
    );
}
