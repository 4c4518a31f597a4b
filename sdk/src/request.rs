//! One API call, ready to send: per-request options, retries, and the ways to receive the
//! response (decoded, with its status and headers, or as a byte stream).

use crate::body::{Body as AnswerBody, Failure, Timeouts};
use crate::client::{Auth, Client, header, request_id};
use crate::encode::{self, Part};
use crate::error::{ApiError, Error, Result};
use crate::retry;
use crate::rt::Received;
use crate::stream::{Framing, StreamEnd};
use crate::trace;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use reqwest::Method;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::{Duration, SystemTime};

/// Turns a successful response body into the operation's result, knowing what the server said
/// it is.
pub(crate) type Decoder<T> = fn(Bytes, &Received) -> std::result::Result<T, serde_json::Error>;

/// How a successful response becomes the result: read whole, or handed over as it arrives.
pub(crate) enum Decode<T> {
    Body(Decoder<T>),
    /// Made from the response once its headers are in (a stream, a download); it keeps the
    /// call's span and timeouts until its body ends.
    Live(fn(reqwest::Response, Live) -> T, Framing),
}

// Function pointers are `Copy` whatever `T` is (a derive would ask `T: Copy`).
impl<T> Clone for Decode<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Decode<T> {}

/// What an answer read as it arrives takes over from its call.
pub(crate) struct Live {
    pub(crate) timeouts: Timeouts,
    pub(crate) call: trace::Call,
    pub(crate) framing: Framing,
    /// The call's client and options, for a stream that resumes with another request.
    pub(crate) client: Client,
    pub(crate) options: RequestOptions,
}

impl Live {
    /// The answer has been read, or has failed with `result`'s error: the call's span ends.
    pub(crate) fn finish<R>(&mut self, result: Result<R>) -> Result<R> {
        if let Err(e) = &result {
            self.call.failed(e);
        }
        self.call.end();
        result
    }
}

/// How the body is encoded. The generator picks JSON, then multipart (when files go), then a
/// form, then text, so on this spec `Form` and `Raw` are unused: every operation that offers them
/// also offers JSON or multipart. They stay for specs that offer only those.
#[derive(Clone, Debug)]
#[allow(dead_code)]
enum Body {
    None,
    Json(Bytes),
    Form(Vec<(String, String)>),
    Multipart(Vec<Part>),
    Raw(Bytes, &'static str),
}

/// Per-call settings that override the client's.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct RequestOptions {
    pub extra_headers: Vec<(String, String)>,
    pub extra_query: Vec<(String, String)>,
    /// The read timeout: the longest wait for the answer's next bytes.
    pub timeout: Option<Duration>,
    /// The longest the whole call may take: every attempt, the waits between them, and reading
    /// the answer (a stream or a download to its end).
    pub total_timeout: Option<Duration>,
    pub max_retries: Option<u32>,
}

/// A decoded response with what came with it.
#[derive(Clone, Debug)]
pub struct ApiResponse<T> {
    pub data: T,
    pub status: u16,
    pub headers: HeaderMap,
    /// `x-request-id`, for support requests.
    pub request_id: Option<String>,
}

/// A call to the API. `.await` it for the result; set options first if needed:
///
/// ```no_run
/// # async fn run(client: openai_sdk::Client) -> Result<(), openai_sdk::Error> {
/// let page = client
///     .models()
///     .list()
///     .header("x-trace", "abc")
///     .timeout(std::time::Duration::from_secs(20))
///     .max_retries(5)
///     .with_response()
///     .await?;
/// println!("{:?} {} models", page.request_id, page.data.data.len());
/// # Ok(()) }
/// ```
#[must_use = "a request does nothing until it is awaited"]
pub struct Request<T> {
    client: Client,
    method: Method,
    path: String,
    /// The spec's path template (`/files/{file_id}`) and operation id, for traces; empty for a
    /// call to a path of the caller's (then the trace shows the path).
    route: &'static str,
    operation: &'static str,
    auth: Auth,
    query: Vec<(String, String)>,
    /// Header parameters of the operation (before the caller's extra headers).
    headers: Vec<(String, String)>,
    body: Body,
    options: RequestOptions,
    /// An argument problem found while building; reported when the request is sent.
    error: Option<Error>,
    decode: Decode<T>,
    /// The union variant the request asks the answer to be (see [`Request::variant_by`]).
    variant: Option<usize>,
}

impl<T> std::fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Request<T> {
    /// A call of the operation `operation` (its id in the spec) at `route` (the spec's path
    /// template), its holes filled with `params` in order.
    pub(crate) fn new(
        client: &Client,
        operation: &'static str,
        method: Method,
        route: &'static str,
        params: &[&str],
        decode: Decoder<T>,
    ) -> Self {
        Request::with_decode(
            client,
            method,
            encode::path(route, params),
            Decode::Body(decode),
        )
        .named(operation, route)
    }

    /// A call of the operation whose answer `make` takes over once its headers are in.
    fn live(
        client: &Client,
        operation: &'static str,
        method: Method,
        route: &'static str,
        params: &[&str],
        make: fn(reqwest::Response, Live) -> T,
    ) -> Self {
        Request::with_decode(
            client,
            method,
            encode::path(route, params),
            Decode::Live(make, Framing::default()),
        )
        .named(operation, route)
    }

    pub(crate) fn with_decode(
        client: &Client,
        method: Method,
        path: Result<String>,
        decode: Decode<T>,
    ) -> Self {
        let (path, error) = match path {
            Ok(p) => (p, None),
            Err(e) => (String::new(), Some(e)),
        };
        Request {
            client: client.clone(),
            method,
            path,
            route: "",
            operation: "",
            auth: Auth::Key,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::None,
            options: RequestOptions::default(),
            error,
            decode,
            variant: None,
        }
    }

    pub(crate) fn named(mut self, operation: &'static str, route: &'static str) -> Self {
        self.operation = operation;
        self.route = route;
        self
    }

    /// The call takes the admin key (the spec's `AdminApiKeyAuth`).
    pub(crate) fn admin(mut self) -> Self {
        self.auth = Auth::Admin;
        self
    }

    /// The same call, its response received by `decode`.
    pub(crate) fn retype<U>(self, decode: Decode<U>) -> Request<U> {
        Request {
            client: self.client,
            method: self.method,
            path: self.path,
            route: self.route,
            operation: self.operation,
            auth: self.auth,
            query: self.query,
            headers: self.headers,
            body: self.body,
            options: self.options,
            error: self.error,
            decode,
            variant: self.variant,
        }
    }

    /// Sets (`Some`) or removes (`None`) one top-level field of the encoded body: how a streaming
    /// method turns streaming on, and its plain sibling off, whatever the body says.
    pub(crate) fn body_field(mut self, name: &str, value: Option<serde_json::Value>) -> Self {
        self.body = match std::mem::replace(&mut self.body, Body::None) {
            // Usually the key is nowhere in the body: nothing to remove, and a field to add
            // goes before the closing brace, without decoding the body again.
            Body::Json(bytes) if !has_key(&bytes, name) => match value {
                None => Body::Json(bytes),
                Some(v) => {
                    let mut out = bytes.to_vec();
                    if out.pop() == Some(b'}') {
                        if out.len() > 1 {
                            out.push(b',');
                        }
                        // `{"stream":true}` without its opening brace.
                        let field = serde_json::json!({ name: v }).to_string();
                        out.extend_from_slice(&field.as_bytes()[1..]);
                        Body::Json(out.into())
                    } else {
                        Body::Json(bytes)
                    }
                }
            },
            Body::Json(bytes) => match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(serde_json::Value::Object(mut map)) => {
                    match value {
                        Some(v) => map.insert(name.to_owned(), v),
                        None => map.remove(name),
                    };
                    Body::Json(serde_json::to_vec(&map).expect("a JSON map encodes").into())
                }
                _ => Body::Json(bytes),
            },
            Body::Multipart(mut parts) => {
                parts.retain(|p| !matches!(p, Part::Text(k, _) if k == name));
                if let Some(v) = value {
                    let text = match v {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    parts.push(Part::Text(name.to_owned(), text));
                }
                Body::Multipart(parts)
            }
            other => other,
        };
        self
    }

    fn fail(mut self, error: Error) -> Self {
        self.error.get_or_insert(error);
        self
    }

    pub(crate) fn json_body(mut self, body: &impl Serialize) -> Self {
        match crate::rt::checking(|| serde_json::to_vec(body)) {
            Ok(bytes) => {
                self.body = Body::Json(bytes.into());
                self
            }
            Err(e) => self.fail(crate::required::encode_error(e, || {
                serde_json::from_slice(&serde_json::to_vec(body).ok()?).ok()
            })),
        }
    }

    #[allow(dead_code)]
    pub(crate) fn form_body(mut self, body: &impl Serialize) -> Self {
        match encode::query(body) {
            Ok(pairs) => {
                self.body = Body::Form(pairs);
                self
            }
            Err(e) => self.fail(e),
        }
    }

    pub(crate) fn multipart_body(mut self, body: &impl Serialize) -> Self {
        match encode::flatten(body) {
            Ok(parts) => {
                self.body = Body::Multipart(parts);
                self
            }
            Err(e) => self.fail(e),
        }
    }

    /// For operations that take one schema as JSON or multipart: multipart only when files go
    /// (as the official SDKs do), since an upload-less multipart form may be empty.
    pub(crate) fn json_or_multipart_body(self, body: &impl Serialize) -> Self {
        match encode::flatten(body) {
            Ok(parts) if parts.iter().any(|p| matches!(p, Part::File(..))) => Request {
                body: Body::Multipart(parts),
                ..self
            },
            Ok(_) => self.json_body(body),
            Err(e) => self.fail(e),
        }
    }

    #[allow(dead_code)]
    pub(crate) fn text_body(mut self, body: impl Into<String>, content_type: &'static str) -> Self {
        self.body = Body::Raw(Bytes::from(body.into()), content_type);
        self
    }

    pub(crate) fn query(mut self, params: &impl Serialize) -> Self {
        match encode::query(params) {
            Ok(pairs) => {
                self.query.extend(pairs);
                self
            }
            Err(e) => self.fail(e),
        }
    }

    /// [`query`](Self::query) for parameters some of which are headers: the fields named in
    /// `headers` are sent as headers (a list as its items joined by commas, the `simple` style).
    #[allow(dead_code)]
    pub(crate) fn query_and_headers(mut self, params: &impl Serialize, headers: &[&str]) -> Self {
        let pairs = match encode::query(params) {
            Ok(pairs) => pairs,
            Err(e) => return self.fail(e),
        };
        for (key, value) in pairs {
            let name = key.strip_suffix("[]").unwrap_or(&key);
            if !headers.contains(&name) {
                self.query.push((key, value));
            } else if let Some((_, joined)) = self.headers.iter_mut().find(|(n, _)| n == name) {
                joined.push(',');
                joined.push_str(&value);
            } else {
                self.headers.push((name.to_owned(), value));
            }
        }
        self
    }

    /// Sets (`Some`) or removes (`None`) a query parameter, whatever the parameters say: how a
    /// `GET` asks for its object as a stream (`stream=true`), and its plain sibling does not.
    pub(crate) fn query_switch(mut self, name: &str, value: Option<&str>) -> Self {
        self.query.retain(|(k, _)| k != name);
        if let Some(value) = value {
            self.query.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    pub(crate) fn extend_query(mut self, pairs: Vec<(String, String)>) -> Self {
        self.query.extend(pairs);
        self
    }

    /// Query pairs the operation's path always carries (`/responses?beta=true`).
    #[allow(dead_code)]
    pub(crate) fn fixed_query(mut self, pairs: &[(&str, &str)]) -> Self {
        self.query.extend(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        self
    }

    /// Sends an extra header (overriding the client's and the SDK's own).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.extra_headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query parameter the spec does not list.
    pub fn query_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.extra_query.push((name.into(), value.into()));
        self
    }

    /// The read timeout for this call: the longest wait for the answer's next bytes (its
    /// headers, then each chunk of its body), as openai-python's `timeout=` sets httpx's. A stream
    /// or a download lives as long as bytes keep coming.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The longest this call may take in all: every attempt, the waits between them, and
    /// reading the answer (a stream or a download to its end). None by default.
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.options.total_timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt for this call.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.options.max_retries = Some(retries);
        self
    }

    /// Replaces all per-call options at once.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Sends the request and returns the decoded body with its status, headers and request id.
    pub async fn with_response(self) -> Result<ApiResponse<T>> {
        let call = trace::Call::start(&self.method, self.route_or_path(), self.operation);
        call.instrument(self.respond(call.clone())).await
    }

    async fn respond(self, call: trace::Call) -> Result<ApiResponse<T>> {
        let timeouts = self.timeouts();
        let variant = self.variant;
        let decode = match self.decode {
            Decode::Live(make, framing) => {
                let (client, options) = (self.client.clone(), self.options.clone());
                let response: reqwest::Response = self.execute(&call, timeouts).await?;
                let status = response.status().as_u16();
                let headers = response.headers().clone();
                let request_id = request_id(&headers);
                call.done(status, request_id.as_deref());
                let live = Live {
                    timeouts,
                    call,
                    framing,
                    client,
                    options,
                };
                let data = make(response, live);
                return Ok(ApiResponse {
                    data,
                    status,
                    headers,
                    request_id,
                });
            }
            Decode::Body(decode) => decode,
        };
        let Whole {
            status,
            headers,
            body,
        } = self.execute(&call, timeouts).await?;
        let request_id = request_id(&headers);
        call.done(status, request_id.as_deref());
        let received = Received {
            content_type: headers
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default(),
            variant,
        };
        match decode(body.clone(), &received) {
            Ok(data) => Ok(ApiResponse {
                data,
                status,
                headers,
                request_id,
            }),
            Err(source) => Err(Error::decode(source, &body, request_id)),
        }
    }

    /// Sends the request and streams the body as it arrives (for large downloads), under the
    /// read timeout between chunks. Errors before the body starts are returned here; dropping
    /// the stream closes the connection.
    pub async fn bytes_stream(self) -> Result<impl Stream<Item = Result<Bytes>> + Send + 'static> {
        let timeouts = self.timeouts();
        let response = self.raw_response().await?;
        Ok(AnswerBody::new(response, timeouts).map(|chunk| chunk.map_err(Failure::into_error)))
    }

    /// Sends the request (with retries) and returns the successful response as `reqwest` gives
    /// it, its body unread: for bodies the SDK does not decode. An error status is an
    /// [`Error::Api`] here as everywhere. The timeouts bound the wait for the headers only.
    pub async fn raw_response(self) -> Result<reqwest::Response> {
        let call = trace::Call::start(&self.method, self.route_or_path(), self.operation);
        let timeouts = self.timeouts();
        let response: reqwest::Response = call.instrument(self.execute(&call, timeouts)).await?;
        call.done(
            response.status().as_u16(),
            request_id(response.headers()).as_deref(),
        );
        Ok(response)
    }

    /// The call's timeouts, its total one starting now.
    fn timeouts(&self) -> Timeouts {
        let inner = &self.client.inner;
        Timeouts::new(
            self.options.timeout.unwrap_or(inner.timeout),
            self.options.total_timeout.or(inner.total_timeout),
        )
    }

    /// What traces show as the path: the spec's template, or the path of a call of the caller's.
    fn route_or_path(&self) -> &str {
        if self.route.is_empty() {
            &self.path
        } else {
            self.route
        }
    }

    pub(crate) fn url(&self) -> Result<reqwest::Url> {
        let inner = &self.client.inner;
        let mut url = self.client.base()?;
        // The base's path (`/v1`, or `/` for none) then the operation's, already encoded.
        let base_path = url.path().trim_end_matches('/');
        let deployment = inner
            .azure
            .as_ref()
            .and_then(|azure| azure.deployment_prefix(&self.path, || self.body_model()))
            .transpose()?;
        let deployment = deployment.as_deref().unwrap_or_default();
        let mut path = String::with_capacity(base_path.len() + deployment.len() + self.path.len());
        path.push_str(base_path);
        path.push_str(deployment);
        path.push_str(&self.path);
        url.set_path(&path);
        let api_version = inner.azure.as_ref().map(|azure| azure.query());
        if !self.query.is_empty() || !self.options.extra_query.is_empty() || api_version.is_some() {
            url.query_pairs_mut().extend_pairs(
                api_version
                    .iter()
                    .copied()
                    .chain(self.query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                    .chain(
                        self.options
                            .extra_query
                            .iter()
                            .map(|(k, v)| (k.as_str(), v.as_str())),
                    ),
            );
        }
        Ok(url)
    }

    /// The body's `model`, if it names one (JSON or multipart).
    fn body_model(&self) -> Option<String> {
        self.body_text("model")
    }

    /// A top-level string field of the body (JSON, multipart or form), if it has one.
    fn body_text(&self, field: &str) -> Option<String> {
        match &self.body {
            Body::Json(bytes) => {
                crate::rt::top_level::<Option<String>>(std::str::from_utf8(bytes).ok()?, field)?
            }
            Body::Multipart(parts) => parts.iter().find_map(|p| match p {
                Part::Text(name, value) if name == field => Some(value.clone()),
                _ => None,
            }),
            Body::Form(pairs) => pairs
                .iter()
                .find(|(k, _)| k == field)
                .map(|(_, v)| v.clone()),
            Body::None | Body::Raw(..) => None,
        }
    }

    /// The answer is decoded as the union variant the body's `field` asks for: `values` maps
    /// the field's values to variants, `default` is the value the API takes when the body leaves
    /// it out (a transcription's `response_format`: `verbose_json` → the verbose variant). Set
    /// after the body.
    pub(crate) fn variant_by(
        mut self,
        field: &str,
        values: &[(&str, usize)],
        default: Option<&str>,
    ) -> Self {
        let value = self.body_text(field).or_else(|| default.map(str::to_owned));
        self.variant = value.and_then(|v| values.iter().find(|(k, _)| *k == v).map(|(_, i)| *i));
        self
    }

    fn headers(&self, credential: (HeaderName, HeaderValue)) -> Result<HeaderMap> {
        let mut headers = self.client.inner.headers.clone();
        headers.insert(credential.0, credential.1);
        let content_type = match &self.body {
            Body::Json(_) => Some("application/json"),
            Body::Form(_) => Some("application/x-www-form-urlencoded"),
            Body::Raw(_, ct) => Some(*ct),
            Body::None | Body::Multipart(_) => None,
        };
        if let Some(ct) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        for (name, value) in self.headers.iter().chain(&self.options.extra_headers) {
            let (name, value) = header(name, value)?;
            headers.insert(name, value);
        }
        Ok(headers)
    }

    /// One attempt. The URL and headers are built anew for each (retries are rare), so that
    /// the usual single attempt moves them into the request instead of cloning them.
    async fn attempt(&self) -> Result<reqwest::RequestBuilder> {
        let credential = self.client.credential(self.auth).await?;
        let mut request = reqwest::Request::new(self.method.clone(), self.url()?);
        *request.headers_mut() = self.headers(credential)?;
        let builder = reqwest::RequestBuilder::from_parts(self.client.inner.http.clone(), request);
        Ok(match &self.body {
            Body::None => builder,
            Body::Json(bytes) | Body::Raw(bytes, _) => builder.body(bytes.clone()),
            Body::Form(pairs) => builder.body(
                form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs)
                    .finish(),
            ),
            Body::Multipart(parts) => builder.multipart(encode::multipart(parts)),
        })
    }

    /// The first attempt as it would go out, or the argument problem found while building.
    pub(crate) async fn prepare(mut self) -> Result<reqwest::RequestBuilder> {
        match self.error.take() {
            Some(error) => Err(error),
            None => self.attempt().await,
        }
    }

    /// Sends with retries; returns the first successful response as `A`, or the error that ended
    /// it. Taking the answer is part of the attempt: a body read whole ([`Whole`]) that is cut
    /// short or stalls past the read timeout is retried like a failed send. Each wait (for the
    /// headers, for each chunk of a body read whole) is bounded by the read timeout, and the
    /// whole call by the deadline, if any.
    async fn execute<A: Answer>(mut self, call: &trace::Call, timeouts: Timeouts) -> Result<A> {
        if let Some(error) = self.error.take() {
            call.failed(&error);
            return Err(error);
        }
        let max_retries = self
            .options
            .max_retries
            .unwrap_or(self.client.inner.max_retries);
        let mut retry = 0;
        let fail = |error: Error| {
            call.failed(&error);
            Err(error)
        };
        loop {
            call.attempt(retry + 1);
            let request = match self.attempt().await {
                Ok(request) => request,
                Err(e) => return fail(e),
            };
            let failure = match timeouts.wait(request.send()).await {
                Ok(Ok(response)) if response.status().is_success() => {
                    match A::take(response, timeouts).await {
                        Ok(answer) => return Ok(answer),
                        Err(failure) => failure,
                    }
                }
                Ok(Ok(response)) => {
                    let status = response.status().as_u16();
                    if retry < max_retries && retry::should_retry(status, response.headers()) {
                        let why = trace::Retry::Status(status);
                        let delay = self.retry_delay(retry, response.headers());
                        if timeouts.passes_deadline(delay) {
                            return fail(self.api_error(response, call, timeouts).await);
                        }
                        call.retrying(retry + 1, delay, why);
                        tokio::time::sleep(delay).await;
                        retry += 1;
                        continue;
                    }
                    return fail(self.api_error(response, call, timeouts).await);
                }
                Ok(Err(e)) if !retryable(&e) => return fail(Error::Transport(e)),
                Ok(Err(e)) => Failure::Transport(e),
                Err(after) => Failure::Timeout(after),
            };
            // Connection problems, stalls and bodies cut short are worth another attempt, unless
            // the call's deadline has passed.
            let delay = self.retry_delay(retry, &HeaderMap::new());
            if retry >= max_retries || timeouts.passes_deadline(delay) {
                return fail(failure.into_error());
            }
            let why = match failure {
                Failure::Transport(e) => trace::Retry::Transport(e),
                Failure::Timeout(after) => trace::Retry::Timeout(after),
            };
            call.retrying(retry + 1, delay, why);
            tokio::time::sleep(delay).await;
            retry += 1;
        }
    }

    /// How long to wait before retry `retry + 1`, as the last answer's headers ask.
    fn retry_delay(&self, retry: u32, headers: &HeaderMap) -> Duration {
        retry::delay(retry, headers, SystemTime::now(), fastrand::f64())
    }

    /// The error an error status is, its body read (within the timeouts) for the message.
    async fn api_error(
        &self,
        response: reqwest::Response,
        call: &trace::Call,
        timeouts: Timeouts,
    ) -> Error {
        let status = response.status().as_u16();
        let request_id = request_id(response.headers());
        call.done(status, request_id.as_deref());
        let body = AnswerBody::new(response, timeouts)
            .read_all(None)
            .await
            .unwrap_or_default();
        Error::Api(Box::new(ApiError::from_body(status, &body, request_id)))
    }
}

/// What a successful response becomes within its attempt: itself, its body unread (a stream, a
/// download), or [`Whole`].
trait Answer: Sized + Send {
    fn take(
        response: reqwest::Response,
        timeouts: Timeouts,
    ) -> impl Future<Output = std::result::Result<Self, Failure>> + Send;
}

impl Answer for reqwest::Response {
    fn take(
        response: reqwest::Response,
        _: Timeouts,
    ) -> impl Future<Output = std::result::Result<Self, Failure>> + Send {
        std::future::ready(Ok(response))
    }
}

/// A response with its body read whole.
struct Whole {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer for Whole {
    async fn take(
        mut response: reqwest::Response,
        timeouts: Timeouts,
    ) -> std::result::Result<Self, Failure> {
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let size = headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse().ok());
        let body = AnswerBody::new(response, timeouts).read_all(size).await?;
        Ok(Whole {
            status,
            headers,
            body,
        })
    }
}

impl Request<crate::Download> {
    /// A call whose answer is a file, read as it arrives ([`crate::Download`]): awaiting it
    /// returns once the response headers are in.
    pub(crate) fn download(
        client: &Client,
        operation: &'static str,
        method: Method,
        route: &'static str,
        params: &[&str],
    ) -> Self {
        Request::live(
            client,
            operation,
            method,
            route,
            params,
            crate::Download::new,
        )
    }
}

impl<E: serde::de::DeserializeOwned + Send + 'static> Request<crate::EventStream<E>> {
    /// A call whose answer is a stream of events; awaiting it returns once the response
    /// headers are in (an error status is returned then, with its body), before any event.
    pub(crate) fn events(
        client: &Client,
        operation: &'static str,
        method: Method,
        route: &'static str,
        params: &[&str],
    ) -> Self {
        Request::live(
            client,
            operation,
            method,
            route,
            params,
            crate::EventStream::new,
        )
    }

    /// Its events are whole frames, decoded from each one's `event:` name and `data:` together
    /// (as the spec describes the Assistants run events).
    pub(crate) fn framed(self) -> Self {
        self.framing(|f| f.framed = true)
    }

    /// A complete stream ends so; one that stops before is [`Error::Stream`].
    pub(crate) fn ends(self, end: StreamEnd) -> Self {
        self.framing(|f| f.end = end)
    }

    /// When its connection breaks, the stream resumes from its last event through `resume`.
    pub(crate) fn resumes(self, resume: crate::resume::Resume) -> Self {
        self.framing(|f| f.resume = Some(resume))
    }

    fn framing(mut self, set: impl FnOnce(&mut Framing)) -> Self {
        if let Decode::Live(_, framing) = &mut self.decode {
            set(framing);
        }
        self
    }
}

impl<T: Send + 'static> IntoFuture for Request<T> {
    type Output = Result<T>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.with_response().await.map(|r| r.data) })
    }
}

/// Whether `name` appears in quotes in the JSON (as a key, or as a string value: then the
/// slow path decodes the body to be sure). Each place the name occurs is checked for quotes
/// around it: no quoted copy of the name to allocate, and the name is rarer than quotes
/// (49 ns against 190 ns for a check at each quote, on a chat request's body).
fn has_key(json: &[u8], name: &str) -> bool {
    let name = name.as_bytes();
    memchr::memmem::find_iter(json, name)
        .any(|at| at > 0 && json[at - 1] == b'"' && json.get(at + name.len()) == Some(&b'"'))
}

/// Connection problems and timeouts are worth another attempt; a request that could not even be
/// built is not.
fn retryable(e: &reqwest::Error) -> bool {
    !(e.is_builder() || e.is_redirect() || e.is_decode())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_of(request: &Request<()>) -> serde_json::Value {
        match &request.body {
            Body::Json(bytes) => serde_json::from_slice(bytes).unwrap(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn urls_join_the_base_path_and_the_operation_path() {
        let url = |base: &str, path: &str| {
            let client = Client::builder().base_url(base).build().unwrap();
            Request::with_decode(
                &client,
                Method::GET,
                Ok(path.into()),
                Decode::Body(crate::rt::decode_empty),
            )
            .query_param("after", "a b")
            .url()
            .map(String::from)
        };
        assert_eq!(
            url("https://api.example.com/v1/", "/files/file%2F1").unwrap(),
            "https://api.example.com/v1/files/file%2F1?after=a+b"
        );
        assert_eq!(
            url("http://127.0.0.1:8080", "/models").unwrap(),
            "http://127.0.0.1:8080/models?after=a+b"
        );
        let bad = url("not a url", "/models").unwrap_err().to_string();
        assert!(bad.contains("invalid base URL `not a url`"), "{bad}");
    }

    #[test]
    fn body_fields_are_switched_on_and_off() {
        let client = Client::builder().api_key("k").build().unwrap();
        let new = || {
            Request::with_decode(
                &client,
                Method::POST,
                Ok("/x".into()),
                Decode::Body(crate::rt::decode_empty),
            )
        };
        let on = new()
            .json_body(&serde_json::json!({"model": "m"}))
            .body_field("stream", Some(true.into()));
        assert_eq!(
            json_of(&on),
            serde_json::json!({"model": "m", "stream": true})
        );
        let empty = new()
            .json_body(&serde_json::json!({}))
            .body_field("stream", Some(true.into()));
        assert_eq!(json_of(&empty), serde_json::json!({"stream": true}));
        let off = new()
            .json_body(&serde_json::json!({"model": "m", "stream": true}))
            .body_field("stream", None);
        assert_eq!(json_of(&off), serde_json::json!({"model": "m"}));
        let replaced = new()
            .json_body(&serde_json::json!({"stream": false}))
            .body_field("stream", Some(true.into()));
        assert_eq!(json_of(&replaced), serde_json::json!({"stream": true}));
        let text = new()
            .json_body(&serde_json::json!({"input": "say \"stream\""}))
            .body_field("stream", None);
        assert_eq!(
            json_of(&text),
            serde_json::json!({"input": "say \"stream\""})
        );
    }

    #[test]
    fn header_parameters_and_fixed_queries() {
        let client = Client::builder()
            .base_url("https://api.example.com/v1")
            .api_key("k")
            .build()
            .unwrap();
        let params = serde_json::json!({
            "include": ["a", "b"],
            "openai-beta": ["x=v1", "y=v2"],
            "trace": "t1",
        });
        let request = Request::with_decode(
            &client,
            Method::GET,
            Ok("/responses/r1".into()),
            Decode::Body(crate::rt::decode_empty),
        )
        .query_and_headers(&params, &["openai-beta", "trace"])
        .fixed_query(&[("beta", "true")])
        .header("trace", "from-the-caller");
        assert_eq!(
            String::from(request.url().unwrap()),
            "https://api.example.com/v1/responses/r1?include%5B%5D=a&include%5B%5D=b&beta=true"
        );
        let headers = request
            .headers((
                reqwest::header::AUTHORIZATION,
                HeaderValue::from_static("k"),
            ))
            .unwrap();
        // A list is one header, its items joined by commas (the `simple` style).
        assert_eq!(headers["openai-beta"], "x=v1,y=v2");
        // The caller's extra header wins over the parameter.
        assert_eq!(headers["trace"], "from-the-caller");
    }
}
