//! Assistants run streams (`create_stream`, `create_and_run_stream`, `submit_tool_outputs_stream`),
//! found by rule: the body has a `stream` flag, and a component union carries the run as its
//! frames' `data`. A recorded stream from a local fake server: typed events from each frame's
//! `event:` and `data:`, message deltas folded into the text, and `[DONE]` ending the stream.

use futures_util::StreamExt;
use openai_sdk::types::{
    AssistantStreamEvent, CreateRunRequest, MessageDeltaObjectDeltaContentPart, MessageStreamEvent,
    RunStreamEvent,
};
use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const RUN: &str = r#"{"id":"run_123","object":"thread.run","created_at":1710330640,"assistant_id":"asst_123","thread_id":"thread_123","status":"STATUS","started_at":null,"expires_at":1710331240,"cancelled_at":null,"failed_at":null,"completed_at":null,"required_action":null,"last_error":null,"model":"gpt-4o","instructions":null,"tools":[],"metadata":{},"temperature":1.0,"top_p":1.0,"max_completion_tokens":null,"max_prompt_tokens":null,"truncation_strategy":{"type":"auto","last_messages":null},"incomplete_details":null,"usage":null,"response_format":"auto","tool_choice":"auto","parallel_tool_calls":true}"#;

fn recorded() -> String {
    let delta = |text: &str| {
        json!({
            "id": "msg_123",
            "object": "thread.message.delta",
            "delta": {"content": [{"index": 0, "type": "text", "text": {"value": text, "annotations": []}}]}
        })
    };
    [
        format!(
            "event: thread.run.created\ndata: {}\n\n",
            RUN.replace("STATUS", "queued")
        ),
        format!("event: thread.message.delta\ndata: {}\n\n", delta("Hello")),
        // An event this SDK does not know: kept, not an error.
        "event: thread.run.step.sparkled\ndata: {\"id\":\"step_1\"}\n\n".to_owned(),
        format!("event: thread.message.delta\ndata: {}\n\n", delta(" there")),
        format!(
            "event: thread.run.completed\ndata: {}\n\n",
            RUN.replace("STATUS", "completed")
        ),
        "event: done\ndata: [DONE]\n\n".to_owned(),
        // Nothing after `[DONE]` is read.
        format!("event: thread.message.delta\ndata: {}\n\n", delta("!")),
    ]
    .concat()
}

#[tokio::test]
async fn a_run_stream_yields_typed_events_until_done() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/threads/thread_123/runs"))
        .and(body_partial_json(
            json!({"assistant_id": "asst_123", "stream": true}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_raw(recorded(), "text/event-stream"))
        .expect(1)
        .mount(&server)
        .await;
    let client = openai_tests::local_client(&server.uri());
    let request = CreateRunRequest {
        assistant_id: "asst_123".into(),
        ..Default::default()
    };
    let mut stream = client
        .beta()
        .threads()
        .runs()
        .create_stream("thread_123", &request, &Default::default())
        .await
        .unwrap();
    let mut text = String::new();
    let mut statuses = Vec::new();
    let mut unknown = Vec::new();
    while let Some(event) = stream.next().await {
        match event.unwrap() {
            AssistantStreamEvent::MessageStreamEvent(MessageStreamEvent::ThreadMessageDelta(d)) => {
                for part in d.data.delta.content.unwrap_or_default() {
                    if let MessageDeltaObjectDeltaContentPart::Text(t) = part {
                        text.push_str(&t.text.and_then(|t| t.value).unwrap_or_default());
                    }
                }
            }
            AssistantStreamEvent::RunStreamEvent(RunStreamEvent::ThreadRunCreated(run)) => {
                statuses.push(("created", serde_json::to_value(run.data.status).unwrap()));
            }
            AssistantStreamEvent::RunStreamEvent(RunStreamEvent::ThreadRunCompleted(run)) => {
                statuses.push(("completed", serde_json::to_value(run.data.status).unwrap()));
            }
            AssistantStreamEvent::Unknown(value) => unknown.push(value),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        text, "Hello there",
        "the deltas fold into the message's text"
    );
    assert_eq!(
        statuses,
        vec![
            ("created", json!("queued")),
            ("completed", json!("completed"))
        ]
    );
    assert_eq!(
        unknown,
        vec![json!({"event": "thread.run.step.sparkled", "data": {"id": "step_1"}})]
    );
}

#[tokio::test]
async fn the_plain_method_never_asks_for_a_stream() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/threads/thread_123/runs"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(RUN.replace("STATUS", "queued"), "application/json"),
        )
        .mount(&server)
        .await;
    let client = openai_tests::local_client(&server.uri());
    let mut request = CreateRunRequest {
        assistant_id: "asst_123".into(),
        ..Default::default()
    };
    request.stream = true.into();
    let run = client
        .beta()
        .threads()
        .runs()
        .create("thread_123", &request, &Default::default())
        .await
        .unwrap();
    assert_eq!(run.id, "run_123");
    let sent: serde_json::Value =
        serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(sent, json!({"assistant_id": "asst_123"}));
}
