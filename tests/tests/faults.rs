//! The SDK under hostile input and broken connections, against local servers: path parameters
//! that would leave their segment, streams cut before their end (every streaming operation),
//! connections reset or stalled, retries that must stop, a thousand requests at once.

use futures_util::StreamExt;
use openai_sdk::types::{
    CreateChatCompletionRequest, CreateImageEditRequest, CreateImageRequest, CreateResponse,
    CreateRunRequest, CreateSpeechRequest, CreateThreadAndRunRequest, CreateTranscriptionRequest,
    SubmitToolOutputsRunRequest,
};
use openai_sdk::{Client, Error, EventStream};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn nothing_sent(server: &MockServer) -> bool {
    server.received_requests().await.unwrap().is_empty()
}

#[tokio::test]
async fn a_dot_path_parameter_is_refused_before_sending() {
    let server = MockServer::start().await;
    let client = openai_tests::local_client(&server.uri());
    for id in [".", "..", "%2e", "%2E%2e", ".%2e"] {
        let err = client.files().delete(id).await.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidArgument(m) if m.contains("file_id")),
            "{id:?}: {err:?}"
        );
        // Without the check this would be `DELETE /vector_stores/vs_1`: the store itself.
        let err = client
            .vector_stores()
            .files()
            .delete("vs_1", id)
            .await
            .unwrap_err();
        assert!(matches!(&err, Error::InvalidArgument(_)), "{err:?}");
    }
    assert!(nothing_sent(&server).await);

    // Azure's deployment segment, taken from the body's `model`, is held to the same rule.
    let azure = Client::azure()
        .endpoint(server.uri())
        .api_key("k")
        .api_version("2024-10-21")
        .build()
        .unwrap();
    let body = CreateChatCompletionRequest {
        model: "..".into(),
        ..Default::default()
    };
    let err = azure.chat().completions().create(&body).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument(m) if m.contains("deployment")),
        "{err:?}"
    );
    assert!(nothing_sent(&server).await);
}

#[tokio::test]
async fn a_parameter_with_separators_stays_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"id":"x","object":"file","deleted":true}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = openai_tests::local_client(&server.uri());
    for id in ["../files", "a/b", "x?y#z", "...", "%2e%2e%2e"] {
        client.files().delete(id).await.unwrap();
    }
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/files/..%2Ffiles",
            "/files/a%2Fb",
            "/files/x%3Fy%23z",
            "/files/...",
            "/files/%252e%252e%252e"
        ]
    );
}

/// A request body from JSON with what its required fields need (the client refuses to send one
/// that leaves a required field at its default).
fn body<T: DeserializeOwned>(json: Value) -> T {
    openai_sdk::json::from_str(&json.to_string()).expect("a request body")
}

/// An SSE body of `events` (each an optional `event:` name and its data).
fn sse(events: &[(Option<&str>, Value)], last: Option<&str>) -> String {
    let mut body = String::new();
    for (name, data) in events {
        if let Some(name) = name {
            body.push_str(&format!("event: {name}\n"));
        }
        body.push_str(&format!("data: {data}\n\n"));
    }
    if let Some(last) = last {
        body.push_str(last);
    }
    body
}

type Items = Pin<Box<dyn Future<Output = Vec<Result<(), Error>>> + Send>>;

/// Every item of a stream, its events reduced to `()`.
fn items<E: DeserializeOwned + Send + 'static>(
    call: impl Future<Output = openai_sdk::Result<EventStream<E>>> + Send + 'static,
) -> Items {
    Box::pin(async move {
        let stream = call.await.expect("the stream starts");
        stream.map(|item| item.map(|_| ())).collect().await
    })
}

/// A streaming operation: its name, its events before the end, how a complete stream ends
/// (the SSE text), and the call.
struct Streaming {
    name: &'static str,
    events: Vec<(Option<&'static str>, Value)>,
    end: String,
    call: fn(Client) -> Items,
}

fn streaming_operations() -> Vec<Streaming> {
    let typed = |t: &str, more: Value| {
        let mut event = json!({"type": t});
        event
            .as_object_mut()
            .unwrap()
            .extend(more.as_object().unwrap().clone());
        event
    };
    let done = "data: [DONE]\n\n".to_owned();
    let last = |t: &str, more: Value| sse(&[(None, typed(t, more))], None);
    let partial_image = |kind: &str| {
        let partial = json!({"b64_json": "AAAA", "partial_image_index": 0});
        vec![(None, typed(&format!("{kind}.partial_image"), partial))]
    };
    let run = json!({"id": "run_1", "object": "thread.run", "status": "queued"});
    let run_events = vec![
        (Some("thread.run.created"), run.clone()),
        (Some("thread.run.completed"), run),
    ];
    vec![
        Streaming {
            name: "chat.completions.create_stream",
            events: vec![(
                None,
                json!({"id": "c", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": "Hi"}}]}),
            )],
            end: done.clone(),
            call: |c| {
                items(async move {
                    c.chat()
                        .completions()
                        .create_stream(&body::<CreateChatCompletionRequest>(json!({"model": "m"})))
                        .await
                })
            },
        },
        Streaming {
            name: "responses.create_stream",
            events: vec![
                (
                    Some("response.created"),
                    typed(
                        "response.created",
                        json!({"response": {"id": "resp_1", "status": "in_progress"}}),
                    ),
                ),
                (
                    Some("response.output_text.done"),
                    typed("response.output_text.done", json!({"text": "Hi"})),
                ),
            ],
            end: sse(
                &[(
                    Some("response.completed"),
                    typed(
                        "response.completed",
                        json!({"response": {"id": "resp_1", "status": "completed"}}),
                    ),
                )],
                None,
            ),
            call: |c| {
                items(async move {
                    c.responses()
                        .create_stream(&body::<CreateResponse>(json!({"model": "m"})))
                        .await
                })
            },
        },
        Streaming {
            name: "audio.speech.create_stream",
            events: vec![(None, typed("speech.audio.delta", json!({"audio": "AAAA"})))],
            end: last(
                "speech.audio.done",
                json!({"usage": {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2}}),
            ),
            call: |c| {
                items(async move {
                    c.audio()
                        .speech()
                        .create_stream(&body::<CreateSpeechRequest>(
                            json!({"model": "m", "input": "hi", "voice": "alloy"}),
                        ))
                        .await
                })
            },
        },
        Streaming {
            name: "audio.transcriptions.create_stream",
            events: vec![(None, typed("transcript.text.delta", json!({"delta": "Hi"})))],
            end: last("transcript.text.done", json!({"text": "Hi"})),
            call: |c| {
                items(async move {
                    c.audio()
                        .transcriptions()
                        .create_stream(&body::<CreateTranscriptionRequest>(json!({"model": "m"})))
                        .await
                })
            },
        },
        Streaming {
            name: "images.generate_stream",
            events: partial_image("image_generation"),
            end: last("image_generation.completed", json!({"b64_json": "AAAA"})),
            call: |c| {
                items(async move {
                    c.images()
                        .generate_stream(&body::<CreateImageRequest>(json!({"prompt": "a cat"})))
                        .await
                })
            },
        },
        Streaming {
            name: "images.edit_stream",
            events: partial_image("image_edit"),
            end: last("image_edit.completed", json!({"b64_json": "AAAA"})),
            call: |c| {
                items(async move {
                    c.images()
                        .edit_stream(&body::<CreateImageEditRequest>(
                            json!({"prompt": "a cat", "image": "i"}),
                        ))
                        .await
                })
            },
        },
        Streaming {
            name: "beta.threads.runs.create_stream",
            events: run_events.clone(),
            end: format!("event: done\n{done}"),
            call: |c| {
                items(async move {
                    c.beta()
                        .threads()
                        .runs()
                        .create_stream(
                            "thread_1",
                            &body::<CreateRunRequest>(json!({"assistant_id": "a"})),
                            &Default::default(),
                        )
                        .await
                })
            },
        },
        Streaming {
            name: "beta.threads.create_and_run_stream",
            events: run_events.clone(),
            end: format!("event: done\n{done}"),
            call: |c| {
                items(async move {
                    c.beta()
                        .threads()
                        .create_and_run_stream(&body::<CreateThreadAndRunRequest>(
                            json!({"assistant_id": "a"}),
                        ))
                        .await
                })
            },
        },
        Streaming {
            name: "beta.threads.runs.submit_tool_outputs_stream",
            events: run_events,
            end: format!("event: done\n{done}"),
            call: |c| {
                items(async move {
                    c.beta()
                        .threads()
                        .runs()
                        .submit_tool_outputs_stream(
                            "thread_1",
                            "run_1",
                            &SubmitToolOutputsRunRequest::default(),
                        )
                        .await
                })
            },
        },
    ]
}

async fn answering(body: String) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(body, "text/event-stream")
                .insert_header("x-request-id", "req_cut"),
        )
        .mount(&server)
        .await;
    let client = openai_tests::local_client(&server.uri());
    (server, client)
}

#[tokio::test]
async fn every_streaming_operation_says_when_its_stream_is_cut() {
    for op in streaming_operations() {
        let n = op.events.len();
        // Whole: every event, then the end; no error.
        let (_server, client) = answering(sse(&op.events, Some(&op.end))).await;
        let whole = (op.call)(client).await;
        assert_eq!(
            whole.len(),
            n + usize::from(!op.end.contains("[DONE]")),
            "{}",
            op.name
        );
        assert!(whole.iter().all(Result::is_ok), "{}: {whole:?}", op.name);

        // Cut at an event boundary before the end: the events, then one `Error::Stream`.
        let (_server, client) = answering(sse(&op.events, None)).await;
        let mut cut = (op.call)(client).await;
        assert_eq!(cut.len(), n + 1, "{}: {cut:?}", op.name);
        let err = cut.pop().unwrap().unwrap_err();
        assert!(cut.iter().all(Result::is_ok), "{}: {cut:?}", op.name);
        let Error::Stream(stopped) = &err else {
            panic!("{}: {err:?}", op.name)
        };
        assert_eq!(stopped.events, n, "{}", op.name);
        assert!(stopped.source.is_none(), "{}", op.name);
        assert_eq!(err.request_id(), Some("req_cut"), "{}", op.name);
    }
}

#[tokio::test]
async fn the_helpers_that_fold_a_stream_fail_when_it_is_cut() {
    let chunk = json!({"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
                       "choices": [{"index": 0, "delta": {"content": "Partial"}, "finish_reason": null}]});
    let (_server, client) = answering(sse(&[(None, chunk)], None)).await;
    let stream = client
        .chat()
        .completions()
        .create_stream(&body::<CreateChatCompletionRequest>(json!({"model": "m"})))
        .await
        .unwrap();
    // Not the partial text as if it were the answer.
    let err = stream.final_completion().await.unwrap_err();
    assert!(matches!(err, Error::Stream(_)), "{err:?}");

    let created =
        json!({"type": "response.created", "response": {"id": "resp_1", "status": "in_progress"}});
    let (_server, client) = answering(sse(&[(Some("response.created"), created)], None)).await;
    let stream = client
        .responses()
        .create_stream(&body::<CreateResponse>(json!({"model": "m"})))
        .await
        .unwrap();
    let err = stream.final_response().await.unwrap_err();
    assert!(matches!(err, Error::Stream(_)), "{err:?}");
}

/// A server that reads each request's head and answers with `script`.
async fn raw_server<F, Fut>(script: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut head = Vec::new();
            let mut buf = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            tokio::spawn(script(socket));
        }
    });
    url
}

fn client_for(url: &str, timeout: Duration, retries: u32) -> Client {
    Client::builder()
        .api_key("k")
        .base_url(url)
        .timeout(timeout)
        .max_retries(retries)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_transport_error() {
    let url = raw_server(|mut socket| async move {
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket
            .write_all(br#"{"object":"list","data":[{"id":"gpt"#)
            .await;
        // Dropped: the body ends 360 bytes short.
    })
    .await;
    let err = client_for(&url, Duration::from_secs(5), 0)
        .models()
        .list()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn a_connection_reset_mid_stream_keeps_what_arrived_then_says_so() {
    let url = raw_server(|mut socket| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nx-request-id: req_reset\r\ntransfer-encoding: chunked\r\n\r\n";
        let event = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[]}\n\n";
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket
            .write_all(format!("{:x}\r\n{event}\r\n", event.len()).as_bytes())
            .await;
        let _ = socket.flush().await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        // Dropped mid-body: no final chunk.
    })
    .await;
    let stream = client_for(&url, Duration::from_secs(5), 0)
        .chat()
        .completions()
        .create_stream(&body::<CreateChatCompletionRequest>(json!({"model": "m"})))
        .await
        .unwrap();
    let items: Vec<_> = stream.collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, "c");
    let err = items.into_iter().nth(1).unwrap().unwrap_err();
    let Error::Stream(stopped) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(stopped.events, 1);
    assert!(stopped.source.is_some(), "the transport error is kept");
    assert_eq!(err.request_id(), Some("req_reset"));
}

#[tokio::test]
async fn headers_then_silence_time_out_each_attempt() {
    let connections = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = connections.clone();
    let url = raw_server(move |mut socket| {
        seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async move {
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{";
            let _ = socket.write_all(head.as_bytes()).await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    })
    .await;
    let start = Instant::now();
    let err = client_for(&url, Duration::from_millis(300), 1)
        .models()
        .list()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 2);
    // Two attempts of 0.3 s and one backoff of at most 0.5 s.
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn five_hundred_forever_stops_at_the_retry_limit_in_bounded_time() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_string("down"))
        .mount(&server)
        .await;
    // An hour asked for is not waited: past 60 s the usual backoff applies.
    let hour = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "3600"))
        .mount(&hour)
        .await;
    for server in [&server, &hour] {
        let start = Instant::now();
        let err = client_for(&server.uri(), Duration::from_secs(5), 2)
            .models()
            .list()
            .await
            .unwrap_err();
        assert!(matches!(err.status(), Some(500 | 503)), "{err:?}");
        assert_eq!(server.received_requests().await.unwrap().len(), 3);
        // Backoffs of 0.5 s and 1 s, less jitter.
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(1100) && took < Duration::from_secs(4),
            "{took:?}"
        );
    }
}

#[tokio::test]
async fn a_success_whose_body_is_not_json_is_a_decode_error_holding_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let err = openai_tests::local_client(&server.uri())
        .models()
        .list()
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.body, "<html>maintenance</html>");
}

/// Open file descriptors of this process.
fn descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_requests_at_once_complete_and_leave_no_descriptors() {
    let server = MockServer::start().await;
    let models = r#"{"object":"list","data":[]}"#;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(models, "application/json")
                .set_delay(Duration::from_millis(50)),
        )
        .mount(&server)
        .await;
    let before = descriptors();
    let client = openai_tests::local_client(&server.uri());
    let calls = (0..1000).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.models().list().await })
    });
    let results = futures_util::future::join_all(calls).await;
    assert!(results.into_iter().all(|r| r.unwrap().is_ok()));
    assert_eq!(server.received_requests().await.unwrap().len(), 1000);
    // Dropping the client closes its pooled connections (the server's ends close with them).
    drop(client);
    let deadline = Instant::now() + Duration::from_secs(5);
    while descriptors() > before + 8 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        descriptors() <= before + 8,
        "{} open, {before} before",
        descriptors()
    );
}
