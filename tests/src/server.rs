//! A local HTTP/1.1 server with state, for workflows the stateless mock cannot play: a batch that
//! moves from `validating` to `completed`, a stream cut mid-way and resumed, a stall. Each request
//! is answered by a handler of the test's, which sees what was sent and keeps what state it
//! likes; every request is kept for the test to assert on.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// The path with its query, as sent (`/v1/batches/b1?limit=2`).
    pub target: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body; of a body over [`KEPT`], its first [`KEPT`] bytes, so that the server holds
    /// little of a large upload (a test of the client's memory counts the server's too).
    pub body: Vec<u8>,
    /// The body's whole length.
    pub length: usize,
}

/// How much of a request body the server keeps.
pub const KEPT: usize = 256 * 1024;

impl Seen {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    pub fn query(&self, name: &str) -> Option<String> {
        let (_, query) = self.target.split_once('?')?;
        form_pairs(query).find(|(k, _)| k == name).map(|(_, v)| v)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The value of a multipart body's part `name` (as text).
    pub fn part(&self, name: &str) -> Option<String> {
        let boundary = self.header("content-type")?.split("boundary=").nth(1)?;
        let body = String::from_utf8_lossy(&self.body);
        body.split(&format!("--{boundary}")).find_map(|part| {
            let (head, value) = part.split_once("\r\n\r\n")?;
            head.contains(&format!("name=\"{name}\""))
                .then(|| value.trim_end_matches("\r\n").to_owned())
        })
    }
}

fn form_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.split('&').map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| percent_decode(&s.replace('+', " "));
        (decode(k), decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// How an answer's body goes out.
pub enum Body {
    /// All at once, with its `content-length`.
    Full(Vec<u8>),
    /// Chunked, each chunk after its delay, then `end`.
    Chunks(Vec<(Duration, Vec<u8>)>, End),
}

/// How a chunked body ends.
pub enum End {
    /// With the last chunk, as it should.
    Complete,
    /// The connection closed without the last chunk (a proxy cutting it).
    Cut,
    /// Nothing more for this long, then closed.
    Stall(Duration),
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: Body::Full(body.into()),
        }
    }

    pub fn json(value: &serde_json::Value) -> Reply {
        Reply::new(200, "application/json", value.to_string())
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Server-sent events: each chunk after `every`, then `end`.
    pub fn events(chunks: Vec<String>, every: Duration, end: End) -> Reply {
        Reply {
            status: 200,
            headers: vec![("content-type".into(), "text/event-stream".into())],
            body: Body::Chunks(
                chunks
                    .into_iter()
                    .map(|c| (every, c.into_bytes()))
                    .collect(),
                end,
            ),
        }
    }
}

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

/// A running server; it stops when the test's runtime does.
#[derive(Clone)]
pub struct Server {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Serves on a free loopback port, answering each request with `handler`.
    pub async fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let url = format!("http://{}/v1", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve(socket, handler.clone(), log.clone()));
            }
        });
        Server { url, seen }
    }

    /// The requests received so far, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// A client of this server, without retries unless asked.
    pub fn client(&self) -> openai_sdk::ClientBuilder {
        openai_sdk::Client::builder()
            .api_key("sk-test")
            .base_url(&self.url)
            .max_retries(0)
    }
}

/// Answers the requests of one connection until it closes or an answer ends it.
async fn serve(mut socket: TcpStream, handler: Arc<Handler>, log: Arc<Mutex<Vec<Seen>>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(seen) = read_request(&mut socket, &mut buffer).await else {
            return;
        };
        let reply = handler(&seen);
        log.lock().unwrap().push(seen);
        if !write_reply(&mut socket, reply).await {
            return;
        }
    }
}

/// Reads one request (its body by `content-length` or chunked); `None` at the connection's end.
async fn read_request<S: AsyncRead + Unpin>(socket: &mut S, buffer: &mut Vec<u8>) -> Option<Seen> {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        fill(socket, buffer).await?;
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    buffer.drain(..head_end + 4);
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let get = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let body = if get("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(at) = buffer.windows(2).position(|w| w == b"\r\n") {
                    break at;
                }
                fill(socket, buffer).await?;
            };
            let size =
                usize::from_str_radix(String::from_utf8_lossy(&buffer[..line_end]).trim(), 16)
                    .ok()?;
            buffer.drain(..line_end + 2);
            while buffer.len() < size + 2 {
                fill(socket, buffer).await?;
            }
            body.extend_from_slice(&buffer[..size]);
            buffer.drain(..size + 2);
            if size == 0 {
                break body;
            }
        }
    } else {
        let length: usize = get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = Vec::new();
        let mut left = length;
        loop {
            let take = left.min(buffer.len());
            let keep = take.min(KEPT.saturating_sub(body.len()));
            body.extend_from_slice(&buffer[..keep]);
            buffer.drain(..take);
            left -= take;
            if left == 0 {
                break;
            }
            fill(socket, buffer).await?;
        }
        return Some(Seen {
            method,
            target,
            headers,
            body,
            length,
        });
    };
    let length = body.len();
    Some(Seen {
        method,
        target,
        headers,
        body,
        length,
    })
}

async fn fill<S: AsyncRead + Unpin>(socket: &mut S, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 64 * 1024];
    match socket.read(&mut chunk).await {
        Ok(0) | Err(_) => None,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            Some(())
        }
    }
}

/// Writes `reply`; whether the connection can take another request.
async fn write_reply(socket: &mut TcpStream, reply: Reply) -> bool {
    let mut head = format!("HTTP/1.1 {} X\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match reply.body {
        Body::Full(body) => {
            head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
            socket.write_all(head.as_bytes()).await.is_ok() && socket.write_all(&body).await.is_ok()
        }
        Body::Chunks(chunks, end) => {
            head.push_str("transfer-encoding: chunked\r\n\r\n");
            if socket.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            for (delay, chunk) in chunks {
                tokio::time::sleep(delay).await;
                let framed =
                    [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
                if socket.write_all(&framed).await.is_err() || socket.flush().await.is_err() {
                    return false;
                }
            }
            match end {
                End::Complete => socket.write_all(b"0\r\n\r\n").await.is_ok(),
                End::Cut => false,
                End::Stall(d) => {
                    tokio::time::sleep(d).await;
                    false
                }
            }
        }
    }
}

/// The recorded exchanges of a fixture in `tests/fixtures/recorded/` (see its README).
pub fn recorded(name: &str) -> Vec<serde_json::Value> {
    let path = crate::workspace_root()
        .join("tests/fixtures/recorded")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: serde_json::Value = serde_json::from_str(&text).expect("a fixture is JSON");
    file["entries"]
        .as_array()
        .expect("a fixture has entries")
        .clone()
}

/// A recorded exchange's answer, as the server sent it.
pub fn replay(entry: &serde_json::Value) -> Reply {
    let headers = entry["headers"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(name, _)| *name != "content-length")
        .map(|(name, value)| (name.clone(), value.as_str().unwrap_or_default().to_owned()))
        .collect();
    Reply {
        status: entry["status"].as_u64().unwrap_or(200) as u16,
        headers,
        body: Body::Full(
            entry["body"]
                .as_str()
                .unwrap_or_default()
                .as_bytes()
                .to_vec(),
        ),
    }
}

/// The byte at `offset` of the test files uploaded in parts: each 4 KiB block holds its number
/// (mod 251), so a part's first byte tells where in the file it starts.
pub fn pattern(offset: u64) -> u8 {
    ((offset / 4096) % 251) as u8
}

/// The file data of a multipart body's part `name`, as far as the server kept it.
pub fn part_data<'a>(seen: &'a Seen, name: &str) -> Option<&'a [u8]> {
    let header = format!("name=\"{name}\"");
    let at = seen
        .body
        .windows(header.len())
        .position(|w| w == header.as_bytes())?;
    let start = at + seen.body[at..].windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let data = &seen.body[start..];
    // Up to the boundary after it, when the server kept that far.
    let end = data
        .windows(4)
        .position(|w| w == b"\r\n--")
        .unwrap_or(data.len());
    Some(&data[..end])
}

/// A server for the Uploads API as the recordings show it (`uploads.json`): a part's id is
/// `part_<n>` for the part that starts at the `n`th part of `part_size` bytes (told by its first
/// byte, see [`pattern`]); the first attempt of each part in `failing_once` answers 500.
pub async fn uploads_server(part_size: u64, failing_once: &'static [u64]) -> Server {
    let entries = recorded("uploads");
    let body = |i: usize| -> serde_json::Value {
        serde_json::from_str(entries[i]["body"].as_str().unwrap()).unwrap()
    };
    let (created, part, completed) = (body(0), body(1), body(3));
    let failed = Mutex::new(Vec::new());
    Server::start(move |seen: &Seen| {
        let path = seen.path();
        if path.ends_with("/uploads") {
            let mut created = created.clone();
            created["bytes"] = seen.json()["bytes"].clone();
            created["filename"] = seen.json()["filename"].clone();
            return Reply::json(&created);
        }
        if path.ends_with("/parts") {
            let first = part_data(seen, "data").and_then(|d| d.first().copied());
            let index = (0..1024u64).find(|n| Some(pattern(n * part_size)) == first);
            let Some(index) = index else {
                return Reply::new(
                    400,
                    "application/json",
                    r#"{"error":{"message":"bad part"}}"#,
                );
            };
            let mut failed = failed.lock().unwrap();
            if failing_once.contains(&index) && !failed.contains(&index) {
                failed.push(index);
                return Reply::new(500, "application/json", r#"{"error":{"message":"boom"}}"#);
            }
            let mut part = part.clone();
            part["id"] = format!("part_{index}").into();
            return Reply::json(&part);
        }
        let mut completed = completed.clone();
        completed["file"]["bytes"] = completed["bytes"].clone();
        Reply::json(&completed)
    })
    .await
}

/// `path` uploaded in parts of `part_size` bytes, `parallel` at a time, as a fine-tuning file.
pub async fn upload_in_parts(
    client: &openai_sdk::Client,
    path: &std::path::Path,
    part_size: usize,
    parallel: usize,
) -> openai_sdk::types::Upload {
    client
        .uploads()
        .upload_file_chunked(
            path,
            &openai_sdk::types::CreateUploadRequest {
                purpose: "fine-tune".into(),
                mime_type: "text/jsonl".into(),
                ..Default::default()
            },
        )
        .part_size(part_size)
        .parallel(parallel)
        .await
        .expect("the upload completes")
}
