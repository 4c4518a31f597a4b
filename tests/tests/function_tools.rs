//! Function tools from Rust types (`ChatCompletionTool::from_type::<T>()`,
//! `FunctionTool::from_type::<T>()`): the tool definition a type gives, sent to a local fake
//! server, and the tool call it answers with parsed back into the type.

use openai_sdk::Error;
use openai_sdk::prelude::*;
use openai_sdk::types::{
    ChatCompletionMessageToolCallsItem, ChatCompletionRequestUserMessage, ChatCompletionTool,
    CreateChatCompletionRequest, CreateResponse, FunctionTool, OutputItem,
};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Get the current weather in a city.
#[derive(Debug, Deserialize, JsonSchema, PartialEq)]
struct GetWeather {
    /// The city, with its country.
    city: String,
    unit: Option<Unit>,
}

#[derive(Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Unit {
    Celsius,
    Fahrenheit,
}

#[derive(Debug, Deserialize, JsonSchema)]
struct Tags {
    #[allow(dead_code)]
    by_name: HashMap<String, String>,
}

fn weather() -> GetWeather {
    GetWeather {
        city: "Paris, France".into(),
        unit: Some(Unit::Celsius),
    }
}

const ARGUMENTS: &str = r#"{"city":"Paris, France","unit":"celsius"}"#;

/// The function a tool definition names, with its parameters' schema.
fn assert_weather_function(function: &Value) {
    assert_eq!(function["name"], "GetWeather");
    assert_eq!(
        function["description"],
        "Get the current weather in a city."
    );
    assert_eq!(function["strict"], true);
    let parameters = &function["parameters"];
    assert_eq!(parameters["type"], "object");
    assert_eq!(parameters["additionalProperties"], false);
    assert_eq!(parameters["required"], json!(["city", "unit"]));
    assert_eq!(
        parameters["properties"]["city"]["description"],
        "The city, with its country."
    );
    // The description is sent once, as the tool's; the type's name is not a keyword.
    assert!(parameters.get("description").is_none() && parameters.get("title").is_none());
}

async fn server(path_: &str, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(path_))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            serde_json::to_string_pretty(&body).unwrap(),
            "application/json",
        ))
        .mount(&server)
        .await;
    server
}

async fn sent(server: &MockServer) -> Value {
    serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap()
}

#[tokio::test]
async fn a_chat_tool_from_a_type_round_trips_to_its_call_arguments() {
    let tool = ChatCompletionTool::from_type::<GetWeather>().unwrap();
    let answer = json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
        "choices": [{"index": 0, "logprobs": null, "finish_reason": "tool_calls", "message": {
            "role": "assistant", "content": null, "refusal": null,
            "tool_calls": [{"id": "call_1", "type": "function",
                            "function": {"name": "GetWeather", "arguments": ARGUMENTS}}]
        }}]
    });
    let server = server("/chat/completions", answer).await;
    let client = openai_tests::local_client(&server.uri());
    let request = CreateChatCompletionRequest {
        model: "gpt-4o-mini".into(),
        messages: vec![
            ChatCompletionRequestUserMessage {
                content: "Weather in Paris?".to_owned().into(),
                ..Default::default()
            }
            .into(),
        ],
        tools: Some(vec![tool.into()]),
        ..Default::default()
    };
    let completion = client.chat().completions().create(&request).await.unwrap();

    let sent = sent(&server).await;
    assert_eq!(sent["tools"][0]["type"], "function");
    assert_weather_function(&sent["tools"][0]["function"]);

    let calls = completion.choices[0].message.tool_calls.clone().unwrap();
    let ChatCompletionMessageToolCallsItem::Function(call) = &calls[0] else {
        panic!("{calls:?}")
    };
    assert_eq!(call.parse_arguments::<GetWeather>().unwrap(), weather());
}

#[tokio::test]
async fn a_responses_tool_from_a_type_round_trips_to_its_call_arguments() {
    let tool = FunctionTool::from_type::<GetWeather>().unwrap();
    let answer = json!({
        "id": "resp_1", "object": "response", "created_at": 1, "status": "completed",
        "model": "gpt-4o-mini", "error": null, "incomplete_details": null,
        "output": [{"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "GetWeather",
                    "arguments": ARGUMENTS, "status": "completed"}],
        "parallel_tool_calls": true
    });
    let server = server("/responses", answer).await;
    let client = openai_tests::local_client(&server.uri());
    let request = CreateResponse {
        model: Some("gpt-4o-mini".into()),
        input: Some("Weather in Paris?".to_owned().into()),
        tools: Some(vec![tool.into()]),
        ..Default::default()
    };
    let response = client.responses().create(&request).await.unwrap();

    let sent = sent(&server).await;
    // The Responses API takes the function's fields on the tool itself.
    assert_eq!(sent["tools"][0]["type"], "function");
    assert_weather_function(&sent["tools"][0]);

    let OutputItem::FunctionCall(call) = &response.output[0] else {
        panic!("{:?}", response.output)
    };
    assert_eq!(call.parse_arguments::<GetWeather>().unwrap(), weather());
}

#[test]
fn arguments_that_are_not_the_type_are_a_decode_error_and_a_map_is_refused() {
    let tool = ChatCompletionTool::from_type::<GetWeather>().unwrap();
    let mut call: openai_sdk::types::ChatCompletionMessageToolCall =
        serde_json::from_value(json!({
            "id": "call_1", "type": "function",
            "function": {"name": "GetWeather", "arguments": "{\"town\": \"Paris\"}"}
        }))
        .unwrap();
    assert_eq!(tool.function.name, "GetWeather");
    let err = call.parse_arguments::<GetWeather>().unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.body, "{\"town\": \"Paris\"}");
    call.function.arguments = ARGUMENTS.to_owned();
    assert_eq!(call.parse_arguments::<GetWeather>().unwrap(), weather());

    let err = ChatCompletionTool::from_type::<Tags>().unwrap_err();
    assert!(err.to_string().contains("by_name"), "{err}");
    let err = FunctionTool::from_type::<Tags>().unwrap_err();
    assert!(err.to_string().contains("by_name"), "{err}");
}
