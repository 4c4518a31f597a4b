//! The `openai.request` span of each call, as a subscriber sees it: its fields, its retry
//! events, that a streamed call's span lasts as long as its stream, and that the API key
//! appears in nothing recorded.

use futures_util::StreamExt;
use openai_sdk::Client;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

type Fields = BTreeMap<String, String>;

#[derive(Default, Debug)]
struct Span {
    name: String,
    fields: Fields,
    handles: usize,
    closed: bool,
}

/// Every span and event, with all their fields, as text.
#[derive(Default)]
struct Recorded {
    next: AtomicU64,
    spans: Mutex<BTreeMap<u64, Span>>,
    events: Mutex<Vec<(Option<u64>, Fields)>>,
}

struct Recorder(Arc<Recorded>);

struct Fill<'a>(&'a mut Fields);

impl Visit for Fill<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let id = self.0.next.fetch_add(1, Ordering::SeqCst) + 1;
        let mut span = Span {
            name: attrs.metadata().name().to_owned(),
            handles: 1,
            ..Default::default()
        };
        attrs.record(&mut Fill(&mut span.fields));
        self.0.spans.lock().unwrap().insert(id, span);
        Id::from_u64(id)
    }
    fn record(&self, id: &Id, values: &Record<'_>) {
        if let Some(span) = self.0.spans.lock().unwrap().get_mut(&id.into_u64()) {
            values.record(&mut Fill(&mut span.fields));
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::new();
        event.record(&mut Fill(&mut fields));
        let parent = event.parent().map(Id::into_u64);
        self.0.events.lock().unwrap().push((parent, fields));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
    fn clone_span(&self, id: &Id) -> Id {
        if let Some(span) = self.0.spans.lock().unwrap().get_mut(&id.into_u64()) {
            span.handles += 1;
        }
        id.clone()
    }
    fn try_close(&self, id: Id) -> bool {
        let mut spans = self.0.spans.lock().unwrap();
        let Some(span) = spans.get_mut(&id.into_u64()) else {
            return false;
        };
        span.handles -= 1;
        span.closed = span.handles == 0;
        span.closed
    }
}

impl Recorded {
    /// The `openai.request` spans, oldest first: (id, fields, closed).
    fn calls(&self) -> Vec<(u64, Fields, bool)> {
        let spans = self.spans.lock().unwrap();
        spans
            .iter()
            .filter(|(_, s)| s.name == "openai.request")
            .map(|(id, s)| (*id, s.fields.clone(), s.closed))
            .collect()
    }

    /// Everything recorded, as one text.
    fn everything(&self) -> String {
        format!(
            "{:?}{:?}",
            self.spans.lock().unwrap(),
            self.events.lock().unwrap()
        )
    }
}

const KEY: &str = "sk-very-secret-key";

#[tokio::test]
async fn each_call_has_a_span_with_its_fields_and_never_the_key() {
    let recorded = Arc::new(Recorded::default());
    let _guard = tracing::subscriber::set_default(Recorder(recorded.clone()));

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after-ms", "7"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"object":"list","data":[]}"#, "application/json")
                .insert_header("x-request-id", "req_traced"),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/files/file-1"))
        .respond_with(ResponseTemplate::new(404).insert_header("x-request-id", "req_404"))
        .mount(&server)
        .await;
    let sse = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[]}\n\ndata: [DONE]\n\n";
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(sse, "text/event-stream"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v1", server.uri()))
        .build()
        .unwrap();

    client.models().list().await.unwrap();
    client.files().delete("file-1").await.unwrap_err();
    let mut stream = client
        .chat()
        .completions()
        .create_stream(&openai_sdk::json::from_str(r#"{"model": "m"}"#).unwrap())
        .await
        .unwrap();

    let calls = recorded.calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    let (list, fields, closed) = &calls[0];
    assert!(closed, "a finished call's span is closed");
    for (name, value) in [
        ("method", "GET"),
        ("path", "/models"),
        ("operation", "listModels"),
        ("attempt", "2"),
        ("retry_delay_ms", "7"),
        ("status", "200"),
        ("request_id", "req_traced"),
    ] {
        assert_eq!(
            fields.get(name).map(String::as_str),
            Some(value),
            "{name}: {fields:?}"
        );
    }
    assert!(
        fields["latency_ms"].parse::<u64>().unwrap() >= 7,
        "{fields:?}"
    );
    // The retry is an event of the call's span.
    let events = recorded.events.lock().unwrap().clone();
    let retry = events
        .iter()
        .find(|(parent, _)| parent == &Some(*list))
        .expect("a retry event");
    assert_eq!(retry.1["message"], "retrying");
    assert_eq!(retry.1["status"], "503");
    assert_eq!(retry.1["attempt"], "1");

    let (_, fields, _) = &calls[1];
    assert_eq!(
        fields["path"], "/files/{file_id}",
        "the template, not the id"
    );
    assert_eq!(fields["operation"], "deleteFile");
    assert_eq!(fields["status"], "404");
    assert_eq!(fields["request_id"], "req_404");
    assert_eq!(fields["attempt"], "1");

    // A streamed call's span stays open while its stream does.
    let (_, fields, closed) = &calls[2];
    assert_eq!(fields["operation"], "createChatCompletion");
    assert_eq!(fields["status"], "200");
    assert!(!closed, "open until the stream ends");
    while let Some(chunk) = stream.next().await {
        chunk.unwrap();
    }
    assert!(recorded.calls()[2].2, "closed once the stream has ended");
    drop(stream);

    let everything = recorded.everything();
    assert!(!everything.contains(KEY), "the key was recorded");
    assert!(
        !everything.contains("Bearer"),
        "an authorization header was recorded"
    );
}
