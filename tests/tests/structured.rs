//! Structured outputs from Rust types (`client.chat().completions().parse::<T>(..)`) against a
//! local fake server: the strict schema sent for a type with nested structs, enums, options,
//! lists and recursion; the answer parsed; a refusal; a cut-short answer; a map refused before
//! anything is sent.

use openai_sdk::structured::{Parsed, ParsedChatCompletion, strict_schema};
use openai_sdk::types::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
use openai_sdk::{Client, Error};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize, JsonSchema, PartialEq)]
struct Plan {
    /// What the plan is for.
    goal: String,
    steps: Vec<Step>,
    priority: Priority,
    deadline: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema, PartialEq)]
struct Step {
    text: String,
    minutes: u32,
    /// Steps inside this one.
    substeps: Vec<Step>,
}

#[derive(Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(rename_all = "snake_case")]
enum Priority {
    Low,
    High,
}

#[derive(Debug, Deserialize, JsonSchema)]
struct Scores {
    #[allow(dead_code)]
    by_name: BTreeMap<String, f64>,
}

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest {
        model: "gpt-4o-mini".into(),
        messages: vec![
            ChatCompletionRequestUserMessage {
                content: "Plan my morning.".to_owned().into(),
                ..Default::default()
            }
            .into(),
        ],
        ..Default::default()
    }
}

/// A completion whose one choice says `message` and stops for `finish_reason`.
fn completion(message: Value, finish_reason: &str) -> ResponseTemplate {
    let body = json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": message, "logprobs": null, "finish_reason": finish_reason}]
    });
    ResponseTemplate::new(200)
        .set_body_raw(
            serde_json::to_string_pretty(&body).unwrap(),
            "application/json",
        )
        .insert_header("x-request-id", "req_parse")
}

async fn parse_plan(client: &Client) -> openai_sdk::Result<ParsedChatCompletion<Plan>> {
    client.chat().completions().parse::<Plan>(&request()).await
}

async fn server(answer: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .respond_with(answer)
        .mount(&server)
        .await;
    let client = openai_tests::local_client(&server.uri());
    (server, client)
}

fn walk<'a>(schema: &'a Value, out: &mut Vec<&'a serde_json::Map<String, Value>>) {
    match schema {
        Value::Object(o) => {
            if o.get("type") == Some(&json!("object")) {
                out.push(o);
            }
            o.values().for_each(|v| walk(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_answer_is_parsed_into_the_type_its_strict_schema_asked_for() {
    let plan = json!({
        "goal": "a calm morning",
        "steps": [{"text": "coffee", "minutes": 10, "substeps": [{"text": "grind", "minutes": 2, "substeps": []}]}],
        "priority": "high",
        "deadline": null
    });
    let message = json!({"role": "assistant", "content": plan.to_string(), "refusal": null});
    let (server, client) = server(completion(message, "stop")).await;
    let answer = parse_plan(&client).await.unwrap();
    assert_eq!(
        answer.choices,
        vec![Parsed {
            parsed: Some(Plan {
                goal: "a calm morning".into(),
                steps: vec![Step {
                    text: "coffee".into(),
                    minutes: 10,
                    substeps: vec![Step {
                        text: "grind".into(),
                        minutes: 2,
                        substeps: vec![]
                    }]
                }],
                priority: Priority::High,
                deadline: None,
            }),
            refusal: None
        }]
    );
    assert_eq!(answer.completion.id, "chatcmpl-1");

    // What was sent: the request, with the type's strict schema as its format.
    let sent: Value =
        serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(sent["model"], "gpt-4o-mini");
    let format = &sent["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["name"], "Plan");
    assert_eq!(format["json_schema"]["strict"], true);
    let schema = &format["json_schema"]["schema"];
    assert_eq!(schema, &strict_schema::<Plan>().unwrap());
    // Every object closed, every property required, the recursion by `$ref`.
    let mut objects = Vec::new();
    walk(schema, &mut objects);
    assert!(objects.len() >= 2, "{schema}");
    for o in objects {
        assert_eq!(o["additionalProperties"], false, "{o:?}");
        let mut required: Vec<&str> = o["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let mut names: Vec<&str> = o["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        required.sort();
        names.sort();
        assert_eq!(required, names);
    }
    assert_eq!(
        schema["$defs"]["Step"]["properties"]["substeps"]["items"]["$ref"],
        "#/$defs/Step"
    );
    // Descriptions come from doc comments; number formats strict mode refuses are gone.
    assert_eq!(
        schema["properties"]["goal"]["description"],
        "What the plan is for."
    );
    assert!(
        schema["$defs"]["Step"]["properties"]["minutes"]
            .get("format")
            .is_none()
    );
    assert!(schema.get("$schema").is_none() && schema.get("title").is_none());
}

#[tokio::test]
async fn a_refusal_is_a_refusal_not_a_decode_error() {
    let message =
        json!({"role": "assistant", "content": null, "refusal": "I can't help with that."});
    let (_server, client) = server(completion(message, "stop")).await;
    let answer = parse_plan(&client).await.unwrap();
    assert_eq!(
        answer.choices,
        vec![Parsed {
            parsed: None,
            refusal: Some("I can't help with that.".into())
        }]
    );
}

#[tokio::test]
async fn an_answer_cut_short_is_incomplete_and_bad_json_a_decode_error() {
    let message = json!({"role": "assistant", "content": "{\"goal\": \"a calm", "refusal": null});
    let (_server, client) = server(completion(message.clone(), "length")).await;
    let err = parse_plan(&client).await.unwrap_err();
    assert!(
        matches!(&err, Error::Incomplete { reason } if reason == "length"),
        "{err:?}"
    );
    let (_server, client) = server(completion(message, "stop")).await;
    let err = parse_plan(&client).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.body, "{\"goal\": \"a calm");
    assert_eq!(err.request_id(), Some("req_parse"));
}

#[tokio::test]
async fn the_structured_output_example_runs_against_a_server() {
    let event = json!({"name": "Science fair", "date": "Friday", "participants": ["Alice", "Bob"]});
    let message = json!({"role": "assistant", "content": event.to_string(), "refusal": null});
    let (server, _) = server(completion(message, "stop")).await;
    let base_url = server.uri();
    let (ok, said) = tokio::task::spawn_blocking(move || {
        openai_tests::run_example("structured_output", &base_url)
    })
    .await
    .unwrap();
    assert!(ok, "{said}");
    assert!(
        said.contains("Science fair on Friday with Alice and Bob"),
        "{said}"
    );
    let sent: Value =
        serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(
        sent["response_format"]["json_schema"]["name"],
        "CalendarEvent"
    );
}

#[tokio::test]
async fn a_map_is_refused_before_anything_is_sent() {
    let (server, client) = server(completion(json!({}), "stop")).await;
    let err = client
        .chat()
        .completions()
        .parse::<Scores>(&request())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("by_name"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}
