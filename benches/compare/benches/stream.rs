//! Streaming calls end to end, as a user sees them: each crate's own client sends the request to
//! a local HTTP/1.1 server (keep-alive, chunked), which answers with a pre-built server-sent
//! event stream; the time is from the request until every event has been read as the crate's
//! typed value and its text delta appended to a `String`.
//!
//! Streams: a chat completion (role chunk, 2,000 content chunks of 1–3 words, a `stop` chunk, a
//! usage chunk, `data: [DONE]`) and a Responses stream (`response.created` … 2,000
//! `response.output_text.delta` … `response.completed` with the whole response), with the
//! `obfuscation` field the API adds to deltas (the spec does not list it; `STREAM_OBFUSCATION=0`
//! leaves it out) and the key order the API sends. Contenders: openai-sdk
//! (`client.chat().completions().create_stream(..)`, `client.responses().create_stream(..)`),
//! async-openai (`client.chat().create_stream(..)`, `client.responses().create_stream(..)`) and,
//! as a floor, openai-sdk's request with the body only read (`.bytes_stream()`: no SSE parsing,
//! no decoding).
//!
//! Before timing, every event must decode with both crates' types, and both streaming calls must
//! yield the same number of events and the same text, the text the stream was built from. Each
//! stream is sent a chunk per event (as the API flushes them) and in 16 KiB chunks (as a
//! buffering proxy passes them on), and timed on a current-thread tokio runtime (the CPU cost of
//! a stream) and on a multi-thread one, the call on the main thread (`block_on`, as in
//! `#[tokio::main]`) and in a spawned task (as in a server's handler); async-openai parses and
//! decodes in a task of its own, openai-sdk in the caller's task. Last, the parts that need no
//! HTTP: SSE parsing of the bytes in memory and typed decoding of each event's data.
//!
//! Goal: openai-sdk faster than async-openai (speedup > 1.0×) on both streams.

use async_openai::config::OpenAIConfig;
use futures_util::{Stream, StreamExt};
use openai_compare::{ROUNDS, Rng, measure, quoted};
use std::hint::black_box;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;

/// Text deltas per stream.
const TOKENS: usize = 2000;

/// A server-sent event stream, with what a client must read from it.
struct Body {
    /// The event stream as the API sends it (the HTTP body, before chunked framing).
    sse: String,
    /// The JSON of each event's `data:` (`[DONE]` left out): what a client decodes.
    events: Vec<String>,
    /// The text of the deltas, concatenated.
    text: String,
}

/// Builds a stream event by event.
#[derive(Default)]
struct Builder {
    sse: String,
    events: Vec<String>,
    text: String,
}

impl Builder {
    fn event(&mut self, name: Option<&str>, data: String) {
        if let Some(name) = name {
            self.sse += "event: ";
            self.sse += name;
            self.sse += "\n";
        }
        self.sse += "data: ";
        self.sse += &data;
        self.sse += "\n\n";
        if data != "[DONE]" {
            self.events.push(data);
        }
    }

    fn done(self) -> Body {
        Body {
            sse: self.sse,
            events: self.events,
            text: self.text,
        }
    }
}

/// A delta of one to three words, as a model streams them.
fn delta(rng: &mut Rng) -> String {
    let words = 1 + rng.below(3);
    (0..words).map(|_| format!(" {}", rng.word())).collect()
}

/// The `obfuscation` member the API adds to each delta (random characters, 1–16 of them), so
/// that the size of a chunk does not give away the size of its token; none with
/// `STREAM_OBFUSCATION=0`, as with `stream_options: {"include_obfuscation": false}`.
fn obfuscation(rng: &mut Rng) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    if std::env::var("STREAM_OBFUSCATION").is_ok_and(|v| v == "0") {
        return String::new();
    }
    let text: String = (0..1 + rng.below(16))
        .map(|_| CHARS[rng.below(CHARS.len())] as char)
        .collect();
    format!(r#","obfuscation":"{text}""#)
}

/// A chat completion streamed with `stream_options: {"include_usage": true}`: a role chunk,
/// `tokens` content chunks, a `stop` chunk, a usage chunk and `[DONE]`, each chunk with
/// `usage: null` and `obfuscation`, in the API's key order.
fn chat_stream(tokens: usize) -> Body {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut b = Builder::default();
    const HEAD: &str = r#"{"id":"chatcmpl-C1uJb2Gv9Vq4nL7pX0aTqUeRk3mZs","object":"chat.completion.chunk","created":1754512345,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_560af6e559","choices":"#;
    let chunk = |rng: &mut Rng, delta: &str, finish: &str| {
        format!(
            r#"{HEAD}[{{"index":0,"delta":{delta},"logprobs":null,"finish_reason":{finish}}}],"usage":null{}}}"#,
            obfuscation(rng)
        )
    };
    let first = chunk(
        &mut rng,
        r#"{"role":"assistant","content":"","refusal":null}"#,
        "null",
    );
    b.event(None, first);
    for _ in 0..tokens {
        let text = delta(&mut rng);
        let data = chunk(
            &mut rng,
            &format!(r#"{{"content":{}}}"#, quoted(&text)),
            "null",
        );
        b.text += &text;
        b.event(None, data);
    }
    let last = chunk(&mut rng, "{}", r#""stop""#);
    b.event(None, last);
    let usage = format!(
        r#"{HEAD}[],"usage":{{"prompt_tokens":14,"completion_tokens":{tokens},"total_tokens":{},"prompt_tokens_details":{{"cached_tokens":0,"audio_tokens":0}},"completion_tokens_details":{{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}}{}}}"#,
        tokens + 14,
        obfuscation(&mut rng)
    );
    b.event(None, usage);
    b.event(None, "[DONE]".to_owned());
    b.done()
}

/// A Responses API stream of one message, as the API sends it: the lifecycle events around
/// `tokens` `response.output_text.delta` events (with `obfuscation`), the whole text in the
/// `…done` events and the completed response.
fn responses_stream(tokens: usize) -> Body {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut b = Builder::default();
    const ITEM: &str = "msg_68a1f0c2d4e48190b3c5d7e9f1a3b5c70f2e4d6b8a0c1e3f";
    let response = |status: &str, completed_at: &str, output: &str, usage: &str| {
        format!(
            r#"{{"id":"resp_68a1f0c1b3d08190a2b4c6d8e0f2a4b60e1d3c5b7a9f0d2e","object":"response","created_at":1754512345,"status":"{status}","background":false,"billing":{{"payer":"developer"}},"completed_at":{completed_at},"error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"max_tool_calls":null,"model":"gpt-4.1-2025-04-14","output":[{output}],"parallel_tool_calls":true,"previous_response_id":null,"prompt_cache_key":null,"prompt_cache_retention":null,"reasoning":{{"effort":null,"summary":null}},"safety_identifier":null,"service_tier":"default","store":true,"temperature":1.0,"text":{{"format":{{"type":"text"}},"verbosity":"medium"}},"tool_choice":"auto","tools":[],"top_logprobs":0,"top_p":1.0,"truncation":"disabled","usage":{usage},"user":null,"metadata":{{}}}}"#
        )
    };
    let mut seq = 0;
    let mut event = |b: &mut Builder, name: &str, rest: String| {
        let data = format!(r#"{{"type":"{name}","sequence_number":{seq},{rest}}}"#);
        seq += 1;
        b.event(Some(name), data);
    };
    let in_progress = response("in_progress", "null", "", "null");
    event(
        &mut b,
        "response.created",
        format!(r#""response":{in_progress}"#),
    );
    event(
        &mut b,
        "response.in_progress",
        format!(r#""response":{in_progress}"#),
    );
    event(
        &mut b,
        "response.output_item.added",
        format!(
            r#""output_index":0,"item":{{"id":"{ITEM}","type":"message","status":"in_progress","content":[],"role":"assistant"}}"#
        ),
    );
    event(
        &mut b,
        "response.content_part.added",
        format!(
            r#""item_id":"{ITEM}","output_index":0,"content_index":0,"part":{{"type":"output_text","annotations":[],"logprobs":[],"text":""}}"#
        ),
    );
    for _ in 0..tokens {
        let text = delta(&mut rng);
        let rest = format!(
            r#""item_id":"{ITEM}","output_index":0,"content_index":0,"delta":{},"logprobs":[]{}"#,
            quoted(&text),
            obfuscation(&mut rng)
        );
        b.text += &text;
        event(&mut b, "response.output_text.delta", rest);
    }
    let text = quoted(&b.text);
    event(
        &mut b,
        "response.output_text.done",
        format!(
            r#""item_id":"{ITEM}","output_index":0,"content_index":0,"text":{text},"logprobs":[]"#
        ),
    );
    let part = format!(r#"{{"type":"output_text","annotations":[],"logprobs":[],"text":{text}}}"#);
    event(
        &mut b,
        "response.content_part.done",
        format!(r#""item_id":"{ITEM}","output_index":0,"content_index":0,"part":{part}"#),
    );
    let item = format!(
        r#"{{"id":"{ITEM}","type":"message","status":"completed","content":[{part}],"role":"assistant"}}"#
    );
    event(
        &mut b,
        "response.output_item.done",
        format!(r#""output_index":0,"item":{item}"#),
    );
    let usage = format!(
        r#"{{"input_tokens":14,"input_tokens_details":{{"cached_tokens":0}},"output_tokens":{tokens},"output_tokens_details":{{"reasoning_tokens":0}},"total_tokens":{}}}"#,
        tokens + 14
    );
    let completed = response("completed", "1754512391", &item, &usage);
    event(
        &mut b,
        "response.completed",
        format!(r#""response":{completed}"#),
    );
    b.done()
}

/// How the server frames the stream in HTTP chunks.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Framing {
    /// A chunk per event, as the API flushes each event when it is generated.
    PerEvent,
    /// Chunks of 16 KiB, as a proxy or a replay passes a buffered stream on.
    Blocks,
}

impl Framing {
    fn name(self) -> &'static str {
        match self {
            Framing::PerEvent => "a chunk per event (as the API sends)",
            Framing::Blocks => "16 KiB chunks (as a buffering proxy sends)",
        }
    }
}

/// The whole HTTP response for `body`: keep-alive, chunked as `framing` says.
fn http_response(body: &Body, framing: Framing) -> Vec<u8> {
    let mut out = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ntransfer-encoding: chunked\r\ncache-control: no-cache\r\nx-request-id: req_bench\r\n\r\n".to_vec();
    let mut chunk = |piece: &[u8]| {
        write!(out, "{:x}\r\n", piece.len()).unwrap();
        out.extend_from_slice(piece);
        out.extend_from_slice(b"\r\n");
    };
    match framing {
        Framing::PerEvent => body
            .sse
            .split_inclusive("\n\n")
            .for_each(|e| chunk(e.as_bytes())),
        Framing::Blocks => body.sse.as_bytes().chunks(16 * 1024).for_each(chunk),
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// The responses the server sends, by path.
struct Routes {
    chat: Vec<u8>,
    responses: Vec<u8>,
}

/// Serves `routes` on a local port from a background thread (a thread per connection); returns
/// the address.
fn serve(routes: Routes) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds a local port");
    let addr = listener.local_addr().unwrap();
    let routes = Arc::new(routes);
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let conn = conn.expect("accepts");
            let routes = routes.clone();
            std::thread::spawn(move || {
                // A client closing its connection (at `[DONE]`, before the last chunk) is not
                // an error of the server's.
                let _ = handle(conn, &routes);
            });
        }
    });
    addr
}

/// Answers the requests of one connection until the client closes it. Each request is read
/// whole (headers, then `content-length` bytes of body) before the answer is sent.
fn handle(conn: TcpStream, routes: &Routes) -> std::io::Result<()> {
    conn.set_nodelay(true)?;
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut writer = conn;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let (method, path) = (
            parts.next().unwrap_or("").to_owned(),
            parts.next().unwrap_or("").to_owned(),
        );
        let mut length = 0;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap_or((header, ""));
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().expect("a content-length");
            }
            assert!(
                !name.eq_ignore_ascii_case("transfer-encoding"),
                "a request body of known length"
            );
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        // Each SDK must ask for the stream itself.
        let streams = serde_json::from_slice::<serde_json::Value>(&body)
            .is_ok_and(|b| b["stream"] == serde_json::Value::Bool(true));
        let answer = match (method.as_str(), path.as_str()) {
            ("POST", "/v1/chat/completions") if streams => &routes.chat[..],
            ("POST", "/v1/responses") if streams => &routes.responses[..],
            _ => b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 69\r\n\r\n{\"error\":{\"message\":\"not a streaming call\",\"type\":\"invalid_request\"}}",
        };
        writer.write_all(answer)?;
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Chat,
    Responses,
}

/// The same requests in each crate's types.
struct Requests {
    ours_chat: openai_sdk::types::CreateChatCompletionRequest,
    theirs_chat: async_openai::types::chat::CreateChatCompletionRequest,
    ours_responses: openai_sdk::types::CreateResponse,
    theirs_responses: async_openai::types::responses::CreateResponse,
}

impl Requests {
    fn new() -> Self {
        let chat = r#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Tell me a long story."}],"stream_options":{"include_usage":true}}"#;
        let responses = r#"{"model":"gpt-4.1","input":"Tell me a long story."}"#;
        Requests {
            ours_chat: openai_sdk::json::from_str(chat).expect("our chat request"),
            theirs_chat: serde_json::from_str(chat).expect("their chat request"),
            ours_responses: openai_sdk::json::from_str(responses).expect("our Responses request"),
            theirs_responses: serde_json::from_str(responses).expect("their Responses request"),
        }
    }
}

/// What a stream gave: its events, and its text deltas concatenated.
#[derive(Debug, Default, PartialEq)]
struct Outcome {
    events: usize,
    text: String,
}

/// One streaming call with openai-sdk, every event decoded.
async fn ours(kind: Kind, client: &openai_sdk::Client, requests: &Requests) -> Outcome {
    use openai_sdk::types::ResponseStreamEvent;
    let mut out = Outcome::default();
    match kind {
        Kind::Chat => {
            let mut stream = client
                .chat()
                .completions()
                .create_stream(&requests.ours_chat)
                .await
                .expect("our chat stream");
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.expect("our chat chunk");
                out.events += 1;
                for choice in &chunk.choices {
                    if let Some(text) = choice.delta.content.value() {
                        out.text += text;
                    }
                }
            }
        }
        Kind::Responses => {
            let mut stream = client
                .responses()
                .create_stream(&requests.ours_responses)
                .await
                .expect("our Responses stream");
            while let Some(event) = stream.next().await {
                let event = event.expect("our Responses event");
                out.events += 1;
                if let ResponseStreamEvent::ResponseOutputTextDelta(d) = &event {
                    out.text += &d.delta;
                }
            }
        }
    }
    out
}

/// One streaming call with async-openai, every event decoded.
async fn theirs(
    kind: Kind,
    client: &async_openai::Client<OpenAIConfig>,
    requests: &Requests,
) -> Outcome {
    use async_openai::types::responses::ResponseStreamEvent;
    let mut out = Outcome::default();
    match kind {
        Kind::Chat => {
            let mut stream = client
                .chat()
                .create_stream(requests.theirs_chat.clone())
                .await
                .expect("their chat stream");
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.expect("their chat chunk");
                out.events += 1;
                for choice in &chunk.choices {
                    if let Some(text) = &choice.delta.content {
                        out.text += text;
                    }
                }
            }
        }
        Kind::Responses => {
            let mut stream = client
                .responses()
                .create_stream(requests.theirs_responses.clone())
                .await
                .expect("their Responses stream");
            while let Some(event) = stream.next().await {
                let event = event.expect("their Responses event");
                out.events += 1;
                if let ResponseStreamEvent::ResponseOutputTextDelta(d) = &event {
                    out.text += &d.delta;
                }
            }
        }
    }
    out
}

/// Bytes of a body stream, read to its end.
async fn drain<S, B, E>(stream: S) -> usize
where
    S: Stream<Item = Result<B, E>>,
    B: AsRef<[u8]>,
    E: std::fmt::Debug,
{
    let mut stream = std::pin::pin!(stream);
    let mut n = 0;
    while let Some(chunk) = stream.next().await {
        n += chunk.expect("a body chunk").as_ref().len();
    }
    n
}

/// The floor: openai-sdk's same request, its body only read (no SSE parsing, no decoding).
async fn body_only(kind: Kind, client: &openai_sdk::Client, requests: &Requests) -> usize {
    match kind {
        Kind::Chat => {
            drain(
                client
                    .chat()
                    .completions()
                    .create_stream(&requests.ours_chat)
                    .bytes_stream()
                    .await
                    .expect("body"),
            )
            .await
        }
        Kind::Responses => {
            drain(
                client
                    .responses()
                    .create_stream(&requests.ours_responses)
                    .bytes_stream()
                    .await
                    .expect("body"),
            )
            .await
        }
    }
}

/// Panics unless every event decodes with both crates' types; notes what async-openai keeps
/// of the `obfuscation` field.
fn check_events(kind: Kind, body: &Body) {
    use async_openai::types as theirs;
    use openai_sdk::types as ours;
    // The first text delta: after the role chunk, or after the four lifecycle events.
    let delta_at = match kind {
        Kind::Chat => 1,
        Kind::Responses => 4,
    };
    for (i, data) in body.events.iter().enumerate() {
        let (ours_ok, theirs_json) = match kind {
            Kind::Chat => (
                openai_sdk::json::from_str::<ours::CreateChatCompletionStreamResponse>(data)
                    .map(|_| ()),
                serde_json::from_str::<theirs::chat::CreateChatCompletionStreamResponse>(data)
                    .map(|v| serde_json::to_string(&v).unwrap()),
            ),
            Kind::Responses => (
                openai_sdk::json::from_str::<ours::ResponseStreamEvent>(data).map(|e| {
                    assert!(
                        !matches!(e, ours::ResponseStreamEvent::Unknown(_)),
                        "{kind:?} event {i} is not known to openai-sdk: {data}"
                    )
                }),
                serde_json::from_str::<theirs::responses::ResponseStreamEvent>(data)
                    .map(|v| serde_json::to_string(&v).unwrap()),
            ),
        };
        if let Err(e) = ours_ok {
            panic!("{kind:?} event {i} does not decode with openai-sdk: {e}\n{data}");
        }
        match theirs_json {
            Err(e) => panic!("{kind:?} event {i} does not decode with async-openai: {e}\n{data}"),
            Ok(json) if i == delta_at && data.contains("\"obfuscation\"") => {
                let kept = if json.contains("\"obfuscation\"") {
                    "keeps"
                } else {
                    "drops"
                };
                println!("note: async-openai {kept} the `obfuscation` field of {kind:?} deltas");
            }
            Ok(_) => {}
        }
        if i == delta_at && data.contains("\"obfuscation\"") {
            let ours_json = match kind {
                Kind::Chat => serde_json::to_string(
                    &openai_sdk::json::from_str::<ours::CreateChatCompletionStreamResponse>(data)
                        .unwrap(),
                ),
                Kind::Responses => serde_json::to_string(
                    &openai_sdk::json::from_str::<ours::ResponseStreamEvent>(data).unwrap(),
                ),
            }
            .unwrap();
            let kept = if ours_json.contains("\"obfuscation\"") {
                "keeps"
            } else {
                "drops"
            };
            println!("note: openai-sdk {kept} the `obfuscation` field of {kind:?} deltas");
        }
    }
}

/// A client of each crate pointed at the local server, for one runtime (a pooled connection is
/// driven by the runtime that opened it).
struct Clients {
    ours: openai_sdk::Client,
    theirs: async_openai::Client<OpenAIConfig>,
}

impl Clients {
    fn new(addr: SocketAddr) -> Self {
        let base = format!("http://{addr}/v1");
        Clients {
            ours: openai_sdk::Client::builder()
                .base_url(&base)
                .api_key("sk-bench")
                .build()
                .expect("our client"),
            theirs: async_openai::Client::with_config(
                OpenAIConfig::new()
                    .with_api_base(&base)
                    .with_api_key("sk-bench"),
            ),
        }
    }
}

/// The stream's bytes in `framing`'s pieces, as the HTTP layer hands them on.
fn pieces(body: &Body, framing: Framing) -> Vec<&[u8]> {
    match framing {
        Framing::PerEvent => body
            .sse
            .split_inclusive("\n\n")
            .map(str::as_bytes)
            .collect(),
        Framing::Blocks => body.sse.as_bytes().chunks(16 * 1024).collect(),
    }
}

/// Events openai-sdk's SSE parser finds in `pieces` (`[DONE]` included).
fn ours_parse(pieces: &[&[u8]]) -> usize {
    let mut parser = openai_sdk::sse::Parser::new();
    let mut out = std::collections::VecDeque::new();
    let mut n = 0;
    for piece in pieces {
        parser.feed(piece, &mut out);
        n += out.drain(..).map(black_box).count();
    }
    parser.finish(&mut out);
    n + out.len()
}

/// Events async-openai's SSE parser (eventsource-stream) finds in `pieces` (`[DONE]` included).
async fn theirs_parse(pieces: &[&[u8]]) -> usize {
    let chunks = futures_util::stream::iter(pieces.iter().map(Ok::<_, std::io::Error>));
    eventsource_stream::EventStream::new(chunks)
        .map(|e| black_box(e.expect("an event")))
        .count()
        .await
}

/// Decodes every event of `body` with one crate's type; the number decoded.
fn decode_all<T>(body: &Body, decode: fn(&str) -> Result<T, serde_json::Error>) -> usize {
    body.events
        .iter()
        .map(|e| black_box(decode(e)).is_ok() as usize)
        .sum()
}

/// MB/s of decoding every event's data as openai-sdk's type (as the client does) and as
/// async-openai's (through serde_json, as it does).
fn decode_both<O: serde::de::DeserializeOwned, T: serde::de::DeserializeOwned>(
    body: &Body,
) -> Vec<f64> {
    let n = body.events.len();
    measure(
        body.sse.len(),
        &mut [
            &mut || assert_eq!(decode_all(body, openai_sdk::json::from_str::<O>), n),
            &mut || assert_eq!(decode_all(body, |e| serde_json::from_str::<T>(e)), n),
        ],
    )
}

/// Prints the parts of a stream's time that need no HTTP: SSE parsing of the bytes in memory
/// (in each framing's pieces) and typed decoding of the events' data.
fn offline(rt: &tokio::runtime::Runtime, kind: Kind, body: &Body) {
    use async_openai::types as theirs;
    use openai_sdk::types as ours;
    let name = match kind {
        Kind::Chat => "chat",
        Kind::Responses => "Responses",
    };
    let row = |what: &str, mbps: &[f64]| {
        let micros: Vec<f64> = mbps.iter().map(|m| body.sse.len() as f64 / m).collect();
        println!(
            "  {name:<9} {what:<30} {:>9.1} µs {:>9.1} µs   {:.2}×",
            micros[0],
            micros[1],
            micros[1] / micros[0]
        );
    };
    for framing in [Framing::PerEvent, Framing::Blocks] {
        let pieces = pieces(body, framing);
        let n = body.events.len() + usize::from(kind == Kind::Chat);
        assert_eq!(
            ours_parse(&pieces),
            n,
            "{kind:?}: events openai-sdk's parser finds"
        );
        assert_eq!(
            rt.block_on(theirs_parse(&pieces)),
            n,
            "{kind:?}: events eventsource-stream finds"
        );
        let what = match framing {
            Framing::PerEvent => "SSE parse, a piece per event",
            Framing::Blocks => "SSE parse, 16 KiB pieces",
        };
        let mbps = measure(
            body.sse.len(),
            &mut [&mut || assert_eq!(ours_parse(&pieces), n), &mut || {
                assert_eq!(rt.block_on(theirs_parse(&pieces)), n)
            }],
        );
        row(what, &mbps);
    }
    let mbps = match kind {
        Kind::Chat => decode_both::<
            ours::CreateChatCompletionStreamResponse,
            theirs::chat::CreateChatCompletionStreamResponse,
        >(body),
        Kind::Responses => {
            decode_both::<ours::ResponseStreamEvent, theirs::responses::ResponseStreamEvent>(body)
        }
    };
    row("typed decode of every event", &mbps);
}

/// `STREAM_PROFILE=ours:chat` (or `theirs:`, `floor:`, `decode-ours:`, `decode-theirs:`;
/// `:responses`; `STREAM_ITERS`, 1000 by default; `STREAM_FRAMING=blocks`): one contender in a
/// loop on a current-thread runtime (the decoders without HTTP), for a profiler.
fn profile(spec: &str, chat: &Body, responses: &Body) {
    let (who, kind) = spec.split_once(':').unwrap_or((spec, "chat"));
    let kind = if kind == "responses" {
        Kind::Responses
    } else {
        Kind::Chat
    };
    let framing = match std::env::var("STREAM_FRAMING").as_deref() {
        Ok("blocks") => Framing::Blocks,
        _ => Framing::PerEvent,
    };
    let iters: usize = std::env::var("STREAM_ITERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let addr = serve(Routes {
        chat: http_response(chat, framing),
        responses: http_response(responses, framing),
    });
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let clients = Clients::new(addr);
    let requests = Requests::new();
    for _ in 0..iters {
        match (who, kind) {
            ("decode-ours", Kind::Chat) => drop(decode_all(
                chat,
                openai_sdk::json::from_str::<openai_sdk::types::CreateChatCompletionStreamResponse>,
            )),
            ("decode-ours", Kind::Responses) => drop(decode_all(
                responses,
                openai_sdk::json::from_str::<openai_sdk::types::ResponseStreamEvent>,
            )),
            ("decode-theirs", Kind::Chat) => drop(decode_all(chat, |e| {
                serde_json::from_str::<async_openai::types::chat::CreateChatCompletionStreamResponse>(
                    e,
                )
            })),
            ("decode-theirs", Kind::Responses) => drop(decode_all(responses, |e| {
                serde_json::from_str::<async_openai::types::responses::ResponseStreamEvent>(e)
            })),
            _ => {}
        }
        match who {
            "ours" => drop(black_box(rt.block_on(ours(kind, &clients.ours, &requests)))),
            "theirs" => drop(black_box(rt.block_on(theirs(
                kind,
                &clients.theirs,
                &requests,
            )))),
            "floor" => drop(black_box(rt.block_on(body_only(
                kind,
                &clients.ours,
                &requests,
            )))),
            _ => {}
        }
    }
}

/// Where the streaming call runs.
struct Mode {
    name: &'static str,
    rt: &'static tokio::runtime::Runtime,
    /// In a task of the runtime (as a server's handler runs), rather than on the calling thread
    /// (`block_on`, as the body of `#[tokio::main]` runs).
    spawned: bool,
}

impl Mode {
    /// Runs `future` to its end as the mode says.
    fn run<F>(&self, future: F) -> F::Output
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        if self.spawned {
            self.rt
                .block_on(self.rt.spawn(future))
                .expect("the task ends")
        } else {
            self.rt.block_on(future)
        }
    }
}

fn main() {
    let chat = chat_stream(TOKENS);
    let responses = responses_stream(TOKENS);
    check_events(Kind::Chat, &chat);
    check_events(Kind::Responses, &responses);
    if let Ok(spec) = std::env::var("STREAM_PROFILE") {
        return profile(&spec, &chat, &responses);
    }
    // Leaked, as the futures a spawned task runs must own or borrow for 'static.
    let requests: &'static Requests = Box::leak(Box::new(Requests::new()));
    let current = Box::leak(Box::new(
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap(),
    ));
    let multi = Box::leak(Box::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap(),
    ));
    let modes = [
        Mode {
            name: "current-thread runtime",
            rt: current,
            spawned: false,
        },
        Mode {
            name: "multi-thread runtime (2 workers), call on the main thread (#[tokio::main])",
            rt: multi,
            spawned: false,
        },
        Mode {
            name: "multi-thread runtime (2 workers), call in a spawned task (a server's handler)",
            rt: multi,
            spawned: true,
        },
    ];
    println!();
    println!(
        "one streaming call, request to last event, through each crate's HTTP client to a local server"
    );
    println!(
        "(best of {ROUNDS} interleaved rounds, release); MB/s of SSE body; speedup = async-openai's time / ours"
    );
    for framing in [Framing::PerEvent, Framing::Blocks] {
        let addr = serve(Routes {
            chat: http_response(&chat, framing),
            responses: http_response(&responses, framing),
        });
        for mode in &modes {
            // Clients per runtime: a pooled connection is driven by the runtime that opened it.
            let clients: &'static Clients = Box::leak(Box::new(Clients::new(addr)));
            println!();
            println!("{}, {}", framing.name(), mode.name);
            for (kind, body) in [(Kind::Chat, &chat), (Kind::Responses, &responses)] {
                stream_row(mode, clients, requests, kind, body);
            }
        }
    }
    println!();
    println!("without HTTP (the stream's bytes in memory, current-thread runtime), µs per stream:");
    println!(
        "  {:<40} {:>12} {:>12}   speedup",
        "", "openai-sdk", "async-openai"
    );
    offline(current, Kind::Chat, &chat);
    offline(current, Kind::Responses, &responses);
}

/// Checks, then times, one stream through both crates' clients and the floor; prints its rows.
fn stream_row(
    mode: &Mode,
    clients: &'static Clients,
    requests: &'static Requests,
    kind: Kind,
    body: &Body,
) {
    // Both crates yield every event, with the same text: the stream's.
    let a = mode.run(ours(kind, &clients.ours, requests));
    let b = mode.run(theirs(kind, &clients.theirs, requests));
    assert_eq!(a.events, body.events.len(), "{kind:?}: openai-sdk's events");
    assert_eq!(
        b.events,
        body.events.len(),
        "{kind:?}: async-openai's events"
    );
    assert!(
        a.text == body.text,
        "{kind:?}: openai-sdk's text differs from the stream's"
    );
    assert!(
        b.text == body.text,
        "{kind:?}: async-openai's text differs from the stream's"
    );
    let wire = mode.run(body_only(kind, &clients.ours, requests));
    assert_eq!(wire, body.sse.len(), "{kind:?}: the body read whole");

    let events = body.events.len();
    let mbps = measure(
        body.sse.len(),
        &mut [
            &mut || {
                let o = mode.run(ours(kind, &clients.ours, requests));
                assert_eq!(black_box(o).events, events);
            },
            &mut || {
                let o = mode.run(theirs(kind, &clients.theirs, requests));
                assert_eq!(black_box(o).events, events);
            },
            &mut || {
                black_box(mode.run(body_only(kind, &clients.ours, requests)));
            },
        ],
    );
    let micros: Vec<f64> = mbps.iter().map(|m| body.sse.len() as f64 / m).collect();
    let what = match kind {
        Kind::Chat => "chat completion stream",
        Kind::Responses => "Responses stream",
    };
    println!(
        "  {what}: {events} events, {:.1} KB of SSE ({:.1} KB of text)",
        body.sse.len() as f64 / 1e3,
        body.text.len() as f64 / 1e3
    );
    for (i, who) in ["openai-sdk", "async-openai", "body only (floor)"]
        .iter()
        .enumerate()
    {
        println!(
            "    {who:<18} {:>9.1} µs/stream {:>8.1} MB/s {:>8.3} M events/s",
            micros[i],
            mbps[i],
            events as f64 / micros[i]
        );
    }
    println!(
        "    speedup {:.2}×; over the floor: openai-sdk {:.0} µs, async-openai {:.0} µs",
        micros[1] / micros[0],
        micros[0] - micros[2],
        micros[1] - micros[2]
    );
}
