//! A chat completion: `cargo run --example chat_completion` (OPENAI_API_KEY, or OPENAI_BASE_URL
//! pointing at a mock server).

use openai_sdk::types::{
    ChatCompletionRequestSystemMessage, ChatCompletionRequestUserMessage,
    CreateChatCompletionRequest,
};

#[tokio::main]
async fn main() -> Result<(), openai_sdk::Error> {
    let client = openai_sdk::Client::new();
    let request = CreateChatCompletionRequest {
        model: "gpt-4o-mini".into(),
        messages: vec![
            ChatCompletionRequestSystemMessage {
                content: "You are terse.".into(),
                ..Default::default()
            }
            .into(),
            ChatCompletionRequestUserMessage {
                content: "Name three primary colors.".into(),
                ..Default::default()
            }
            .into(),
        ],
        max_completion_tokens: 50.into(),
        ..Default::default()
    };
    let completion = client.chat().completions().create(&request).await?;
    for choice in &completion.choices {
        println!("{}", choice.message.content.as_deref().unwrap_or_default());
    }
    if let Some(usage) = &completion.usage {
        println!("({} tokens)", usage.total_tokens);
    }
    Ok(())
}
