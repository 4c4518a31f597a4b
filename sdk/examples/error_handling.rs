//! What failures look like: `cargo run --example error_handling`.

use openai_sdk::Error;
use openai_sdk::types::CreateChatCompletionRequest;
use std::time::Duration;

#[tokio::main]
async fn main() {
    let client = openai_sdk::Client::new();

    // Refused before anything is sent.
    match client.files().retrieve("").await {
        Err(Error::InvalidArgument(why)) => println!("invalid argument: {why}"),
        other => println!("unexpected: {other:?}"),
    }

    // The API rejects the request: status, message, code and request id are all there.
    let mut request = CreateChatCompletionRequest {
        model: "gpt-4o-mini".into(),
        ..Default::default()
    };
    request.extra.insert("temperature", "very hot");
    match client
        .chat()
        .completions()
        .create(&request)
        .max_retries(0)
        .await
    {
        Err(Error::Api(e)) => println!(
            "API error {}: {} (request id {:?})",
            e.status, e.message, e.request_id
        ),
        Err(other) => println!("other error: {other}"),
        Ok(_) => println!("accepted"),
    }

    // Per-call options: a short timeout, more retries.
    let result = client
        .models()
        .list()
        .timeout(Duration::from_secs(30))
        .max_retries(4)
        .await;
    match result {
        Ok(models) => println!("{} models", models.data.len()),
        Err(Error::Timeout(after)) => println!("timed out after {after:?}"),
        Err(Error::Transport(e)) => println!("could not reach the API: {e}"),
        Err(e) => println!("failed: {e}"),
    }
}
