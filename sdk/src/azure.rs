//! Azure OpenAI, as openai-python's `AzureOpenAI` reaches it: requests go to
//! `{endpoint}/openai/…` with an `api-version` query parameter; the credential is an `api-key`
//! header, or a Microsoft Entra bearer token (given, or asked of a provider and refreshed when
//! it expires); the model-scoped endpoints go to `/openai/deployments/{deployment}/…`, the
//! deployment being the client's or, without one, the request's `model`.
//!
//! ```no_run
//! # async fn run() -> Result<(), openai_sdk::Error> {
//! // AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and OPENAI_API_VERSION from the environment:
//! let client = openai_sdk::Client::azure().deployment("my-gpt-4o").build()?;
//! let models = client.models().list().await?;
//! # Ok(()) }
//! ```

use crate::client::{Client, ClientBuilder, Credential, Secret, env, sensitive};
use crate::error::{Error, Result};
use reqwest::header::HeaderValue;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// The paths whose operations run on a deployment (openai-python's `_deployments_endpoints`).
const DEPLOYMENT_PATHS: &[&str] = &[
    "/completions",
    "/chat/completions",
    "/embeddings",
    "/audio/transcriptions",
    "/audio/translations",
    "/audio/speech",
    "/images/generations",
    "/images/edits",
];

/// A token is asked for again this long before it expires.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// What a token provider fails with.
pub type TokenError = Box<dyn std::error::Error + Send + Sync>;

type Provider =
    dyn Fn() -> Pin<Box<dyn Future<Output = Result<AccessToken, TokenError>> + Send>> + Send + Sync;

/// A Microsoft Entra access token, as a token provider gives it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    pub token: String,
    /// When it stops being valid; `None` asks the provider again for every request (a provider
    /// that caches tokens itself, like azure-identity's, needs no more).
    pub expires_at: Option<SystemTime>,
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &"[redacted]")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The provider's last token, kept until shortly before it expires.
pub(crate) struct TokenCache {
    provider: Arc<Provider>,
    last: Mutex<Option<(HeaderValue, SystemTime)>>,
}

impl TokenCache {
    /// The `Authorization` value: the last token while it is fresh, else a new one.
    pub(crate) async fn get(&self) -> Result<HeaderValue> {
        let now = SystemTime::now();
        if let Some((value, expires)) = &*self.last.lock().expect("token cache")
            && now + REFRESH_MARGIN < *expires
        {
            return Ok(value.clone());
        }
        // Not locked while the provider works: two calls at once may both ask it.
        let token = (self.provider)().await.map_err(Error::Credential)?;
        let value = sensitive(&format!("Bearer {}", token.token)).ok_or_else(|| {
            Error::Credential("the Entra token is not a valid header value".into())
        })?;
        *self.last.lock().expect("token cache") =
            token.expires_at.map(|expires| (value.clone(), expires));
        Ok(value)
    }
}

/// What an Azure OpenAI client adds to each request.
#[derive(Clone, Debug)]
pub(crate) struct Azure {
    api_version: String,
    deployment: Option<String>,
}

impl Azure {
    /// The `api-version` query pair every request carries.
    pub(crate) fn query(&self) -> (&str, &str) {
        ("api-version", &self.api_version)
    }

    /// `/deployments/{deployment}` before `path` if it is one of a deployment's: the client's
    /// deployment, else the request's `model`.
    pub(crate) fn deployment_prefix(
        &self,
        path: &str,
        model: impl FnOnce() -> Option<String>,
    ) -> Option<Result<String>> {
        if !DEPLOYMENT_PATHS.contains(&path) {
            return None;
        }
        let deployment = self.deployment.clone().or_else(model)?;
        Some(crate::encode::segment("deployment", &deployment).map(|d| format!("/deployments/{d}")))
    }

    /// The deployment a Realtime session runs on: the client's, else the model asked for.
    pub(crate) fn realtime_deployment<'a>(&'a self, model: &'a str) -> &'a str {
        self.deployment.as_deref().unwrap_or(model)
    }
}

/// Configuration for an Azure OpenAI [`Client`]; starts from the environment
/// (`AZURE_OPENAI_ENDPOINT`, `AZURE_OPENAI_API_KEY`, `AZURE_OPENAI_AD_TOKEN`,
/// `OPENAI_API_VERSION`), setters override it.
pub struct AzureBuilder {
    endpoint: Option<String>,
    api_version: Option<String>,
    api_key: Option<Secret>,
    ad_token: Option<Secret>,
    provider: Option<Arc<Provider>>,
    deployment: Option<String>,
    /// Settings shared with OpenAI clients (timeouts, retries, headers, HTTP client).
    client: ClientBuilder,
}

impl fmt::Debug for AzureBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzureBuilder")
            .field("endpoint", &self.endpoint)
            .field("api_version", &self.api_version)
            .field("api_key", &self.api_key)
            .field("ad_token", &self.ad_token)
            .field("token_provider", &self.provider.is_some())
            .field("deployment", &self.deployment)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for Azure OpenAI (see [`AzureBuilder`]).
    pub fn azure() -> AzureBuilder {
        AzureBuilder {
            endpoint: env("AZURE_OPENAI_ENDPOINT"),
            api_version: env("OPENAI_API_VERSION"),
            api_key: env("AZURE_OPENAI_API_KEY").map(Secret),
            ad_token: env("AZURE_OPENAI_AD_TOKEN").map(Secret),
            provider: None,
            deployment: None,
            client: ClientBuilder::new(),
        }
    }
}

impl AzureBuilder {
    /// The resource's endpoint, `https://{resource}.openai.azure.com`.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The `api-version` every request carries (`2024-10-21`, …).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Authenticates with this key, sent as the `api-key` header.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Secret(key.into()));
        self
    }

    /// Authenticates with this Microsoft Entra token (a bearer token), as it is.
    pub fn ad_token(mut self, token: impl Into<String>) -> Self {
        self.ad_token = Some(Secret(token.into()));
        self
    }

    /// Authenticates with Microsoft Entra tokens from `provider`, asked for one when the last
    /// has expired (or is a minute from it), or for every request if it gives no expiry.
    /// Preferred over a key or a token when several are set.
    ///
    /// ```no_run
    /// # fn run() -> Result<(), openai_sdk::Error> {
    /// use openai_sdk::AccessToken;
    /// use std::time::{Duration, SystemTime};
    /// let client = openai_sdk::Client::azure()
    ///     .endpoint("https://example.openai.azure.com")
    ///     .api_version("2024-10-21")
    ///     .token_provider(|| async {
    ///         // Ask Entra ID (azure_identity, a managed identity endpoint, …) here.
    ///         Ok(AccessToken {
    ///             token: "eyJ0...".to_owned(),
    ///             expires_at: Some(SystemTime::now() + Duration::from_secs(3600)),
    ///         })
    ///     })
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn token_provider<F, Fut>(mut self, provider: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<AccessToken, TokenError>> + Send + 'static,
    {
        self.provider = Some(Arc::new(move || Box::pin(provider())));
        self
    }

    /// The deployment every model-scoped call goes to; without one, a call goes to the
    /// deployment its request's `model` names.
    pub fn deployment(mut self, deployment: impl Into<String>) -> Self {
        self.deployment = Some(deployment.into());
        self
    }

    /// The other settings, as [`ClientBuilder`] has them: `timeout`, `max_retries`,
    /// `default_header`, `http_client`, `organization`, `project`.
    pub fn with(mut self, settings: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Self {
        self.client = settings(self.client);
        self
    }

    pub fn build(self) -> Result<Client> {
        let missing = |what: &str| Err(Error::InvalidArgument(format!("Azure OpenAI: {what}")));
        let Some(endpoint) = self.endpoint else {
            return missing("no endpoint: set AZURE_OPENAI_ENDPOINT or use AzureBuilder::endpoint");
        };
        let Some(api_version) = self.api_version else {
            return missing(
                "no API version: set OPENAI_API_VERSION or use AzureBuilder::api_version",
            );
        };
        let credential = if let Some(provider) = self.provider {
            Credential::Tokens(TokenCache {
                provider,
                last: Mutex::new(None),
            })
        } else if let Some(key) = self.api_key {
            Credential::ApiKey(sensitive(&key.0))
        } else if let Some(token) = self.ad_token {
            Credential::bearer(token)
        } else {
            return missing(
                "no credential: set AZURE_OPENAI_API_KEY or AZURE_OPENAI_AD_TOKEN, or use \
                 AzureBuilder::api_key, ad_token or token_provider",
            );
        };
        let base_url = format!("{}/openai", endpoint.trim_end_matches('/'));
        let azure = Azure {
            api_version,
            deployment: self.deployment,
        };
        self.client
            .finish(base_url, Some(credential), None, Some(azure))
    }
}
