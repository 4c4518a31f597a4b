//! The client's behaviour against a local fake server: retries and their timing, the headers it
//! sends, and the errors it returns.

use openai_sdk::{Client, Error};
use std::time::{Duration, Instant};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("sk-secret-key")
        .admin_api_key("sk-admin-secret")
        .base_url(server.uri())
        .organization("org-1")
        .project("proj-1")
        .build()
        .unwrap()
}

const MODELS: &str = r#"{"object":"list","data":[{"id":"gpt-4o","object":"model","created":1,"owned_by":"openai"}]}"#;

/// Answers with each response in turn, then the last one forever.
struct Sequence(Vec<ResponseTemplate>, std::sync::atomic::AtomicUsize);

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.1.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.0[i.min(self.0.len() - 1)].clone()
    }
}

fn sequence(responses: Vec<ResponseTemplate>) -> Sequence {
    Sequence(responses, Default::default())
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_raw(MODELS, "application/json")
        .insert_header("x-request-id", "req_ok")
}

fn failing(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_raw(r#"{"error":{"message":"slow down","type":"rate_limit_error","code":"rate_limited","param":null}}"#, "application/json")
        .insert_header("x-request-id", "req_failed")
        .insert_header("retry-after-ms", "5")
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn retries_429_500_503_then_succeeds() {
    for status in [429, 500, 503, 408, 409] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/models"))
            .respond_with(sequence(vec![failing(status), failing(status), ok()]))
            .mount(&server)
            .await;
        let models = client(&server).models().list().await.unwrap();
        assert_eq!(models.data[0].id, "gpt-4o");
        assert_eq!(
            received(&server).await,
            3,
            "status {status}: two retries then success"
        );
    }
}

#[tokio::test]
async fn gives_up_after_max_retries_with_the_last_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(failing(429))
        .mount(&server)
        .await;
    let err = client(&server).models().list().await.unwrap_err();
    assert_eq!(
        received(&server).await,
        3,
        "1 attempt + 2 retries by default"
    );
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((api.status, api.message.as_str()), (429, "slow down"));
    assert_eq!(api.kind.as_deref(), Some("rate_limit_error"));
    assert_eq!(api.code.as_deref(), Some("rate_limited"));
    assert_eq!(api.param, None);
    assert_eq!(err.request_id(), Some("req_failed"));
    assert!(err.to_string().contains("req_failed"), "{err}");

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(failing(500))
        .mount(&server)
        .await;
    let _ = client(&server)
        .models()
        .list()
        .max_retries(5)
        .await
        .unwrap_err();
    assert_eq!(received(&server).await, 6, "per-request max_retries");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(failing(500))
        .mount(&server)
        .await;
    let no_retries = Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    let _ = no_retries.models().list().await.unwrap_err();
    assert_eq!(received(&server).await, 1, "client max_retries 0");
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for status in [400, 401, 403, 404, 422] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(failing(status))
            .mount(&server)
            .await;
        let err = client(&server).models().list().await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(received(&server).await, 1, "status {status} is not retried");
    }
}

#[tokio::test]
async fn x_should_retry_overrides_the_status() {
    let server = MockServer::start().await;
    let retry_400 = failing(400).insert_header("x-should-retry", "true");
    Mock::given(method("GET"))
        .respond_with(sequence(vec![retry_400, ok()]))
        .mount(&server)
        .await;
    client(&server).models().list().await.unwrap();
    assert_eq!(received(&server).await, 2);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(failing(503).insert_header("x-should-retry", "false"))
        .mount(&server)
        .await;
    client(&server).models().list().await.unwrap_err();
    assert_eq!(received(&server).await, 1);
}

/// How long a call takes when the first answer is `first` and the second succeeds.
async fn time_one_retry(first: ResponseTemplate) -> Duration {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(sequence(vec![first, ok()]))
        .mount(&server)
        .await;
    let start = Instant::now();
    client(&server).models().list().await.unwrap();
    start.elapsed()
}

#[tokio::test]
async fn waits_what_the_server_asks_and_backs_off_otherwise() {
    let asked = time_one_retry(failing(429).insert_header("retry-after-ms", "300")).await;
    assert!(
        asked >= Duration::from_millis(300) && asked < Duration::from_millis(2000),
        "{asked:?}"
    );
    // No header: the first backoff is 0.5 s less up to 25 % jitter.
    let backoff = time_one_retry(ResponseTemplate::new(500).set_body_string("oops")).await;
    assert!(
        backoff >= Duration::from_millis(375) && backoff < Duration::from_millis(2000),
        "{backoff:?}"
    );
    let seconds =
        time_one_retry(ResponseTemplate::new(429).insert_header("retry-after", "1")).await;
    assert!(seconds >= Duration::from_secs(1), "{seconds:?}");
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let start = Instant::now();
    let err = client(&server)
        .models()
        .list()
        .timeout(Duration::from_millis(200))
        .max_retries(1)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout(d) if d == Duration::from_millis(200)),
        "{err:?}"
    );
    assert_eq!(received(&server).await, 2, "a timeout is retried");
    assert!(start.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn a_connection_error_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .api_key("k")
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(1)
        .build()
        .unwrap();
    let err = client.models().list().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn a_non_json_error_body_is_kept() {
    let server = MockServer::start().await;
    let html = ResponseTemplate::new(502)
        .set_body_raw("<html>Bad gateway</html>", "text/html")
        .insert_header("x-request-id", "req_html");
    Mock::given(method("GET"))
        .respond_with(html)
        .mount(&server)
        .await;
    let err = client(&server)
        .models()
        .list()
        .max_retries(0)
        .await
        .unwrap_err();
    let Error::Api(api) = err else { panic!() };
    assert_eq!(api.status, 502);
    assert_eq!(api.message, "<html>Bad gateway</html>");
    assert_eq!(api.body, "<html>Bad gateway</html>");
    assert_eq!(api.kind, None);
    assert_eq!(api.request_id.as_deref(), Some("req_html"));
}

#[tokio::test]
async fn a_body_that_does_not_decode_says_where() {
    let server = MockServer::start().await;
    let bad = ResponseTemplate::new(200)
        .set_body_raw(
            r#"{"object":"list","data":"not a list"}"#,
            "application/json",
        )
        .insert_header("x-request-id", "req_bad");
    Mock::given(method("GET"))
        .respond_with(bad)
        .mount(&server)
        .await;
    let page = client(&server).models().list().await.unwrap();
    assert!(
        page.data.is_empty(),
        "one bad field does not fail the response"
    );
    assert_eq!(
        page.extra.value("data"),
        Some(serde_json::json!("not a list")),
        "and it is kept"
    );

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("[1, 2", "application/json")
                .insert_header("x-request-id", "req_bad"),
        )
        .mount(&server)
        .await;
    let err = client(&server).models().list().await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.body, "[1, 2");
    assert_eq!(err.request_id(), Some("req_bad"));
}

#[tokio::test]
async fn sends_the_headers_users_expect() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/models"))
        .and(header("authorization", "Bearer sk-secret-key"))
        .and(header("openai-organization", "org-1"))
        .and(header("openai-project", "proj-1"))
        .and(header("x-custom", "yes"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/organization/projects"))
        .and(header("authorization", "Bearer sk-admin-secret"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"object":"list","data":[],"first_id":"a","last_id":"b","has_more":false}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let response = client
        .models()
        .list()
        .header("x-custom", "yes")
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some("req_ok"));
    assert_eq!(response.status, 200);
    client
        .admin()
        .organization()
        .projects()
        .list(&Default::default())
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let ua = requests[0]
        .headers
        .get("user-agent")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(ua.starts_with("openai-sdk-rust/"), "{ua}");
}

#[tokio::test]
async fn the_key_never_shows() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(failing(401))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client.models().list().await.unwrap_err();
    for text in [
        format!("{client:?}"),
        format!("{err}"),
        format!("{err:?}"),
        format!("{:?}", Client::builder().api_key("sk-secret-key")),
    ] {
        assert!(
            !text.contains("sk-secret-key") && !text.contains("sk-admin-secret"),
            "{text}"
        );
    }
    assert!(format!("{client:?}").contains("[redacted]"));
}

#[tokio::test]
async fn empty_path_parameters_are_refused_before_sending() {
    let server = MockServer::start().await;
    let err = client(&server).files().retrieve("").await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument(m) if m.contains("file_id")),
        "{err:?}"
    );
    assert_eq!(received(&server).await, 0);
}

#[tokio::test]
async fn multipart_uploads_are_resent_on_retry() {
    let server = MockServer::start().await;
    let file = r#"{"id":"file-1","object":"file","bytes":3,"created_at":1,"filename":"a.jsonl","purpose":"batch","status":"processed"}"#;
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(sequence(vec![
            failing(500),
            ResponseTemplate::new(200).set_body_raw(file, "application/json"),
        ]))
        .mount(&server)
        .await;
    let body = openai_sdk::types::CreateFileRequest {
        file: openai_sdk::InputFile::from_bytes("a.jsonl", b"{}\n".to_vec()),
        purpose: "batch".into(),
        ..Default::default()
    };
    let created = client(&server).files().create(&body).await.unwrap();
    assert_eq!(created.id, "file-1");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        let text = String::from_utf8_lossy(&r.body);
        assert!(
            text.contains("filename=\"a.jsonl\"")
                && text.contains("{}\n")
                && text.contains("batch"),
            "{text}"
        );
    }
}
