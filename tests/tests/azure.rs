//! Azure OpenAI clients against a local fake server: the exact URL (`/openai/…`, deployments),
//! the `api-version` query and the credential headers, for plain and streamed calls.

use futures_util::StreamExt;
use openai_sdk::types::{
    ChatCompletionRequestUserMessage, CreateChatCompletionRequest, CreateTranscriptionRequest,
};
use openai_sdk::{AccessToken, Client, Error, InputFile};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const VERSION: &str = "2024-10-21";

fn chat() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest {
        model: "gpt-4o".into(),
        messages: vec![
            ChatCompletionRequestUserMessage {
                content: "Hi".to_owned().into(),
                ..Default::default()
            }
            .into(),
        ],
        ..Default::default()
    }
}

const COMPLETION: &str =
    r#"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[]}"#;

/// Answers any request with `body`; what was asked is read back from the server afterwards.
async fn server(body: &'static str, content_type: &'static str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, content_type))
        .mount(&server)
        .await;
    server
}

/// Each request's path and query, and its credential headers.
async fn asked(server: &MockServer) -> Vec<(String, Option<String>, Option<String>)> {
    let header =
        |r: &Request, name: &str| r.headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let url = format!("{}?{}", r.url.path(), r.url.query().unwrap_or_default());
            (url, header(r, "api-key"), header(r, "authorization"))
        })
        .collect()
}

fn azure(server: &MockServer) -> openai_sdk::AzureBuilder {
    Client::azure()
        .endpoint(format!("{}/", server.uri()))
        .api_version(VERSION)
}

#[tokio::test]
async fn an_api_key_goes_in_the_api_key_header_with_the_api_version() {
    let server = server(r#"{"object":"list","data":[]}"#, "application/json").await;
    let client = azure(&server).api_key("azure-key").build().unwrap();
    client.models().list().await.unwrap();
    client
        .models()
        .list()
        .query_param("extra", "1")
        .await
        .unwrap();
    assert_eq!(
        asked(&server).await,
        vec![
            (
                format!("/openai/models?api-version={VERSION}"),
                Some("azure-key".into()),
                None
            ),
            (
                format!("/openai/models?api-version={VERSION}&extra=1"),
                Some("azure-key".into()),
                None
            ),
        ]
    );
}

#[tokio::test]
async fn model_scoped_paths_go_to_the_deployment() {
    let server = server(COMPLETION, "application/json").await;
    // The client's deployment, for model-scoped paths only.
    let client = azure(&server)
        .api_key("k")
        .deployment("my dep")
        .build()
        .unwrap();
    client.chat().completions().create(&chat()).await.unwrap();
    client.models().list().await.ok();
    // Without one, the request's model names the deployment (JSON and multipart bodies).
    let client = azure(&server).api_key("k").build().unwrap();
    client.chat().completions().create(&chat()).await.unwrap();
    let transcription = CreateTranscriptionRequest {
        model: "whisper-1".into(),
        file: InputFile::from_bytes("a.wav", vec![0u8; 8]),
        ..Default::default()
    };
    client
        .audio()
        .transcriptions()
        .create(&transcription)
        .await
        .ok();
    let paths: Vec<String> = asked(&server).await.into_iter().map(|a| a.0).collect();
    assert_eq!(
        paths,
        vec![
            format!("/openai/deployments/my%20dep/chat/completions?api-version={VERSION}"),
            format!("/openai/models?api-version={VERSION}"),
            format!("/openai/deployments/gpt-4o/chat/completions?api-version={VERSION}"),
            format!("/openai/deployments/whisper-1/audio/transcriptions?api-version={VERSION}"),
        ]
    );
}

#[tokio::test]
async fn streams_go_the_same_way() {
    let sse = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n";
    let server = server(sse, "text/event-stream").await;
    let client = azure(&server)
        .api_key("k")
        .deployment("dep")
        .build()
        .unwrap();
    let mut stream = client
        .chat()
        .completions()
        .create_stream(&chat())
        .await
        .unwrap();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        chunk.unwrap();
        chunks += 1;
    }
    assert_eq!(chunks, 1);
    assert_eq!(
        asked(&server).await,
        vec![(
            format!("/openai/deployments/dep/chat/completions?api-version={VERSION}"),
            Some("k".into()),
            None
        )]
    );
}

#[tokio::test]
async fn entra_tokens_are_asked_for_when_the_last_expires() {
    let server = server(COMPLETION, "application/json").await;
    let asks = Arc::new(AtomicUsize::new(0));
    let counter = asks.clone();
    let client = azure(&server)
        .deployment("dep")
        .token_provider(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move {
                // The first token is 30 s from expiring: too close, so the next call asks again.
                let lasts = if n == 1 { 30 } else { 3600 };
                Ok(AccessToken {
                    token: format!("token-{n}"),
                    expires_at: Some(SystemTime::now() + Duration::from_secs(lasts)),
                })
            }
        })
        .build()
        .unwrap();
    for _ in 0..3 {
        client.chat().completions().create(&chat()).await.unwrap();
    }
    let mut stream = client
        .chat()
        .completions()
        .create_stream(&chat())
        .await
        .unwrap();
    while stream.next().await.is_some() {}
    assert_eq!(asks.load(Ordering::SeqCst), 2);
    let bearers: Vec<Option<String>> = asked(&server).await.into_iter().map(|a| a.2).collect();
    assert_eq!(
        bearers,
        ["token-1", "token-2", "token-2", "token-2"]
            .map(|t| Some(format!("Bearer {t}")))
            .to_vec()
    );

    // A provider that fails: a typed error, and nothing sent.
    let failing = azure(&server)
        .token_provider(|| async { Err("no managed identity".into()) })
        .build()
        .unwrap();
    let err = failing.models().list().await.unwrap_err();
    assert!(matches!(err, Error::Credential(_)), "{err:?}");
    assert!(err.to_string().contains("no managed identity"), "{err}");
    assert_eq!(asked(&server).await.len(), 4);
}

#[tokio::test]
async fn the_environment_configures_it_and_what_is_missing_is_named() {
    let server = server(r#"{"object":"list","data":[]}"#, "application/json").await;
    let vars = [
        ("AZURE_OPENAI_ENDPOINT", server.uri()),
        ("AZURE_OPENAI_API_KEY", "env-key".to_owned()),
        ("OPENAI_API_VERSION", "2025-01-01-preview".to_owned()),
    ];
    // SAFETY: no other test of this binary reads these variables (every other test sets
    // the endpoint, version and credential itself).
    unsafe {
        for (name, value) in &vars {
            std::env::set_var(name, value);
        }
    }
    let client = Client::azure().build().unwrap();
    client.models().list().await.unwrap();
    assert_eq!(
        asked(&server).await,
        vec![(
            "/openai/models?api-version=2025-01-01-preview".to_owned(),
            Some("env-key".into()),
            None
        )]
    );
    unsafe {
        for (name, _) in &vars {
            std::env::remove_var(name);
        }
    }
    let err = Client::azure()
        .endpoint("https://x.openai.azure.com")
        .api_version(VERSION)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("AZURE_OPENAI_API_KEY"), "{err}");
    let err = Client::azure().api_key("k").build().unwrap_err();
    assert!(err.to_string().contains("AZURE_OPENAI_ENDPOINT"), "{err}");
    // The settings shared with OpenAI clients.
    let client = Client::azure()
        .endpoint("https://x.openai.azure.com")
        .api_version(VERSION)
        .api_key("k")
        .with(|c| c.max_retries(0).timeout(Duration::from_secs(3)))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://x.openai.azure.com/openai");
}
