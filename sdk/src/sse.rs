//! A server-sent events parser (the WHATWG `text/event-stream` rules), fed bytes as they arrive.
//!
//! Lines end at LF, CR or CRLF, and a chunk may end anywhere (between CR and LF, inside a UTF-8
//! character): bytes are buffered until their line is complete. `data:` lines join with `\n`;
//! `event:`, `id:` and `retry:` are kept; lines starting with `:` are comments; a blank line
//! dispatches the event. One leniency: an event still pending when the stream ends is dispatched
//! rather than dropped, so a server that omits the last blank line loses nothing.

use std::collections::VecDeque;

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    /// The `event:` field; `None` means the default type, `message`.
    pub event: Option<String>,
    pub data: String,
    /// The last `id:` seen so far in the stream.
    pub id: Option<String>,
    pub retry: Option<u64>,
}

#[derive(Debug, Default)]
pub struct Parser {
    line: Vec<u8>,
    /// The previous chunk ended with CR: an LF at the start of the next one ends nothing.
    after_cr: bool,
    started: bool,
    data: String,
    has_data: bool,
    event: Option<String>,
    id: Option<String>,
    retry: Option<u64>,
}

impl Parser {
    pub fn new() -> Self {
        Parser::default()
    }

    /// Parses a chunk, pushing every event it completes onto `out`.
    pub fn feed(&mut self, mut chunk: &[u8], out: &mut VecDeque<Event>) {
        if chunk.is_empty() {
            // An empty chunk must not cost a CR its possible LF.
            return;
        }
        if self.after_cr {
            self.after_cr = false;
            if let Some(rest) = chunk.strip_prefix(b"\n") {
                chunk = rest;
            }
        }
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&chunk[..end]);
            let line = std::mem::take(&mut self.line);
            self.process(&line, out);
            let crlf = chunk[end] == b'\r';
            chunk = &chunk[end + 1..];
            if crlf {
                match chunk.first() {
                    Some(b'\n') => chunk = &chunk[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        self.line.extend_from_slice(chunk);
    }

    /// The stream ended: a last line without its line end, and an event without its blank
    /// line, still count.
    pub fn finish(&mut self, out: &mut VecDeque<Event>) {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.process(&line, out);
        }
        self.dispatch(out);
    }

    fn process(&mut self, mut line: &[u8], out: &mut VecDeque<Event>) {
        if !self.started {
            // A byte-order mark may open the stream.
            self.started = true;
            line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        }
        if line.is_empty() {
            return self.dispatch(out);
        }
        if line[0] == b':' {
            return;
        }
        // Checked with SIMD; only invalid bytes take the (copying) lossy path.
        let line = match simdutf8::basic::from_utf8(line) {
            Ok(line) => std::borrow::Cow::Borrowed(line),
            Err(_) => String::from_utf8_lossy(line),
        };
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line.as_ref(), ""),
        };
        match field {
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "event" => self.event = Some(value.to_owned()),
            "id" if !value.contains('\0') => self.id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok()
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut VecDeque<Event>) {
        let event = self.event.take();
        if !self.has_data {
            return;
        }
        self.has_data = false;
        out.push_back(Event {
            event,
            data: std::mem::take(&mut self.data),
            id: self.id.clone(),
            retry: self.retry,
        });
    }
}

/// All events of a complete stream (for tests and small bodies).
pub fn parse_all(bytes: &[u8]) -> Vec<Event> {
    let mut parser = Parser::new();
    let mut out = VecDeque::new();
    parser.feed(bytes, &mut out);
    parser.finish(&mut out);
    out.into()
}
