//! Query and multipart encoding: what a request encodes, a server reading the wire decodes back.
//!
//! The input is a JSON object. As query parameters, it is encoded into the URL a call sends; as
//! a multipart body, each string starting with `file:` becomes a file (named and filled with the
//! rest of the string). Both are read back as the API's servers read them: the query's pairs,
//! and the body's parts split by its boundary, then the bracket names (`a[b][]`) put back into
//! a tree. That tree must be the input as a server receives it: scalars as text, `null`s and
//! empty containers gone; each file arrives whole, with its name.
//!
//! Brackets cannot express everything JSON can (an array of objects, a name holding `[`), and
//! multipart names are escaped as browsers escape them (`"` as `%22`), which loses the
//! difference between `"` and `%22`: for such inputs, only what still holds is checked (no
//! panic, no error, one part per value, every file whole).

use openai_sdk::InputFile;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

pub fn encode(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(Value::Object(input)) = serde_json::from_str::<Value>(text) else {
        return;
    };
    let input = Value::Object(input);
    let body = Field::from(&input);
    let request = futures_executor::block_on(openai_sdk::fuzzing::multipart_request(&input, &body))
        .unwrap_or_else(|e| panic!("{input} does not encode: {e}"));
    let received = as_received(&input).unwrap_or_else(|| Value::Object(Map::new()));

    let pairs = request
        .url()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()));
    let query = decode_brackets(pairs);
    if brackets_can_express(&input, false) {
        assert_eq!(query, Some(received.clone()), "query of {input}");
    }

    let parts = multipart_parts(request);
    let (files, texts): (Vec<Part>, Vec<Part>) = parts.into_iter().partition(|p| p.file.is_some());
    let mut sent: Vec<(Vec<u8>, String)> = files
        .into_iter()
        .map(|p| (p.value, p.file.unwrap_or_default()))
        .collect();
    let mut wanted = Vec::new();
    body.files(&mut wanted);
    sent.sort();
    wanted.sort();
    assert_eq!(sent, wanted, "files of {input}");
    assert_eq!(texts.len(), body.texts(), "text parts of {input}");
    if brackets_can_express(&input, true) {
        let texts = texts.into_iter().map(|p| {
            let value = String::from_utf8(p.value).expect("a text part is the text sent");
            (p.name, value)
        });
        let without_files = body.without_files().unwrap_or(Value::Object(Map::new()));
        assert_eq!(
            decode_brackets(texts),
            Some(without_files),
            "multipart of {input}"
        );
    }
}

/// A body with files in it, as a request type holding [`InputFile`]s serializes.
enum Field {
    Json(Value),
    File(InputFile),
    Array(Vec<Field>),
    Object(Vec<(String, Field)>),
}

impl From<&Value> for Field {
    fn from(value: &Value) -> Self {
        match value {
            Value::String(s) if s.starts_with("file:") => {
                let name = &s["file:".len()..];
                Field::File(InputFile::from_bytes(
                    name.to_owned(),
                    name.as_bytes().to_vec(),
                ))
            }
            Value::Array(items) => Field::Array(items.iter().map(Field::from).collect()),
            Value::Object(map) => Field::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Field::from(v)))
                    .collect(),
            ),
            other => Field::Json(other.clone()),
        }
    }
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Json(v) => v.serialize(s),
            Field::File(f) => f.serialize(s),
            Field::Array(items) => s.collect_seq(items),
            Field::Object(fields) => s.collect_map(fields.iter().map(|(k, v)| (k, v))),
        }
    }
}

impl Field {
    /// Every file, as the server should get it: its bytes and its name (escaped as the encoding
    /// escapes names).
    fn files(&self, out: &mut Vec<(Vec<u8>, String)>) {
        match self {
            Field::File(f) => out.push((f.bytes.to_vec(), escaped(&f.name))),
            Field::Array(items) => items.iter().for_each(|f| f.files(out)),
            Field::Object(fields) => fields.iter().for_each(|(_, f)| f.files(out)),
            Field::Json(_) => {}
        }
    }

    /// How many text parts the body has: one per scalar that is not `null`.
    fn texts(&self) -> usize {
        match self {
            Field::Json(Value::Null) | Field::File(_) => 0,
            Field::Json(_) => 1,
            Field::Array(items) => items.iter().map(Field::texts).sum(),
            Field::Object(fields) => fields.iter().map(|(_, f)| f.texts()).sum(),
        }
    }

    /// The body as the server receives its text parts (files left out).
    fn without_files(&self) -> Option<Value> {
        as_received(&self.texts_only())
    }

    /// The body with each file as `null` (which [`as_received`] leaves out).
    fn texts_only(&self) -> Value {
        match self {
            Field::File(_) => Value::Null,
            Field::Json(v) => v.clone(),
            Field::Array(items) => items.iter().map(Field::texts_only).collect(),
            Field::Object(fields) => fields
                .iter()
                .map(|(k, v)| (k.clone(), v.texts_only()))
                .collect(),
        }
    }
}

/// Whether the bracket names can say where each value of `value` goes (and, for `multipart`,
/// whether its names go unescaped): names not empty and free of brackets, arrays of scalars.
fn brackets_can_express(value: &Value, multipart: bool) -> bool {
    let name_ok = |k: &str| {
        !k.is_empty()
            && !k.contains(['[', ']'])
            && !(multipart && (k.contains(['"', '%']) || k.chars().any(char::is_control)))
    };
    match value {
        Value::Object(map) => map
            .iter()
            .all(|(k, v)| name_ok(k) && brackets_can_express(v, multipart)),
        Value::Array(items) => items
            .iter()
            .all(|v| !matches!(v, Value::Array(_) | Value::Object(_))),
        _ => true,
    }
}

/// What the server gets from `value`: scalars as text, `null`s and empty containers gone.
fn as_received(value: &Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::String(_) => Some(value.clone()),
        Value::Bool(_) | Value::Number(_) => Some(Value::from(value.to_string())),
        Value::Array(items) => {
            let items: Vec<Value> = items.iter().filter_map(as_received).collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        Value::Object(map) => {
            let map: Map<String, Value> = map
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), as_received(v)?)))
                .collect();
            (!map.is_empty()).then_some(Value::Object(map))
        }
    }
}

/// Reads bracket-style pairs back into a tree (`a[b][]=1` → `{"a": {"b": ["1"]}}`), as the
/// API's servers do; `None` when the names contradict each other (an input brackets cannot
/// express).
fn decode_brackets(pairs: impl Iterator<Item = (String, String)>) -> Option<Value> {
    let mut root = Value::Object(Map::new());
    for (key, value) in pairs {
        let mut parts = key.split('[');
        let mut path = vec![parts.next().unwrap_or_default().to_owned()];
        path.extend(parts.map(|p| p.trim_end_matches(']').to_owned()));
        let mut at = &mut root;
        for (i, part) in path.iter().enumerate() {
            if part.is_empty() {
                at.as_array_mut()?.push(Value::String(value.clone()));
                break;
            }
            let fresh = if i + 1 == path.len() {
                Value::String(value.clone())
            } else if path[i + 1].is_empty() {
                Value::Array(Vec::new())
            } else {
                Value::Object(Map::new())
            };
            at = at.as_object_mut()?.entry(part).or_insert(fresh);
        }
    }
    Some(root)
}

/// `name` as browsers (and the encoding) put it between quotes, once read back: `"` and control
/// characters other than ESC percent-encoded.
fn escaped(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '"' => "%22".to_owned(),
            c if c.is_ascii_control() && c != '\u{1b}' && c != '\u{7f}' => {
                format!("%{:02X}", c as u32)
            }
            c => c.to_string(),
        })
        .collect()
}

/// One part of a multipart body, as a server reads it.
struct Part {
    name: String,
    file: Option<String>,
    value: Vec<u8>,
}

/// The parts of the request's multipart body, split by the boundary its content type names.
fn multipart_parts(mut request: reqwest::Request) -> Vec<Part> {
    let content_type = request
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let Some(body) = request.body_mut().take() else {
        return Vec::new();
    };
    let body = futures_executor::block_on(http_body_util::BodyExt::collect(body))
        .expect("an in-memory body")
        .to_bytes();
    if body.is_empty() {
        return Vec::new();
    }
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("a multipart body, not {content_type:?}"));
    let delimiter = format!("--{boundary}");
    let end = format!("\r\n{delimiter}--\r\n");
    let body = body
        .strip_suffix(end.as_bytes())
        .expect("the body ends with the closing delimiter");
    let mut parts = Vec::new();
    let separator = format!("\r\n{delimiter}\r\n");
    // The first delimiter has no line break before it; one is added so every part splits alike.
    let body = [b"\r\n".as_slice(), body].concat();
    for raw in split(&body, separator.as_bytes()).skip(1) {
        let at = find(raw, b"\r\n\r\n").expect("a part's headers end with an empty line");
        let headers = std::str::from_utf8(&raw[..at]).expect("UTF-8 headers");
        let disposition = headers
            .split("\r\n")
            .find_map(|h| h.strip_prefix("Content-Disposition: form-data; "))
            .unwrap_or_else(|| panic!("a form-data part: {headers:?}"));
        let params = parameters(disposition);
        let get = |key: &str| {
            params
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        parts.push(Part {
            name: get("name").unwrap_or_else(|| panic!("a named part: {disposition:?}")),
            file: get("filename"),
            value: raw[at + 4..].to_vec(),
        });
    }
    parts
}

/// `name="a"; filename="b"` as a server reads it: each value a quoted string whose `\x` stands
/// for `x`.
fn parameters(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some((key, after)) = rest.split_once("=\"") {
        let mut value = String::new();
        let mut chars = after.char_indices();
        let mut end = after.len();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => value.extend(chars.next().map(|(_, c)| c)),
                '"' => {
                    end = i + 1;
                    break;
                }
                c => value.push(c),
            }
        }
        out.push((key.trim_start_matches("; ").to_owned(), value));
        rest = &after[end..];
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split<'a>(mut bytes: &'a [u8], separator: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    std::iter::from_fn(move || {
        if bytes.is_empty() {
            return None;
        }
        let at = find(bytes, separator).unwrap_or(bytes.len());
        let part = &bytes[..at];
        bytes = bytes.get(at + separator.len()..).unwrap_or_default();
        Some(part)
    })
}
