//! Structured outputs from Rust types (`client.chat().completions().parse::<T>(..)`,
//! `client.responses().parse::<T>(..)` and their streamed forms) against a local fake server:
//! the strict schema sent for a type with nested structs, enums, options, lists and recursion;
//! the answer parsed; a refusal; a cut-short answer; a map refused before anything is sent.

use futures_util::StreamExt;
use openai_sdk::structured::{Parsed, ParsedChatCompletion, strict_schema};
use openai_sdk::types::{
    ChatCompletionRequestUserMessage, CreateChatCompletionRequest,
    CreateChatCompletionStreamResponse, CreateResponse, ResponseStreamEvent, ResponseTextParam,
    Verbosity,
};
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

/// What the fake server received, as JSON.
async fn sent(server: &MockServer) -> Value {
    serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap()
}

fn plan() -> Value {
    json!({"goal": "a calm morning", "steps": [], "priority": "low", "deadline": "9:00"})
}

fn parsed_plan() -> Plan {
    Plan {
        goal: "a calm morning".into(),
        steps: vec![],
        priority: Priority::Low,
        deadline: Some("9:00".into()),
    }
}

/// A server answering `path` with server-sent `events` (each `(name, data)`), `[DONE]` last when
/// `done`.
async fn event_server(path_: &str, events: &[(&str, Value)], done: bool) -> (MockServer, Client) {
    let mut body: String = events
        .iter()
        .map(|(name, data)| format!("event: {name}\ndata: {data}\n\n"))
        .collect();
    if done {
        body.push_str("data: [DONE]\n\n");
    }
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(path_))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(body, "text/event-stream")
                .insert_header("x-request-id", "req_stream"),
        )
        .mount(&server)
        .await;
    let client = openai_tests::local_client(&server.uri());
    (server, client)
}

#[tokio::test]
async fn a_streamed_chat_answer_yields_its_chunks_then_folds_into_the_parsed_value() {
    let text = plan().to_string();
    let (head, tail) = text.split_at(text.len() / 2);
    let chunk = |delta: Value, finish: Value| {
        let data = json!({
            "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]
        });
        ("message", data)
    };
    let events = [
        chunk(json!({"role": "assistant", "content": ""}), Value::Null),
        chunk(json!({"content": head}), Value::Null),
        chunk(json!({"content": tail}), Value::Null),
        chunk(json!({}), json!("stop")),
    ];
    let (server, client) = event_server("/chat/completions", &events, true).await;
    let mut stream = client
        .chat()
        .completions()
        .parse_stream::<Plan>(&request())
        .await
        .unwrap();
    // The first chunks go by as the plain stream yields them...
    let first: CreateChatCompletionStreamResponse = stream.next().await.unwrap().unwrap();
    assert_eq!(first.id, "chatcmpl-1");
    let second = serde_json::to_value(stream.next().await.unwrap().unwrap()).unwrap();
    assert_eq!(second["choices"][0]["delta"]["content"], head);
    // ...and the rest is read by `final_parsed`, which folds them all.
    let answer = stream.final_parsed().await.unwrap();
    assert_eq!(
        answer.choices,
        vec![Parsed {
            parsed: Some(parsed_plan()),
            refusal: None
        }]
    );
    assert_eq!(answer.completion.id, "chatcmpl-1");
    let sent = sent(&server).await;
    assert_eq!(sent["stream"], true);
    assert_eq!(sent["response_format"]["json_schema"]["name"], "Plan");

    // A stream cut by the length limit is incomplete, as the plain answer is.
    let events = [
        chunk(json!({"role": "assistant", "content": head}), Value::Null),
        chunk(json!({}), json!("length")),
    ];
    let (_server, client) = event_server("/chat/completions", &events, true).await;
    let stream = client
        .chat()
        .completions()
        .parse_stream::<Plan>(&request())
        .await
        .unwrap();
    let err = stream.final_parsed().await.unwrap_err();
    assert!(
        matches!(&err, Error::Incomplete { reason } if reason == "length"),
        "{err:?}"
    );
}

fn response_request() -> CreateResponse {
    CreateResponse {
        model: Some("gpt-4o-mini".into()),
        input: Some("Plan my morning.".to_owned().into()),
        text: Some(ResponseTextParam {
            verbosity: Verbosity::Low.into(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A whole response, as the API returns it, whose message holds `parts`.
fn response(status: &str, parts: Value, more: Value) -> Value {
    let mut body = json!({
        "id": "resp_1",
        "object": "response",
        "created_at": 1741476542,
        "status": status,
        "error": null,
        "incomplete_details": null,
        "model": "gpt-4o-mini-2024-07-18",
        "output": [
            {"type": "reasoning", "id": "rs_1", "summary": []},
            {"type": "message", "id": "msg_1", "status": "completed", "role": "assistant", "content": parts}
        ],
        "parallel_tool_calls": true,
        "text": {"format": {"type": "json_schema", "name": "Plan", "strict": true}, "verbosity": "low"},
        "usage": {"input_tokens": 36, "output_tokens": 87, "total_tokens": 123},
        "service_tier_new_field": "kept"
    });
    body.as_object_mut()
        .unwrap()
        .extend(more.as_object().cloned().unwrap_or_default());
    body
}

async fn response_server(body: Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/responses"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(
                    serde_json::to_string_pretty(&body).unwrap(),
                    "application/json",
                )
                .insert_header("x-request-id", "req_resp"),
        )
        .mount(&server)
        .await;
    let client = openai_tests::local_client(&server.uri());
    (server, client)
}

#[tokio::test]
async fn a_response_answer_is_parsed_and_the_request_keeps_its_other_text_settings() {
    let parts = json!([{"type": "output_text", "text": plan().to_string(), "annotations": []}]);
    let (server, client) = response_server(response("completed", parts, json!({}))).await;
    let answer = client
        .responses()
        .parse::<Plan>(&response_request())
        .await
        .unwrap();
    assert_eq!(answer.parsed, Some(parsed_plan()));
    assert_eq!(answer.refusal, None);
    assert_eq!(answer.response.id, "resp_1");
    let sent = sent(&server).await;
    assert_eq!(sent["input"], "Plan my morning.");
    assert_eq!(sent["text"]["verbosity"], "low", "{sent}");
    let format = &sent["text"]["format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["name"], "Plan");
    assert_eq!(format["strict"], true);
    assert_eq!(format["schema"], strict_schema::<Plan>().unwrap());
}

#[tokio::test]
async fn a_response_refusal_incomplete_or_failure_is_told_apart() {
    let parts = json!([{"type": "refusal", "refusal": "I can't help with that."}]);
    let (_server, client) = response_server(response("completed", parts, json!({}))).await;
    let answer = client
        .responses()
        .parse::<Plan>(&response_request())
        .await
        .unwrap();
    assert_eq!(answer.parsed, None);
    assert_eq!(answer.refusal.as_deref(), Some("I can't help with that."));

    let cut = json!([{"type": "output_text", "text": "{\"goal\": \"a ca", "annotations": []}]);
    let incomplete = json!({"incomplete_details": {"reason": "max_output_tokens"}});
    let (_server, client) = response_server(response("incomplete", cut.clone(), incomplete)).await;
    let err = client
        .responses()
        .parse::<Plan>(&response_request())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Incomplete { reason } if reason == "max_output_tokens"),
        "{err:?}"
    );

    let failed =
        json!({"output": [], "error": {"code": "server_error", "message": "The model failed."}});
    let (_server, client) = response_server(response("failed", json!([]), failed)).await;
    let err = client
        .responses()
        .parse::<Plan>(&response_request())
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.message, "The model failed.");
    assert_eq!(api.code.as_deref(), Some("server_error"));
    assert_eq!(err.request_id(), Some("req_resp"));

    // Text that is not the type's JSON is a decode error holding the text.
    let (_server, client) = response_server(response("completed", cut, json!({}))).await;
    let err = client
        .responses()
        .parse::<Plan>(&response_request())
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.body, "{\"goal\": \"a ca");
}

#[tokio::test]
async fn a_streamed_response_yields_its_events_then_parses_the_final_response() {
    let text = plan().to_string();
    let (head, tail) = text.split_at(7);
    let parts = json!([{"type": "output_text", "text": text, "annotations": []}]);
    let done = response("completed", parts, json!({}));
    let mut created = done.clone();
    created["status"] = json!("in_progress");
    created["output"] = json!([]);
    let delta = |d: &str, n: u32| {
        json!({"type": "response.output_text.delta", "item_id": "msg_1", "output_index": 1,
               "content_index": 0, "delta": d, "sequence_number": n})
    };
    let events = [
        (
            "response.created",
            json!({"type": "response.created", "response": created, "sequence_number": 0}),
        ),
        ("response.output_text.delta", delta(head, 1)),
        ("response.output_text.delta", delta(tail, 2)),
        (
            "response.completed",
            json!({"type": "response.completed", "response": done, "sequence_number": 3}),
        ),
    ];
    let (server, client) = event_server("/responses", &events, false).await;
    let mut stream = client
        .responses()
        .parse_stream::<Plan>(&response_request())
        .await
        .unwrap();
    let mut deltas = String::new();
    let mut kinds = Vec::new();
    while let Some(event) = stream.next().await {
        let event: ResponseStreamEvent = event.unwrap();
        let event = serde_json::to_value(event).unwrap();
        kinds.push(event["type"].as_str().unwrap().to_owned());
        deltas.push_str(event["delta"].as_str().unwrap_or_default());
    }
    assert_eq!(deltas, text);
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    assert_eq!(stream.request_id(), Some("req_stream"));
    let answer = stream.final_parsed().await.unwrap();
    assert_eq!(answer.parsed, Some(parsed_plan()));
    assert_eq!(answer.response.id, "resp_1");
    let sent = sent(&server).await;
    assert_eq!(sent["stream"], true);
    assert_eq!(sent["text"]["format"]["name"], "Plan");

    // A stream cut before its final response has no answer to give, and says it was cut.
    let (_server, client) = event_server("/responses", &events[..3], false).await;
    let stream = client
        .responses()
        .parse_stream::<Plan>(&response_request())
        .await
        .unwrap();
    let err = stream.final_parsed().await.unwrap_err();
    let Error::Stream(cut) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((cut.events, cut.source.is_none()), (3, true));
    assert_eq!(err.request_id(), Some("req_stream"));
}
