//! Webhook verification.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use openai_sdk::webhooks::verify_signature_at;
use reqwest::header::{HeaderMap, HeaderValue};
use sha2::Sha256;
use std::time::{Duration, UNIX_EPOCH};

const NOW: u64 = 1_750_000_000;
const TOLERANCE: Duration = Duration::from_secs(300);

/// `data` is split at `0xFF` bytes into a secret, an id, a timestamp, a signature header and the
/// payload. Whatever they are, verification returns; it accepts only when one `v1` signature is
/// the HMAC of the delivery; and the right signature of the same delivery, made here, is accepted
/// when the timestamp is fresh, and refused with one bit changed.
pub fn webhook(data: &[u8]) {
    let mut parts = data.splitn(5, |&b| b == 0xFF);
    let mut next = || String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let (secret, id, timestamp, signature) = (next(), next(), next(), next());
    let payload = next().into_bytes();
    let now = UNIX_EPOCH + Duration::from_secs(NOW);
    let key = match secret.strip_prefix("whsec_") {
        Some(encoded) => base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .ok(),
        None => Some(secret.as_bytes().to_vec()),
    };
    let sign = |key: &[u8]| {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
        mac.update(format!("{id}.{timestamp}.").as_bytes());
        mac.update(&payload);
        mac.finalize().into_bytes().to_vec()
    };
    let headers = |signature: &str| {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("webhook-id", id.as_str()),
            ("webhook-timestamp", timestamp.as_str()),
            ("webhook-signature", signature),
        ] {
            if let Ok(value) = HeaderValue::from_str(value) {
                headers.insert(name, value);
            }
        }
        headers
    };
    let verify = |signature: &str| {
        verify_signature_at(&payload, &headers(signature), &secret, now, TOLERANCE)
    };

    if verify(&signature).is_ok() {
        let right = sign(&key.clone().expect("a secret that verifies decodes"));
        let matches = signature
            .split_whitespace()
            .filter_map(|s| s.strip_prefix("v1,"))
            .filter_map(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
            .any(|s| s == right);
        assert!(matches, "accepted a signature that is not the delivery's");
    }
    let (Some(key), Ok(sent)) = (key, timestamp.trim().parse::<i64>()) else {
        return;
    };
    let fresh = (NOW as i64 - 300..=NOW as i64 + 300).contains(&sent);
    let headers_valid = [&id, &timestamp]
        .iter()
        .all(|v| HeaderValue::from_str(v).is_ok());
    if !fresh || !headers_valid {
        return;
    }
    let mut right = sign(&key);
    let encode = |s: &[u8]| format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(s));
    assert!(
        verify(&encode(&right)).is_ok(),
        "the right signature is refused"
    );
    right[0] ^= 1;
    assert!(
        verify(&encode(&right)).is_err(),
        "a wrong signature is accepted"
    );
}
