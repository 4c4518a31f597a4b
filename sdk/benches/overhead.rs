//! `cargo bench -p openai-sdk --bench overhead`: what the client adds per request, against bare
//! `reqwest` posting a prebuilt body, both talking to a minimal keep-alive server on loopback.
//! Ours builds and encodes the request, sends it with its headers and retry bookkeeping, and
//! decodes the typed response; bare reqwest only sends bytes and reads bytes. Goal: ≤ 1.1×.

use openai_sdk::types::{CreateChatCompletionRequest, CreateChatCompletionResponse};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const RESPONSE: &str = r#"{"id":"chatcmpl-1","object":"chat.completion","created":1741570283,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help you today?","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_1"}"#;
const REQUESTS: usize = 3000;

/// Answers every request on a connection with the same JSON, keeping the connection open.
async fn serve(listener: tokio::net::TcpListener) {
    let reply = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: req_1\r\ncontent-length: {}\r\n\r\n{RESPONSE}",
        RESPONSE.len()
    );
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let reply = reply.clone();
        tokio::spawn(async move {
            let mut buf = Vec::with_capacity(8192);
            let mut chunk = [0u8; 8192];
            loop {
                // Read one request: headers, then content-length bytes of body.
                let head_end = loop {
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                };
                let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                while buf.len() < head_end + length {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                buf.drain(..head_end + length);
                if socket.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
    }
}

fn request() -> CreateChatCompletionRequest {
    serde_json::from_value(serde_json::json!({
        "model": "gpt-4o",
        "messages": [
            {"role": "developer", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Hello!"}
        ],
        "temperature": 0.7,
        "max_completion_tokens": 200
    }))
    .unwrap()
}

/// Best of three rounds of `REQUESTS` sequential calls.
async fn best<F: std::future::Future<Output = ()>>(mut round: impl FnMut() -> F) -> Duration {
    let mut fastest = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        round().await;
        fastest = fastest.min(start.elapsed());
    }
    fastest
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(serve(listener));

    let http = reqwest::Client::new();
    let client = openai_sdk::Client::builder()
        .api_key("sk-bench")
        .base_url(&url)
        .http_client(http.clone())
        .build()
        .unwrap();
    let body = request();
    let prebuilt = bytes::Bytes::from(serde_json::to_vec(&body).unwrap());
    let endpoint = format!("{url}/chat/completions");

    // Warm the connection pool.
    client.chat().completions().create(&body).await.unwrap();

    // The SDK sets a timeout on every request (10 minutes unless configured), as the official
    // SDKs do; reqwest arms a timer for it. Bare reqwest is measured without and with one.
    let bare_with = |timeout: Option<Duration>| {
        let (http, endpoint, prebuilt) = (&http, &endpoint, &prebuilt);
        move || async move {
            for _ in 0..REQUESTS {
                let mut request = http
                    .post(endpoint)
                    .header("authorization", "Bearer sk-bench")
                    .header("content-type", "application/json")
                    .body(prebuilt.clone());
                if let Some(timeout) = timeout {
                    request = request.timeout(timeout);
                }
                let response = request.send().await.unwrap();
                std::hint::black_box(response.bytes().await.unwrap());
            }
        }
    };
    let bare = best(bare_with(None)).await;
    let timed = best(bare_with(Some(Duration::from_secs(600)))).await;
    let ours = best(|| async {
        for _ in 0..REQUESTS {
            std::hint::black_box(client.chat().completions().create(&body).await.unwrap());
        }
    })
    .await;
    // The part of our time that is the typed body work alone, without I/O.
    let encode = best(|| async {
        for _ in 0..REQUESTS {
            std::hint::black_box(serde_json::to_vec(std::hint::black_box(&body)).unwrap());
        }
    })
    .await;
    let response = bytes::Bytes::from_static(RESPONSE.as_bytes());
    let decode = best(|| async {
        for _ in 0..REQUESTS {
            let data = std::hint::black_box(response.clone());
            std::hint::black_box(
                openai_sdk::json::from_slice::<CreateChatCompletionResponse>(&data).unwrap(),
            );
        }
    })
    .await;
    let per = |d: Duration| d.as_secs_f64() * 1e6 / REQUESTS as f64;
    println!("per-request time over {REQUESTS} sequential calls on loopback (best of 3):");
    println!(
        "  bare reqwest, prebuilt body, bytes out   {:>8.1} µs",
        per(bare)
    );
    println!(
        "  bare reqwest, same, with a timeout       {:>8.1} µs",
        per(timed)
    );
    println!(
        "  openai-sdk, typed request and response   {:>8.1} µs",
        per(ours)
    );
    println!(
        "    of which encoding the request          {:>8.1} µs",
        per(encode)
    );
    println!(
        "    of which decoding the response         {:>8.1} µs",
        per(decode)
    );
    println!(
        "  ratio ours / bare                        {:>8.2}x (goal <= 1.10x)",
        ours.as_secs_f64() / bare.as_secs_f64()
    );
    println!(
        "  ratio ours / bare with a timeout         {:>8.2}x",
        ours.as_secs_f64() / timed.as_secs_f64()
    );
}
