//! A typed answer from a chat model: the answer's Rust type is its JSON schema (structured
//! outputs), and the reply is parsed back into it: `cargo run --example structured_output
//! --features structured`.

use openai_sdk::types::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
use schemars::JsonSchema;
use serde::Deserialize;

/// An event in someone's calendar.
#[derive(Debug, Deserialize, JsonSchema)]
struct CalendarEvent {
    name: String,
    /// The day, as the text says it.
    date: String,
    participants: Vec<String>,
}

#[tokio::main]
async fn main() -> Result<(), openai_sdk::Error> {
    let client = openai_sdk::Client::new();
    let request = CreateChatCompletionRequest {
        model: "gpt-4o-mini".into(),
        messages: vec![
            ChatCompletionRequestUserMessage {
                content: "Alice and Bob are going to a science fair on Friday.".into(),
                ..Default::default()
            }
            .into(),
        ],
        ..Default::default()
    };
    let answer = client
        .chat()
        .completions()
        .parse::<CalendarEvent>(&request)
        .await?;
    for choice in answer.choices {
        match (choice.parsed, choice.refusal) {
            (Some(event), _) => println!(
                "{} on {} with {}",
                event.name,
                event.date,
                event.participants.join(" and ")
            ),
            (None, refusal) => println!("the model refused: {}", refusal.unwrap_or_default()),
        }
    }
    Ok(())
}
