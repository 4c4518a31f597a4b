//! Shared helpers for the SDK's tests: the spec's examples, a generated registry of the types,
//! and JSON comparison that tolerates what encoding legitimately adds.

#[rustfmt::skip]
mod generated;
pub mod mock;
pub mod sample;
pub mod server;

pub use generated::operations::{OPERATIONS, call as call_operation};
pub use generated::registry::roundtrip as roundtrip_schema;
use openai_codegen::value::Value as SpecValue;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// An operation as the generator saw it (`generated::operations::OPERATIONS`).
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    pub id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub path_params: usize,
    /// JSON pointer of the body schema the SDK sends.
    pub body_schema: Option<&'static str>,
    /// How the list pages (`ItemId`, `LastId`, `Next`, `NextPage`), if it does.
    pub paging: Option<&'static str>,
}

const NO_SUCH_OPERATION: &str = "no such operation";

/// An argument of a generated method, from JSON.
pub fn arg<T: serde::de::DeserializeOwned>(json: &Value) -> Result<T, String> {
    serde_path_to_error::deserialize(json)
        .map_err(|e| format!("argument does not decode at `{}`: {}", e.path(), e.inner()))
}

/// A call's outcome, with the SDK's error as text.
pub fn done<T>(result: openai_sdk::Result<T>) -> Result<(), String> {
    result.map(drop).map_err(|e| e.to_string())
}

/// Decodes `json` as `T` the way the client does (or, `strict`, exactly as the spec says) and
/// encodes it back (used by the generated registry).
pub fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(
    json: &str,
    strict: bool,
) -> Result<Value, String> {
    let value: T = if strict {
        openai_sdk::json::from_str_strict(json)
    } else {
        openai_sdk::json::from_str(json)
    }
    .map_err(|e| format!("decode: {e}"))?;
    serde_json::to_value(&value).map_err(|e| format!("encode: {e}"))
}

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests sits in the workspace")
        .to_path_buf()
}

/// The spec as a document tree (read with the generator's loader: `serde_json`/`serde_yaml`
/// values cannot hold one of its numbers).
pub fn spec() -> SpecValue {
    let text = std::fs::read_to_string(workspace_root().join("spec/openapi.yaml"))
        .expect("spec/openapi.yaml");
    openai_codegen::load::load(&text)
        .expect("the spec loads")
        .root
}

/// An example from an operation's `x-oaiMeta`.
#[derive(Debug, Clone)]
pub struct Example {
    /// `METHOD /path #n` — names the example in failure messages and the exceptions file.
    pub id: String,
    /// Component schema of the operation's JSON success response.
    pub response_schema: Option<String>,
    /// Component schema of the operation's JSON request body.
    pub request_schema: Option<String>,
    pub response: Option<String>,
    pub curl: Option<String>,
}

fn schema_name(schema: Option<&SpecValue>) -> Option<String> {
    let r = schema?.get("$ref")?.as_str()?;
    r.strip_prefix("#/components/schemas/").map(str::to_owned)
}

/// Every example of every operation, in spec order.
pub fn examples(spec: &SpecValue) -> Vec<Example> {
    let mut out = Vec::new();
    let paths = spec
        .get("paths")
        .and_then(SpecValue::as_object)
        .expect("paths");
    for (path, item) in paths {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Some(meta) = op.get("x-oaiMeta") else {
                continue;
            };
            let responses = op.get("responses").and_then(SpecValue::as_object);
            let ok = responses.and_then(|r| {
                r.iter()
                    .find(|(code, _)| code.starts_with('2'))
                    .map(|(_, v)| v)
            });
            let response_schema =
                schema_name(ok.and_then(|r| r.pointer("#/content/application~1json/schema")));
            let request_schema =
                schema_name(op.pointer("#/requestBody/content/application~1json/schema"));
            let list: Vec<&SpecValue> = match meta.get("examples") {
                Some(SpecValue::Array(a)) => a.iter().collect(),
                Some(e @ SpecValue::Object(_)) => vec![e],
                _ => Vec::new(),
            };
            for (i, ex) in list.into_iter().enumerate() {
                out.push(Example {
                    id: format!("{} {path} #{i}", method.to_uppercase()),
                    response_schema: response_schema.clone(),
                    request_schema: request_schema.clone(),
                    response: ex
                        .get("response")
                        .and_then(SpecValue::as_str)
                        .map(str::to_owned),
                    curl: ex
                        .pointer("#/request/curl")
                        .and_then(SpecValue::as_str)
                        .map(str::to_owned),
                });
            }
        }
    }
    out
}

/// The JSON body of a curl example (`-d '{...}'`), if it has one.
pub fn curl_body(curl: &str) -> Option<Value> {
    let start = curl.find("-d '")? + 4;
    let end = start + curl[start..].find('\'')?;
    serde_json::from_str(&curl[start..end]).ok()
}

/// Where `have` loses or changes something `want` has: every key of `want` must be in `have`
/// with the same value (recursively); `have` may hold more (defaults of absent fields).
pub fn missing(want: &Value, have: &Value, at: &str) -> Option<String> {
    differs(want, have, at, false)
}

/// [`missing`] for what a decoded value lost, where a `null` may be gone: an optional field the
/// spec does not let be `null` decodes it as `None`, which encodes as absent.
pub fn lost(want: &Value, have: &Value, at: &str) -> Option<String> {
    differs(want, have, at, true)
}

fn differs(want: &Value, have: &Value, at: &str, nulls_may_go: bool) -> Option<String> {
    match (want, have) {
        (Value::Object(w), Value::Object(h)) => w.iter().find_map(|(k, wv)| match h.get(k) {
            Some(hv) => differs(wv, hv, &format!("{at}/{k}"), nulls_may_go),
            None if nulls_may_go && wv.is_null() => None,
            None => Some(format!("{at}/{k} is gone")),
        }),
        (Value::Array(w), Value::Array(h)) if w.len() == h.len() => w
            .iter()
            .zip(h)
            .enumerate()
            .find_map(|(i, (wv, hv))| differs(wv, hv, &format!("{at}/{i}"), nulls_may_go)),
        (Value::Number(w), Value::Number(h)) if w.as_f64() == h.as_f64() => None,
        _ if want == have => None,
        _ => Some(format!("{at}: expected {want}, got {have}")),
    }
}

/// Names listed in `tests/corpus-exceptions.txt` (`id<TAB>reason` lines) for a test kind.
pub fn exceptions(kind: &str) -> Vec<String> {
    let text = std::fs::read_to_string(workspace_root().join("tests/corpus-exceptions.txt"))
        .unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.splitn(3, " | ");
            let (k, id) = (parts.next()?.trim(), parts.next()?.trim());
            let reason = parts.next().unwrap_or_default().trim();
            assert!(!reason.is_empty(), "corpus exception without a reason: {l}");
            (k == kind).then(|| id.to_owned())
        })
        .collect()
}

/// Runs the SDK's example `name` (built beside the tests by `cargo test`) against `base_url`
/// with a test key: whether it succeeded, and what it printed.
pub fn run_example(name: &str, base_url: &str) -> (bool, String) {
    let bin = std::env::current_exe()
        .expect("the test binary")
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>")
        .join("examples")
        .join(name);
    assert!(
        bin.exists(),
        "{} is not built: run the workspace's tests (`cargo xtask test`) or `cargo build --examples`",
        bin.display()
    );
    let out = std::process::Command::new(&bin)
        .env("OPENAI_BASE_URL", base_url)
        .env("OPENAI_API_KEY", "sk-test")
        .env_remove("OPENAI_ORG_ID")
        .env_remove("OPENAI_PROJECT_ID")
        .output()
        .expect("the example runs");
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), said)
}

/// A client of a local fake server at `base_url`, with a test key.
pub fn local_client(base_url: &str) -> openai_sdk::Client {
    openai_sdk::Client::builder()
        .api_key("k")
        .base_url(base_url)
        .build()
        .expect("a client")
}
