//! A streamed chat completion, printed as it arrives, then folded into the final completion:
//! `cargo run --example streaming_chat`.

use futures_util::StreamExt;
use openai_sdk::ChatCompletionAccumulator;
use openai_sdk::types::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
use std::io::Write;

#[tokio::main]
async fn main() -> Result<(), openai_sdk::Error> {
    let client = openai_sdk::Client::new();
    let request = CreateChatCompletionRequest {
        model: "gpt-4o-mini".into(),
        messages: vec![
            ChatCompletionRequestUserMessage {
                content: "Count to five.".into(),
                ..Default::default()
            }
            .into(),
        ],
        ..Default::default()
    };
    // `create_stream` asks for server-sent events itself.
    let mut stream = client.chat().completions().create_stream(&request).await?;
    let mut all = ChatCompletionAccumulator::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        for choice in &chunk.choices {
            if let Some(text) = choice.delta.content.value() {
                print!("{text}");
                std::io::stdout().flush().ok();
            }
        }
        all.push(&chunk);
    }
    println!();
    let completion = all.into_completion();
    println!(
        "{} choice(s), finish reason {:?}",
        completion.choices.len(),
        completion.choices.first().map(|c| c.finish_reason.as_str())
    );
    Ok(())
}
