//! The spec's own example requests (`x-oaiMeta.examples`), read into plain values so the emitter
//! can show each operation called from Rust. The `curl` example is preferred: its values are
//! realistic (`file-abc123`), where the official-SDK snippets use placeholders (`"string"`). The
//! Python snippet is kept too: it stands in when there is no `curl` or the `curl` does not fit the
//! schemas (the emitter decides).

use crate::ir::{Example, ExampleCall};
use crate::value::Value;
use indexmap::IndexMap;

/// What an operation's examples may fill in, and what tells its call apart from others in the
/// same snippet: its method, path template and parameter names.
pub struct Signature<'a> {
    /// Lower-case HTTP method.
    pub method: &'a str,
    pub path: &'a str,
    /// The call the path alone gives (see `calls::derived`).
    pub derived: Vec<String>,
    /// Wire names of the path parameters, in template order.
    pub path_params: Vec<&'a str>,
    /// Wire names of the query parameters.
    pub query: Vec<&'a str>,
}

/// Placeholders the spec's `curl` examples leave for the docs site to fill in.
const PLACEHOLDERS: &[(&str, &str)] = &[
    ("VAR_chat_model_id", "gpt-5.4"),
    ("VAR_completion_model_id", "gpt-3.5-turbo-instruct"),
];

/// An operation's `x-oaiMeta.examples`: one example or a list of them.
pub fn list(op: &Value) -> Vec<&Value> {
    match op.pointer("#/x-oaiMeta/examples") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(e @ Value::Object(_)) => vec![e],
        _ => Vec::new(),
    }
}

pub fn examples(op: &Value, sig: &Signature) -> Vec<Example> {
    list(op)
        .into_iter()
        .map(|e| {
            let request = |lang| {
                e.pointer(&format!("#/request/{lang}"))
                    .and_then(Value::as_str)
            };
            let calls = [
                request("curl").and_then(|c| from_curl(c, sig)),
                request("python").and_then(|p| from_python(p, sig)),
            ];
            Example {
                title: e.get("title").and_then(Value::as_str).map(str::to_owned),
                calls: calls.into_iter().flatten().collect(),
            }
        })
        .filter(|e| !e.calls.is_empty())
        .collect()
}

/// Words of a shell command, with quotes and line continuations resolved.
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => words.extend(word.take()),
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                w.extend(chars.by_ref().take_while(|&c| c != '\''));
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '\\' | '$')) => {
                            w.extend(chars.next())
                        }
                        c => w.push(c),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') | None => {}
                Some(c) => word.get_or_insert_with(String::new).push(c),
            },
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

fn from_curl(curl: &str, sig: &Signature) -> Option<ExampleCall> {
    let words = shell_words(curl);
    let url = words.iter().find(|w| w.starts_with("http"))?;
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path = path.split_once("/v1").map_or(path, |(_, p)| p);
    let mut example = ExampleCall {
        path: path_args(path, sig)?,
        query: None,
        body: None,
        body_is_text: false,
    };
    let mut query_fields = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        query_fields.push((k.to_owned(), Value::String(v.to_owned())));
    }
    example.query = (!query_fields.is_empty()).then(|| nest(&query_fields));
    let mut form = Vec::new();
    let mut words = words.iter();
    while let Some(w) = words.next() {
        match w.as_str() {
            "-d" | "--data" | "--data-raw" => {
                let json = words.next()?;
                example.body = Some(crate::load::embedded_json(json)?);
            }
            "-F" | "--form" => {
                let (k, v) = words.next()?.split_once('=')?;
                // `value;type=application/json`: the part's content type is not part of the value.
                let v = v.split_once(";type=").map_or(v, |(v, _)| v);
                // A part holding a JSON object stands for that object.
                let object = v.starts_with('{').then(|| crate::load::embedded_json(v));
                let v = match object.flatten() {
                    Some(object @ Value::Object(_)) => object,
                    _ => Value::String(v.to_owned()),
                };
                form.push((k.to_owned(), v));
            }
            _ => {}
        }
    }
    if !form.is_empty() {
        example.body = Some(nest(&form));
        example.body_is_text = true;
    }
    example.body = example.body.map(fill_placeholders);
    Some(example)
}

/// Path parameter values from a concrete path (`/files/file-abc123` against `/files/{file_id}`);
/// a shell variable (`$CALL_ID`) becomes the parameter's name.
fn path_args(path: &str, sig: &Signature) -> Option<Vec<String>> {
    let concrete: Vec<&str> = path.trim_matches('/').split('/').collect();
    let template: Vec<&str> = sig.path.trim_matches('/').split('/').collect();
    if concrete.len() != template.len() {
        return None;
    }
    let mut args = Vec::new();
    for (c, t) in concrete.iter().zip(&template) {
        match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            Some(name) if c.starts_with('$') => args.push(name.to_owned()),
            Some(_) => args.push((*c).to_owned()),
            None if c != t => return None,
            None => {}
        }
    }
    Some(args)
}

/// Form or query fields (`a[b]=1`, `c[]=x`) as a tree of text values.
fn nest(fields: &[(String, Value)]) -> Value {
    let mut root = Value::Object(IndexMap::new());
    for (key, value) in fields {
        insert(&mut root, key, value);
    }
    root
}

/// Puts one bracketed form field into the tree built so far.
fn insert(root: &mut Value, key: &str, value: &Value) {
    let parts: Vec<&str> = key.split('[').map(|p| p.trim_end_matches(']')).collect();
    let mut at = root;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let next_is_list = parts.get(i + 1) == Some(&"");
        let fresh = || {
            if last {
                value.clone()
            } else if next_is_list {
                Value::Array(Vec::new())
            } else {
                Value::Object(IndexMap::new())
            }
        };
        at = match at {
            Value::Object(map) => map.entry((*part).to_owned()).or_insert_with(fresh),
            Value::Array(items) => {
                items.push(fresh());
                items.last_mut().expect("just pushed")
            }
            _ => return,
        };
    }
}

/// A call an official-SDK snippet makes: `client.beta.threads.runs.update("a", x=1)` →
/// `[beta, threads, runs, update]` with its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct PythonCall {
    pub call: Vec<String>,
    pub positional: Vec<Value>,
    pub named: IndexMap<String, Value>,
    /// Every argument is a literal, so the values are the example's.
    pub literal: bool,
}

/// Every `client.….name(` call of a snippet, in order: a snippet may call other methods first
/// (`list()` to find an id, then `retrieve(id)`).
pub fn python_calls(snippet: &str) -> Vec<PythonCall> {
    let mut out = Vec::new();
    let mut rest = snippet;
    while let Some(at) = rest.find("client.") {
        let before = rest[..at].chars().next_back();
        let tail = &rest[at + "client.".len()..];
        rest = tail;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let Some(end) = tail.find(|c: char| {
            !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
        }) else {
            break;
        };
        let Some(args) = tail[end..].strip_prefix('(').filter(|_| end > 0) else {
            continue;
        };
        let call = tail[..end].split('.').map(str::to_owned).collect();
        out.push(arguments(call, args));
    }
    out
}

/// A call's arguments, from the text after its opening parenthesis. An argument that is not a
/// literal (`completion_id=first_id`) keeps its name, with `null` for its value, and marks the
/// call as not [`literal`](PythonCall::literal).
fn arguments(call: Vec<String>, args: &str) -> PythonCall {
    let mut p = Python { rest: args };
    let mut out = PythonCall {
        call,
        positional: Vec::new(),
        named: IndexMap::new(),
        literal: true,
    };
    loop {
        p.space();
        if p.eat(")") || p.rest.is_empty() {
            break;
        }
        let name = p.keyword();
        let before = p.rest;
        let value = p.value().filter(|_| {
            p.space();
            p.rest.starts_with([',', ')'])
        });
        let value = value.unwrap_or_else(|| {
            p.rest = before;
            p.skip_expression();
            out.literal = false;
            Value::Null
        });
        match name {
            Some(name) => {
                out.named.insert(name.to_owned(), value);
            }
            None => out.positional.push(value),
        }
        p.space();
        if !p.eat(",") {
            break;
        }
    }
    out
}

/// An example from the Python snippet's call of this operation: positional arguments and keyword
/// arguments named like path parameters fill the path, those named like query parameters the
/// query, the rest the body.
fn from_python(snippet: &str, sig: &Signature) -> Option<ExampleCall> {
    let call = super::calls::best(python_calls(snippet), sig)?;
    if !call.literal {
        return None;
    }
    let mut named = call.named;
    let mut positional = call.positional.into_iter();
    let mut path = Vec::new();
    for name in &sig.path_params {
        let value = named.shift_remove(*name).or_else(|| positional.next())?;
        path.push(value.as_str()?.to_owned());
    }
    let (query, body): (IndexMap<_, _>, IndexMap<_, _>) = named
        .into_iter()
        .partition(|(k, _)| sig.query.contains(&k.as_str()));
    let object = |m: IndexMap<String, Value>| (!m.is_empty()).then_some(Value::Object(m));
    Some(ExampleCall {
        path,
        query: object(query),
        body: object(body),
        body_is_text: false,
    })
}

/// Just enough of Python's literal syntax for the snippets: strings, bytes, numbers, booleans,
/// `None`, lists and dicts.
struct Python<'a> {
    rest: &'a str,
}

impl<'a> Python<'a> {
    fn space(&mut self) {
        self.rest = self.rest.trim_start();
    }

    fn eat(&mut self, token: &str) -> bool {
        match self.rest.strip_prefix(token) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// `name=` (not `==`), consumed only if present.
    fn keyword(&mut self) -> Option<&'a str> {
        let end = self
            .rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
        let after = &self.rest[end..];
        if end == 0 || !after.starts_with('=') || after.starts_with("==") {
            return None;
        }
        let name = &self.rest[..end];
        self.rest = &after[1..];
        Some(name)
    }

    fn value(&mut self) -> Option<Value> {
        self.space();
        let bytes = self.eat("b");
        if let Some(quote) = self.rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let text = self.string(quote)?;
            // Bytes are file contents: shown as a file read from a path.
            return Some(Value::String(if bytes {
                "@path/to/file".to_owned()
            } else {
                text
            }));
        }
        if self.eat("[") {
            let mut items = Vec::new();
            while !self.close("]") {
                items.push(self.value()?);
                self.space();
                self.eat(",");
            }
            return Some(Value::Array(items));
        }
        if self.eat("{") {
            let mut map = IndexMap::new();
            while !self.close("}") {
                let key = self.value()?;
                self.space();
                self.eat(":").then_some(())?;
                map.insert(key.as_str()?.to_owned(), self.value()?);
                self.space();
                self.eat(",");
            }
            return Some(Value::Object(map));
        }
        for (word, value) in [
            ("True", Value::Bool(true)),
            ("False", Value::Bool(false)),
            ("None", Value::Null),
        ] {
            if self.eat(word) {
                return Some(value);
            }
        }
        let end = self
            .rest
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
            .unwrap_or(self.rest.len());
        let number = &self.rest[..end];
        self.rest = &self.rest[end..];
        number
            .parse()
            .map(Value::Int)
            .or_else(|_| number.parse().map(Value::Float))
            .ok()
    }

    /// Passes over an expression that is not a literal, up to the `,` or `)` that ends it.
    fn skip_expression(&mut self) {
        let mut depth = 0usize;
        let mut chars = self.rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => {
                    self.rest = &self.rest[i..];
                    return;
                }
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    self.rest = &self.rest[i..];
                    return;
                }
                '"' | '\'' => {
                    let mut escaped = false;
                    for (_, d) in chars.by_ref() {
                        match d {
                            '\\' if !escaped => escaped = true,
                            d if d == c && !escaped => break,
                            _ => escaped = false,
                        }
                    }
                }
                _ => {}
            }
        }
        self.rest = "";
    }

    fn close(&mut self, bracket: &str) -> bool {
        self.space();
        self.eat(bracket)
    }

    fn string(&mut self, quote: char) -> Option<String> {
        let mut out = String::new();
        let mut chars = self.rest.char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next()?.1 {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    c => out.push(c),
                },
                c if c == quote => {
                    self.rest = &self.rest[i + 1..];
                    return Some(out);
                }
                c => out.push(c),
            }
        }
        None
    }
}

/// `VAR_chat_model_id` → a model name, wherever a placeholder stands in a value.
fn fill_placeholders(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(
            PLACEHOLDERS
                .iter()
                .find(|(p, _)| *p == s)
                .map_or(s, |(_, v)| (*v).to_owned()),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(fill_placeholders).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, fill_placeholders(v)))
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig() -> Signature<'static> {
        Signature {
            method: "get",
            path: "/skills/{skill_id}/versions/{version}",
            derived: vec!["skills".into(), "versions".into(), "retrieve".into()],
            path_params: vec!["skill_id", "version"],
            query: vec!["limit"],
        }
    }

    #[test]
    fn curl_gives_path_query_and_form() {
        let curl = "curl \"https://api.openai.com/v1/skills/sk_1/versions/2?limit=3&x[]=a\" \\\n  -H \"Authorization: Bearer $OPENAI_API_KEY\" \\\n  -F file=\"@a.txt\" \\\n  -F 'meta[key]=v'";
        let e = from_curl(curl, &sig()).unwrap();
        assert_eq!(e.path, ["sk_1", "2"]);
        assert_eq!(e.query.unwrap().to_json(), r#"{"limit":"3","x":["a"]}"#);
        assert_eq!(
            e.body.unwrap().to_json(),
            r#"{"file":"@a.txt","meta":{"key":"v"}}"#
        );
        assert!(e.body_is_text);
    }

    #[test]
    fn curl_json_body_and_placeholders() {
        let curl = "curl https://api.openai.com/v1/skills/$SKILL/versions/1 -d '{\"model\": \"VAR_chat_model_id\", \"n\": [1, 2.5, true, null]}'";
        let e = from_curl(curl, &sig()).unwrap();
        assert_eq!(e.path, ["skill_id", "1"]);
        assert_eq!(
            e.body.unwrap().to_json(),
            r#"{"model":"gpt-5.4","n":[1,2.5,true,null]}"#
        );
        assert!(!e.body_is_text);
        // A URL that does not fit the template gives no example.
        assert!(from_curl("curl https://api.openai.com/v1/files", &sig()).is_none());
    }

    #[test]
    fn python_arguments_fill_path_query_and_body() {
        let py = "x = client.skills.versions.retrieve(\n    \"sk_1\",\n    version='v\\'2',\n    limit=-3,\n    data={\"a\": [True, None, 1.5], 'b': b\"raw\"},\n)\nprint(x)";
        let e = from_python(py, &sig()).unwrap();
        assert_eq!(e.path, ["sk_1", "v'2"]);
        assert_eq!(e.query.unwrap().to_json(), r#"{"limit":-3}"#);
        assert_eq!(
            e.body.unwrap().to_json(),
            r#"{"data":{"a":[true,null,1.5],"b":"@path/to/file"}}"#
        );
        let calls = python_calls(
            "page = client.skills.list()\nx = client.skills.versions.retrieve(\"a\", version=f(1, \")\"), limit=2)",
        );
        assert_eq!(calls[0].call, ["skills", "list"]);
        assert!(calls[0].literal);
        assert_eq!(calls[1].call, ["skills", "versions", "retrieve"]);
        // A non-literal argument keeps its name (it still tells which call this is).
        assert!(!calls[1].literal);
        assert_eq!(calls[1].positional, [Value::String("a".into())]);
        assert_eq!(
            calls[1].named.keys().collect::<Vec<_>>(),
            ["version", "limit"]
        );
        assert_eq!(calls[1].named["limit"], Value::Int(2));
    }
}
