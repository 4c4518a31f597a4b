//! The client and its configuration.

use crate::error::{Error, Result};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
/// The read timeout: the longest wait for an answer's next bytes (openai-python's 600 s).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// The longest wait for a connection (openai-python's 5 s).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// A credential: never shown by `Debug`, `Display`, errors or logs.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A header of the caller's, checked.
pub(crate) fn header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue)> {
    let bad = || Error::InvalidArgument(format!("invalid header `{name}`"));
    Ok((
        HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad())?,
        HeaderValue::from_str(value).map_err(|_| bad())?,
    ))
}

/// The request id a response's headers carry (`x-request-id`), for support requests.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// A header value that hides itself (from HTTP/2 header compression and from debug output);
/// `None` if `text` cannot be a header value.
pub(crate) fn sensitive(text: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(text).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// A credential as sent, its header built once per client rather than per request (`None` if
/// the key cannot be a header value: reported by the first call that needs it).
pub(crate) enum Credential {
    /// `Authorization: Bearer <key>` (OpenAI; an Azure Entra token given as it is).
    Bearer(Option<HeaderValue>),
    /// `api-key: <key>` (Azure OpenAI).
    ApiKey(Option<HeaderValue>),
    /// `Authorization: Bearer <token>`, the token asked of a provider when the last expires.
    Tokens(crate::azure::TokenCache),
}

impl Credential {
    pub(crate) fn bearer(secret: Secret) -> Self {
        Credential::Bearer(sensitive(&format!("Bearer {}", secret.0)))
    }

    /// The header to send.
    async fn header(&self) -> Result<(HeaderName, HeaderValue)> {
        let (name, value) = match self {
            Credential::Bearer(v) => (reqwest::header::AUTHORIZATION, v.clone()),
            Credential::ApiKey(v) => (HeaderName::from_static("api-key"), v.clone()),
            Credential::Tokens(cache) => (reqwest::header::AUTHORIZATION, Some(cache.get().await?)),
        };
        let value = value.ok_or_else(|| {
            Error::InvalidArgument("the API key is not a valid header value".to_owned())
        })?;
        Ok((name, value))
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Which credential an operation takes (the spec's `ApiKeyAuth` or `AdminApiKeyAuth`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Auth {
    Key,
    Admin,
}

/// An OpenAI API client. Cheap to clone: clones share one connection pool and configuration.
///
/// ```no_run
/// # async fn run() -> Result<(), openai_sdk::Error> {
/// let client = openai_sdk::Client::new(); // OPENAI_API_KEY, OPENAI_BASE_URL, … from the environment
/// let models = client.models().list().await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    /// `base_url` parsed once (`None` if it does not parse: each call reports it); requests
    /// set their path on a copy, which costs a fraction of parsing a whole URL.
    pub(crate) base: Option<reqwest::Url>,
    api_key: Option<Credential>,
    admin_api_key: Option<Credential>,
    /// Set for an Azure OpenAI client: its `api-version` and deployment.
    pub(crate) azure: Option<crate::azure::Azure>,
    pub(crate) headers: HeaderMap,
    /// The read timeout.
    pub(crate) timeout: Duration,
    pub(crate) total_timeout: Option<Duration>,
    pub(crate) max_retries: u32,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("api_key", &self.inner.api_key)
            .field("admin_api_key", &self.inner.admin_api_key)
            .field("timeout", &self.inner.timeout)
            .field("total_timeout", &self.inner.total_timeout)
            .field("max_retries", &self.inner.max_retries)
            .finish_non_exhaustive()
    }
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl Client {
    /// A client configured from the environment: `OPENAI_API_KEY`, `OPENAI_ADMIN_KEY`,
    /// `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`. A missing key is reported by the
    /// first call that needs it.
    ///
    /// # Panics
    /// If the TLS backend cannot be initialised (as `reqwest::Client::new` does).
    pub fn new() -> Self {
        ClientBuilder::new()
            .build()
            .expect("a client from the environment")
    }

    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A copy of the parsed base URL, for a call to set its path on.
    pub(crate) fn base(&self) -> Result<reqwest::Url> {
        let inner = &self.inner;
        inner
            .base
            .clone()
            .ok_or_else(|| Error::InvalidArgument(format!("invalid base URL `{}`", inner.base_url)))
    }

    /// The credential's header for a call that takes `auth`.
    pub(crate) async fn credential(&self, auth: Auth) -> Result<(HeaderName, HeaderValue)> {
        let key = match auth {
            Auth::Admin => self
                .inner
                .admin_api_key
                .as_ref()
                .or(self.inner.api_key.as_ref()),
            Auth::Key => self.inner.api_key.as_ref(),
        };
        let Some(key) = key else {
            if self.inner.azure.is_some() {
                return Err(Error::InvalidArgument(
                    "the Azure OpenAI client has no credential for the admin endpoints".to_owned(),
                ));
            }
            return Err(Error::InvalidArgument(match auth {
                Auth::Key => {
                    "no API key: set OPENAI_API_KEY or use ClientBuilder::api_key".to_owned()
                }
                Auth::Admin => {
                    "no admin API key: set OPENAI_ADMIN_KEY or use ClientBuilder::admin_api_key"
                        .to_owned()
                }
            }));
        };
        key.header().await
    }
}

/// Configuration for a [`Client`]; starts from the environment, setters override it.
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: Option<Secret>,
    admin_api_key: Option<Secret>,
    base_url: String,
    organization: Option<String>,
    project: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    total_timeout: Option<Duration>,
    max_retries: u32,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("admin_api_key", &self.admin_api_key)
            .field("base_url", &self.base_url)
            .field("organization", &self.organization)
            .field("project", &self.project)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

pub(crate) fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl ClientBuilder {
    pub fn new() -> Self {
        ClientBuilder {
            api_key: env("OPENAI_API_KEY").map(Secret),
            admin_api_key: env("OPENAI_ADMIN_KEY").map(Secret),
            base_url: env("OPENAI_BASE_URL").unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
            organization: env("OPENAI_ORG_ID"),
            project: env("OPENAI_PROJECT_ID"),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            total_timeout: None,
            max_retries: DEFAULT_MAX_RETRIES,
            headers: Vec::new(),
            http: None,
        }
    }

    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Secret(key.into()));
        self
    }

    /// The key for the administration endpoints (`/organization/...`).
    pub fn admin_api_key(mut self, key: impl Into<String>) -> Self {
        self.admin_api_key = Some(Secret(key.into()));
        self
    }

    /// Where requests go (`https://api.openai.com/v1` by default): a proxy, a compatible server,
    /// a mock.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    pub fn organization(mut self, id: impl Into<String>) -> Self {
        self.organization = Some(id.into());
        self
    }

    pub fn project(mut self, id: impl Into<String>) -> Self {
        self.project = Some(id.into());
        self
    }

    /// The read timeout: the longest wait for an answer's next bytes, its headers or the next
    /// chunk of its body (10 minutes by default, as openai-python). Not a bound on the whole
    /// answer: a stream lives as long as events keep coming. Per call: [`Request::timeout`].
    ///
    /// [`Request::timeout`]: crate::Request::timeout
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest wait for a connection to open, TLS included (5 seconds by default, as
    /// openai-python). Not applied to a client given with [`http_client`](Self::http_client),
    /// which keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The longest a call may take in all: its attempts, the waits between them, and reading
    /// the answer to its end (a stream or a download included). None by default. Per call:
    /// [`Request::total_timeout`].
    ///
    /// [`Request::total_timeout`]: crate::Request::total_timeout
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt (2 by default).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Use this `reqwest` client (to share a connection pool or set proxies).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    pub fn build(self) -> Result<Client> {
        let base_url = self.base_url.clone();
        let api_key = self.api_key.clone().map(Credential::bearer);
        let admin_api_key = self.admin_api_key.clone().map(Credential::bearer);
        self.finish(base_url, api_key, admin_api_key, None)
    }

    /// The client with these settings, its address and credentials given.
    pub(crate) fn finish(
        self,
        base_url: String,
        api_key: Option<Credential>,
        admin_api_key: Option<Credential>,
        azure: Option<crate::azure::Azure>,
    ) -> Result<Client> {
        let mut headers = HeaderMap::new();
        let ua = concat!("openai-sdk-rust/", env!("CARGO_PKG_VERSION"));
        headers.insert(reqwest::header::USER_AGENT, HeaderValue::from_static(ua));
        let org = self
            .organization
            .map(|v| ("OpenAI-Organization".to_owned(), v));
        let project = self.project.map(|v| ("OpenAI-Project".to_owned(), v));
        for (name, value) in org.into_iter().chain(project).chain(self.headers) {
            let (name, value) = header(&name, &value)?;
            headers.insert(name, value);
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(Error::Transport)?,
        };
        let base_url = base_url.trim_end_matches('/').to_owned();
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base: reqwest::Url::parse(&base_url).ok(),
                base_url,
                api_key,
                admin_api_key,
                azure,
                headers,
                timeout: self.timeout,
                total_timeout: self.total_timeout,
                max_retries: self.max_retries,
            }),
        })
    }
}
