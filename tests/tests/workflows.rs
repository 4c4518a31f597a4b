//! Workflows end to end, as the API actually answers them, against a local server with state
//! (`openai_tests::server`) that replays bodies recorded from the live API
//! (`tests/fixtures/recorded/`): downloads, text formats, answers the request shapes, timeouts.
//! Each test also checks the request the server saw.

use futures_util::StreamExt;
use openai_sdk::types::{
    AudioResponseFormat, AudioTranscriptionsCreateResponse, AudioTranslationsCreateResponse,
    CreateChatCompletionRequest, CreateTranscriptionRequest, CreateTranslationRequest,
    CreateTranslationRequestResponseFormat,
};
use openai_sdk::{Error, InputFile};
use openai_tests::server::{End, Reply, Seen, Server, recorded, replay};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn entry<'a>(entries: &'a [Value], method: &str, path_end: &str) -> &'a Value {
    entries
        .iter()
        .find(|e| e["method"] == method && e["path"].as_str().unwrap().ends_with(path_end))
        .unwrap_or_else(|| panic!("no recorded {method} …{path_end}"))
}

/// A batch's output file as the API sends it: JSON Lines as `application/octet-stream` with its
/// name in `content-disposition` (the shape of the lines is the batch guide's; the recordings
/// hold no completed batch's output).
const BATCH_OUTPUT: &str = concat!(
    r#"{"id":"batch_req_1","custom_id":"request-1","response":{"status_code":200,"request_id":"req_a","body":{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hello."},"finish_reason":"stop"}]}},"error":null}"#,
    "\n",
    r#"{"id":"batch_req_2","custom_id":"request-2","response":{"status_code":200,"request_id":"req_b","body":{"id":"chatcmpl-2","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi!"},"finish_reason":"stop"}]}},"error":null}"#,
    "\n",
);

#[tokio::test]
async fn a_file_downloads_as_the_bytes_the_server_sent() {
    let server = Server::start(|seen: &Seen| match seen.path() {
        "/v1/files/file-out/content" => Reply::new(200, "application/octet-stream", BATCH_OUTPUT)
            .header(
                "content-disposition",
                "attachment; filename=\"batch_out.jsonl\"",
            ),
        _ => Reply::new(404, "application/json", r#"{"error":{"message":"no"}}"#),
    })
    .await;
    let client = server.client().build().unwrap();

    let file = client.files().content("file-out").await.unwrap();
    assert_eq!(file.content_type(), Some("application/octet-stream"));
    assert_eq!(file.file_name().as_deref(), Some("batch_out.jsonl"));
    assert_eq!(file.content_length(), Some(BATCH_OUTPUT.len() as u64));
    assert_eq!(file.text().await.unwrap(), BATCH_OUTPUT);

    let lines: Vec<Value> = client
        .files()
        .content("file-out")
        .await
        .unwrap()
        .json_lines()
        .map(|l| l.unwrap())
        .collect()
        .await;
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l["custom_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["request-1", "request-2"]);

    let dir = std::env::temp_dir().join(format!("openai-download-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("out.jsonl");
    let written = client
        .files()
        .content("file-out")
        .await
        .unwrap()
        .save(&path)
        .await
        .unwrap();
    assert_eq!(written, BATCH_OUTPUT.len() as u64);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), BATCH_OUTPUT);
    assert!(!dir.join("out.jsonl.part").exists());
    std::fs::remove_dir_all(&dir).unwrap();

    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert!(
        seen.iter()
            .all(|s| s.method == "GET" && s.target == "/v1/files/file-out/content")
    );
}

#[tokio::test]
async fn a_container_file_is_its_recorded_text_and_name() {
    let entries = recorded("container_file_content");
    let content = entry(&entries, "GET", "/content").clone();
    let server = Server::start(move |_: &Seen| replay(&content)).await;
    let client = server.client().build().unwrap();
    let file = client
        .containers()
        .files()
        .content()
        .retrieve("cntr_1", "cfile_1")
        .await
        .unwrap();
    assert_eq!(file.content_type(), Some("text/plain; charset=utf-8"));
    assert_eq!(
        file.file_name().as_deref(),
        Some("946e6dc94ac6aca10fa2bda7a127cba8-test-get-file.txt")
    );
    assert_eq!(
        file.text().await.unwrap(),
        "Test file content for get/delete operations."
    );
    assert_eq!(
        server.seen()[0].target,
        "/v1/containers/cntr_1/files/cfile_1/content"
    );
}

#[tokio::test]
async fn a_download_cut_short_is_an_error_and_saves_nothing() {
    let server = Server::start(|_: &Seen| Reply {
        status: 200,
        headers: vec![("content-type".into(), "application/octet-stream".into())],
        body: openai_tests::server::Body::Chunks(
            vec![(Duration::ZERO, b"{\"partial\":".to_vec())],
            End::Cut,
        ),
    })
    .await;
    let client = server.client().build().unwrap();
    let dir = std::env::temp_dir().join(format!("openai-cut-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("out.bin");
    let err = client
        .files()
        .content("f")
        .await
        .unwrap()
        .save(&path)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(!path.exists() && !dir.join("out.bin.part").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The recorded answer to each `response_format`, and the format the server saw asked for.
async fn formats<R>(
    fixture: &str,
    call: impl AsyncFn(&openai_sdk::Client, &str) -> R,
) -> Vec<(String, R, String)> {
    let entries = recorded(fixture);
    let mut out = Vec::new();
    for e in entries.iter().filter(|e| e["format"].is_string()) {
        let format = e["format"].as_str().unwrap().to_owned();
        let answer = e.clone();
        let server = Server::start(move |_: &Seen| replay(&answer)).await;
        let client = server.client().build().unwrap();
        let result = call(&client, &format).await;
        let sent = server.seen()[0].part("response_format").unwrap_or_default();
        out.push((format, result, sent));
    }
    out
}

fn body_of(fixture: &str, format: &str) -> String {
    recorded(fixture)
        .into_iter()
        .find(|e| e["format"] == format)
        .unwrap()["body"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn transcriptions_come_back_in_the_format_asked_for() {
    let results = formats("transcription_formats", async |client, format| {
        let request = CreateTranscriptionRequest {
            file: InputFile::from_bytes("hello.wav", b"RIFF".to_vec()),
            model: "whisper-1".into(),
            response_format: Some(format.parse::<AudioResponseFormat>().unwrap()),
            ..Default::default()
        };
        client
            .audio()
            .transcriptions()
            .create(&request)
            .await
            .unwrap()
    })
    .await;
    let mut seen = Vec::new();
    for (format, answer, sent) in results {
        assert_eq!(sent, format, "the format goes as sent");
        use AudioTranscriptionsCreateResponse as T;
        match (format.as_str(), &answer) {
            ("json", T::CreateTranscriptionResponseJson(t)) => {
                assert_eq!(t.text, "Hello, world! This is a test.")
            }
            ("verbose_json", T::CreateTranscriptionResponseVerboseJson(t)) => {
                assert_eq!(t.language, "english");
                assert_eq!(t.segments.as_ref().map(Vec::len), Some(1));
            }
            ("diarized_json", T::CreateTranscriptionResponseDiarizedJson(t)) => {
                assert!(t.segments.iter().all(|s| !s.speaker.is_empty()), "{t:?}");
            }
            ("text" | "srt" | "vtt", T::Text(text)) => {
                assert_eq!(*text, body_of("transcription_formats", &format))
            }
            (format, other) => panic!("{format}: {other:?}"),
        }
        seen.push(format);
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "diarized_json",
            "json",
            "srt",
            "text",
            "verbose_json",
            "vtt"
        ]
    );
}

#[tokio::test]
async fn translations_come_back_in_the_format_asked_for() {
    let results = formats("translation_formats", async |client, format| {
        let request = CreateTranslationRequest {
            file: InputFile::from_bytes("french.mp3", b"ID3".to_vec()),
            model: "whisper-1".into(),
            response_format: Some(
                format
                    .parse::<CreateTranslationRequestResponseFormat>()
                    .unwrap(),
            ),
            ..Default::default()
        };
        client
            .audio()
            .translations()
            .create(&request)
            .await
            .unwrap()
    })
    .await;
    assert_eq!(results.len(), 5);
    for (format, answer, sent) in results {
        assert_eq!(sent, format);
        use AudioTranslationsCreateResponse as T;
        match (format.as_str(), &answer) {
            ("json", T::CreateTranslationResponseJson(t)) => assert!(t.text.starts_with("Whisper")),
            ("verbose_json", T::CreateTranslationResponseVerboseJson(t)) => {
                assert_eq!(t.language, "english")
            }
            ("text" | "srt" | "vtt", T::Text(text)) => {
                assert_eq!(*text, body_of("translation_formats", &format))
            }
            (format, other) => panic!("{format}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn text_where_json_is_promised_is_still_a_decode_error_holding_it() {
    let server = Server::start(|_: &Seen| Reply::new(200, "text/plain", "not json")).await;
    let err = server
        .client()
        .build()
        .unwrap()
        .models()
        .list()
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.body, "not json");
}

#[tokio::test]
async fn an_html_error_page_is_an_api_error_with_its_status_and_body() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = Server::start(move |_: &Seen| {
        Reply::new(502, "text/html", page).header("x-request-id", "req_gw")
    })
    .await;
    let err = server
        .client()
        .build()
        .unwrap()
        .files()
        .content("f")
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((api.status, api.body.as_str()), (502, page));
    assert_eq!(err.request_id(), Some("req_gw"));
}

fn chat_request() -> CreateChatCompletionRequest {
    serde_json::from_value(
        json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}),
    )
    .unwrap()
}

/// A chat stream: `n` chunks `every` apart, then `end`.
fn slow_chat(n: usize, every: Duration, end: End) -> Reply {
    let chunk = |content: &str| {
        let event = json!({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
            "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]});
        format!("data: {event}\n\n")
    };
    let mut chunks: Vec<String> = (0..n).map(|i| chunk(&format!("{i} "))).collect();
    if matches!(end, End::Complete) {
        chunks.push("data: [DONE]\n\n".to_owned());
    }
    Reply::events(chunks, every, end)
}

/// A chat stream from `server` under a read timeout of `read`, read to its end: its items, and
/// how long that took.
async fn read_chat_stream(
    server: &Server,
    read: Duration,
) -> (
    Vec<openai_sdk::Result<openai_sdk::types::CreateChatCompletionStreamResponse>>,
    Duration,
) {
    let client = server.client().timeout(read).build().unwrap();
    let start = Instant::now();
    let stream = client
        .chat()
        .completions()
        .create_stream(&chat_request())
        .await
        .unwrap();
    let events: Vec<_> = stream.collect().await;
    (events, start.elapsed())
}

#[tokio::test]
async fn a_stream_lives_as_long_as_events_keep_coming() {
    // Three seconds of events under a one-second read timeout.
    let server =
        Server::start(|_: &Seen| slow_chat(6, Duration::from_millis(500), End::Complete)).await;
    let (events, took) = read_chat_stream(&server, Duration::from_secs(1)).await;
    assert!(took >= Duration::from_millis(2900), "{took:?}");
    assert_eq!(events.len(), 6, "{events:?}");
    assert!(events.iter().all(Result::is_ok), "{events:?}");
    assert_eq!(server.seen()[0].json()["stream"], true);
}

#[tokio::test]
async fn a_stalled_stream_times_out_after_the_read_timeout() {
    let server =
        Server::start(|_: &Seen| slow_chat(1, Duration::ZERO, End::Stall(Duration::from_secs(30))))
            .await;
    let (events, took) = read_chat_stream(&server, Duration::from_secs(1)).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events[0].is_ok());
    let err = events[1].as_ref().unwrap_err();
    assert!(
        matches!(err, Error::Timeout(d) if *d == Duration::from_secs(1)),
        "{err:?}"
    );
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(5),
        "{took:?}"
    );
}

#[tokio::test]
async fn a_total_timeout_bounds_the_whole_stream() {
    let server =
        Server::start(|_: &Seen| slow_chat(10, Duration::from_millis(300), End::Complete)).await;
    let client = server.client().build().unwrap();
    let start = Instant::now();
    let stream = client
        .chat()
        .completions()
        .create_stream(&chat_request())
        .total_timeout(Duration::from_secs(1))
        .await
        .unwrap();
    let events: Vec<_> = stream.collect().await;
    let err = events.last().unwrap().as_ref().unwrap_err();
    assert!(
        matches!(err, Error::Timeout(d) if *d == Duration::from_secs(1)),
        "{err:?}"
    );
    assert!(events.len() < 6, "{}", events.len());
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn a_slow_answer_under_the_read_timeout_arrives_whole() {
    // A JSON answer sent in pieces over two seconds, each well within the read timeout.
    let body = r#"{"object":"list","data":[{"id":"gpt-4o","object":"model","created":1,"owned_by":"openai"}]}"#;
    let server = Server::start(move |_: &Seen| Reply {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: openai_tests::server::Body::Chunks(
            body.as_bytes()
                .chunks(20)
                .map(|c| (Duration::from_millis(400), c.to_vec()))
                .collect(),
            End::Complete,
        ),
    })
    .await;
    let client = server
        .client()
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let models = client.models().list().await.unwrap();
    assert_eq!(models.data[0].id, "gpt-4o");
}

/// The recorded background response's stream, event by event, with each event's position.
fn background_events() -> (String, Vec<(u64, String)>) {
    let entries = recorded("background_response");
    let created = entry(&entries, "POST", "/responses");
    let events: Vec<(u64, String)> = created["body"]
        .as_str()
        .unwrap()
        .split_inclusive("\n\n")
        .map(|event| {
            let data = event
                .lines()
                .find_map(|l| l.strip_prefix("data: "))
                .unwrap();
            let value: Value = serde_json::from_str(data).unwrap();
            (value["sequence_number"].as_u64().unwrap(), event.to_owned())
        })
        .collect();
    let id = serde_json::from_str::<Value>(
        events[0]
            .1
            .lines()
            .find_map(|l| l.strip_prefix("data: "))
            .unwrap(),
    )
    .unwrap()["response"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (id, events)
}

/// A background response's stream cut after the event at `cut` (and half of the next one, or
/// stalled there), and its `GET …?stream=true&starting_after=N` sending what follows `N`.
async fn background_server(cut: u64, end: fn() -> End) -> (Server, String, Vec<(u64, String)>) {
    let (id, events) = background_events();
    let all = events.clone();
    let server = Server::start(move |seen: &Seen| {
        let stream = |events: Vec<String>, end| {
            Reply::events(events, Duration::ZERO, end)
                .header("content-type", "text/event-stream; charset=utf-8")
        };
        if seen.method == "POST" {
            let mut sent: Vec<String> = all
                .iter()
                .take_while(|(n, _)| *n <= cut)
                .map(|(_, e)| e.clone())
                .collect();
            let next = &all[sent.len()].1;
            sent.push(next[..next.len() / 2].to_owned());
            return stream(sent, end());
        }
        let after: u64 = seen.query("starting_after").unwrap().parse().unwrap();
        let rest = all
            .iter()
            .filter(|(n, _)| *n > after)
            .map(|(_, e)| e.clone())
            .collect();
        stream(rest, End::Complete)
    })
    .await;
    (server, id, events)
}

fn story_request() -> openai_sdk::types::CreateResponse {
    serde_json::from_value(
        json!({"model": "gpt-4.1-mini", "background": true, "input": "Tell me a bedtime story."}),
    )
    .unwrap()
}

#[tokio::test]
async fn a_background_stream_cut_midway_resumes_to_its_final_response() {
    use openai_sdk::prelude::*;
    let (server, id, events) = background_server(150, || End::Cut).await;
    let client = server.client().build().unwrap();
    let stream = client
        .responses()
        .create_stream(&story_request())
        .await
        .unwrap();
    let response = stream.final_response().await.unwrap();
    assert_eq!(response.id, id);
    assert_eq!(
        response.status.as_ref().map(|s| s.to_string()),
        Some("completed".into())
    );
    // The story as the uncut stream tells it.
    let done = events
        .last()
        .unwrap()
        .1
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .unwrap();
    let expected: openai_sdk::types::ResponseStreamEvent =
        openai_sdk::json::from_str(done).unwrap();
    let openai_sdk::types::ResponseStreamEvent::ResponseCompleted(completed) = expected else {
        panic!("the last event completes the response")
    };
    assert!(!response.output_text().is_empty());
    assert_eq!(response.output_text(), completed.response.output_text());

    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        (seen[0].method.as_str(), seen[0].target.as_str()),
        ("POST", "/v1/responses")
    );
    assert_eq!(seen[0].json()["stream"], true);
    assert_eq!(seen[0].json()["background"], true);
    assert_eq!(seen[1].method, "GET");
    assert_eq!(
        seen[1].target,
        format!("/v1/responses/{id}?stream=true&starting_after=150")
    );
}

#[tokio::test]
async fn every_event_arrives_once_across_a_resume() {
    let (server, _, events) = background_server(40, || End::Stall(Duration::from_secs(30))).await;
    let client = server
        .client()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let stream = client
        .responses()
        .create_stream(&story_request())
        .await
        .unwrap();
    let got: Vec<u64> = stream
        .map(|event| {
            serde_json::to_value(event.unwrap()).unwrap()["sequence_number"]
                .as_u64()
                .unwrap()
        })
        .collect()
        .await;
    let sent: Vec<u64> = events.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        got, sent,
        "a stall is resumed like a cut, no event twice or lost"
    );
    assert_eq!(
        server.seen()[1].query("starting_after").as_deref(),
        Some("40")
    );
}

#[tokio::test]
async fn a_stream_that_cannot_resume_ends_with_the_error_it_broke_with() {
    // The resume is refused (a response that is not a background one): the cut is reported.
    let (id, events) = background_events();
    let first: Vec<String> = events.iter().take(5).map(|(_, e)| e.clone()).collect();
    let server = Server::start(move |seen: &Seen| {
        if seen.method == "POST" {
            Reply::events(first.clone(), Duration::ZERO, End::Cut)
        } else {
            Reply::new(
                400,
                "application/json",
                r#"{"error":{"message":"not a background response"}}"#,
            )
        }
    })
    .await;
    let client = server.client().build().unwrap();
    let items: Vec<_> = client
        .responses()
        .create_stream(&story_request())
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 6);
    let err = items.last().unwrap().as_ref().unwrap_err();
    let Error::Stream(stopped) = err else {
        panic!("{err:?}")
    };
    assert_eq!(stopped.events, 5);
    assert_eq!(
        server.seen()[1].target,
        format!("/v1/responses/{id}?stream=true&starting_after=4")
    );
}

#[tokio::test]
async fn a_background_response_streams_again_from_where_the_caller_asks() {
    let entries = recorded("background_response");
    let resumed = entry(&entries, "GET", "starting_after=1").clone();
    let fetched = entry(&entries, "GET", "56b1").clone();
    let server = Server::start(move |seen: &Seen| {
        if seen.query("stream").is_some() {
            replay(&resumed)
        } else {
            replay(&fetched)
        }
    })
    .await;
    let client = server.client().build().unwrap();
    let params = openai_sdk::types::ResponsesRetrieveParams {
        starting_after: Some(1),
        // The plain method never asks for a stream, whatever the parameters say.
        stream: Some(true),
        ..Default::default()
    };
    let id = "resp_0a5004ef5dc3564c0069845a9c82c481938b9b7c975a6f56b1";
    let response = client.responses().retrieve(id, &params).await.unwrap();
    assert_eq!(response.id, id);
    let stream = client
        .responses()
        .retrieve_stream(id, &params)
        .await
        .unwrap();
    let events: Vec<_> = stream.map(|e| e.unwrap()).collect().await;
    let first = serde_json::to_value(&events[0]).unwrap();
    assert_eq!(
        (first["type"].as_str(), first["sequence_number"].as_u64()),
        (Some("response.in_progress"), Some(2))
    );
    assert_eq!(events.len(), 410);
    let seen = server.seen();
    assert_eq!(
        seen[0].target,
        format!("/v1/responses/{id}?starting_after=1")
    );
    assert_eq!(
        seen[1].target,
        format!("/v1/responses/{id}?starting_after=1&stream=true")
    );
}

/// A recorded JSON body with some members changed.
fn with(body: &Value, changes: Value) -> Value {
    let mut body = body.clone();
    for (k, v) in changes.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

fn json_of(entry: &Value) -> Value {
    serde_json::from_str(entry["body"].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn the_batch_workflow_uploads_creates_polls_and_downloads() {
    use openai_sdk::types::{BatchStatus, BatchesCreateBody, CreateFileRequest};
    let entries = recorded("batch");
    let uploaded = json_of(entry(&entries, "POST", "/files"));
    let created = json_of(entry(&entries, "POST", "/batches"));
    let batch_id = created["id"].as_str().unwrap().to_owned();
    // The batch moves on each time it is asked for, as the live API's does.
    let statuses = ["in_progress", "finalizing", "completed"];
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let server = Server::start(move |seen: &Seen| match (seen.method.as_str(), seen.path()) {
        ("POST", "/v1/files") => Reply::json(&uploaded),
        ("POST", "/v1/batches") => Reply::json(&created).header("openai-poll-after-ms", "20"),
        ("GET", "/v1/files/file-out/content") => {
            Reply::new(200, "application/octet-stream", BATCH_OUTPUT)
        }
        ("GET", _) => {
            let n = asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let status = statuses[n.min(2)];
            let done = status == "completed";
            let body = with(&created, json!({
                "status": status,
                "output_file_id": if done { json!("file-out") } else { Value::Null },
                "request_counts": {"total": 2, "completed": if done { 2 } else { 0 }, "failed": 0},
            }));
            Reply::json(&body).header("openai-poll-after-ms", "20")
        }
        _ => Reply::new(404, "application/json", "{}"),
    })
    .await;
    let client = server.client().build().unwrap();
    let requests = "{\"custom_id\":\"request-1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}}\n";

    let file = client
        .files()
        .create(&CreateFileRequest {
            file: InputFile::from_bytes("requests.jsonl", requests.as_bytes().to_vec()),
            purpose: "batch".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let start = Instant::now();
    let batch = client
        .batches()
        .create_and_poll(&BatchesCreateBody {
            input_file_id: file.id.clone(),
            endpoint: "/v1/chat/completions".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    // Three asks, 20 ms apart as the header says (not the 1 s default).
    assert!(
        start.elapsed() < Duration::from_millis(900),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(batch.status, BatchStatus::Completed);
    let output = client
        .files()
        .content(batch.output_file_id.as_deref().unwrap())
        .await
        .unwrap();
    let lines: Vec<Value> = output.json_lines().map(|l| l.unwrap()).collect().await;
    let answers: Vec<&str> = lines
        .iter()
        .map(|l| {
            l["response"]["body"]["choices"][0]["message"]["content"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(answers, ["Hello.", "Hi!"]);

    let seen = server.seen();
    let calls: Vec<(String, String)> = seen
        .iter()
        .map(|s| (s.method.clone(), s.target.clone()))
        .collect();
    let get = |path: &str| ("GET".to_owned(), path.to_owned());
    assert_eq!(
        calls,
        [
            ("POST".to_owned(), "/v1/files".to_owned()),
            ("POST".to_owned(), "/v1/batches".to_owned()),
            get(&format!("/v1/batches/{batch_id}")),
            get(&format!("/v1/batches/{batch_id}")),
            get(&format!("/v1/batches/{batch_id}")),
            get("/v1/files/file-out/content"),
        ]
    );
    assert_eq!(seen[0].part("purpose").as_deref(), Some("batch"));
    assert!(String::from_utf8_lossy(&seen[0].body).contains(requests.trim_end()));
    assert_eq!(
        seen[1].json(),
        json!({"input_file_id": file.id, "endpoint": "/v1/chat/completions", "completion_window": "24h"})
    );
}

#[tokio::test]
async fn a_run_is_polled_through_its_recorded_statuses() {
    use openai_sdk::types::{CreateRunRequest, RunObjectStatus};
    let entries = recorded("runs");
    let runs: Vec<Value> = entries
        .iter()
        .filter(|e| e["path"].as_str().unwrap().contains("/runs/run_"))
        .map(json_of)
        .collect();
    let created = json_of(
        entries
            .iter()
            .find(|e| e["method"] == "POST" && e["path"].as_str().unwrap().contains("/runs"))
            .unwrap(),
    );
    let statuses: Vec<&str> = runs.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["queued", "in_progress", "completed"]);
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let server = Server::start(move |seen: &Seen| {
        if seen.method == "POST" {
            return Reply::json(&created);
        }
        let n = asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Reply::json(&runs[n.min(2)])
    })
    .await;
    let client = server.client().build().unwrap();
    let thread = "thread_VVo2xsJmQsaNxuYdqPloUXQm";
    let run = client
        .beta()
        .threads()
        .runs()
        .create_and_poll(
            thread,
            &CreateRunRequest {
                assistant_id: "asst_UOVdTzRv5b3PPpxmEyIYMy9H".into(),
                ..Default::default()
            },
            &Default::default(),
        )
        .interval(Duration::from_millis(10))
        .await
        .unwrap();
    assert_eq!(run.status, RunObjectStatus::Completed);
    let seen = server.seen();
    assert_eq!(seen.len(), 4, "create, then queued, in_progress, completed");
    assert_eq!(seen[0].target, format!("/v1/threads/{thread}/runs"));
    assert!(
        seen[1..]
            .iter()
            .all(|s| s.target == format!("/v1/threads/{thread}/runs/{}", run.id))
    );
}

#[tokio::test]
async fn polling_gives_up_at_its_timeout() {
    let entries = recorded("vector_store_files");
    let working = json_of(entry(&entries, "POST", "/files"));
    let working = if working["status"] == "in_progress" {
        working
    } else {
        json_of(
            entries
                .iter()
                .find(|e| {
                    e["path"].as_str().unwrap().contains("/vector_stores/vs_")
                        && e["method"] == "POST"
                })
                .unwrap(),
        )
    };
    assert_eq!(working["status"], "in_progress");
    let server = Server::start(move |_: &Seen| Reply::json(&working)).await;
    let client = server.client().build().unwrap();
    let start = Instant::now();
    let err = client
        .vector_stores()
        .files()
        .poll("vs_1", "file-1")
        .interval(Duration::from_millis(50))
        .timeout(Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout(d) if d == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(1));
    let seen = server.seen();
    assert!((4..=7).contains(&seen.len()), "{}", seen.len());
    assert!(
        seen.iter()
            .all(|s| s.target == "/v1/vector_stores/vs_1/files/file-1")
    );
}

#[tokio::test]
async fn a_large_file_goes_up_in_parts_completed_in_order() {
    const MB: u64 = 1 << 20;
    let size = 20 * MB + 123;
    let data: Vec<u8> = (0..size).map(openai_tests::server::pattern).collect();
    // Part 1 fails once: it is sent again, and the upload completes.
    let server = openai_tests::server::uploads_server(5 * MB, &[1]).await;
    let client = server.client().max_retries(2).build().unwrap();
    let dir = std::env::temp_dir().join(format!("openai-chunked-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("training.jsonl");
    std::fs::write(&path, &data).unwrap();
    let upload = openai_tests::server::upload_in_parts(&client, &path, 5 * MB as usize, 2).await;
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(upload.status.to_string(), "completed");

    let seen = server.seen();
    let created = seen[0].json();
    assert_eq!(seen[0].target, "/v1/uploads");
    assert_eq!(created["bytes"], size);
    assert_eq!(created["filename"], "training.jsonl");
    assert_eq!(created["purpose"], "fine-tune");
    let parts: Vec<&Seen> = seen
        .iter()
        .filter(|s| s.path().ends_with("/parts"))
        .collect();
    assert_eq!(parts.len(), 6, "five parts, one of them twice");
    for p in &parts {
        let data = openai_tests::server::part_data(p, "data").unwrap();
        let start = (0..5)
            .map(|n| n * 5 * MB)
            .find(|s| openai_tests::server::pattern(*s) == data[0])
            .unwrap();
        let expected: Vec<u8> = (start..start + data.len() as u64)
            .map(openai_tests::server::pattern)
            .collect();
        assert_eq!(
            data,
            &expected[..],
            "a part holds the file's bytes from its offset"
        );
    }
    let complete = seen.last().unwrap();
    assert!(complete.path().ends_with("/complete"));
    assert_eq!(
        complete.json()["part_ids"],
        json!(["part_0", "part_1", "part_2", "part_3", "part_4"])
    );
}

#[tokio::test]
async fn a_file_is_uploaded_into_a_vector_store_and_polled_until_ready() {
    use openai_sdk::types::{CreateFileRequest, CreateVectorStoreFileRequest};
    let entries = recorded("vector_store_files");
    let uploaded = json_of(entry(&entries, "POST", "/v1/files"));
    let attached = json_of(
        entries
            .iter()
            .find(|e| e["method"] == "POST" && e["path"].as_str().unwrap().contains("vs_"))
            .unwrap(),
    );
    assert_eq!(attached["status"], "in_progress");
    let listed = json_of(entries.last().unwrap());
    let ready = listed["data"][0].clone();
    assert_eq!(ready["status"], "completed");
    let (file_id, vs) = (
        uploaded["id"].as_str().unwrap().to_owned(),
        attached["vector_store_id"].as_str().unwrap().to_owned(),
    );
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let server = Server::start(move |seen: &Seen| match seen.method.as_str() {
        "POST" if seen.path() == "/v1/files" => Reply::json(&uploaded),
        "POST" => Reply::json(&with(&attached, json!({"id": seen.json()["file_id"]}))),
        _ => {
            let first = asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0;
            let id = json!(seen.path().rsplit('/').next().unwrap());
            Reply::json(&with(
                if first { &attached } else { &ready },
                json!({"id": id}),
            ))
            .header("openai-poll-after-ms", "10")
        }
    })
    .await;
    let client = server.client().build().unwrap();
    let file = client
        .vector_stores()
        .files()
        .upload_and_poll(
            &vs,
            &CreateVectorStoreFileRequest::default(),
            &CreateFileRequest {
                file: InputFile::from_bytes("notes.md", b"# Notes\nThe answer is 42.\n".to_vec()),
                purpose: "assistants".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (file.id.as_str(), file.status.to_string().as_str()),
        (file_id.as_str(), "completed")
    );
    let seen = server.seen();
    let calls: Vec<(&str, &str)> = seen
        .iter()
        .map(|s| (s.method.as_str(), s.target.as_str()))
        .collect();
    let files = format!("/v1/vector_stores/{vs}/files");
    let one = format!("{files}/{file_id}");
    assert_eq!(
        calls,
        [
            ("POST", "/v1/files"),
            ("POST", files.as_str()),
            ("GET", one.as_str()),
            ("GET", one.as_str())
        ]
    );
    assert_eq!(seen[0].part("purpose").as_deref(), Some("assistants"));
    assert_eq!(seen[1].json(), json!({"file_id": file_id}));
}

#[tokio::test]
async fn a_video_is_made_polled_and_downloaded() {
    use openai_sdk::types::{CreateVideoMultipartBody, VideoStatus};
    // The spec's own example of a video just made, moving on as it is asked for.
    let made = json!({"id": "video_123", "object": "video", "model": "sora-2", "status": "queued",
        "progress": 0, "created_at": 1712697600, "size": "1024x1792", "seconds": "8", "quality": "standard"});
    let mp4 = b"\x00\x00\x00\x18ftypmp42 fake video".to_vec();
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let server = Server::start(
        move |seen: &Seen| match (seen.method.as_str(), seen.path()) {
            ("POST", _) => Reply::json(&made).header("openai-poll-after-ms", "10"),
            ("GET", "/v1/videos/video_123/content") => Reply::new(200, "video/mp4", mp4.clone()),
            _ => {
                let n = asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let (status, progress) = [("in_progress", 50), ("completed", 100)][n.min(1)];
                Reply::json(&with(
                    &made,
                    json!({"status": status, "progress": progress}),
                ))
                .header("openai-poll-after-ms", "10")
            }
        },
    )
    .await;
    let client = server.client().build().unwrap();
    let video = client
        .videos()
        .create_and_poll(&CreateVideoMultipartBody {
            prompt: "A calico cat playing a piano on stage".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (video.status, video.progress),
        (VideoStatus::Completed, 100)
    );
    let content = client
        .videos()
        .download_content(&video.id, &Default::default())
        .await
        .unwrap();
    assert_eq!(content.content_type(), Some("video/mp4"));
    assert_eq!(
        &content.bytes().await.unwrap()[..],
        b"\x00\x00\x00\x18ftypmp42 fake video"
    );
    let seen = server.seen();
    let calls: Vec<(&str, &str)> = seen
        .iter()
        .map(|s| (s.method.as_str(), s.target.as_str()))
        .collect();
    assert_eq!(
        calls,
        [
            ("POST", "/v1/videos"),
            ("GET", "/v1/videos/video_123"),
            ("GET", "/v1/videos/video_123"),
            ("GET", "/v1/videos/video_123/content"),
        ]
    );
    assert_eq!(
        seen[0].part("prompt").as_deref(),
        Some("A calico cat playing a piano on stage")
    );
}

#[tokio::test]
async fn speech_arrives_as_audio_in_the_format_asked_for() {
    use openai_sdk::types::CreateSpeechRequest;
    let entries = recorded("speech");
    for e in &entries {
        let content_type = e["headers"]["content-type"].as_str().unwrap().to_owned();
        let answer = Reply::new(200, &content_type, vec![7u8; 1000]);
        let answer = std::sync::Mutex::new(Some(answer));
        let server = Server::start(move |_: &Seen| answer.lock().unwrap().take().unwrap()).await;
        let client = server.client().build().unwrap();
        let request: CreateSpeechRequest =
            serde_json::from_str(e["request"].as_str().unwrap()).unwrap();
        let audio = client.audio().speech().create(&request).await.unwrap();
        assert_eq!(audio.content_type(), Some(content_type.as_str()));
        assert_eq!(audio.bytes().await.unwrap().len(), 1000);
        let sent = server.seen()[0].json();
        let recorded: Value = serde_json::from_str(e["request"].as_str().unwrap()).unwrap();
        assert_eq!(sent, recorded, "the request as the official SDK sent it");
    }
}
