//! Calls to any endpoint: one newer than the spec the SDK was generated from, or an
//! OpenAI-compatible server's own (vLLM, Ollama, OpenRouter). They go through everything a
//! generated method does: base URL, auth, default headers, retries, timeouts, typed errors and
//! traces.
//!
//! ```no_run
//! # async fn run(client: openai_sdk::Client) -> Result<(), openai_sdk::Error> {
//! #[derive(serde::Deserialize)]
//! struct Health {
//!     status: String,
//! }
//! let health: Health = client.get("/health").await?;
//! let echo: serde_json::Value = client
//!     .post("/echo", &serde_json::json!({"text": "hi"}))
//!     .query_param("verbose", "1")
//!     .await?;
//! # Ok(()) }
//! ```

use crate::client::Client;
use crate::request::{Decode, Request};
use crate::{EventStream, rt};
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

impl Client {
    /// `GET` `path` (under the base URL), its JSON answer decoded as `T` (any
    /// `DeserializeOwned`: a type of yours, an SDK type, or `serde_json::Value`).
    pub fn get<T: DeserializeOwned + Send + 'static>(&self, path: &str) -> Request<T> {
        self.request(Method::GET, path)
    }

    /// `POST` `body` as JSON to `path`, its JSON answer decoded as `T`.
    pub fn post<T: DeserializeOwned + Send + 'static>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Request<T> {
        self.request(Method::POST, path).json_body(body)
    }

    /// `POST` `body` as JSON to `path`, its answer taken as server-sent events decoded as `E`
    /// (the body asks for the stream itself, as with `"stream": true`). Awaiting it returns once
    /// the response headers are in.
    pub fn post_stream<E: DeserializeOwned + Send + 'static>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Request<EventStream<E>> {
        self.post::<()>(path, body)
            .retype(Decode::Live(EventStream::new, Default::default()))
    }

    /// `DELETE` `path`, its JSON answer decoded as `T`.
    pub fn delete<T: DeserializeOwned + Send + 'static>(&self, path: &str) -> Request<T> {
        self.request(Method::DELETE, path)
    }

    /// A call of any method to `path`: the path under the base URL (`/models/gpt-4o`, encoded
    /// as it should be sent), with a query string if it has one. Set a body with
    /// [`Request::json`]; take the answer unread with [`Request::raw_response`].
    pub fn request<T: DeserializeOwned + Send + 'static>(
        &self,
        method: Method,
        path: &str,
    ) -> Request<T> {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        Request::with_decode(self, method, Ok(path), Decode::Body(rt::decode_json::<T>))
            .extend_query(pairs)
    }
}

impl<T: Send + 'static> Request<T> {
    /// Sends `body` as JSON (replacing any body set before). Fields the SDK's request types do
    /// not list go in their `extra` map instead.
    pub fn json(self, body: &impl Serialize) -> Self {
        self.json_body(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_take_a_slash_and_keep_their_query() {
        let client = Client::builder()
            .base_url("https://example.com/v1")
            .api_key("k")
            .build()
            .unwrap();
        let url = |path: &str| {
            let request: Request<serde_json::Value> = client.get(path);
            String::from(request.url().unwrap())
        };
        assert_eq!(url("models"), "https://example.com/v1/models");
        assert_eq!(
            url("/a/b%2Fc?x=1&y=a+b"),
            "https://example.com/v1/a/b%2Fc?x=1&y=a+b"
        );
    }
}
