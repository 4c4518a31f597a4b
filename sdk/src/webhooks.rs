//! Receiving webhooks: Standard Webhooks signature checks, then the typed event.
//!
//! ```no_run
//! # fn handle(body: &[u8], headers: &reqwest::header::HeaderMap) -> Result<(), openai_sdk::webhooks::WebhookError> {
//! use openai_sdk::types::WebhookEvent;
//! // The secret comes from OPENAI_WEBHOOK_SECRET when `None`.
//! match openai_sdk::webhooks::unwrap(body, headers, None)? {
//!     WebhookEvent::ResponseCompleted(event) => println!("response {} done", event.data.id),
//!     other => println!("{other:?}"),
//! }
//! # Ok(()) }
//! ```

#![cfg(feature = "webhooks")]

use crate::types::WebhookEvent;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::header::HeaderMap;
use sha2::Sha256;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How far a signature's timestamp may be from now, either way.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// Why a webhook was refused. Each cause is its own variant; none panics.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// No secret was given and `OPENAI_WEBHOOK_SECRET` is not set.
    MissingSecret,
    /// The secret is `whsec_` followed by something that is not base64.
    InvalidSecret,
    MissingHeader(&'static str),
    /// `webhook-timestamp` is not a whole number of seconds.
    InvalidTimestamp,
    /// The timestamp is older than the tolerance: a replay, or a very late delivery.
    TimestampTooOld,
    /// The timestamp is further in the future than the tolerance.
    TimestampTooNew,
    /// `webhook-signature` holds no `v1,<base64>` signature.
    InvalidSignatureHeader,
    /// No signature matches the payload: it was altered, or signed with another secret.
    SignatureMismatch,
    /// The payload is signed but is not a JSON event.
    InvalidPayload(String),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingSecret => {
                f.write_str("no webhook secret: pass one or set OPENAI_WEBHOOK_SECRET")
            }
            WebhookError::InvalidSecret => {
                f.write_str("the webhook secret is not `whsec_` followed by base64")
            }
            WebhookError::MissingHeader(name) => write!(f, "the `{name}` header is missing"),
            WebhookError::InvalidTimestamp => {
                f.write_str("the `webhook-timestamp` header is not a number")
            }
            WebhookError::TimestampTooOld => f.write_str("the webhook timestamp is too old"),
            WebhookError::TimestampTooNew => {
                f.write_str("the webhook timestamp is too far in the future")
            }
            WebhookError::InvalidSignatureHeader => {
                f.write_str("the `webhook-signature` header holds no `v1` signature")
            }
            WebhookError::SignatureMismatch => {
                f.write_str("no webhook signature matches the payload")
            }
            WebhookError::InvalidPayload(why) => {
                write!(f, "the webhook payload is not an event: {why}")
            }
        }
    }
}

impl std::error::Error for WebhookError {}

/// A header's bytes: the signature covers them as sent, ASCII or not.
fn header<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<&'h [u8], WebhookError> {
    headers
        .get(name)
        .map(|v| v.as_bytes())
        .ok_or(WebhookError::MissingHeader(name))
}

/// The signing key: `whsec_` + base64, or the secret's own bytes without the prefix.
fn key(secret: &str) -> Result<Vec<u8>, WebhookError> {
    match secret.strip_prefix("whsec_") {
        Some(encoded) => base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| WebhookError::InvalidSecret),
        None => Ok(secret.as_bytes().to_vec()),
    }
}

/// Checks `webhook-signature` (HMAC-SHA256 over `id.timestamp.body`, compared in constant time;
/// any one of several space-separated signatures may match) and that `webhook-timestamp` is
/// within five minutes of now.
pub fn verify_signature(
    payload: &[u8],
    headers: &HeaderMap,
    secret: &str,
) -> Result<(), WebhookError> {
    verify_signature_at(
        payload,
        headers,
        secret,
        SystemTime::now(),
        DEFAULT_TOLERANCE,
    )
}

/// [`verify_signature`] at a given time and tolerance.
pub fn verify_signature_at(
    payload: &[u8],
    headers: &HeaderMap,
    secret: &str,
    now: SystemTime,
    tolerance: Duration,
) -> Result<(), WebhookError> {
    let id = header(headers, "webhook-id")?;
    let timestamp = header(headers, "webhook-timestamp")?;
    let signatures = header(headers, "webhook-signature")?;
    let sent: i64 = std::str::from_utf8(timestamp)
        .ok()
        .and_then(|t| t.trim().parse().ok())
        .ok_or(WebhookError::InvalidTimestamp)?;
    let now = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let tolerance = tolerance.as_secs() as i64;
    // Saturating: the timestamp is the sender's, any `i64`.
    if now.saturating_sub(sent) > tolerance {
        return Err(WebhookError::TimestampTooOld);
    }
    if sent.saturating_sub(now) > tolerance {
        return Err(WebhookError::TimestampTooNew);
    }
    let key = key(secret)?;
    let mut signed = Vec::with_capacity(id.len() + timestamp.len() + payload.len() + 2);
    signed.extend_from_slice(id);
    signed.push(b'.');
    signed.extend_from_slice(timestamp);
    signed.push(b'.');
    signed.extend_from_slice(payload);
    let mut saw_v1 = false;
    for candidate in String::from_utf8_lossy(signatures)
        .split_whitespace()
        .filter_map(|s| s.strip_prefix("v1,"))
    {
        saw_v1 = true;
        let Ok(candidate) = base64::engine::general_purpose::STANDARD.decode(candidate) else {
            continue;
        };
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&key).map_err(|_| WebhookError::InvalidSecret)?;
        mac.update(&signed);
        if mac.verify_slice(&candidate).is_ok() {
            return Ok(());
        }
    }
    Err(if saw_v1 {
        WebhookError::SignatureMismatch
    } else {
        WebhookError::InvalidSignatureHeader
    })
}

/// Verifies a delivery and decodes its event. `secret` defaults to `OPENAI_WEBHOOK_SECRET`.
/// An event type this SDK does not know arrives as [`WebhookEvent::Unknown`].
pub fn unwrap(
    payload: &[u8],
    headers: &HeaderMap,
    secret: Option<&str>,
) -> Result<WebhookEvent, WebhookError> {
    let from_env = std::env::var("OPENAI_WEBHOOK_SECRET").ok();
    let secret = secret
        .or(from_env.as_deref())
        .ok_or(WebhookError::MissingSecret)?;
    verify_signature(payload, headers, secret)?;
    crate::json::from_slice(payload).map_err(|e| WebhookError::InvalidPayload(e.to_string()))
}
