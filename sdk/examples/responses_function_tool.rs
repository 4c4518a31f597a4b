//! The Responses API with a function tool: the model may ask to call `get_weather`:
//! `cargo run --example responses_function_tool`.

use openai_sdk::prelude::*;
use openai_sdk::types::{CreateResponse, FunctionTool, OutputItem};
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), openai_sdk::Error> {
    let client = openai_sdk::Client::new();
    let weather = FunctionTool {
        name: "get_weather".into(),
        description: "The current weather in a city.".into(),
        parameters: json!({
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
            "additionalProperties": false
        })
        .as_object()
        .cloned(),
        strict: Some(true),
        ..Default::default()
    };
    let request = CreateResponse {
        model: Some("gpt-4o-mini".into()),
        input: Some("What is the weather in Paris?".into()),
        tools: Some(vec![weather.into()]),
        ..Default::default()
    };
    let response = client.responses().create(&request).await?;
    for item in &response.output {
        match item {
            OutputItem::FunctionCall(call) => println!("call {}({})", call.name, call.arguments),
            OutputItem::Message(_) => println!("text: {}", response.output_text()),
            other => println!("other output: {other:?}"),
        }
    }
    Ok(())
}
