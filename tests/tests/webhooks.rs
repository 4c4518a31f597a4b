//! Webhooks: signature checks (Standard Webhooks) and the typed events of the spec's examples.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use openai_codegen::value::Value as Spec;
use openai_sdk::types::WebhookEvent;
use openai_sdk::webhooks::{DEFAULT_TOLERANCE, WebhookError, unwrap, verify_signature_at};
use reqwest::header::HeaderMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const KEY: &[u8] = b"a webhook signing key of 32 bytes";

fn secret() -> String {
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(KEY)
    )
}

fn sign(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    )
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn headers(id: &str, timestamp: &str, signature: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("webhook-id", id.parse().unwrap());
    h.insert("webhook-timestamp", timestamp.parse().unwrap());
    h.insert("webhook-signature", signature.parse().unwrap());
    h
}

const BODY: &[u8] =
    br#"{"id":"evt_1","type":"response.completed","created_at":1719168000,"data":{"id":"resp_1"}}"#;

fn check(body: &[u8], headers: &HeaderMap) -> Result<(), WebhookError> {
    verify_signature_at(
        body,
        headers,
        &secret(),
        SystemTime::now(),
        DEFAULT_TOLERANCE,
    )
}

#[test]
fn a_valid_signature_passes_and_decodes() {
    let ts = now();
    let h = headers("msg_1", &ts.to_string(), &sign(KEY, "msg_1", ts, BODY));
    assert_eq!(check(BODY, &h), Ok(()));
    let event = unwrap(BODY, &h, Some(&secret())).unwrap();
    let WebhookEvent::ResponseCompleted(done) = event else {
        panic!("{event:?}")
    };
    assert_eq!(done.data.id, "resp_1");
}

#[test]
fn a_tampered_body_or_another_secret_fails() {
    let ts = now();
    let h = headers("msg_1", &ts.to_string(), &sign(KEY, "msg_1", ts, BODY));
    let tampered = String::from_utf8_lossy(BODY).replace("resp_1", "resp_2");
    assert_eq!(
        check(tampered.as_bytes(), &h),
        Err(WebhookError::SignatureMismatch)
    );
    let other = headers(
        "msg_1",
        &ts.to_string(),
        &sign(b"another key", "msg_1", ts, BODY),
    );
    assert_eq!(check(BODY, &other), Err(WebhookError::SignatureMismatch));
    let other_id = headers("msg_2", &ts.to_string(), &sign(KEY, "msg_1", ts, BODY));
    assert_eq!(check(BODY, &other_id), Err(WebhookError::SignatureMismatch));
}

#[test]
fn stale_and_future_timestamps_fail() {
    for (offset, want) in [
        (-301, Some(WebhookError::TimestampTooOld)),
        (301, Some(WebhookError::TimestampTooNew)),
        (-299, None),
        (299, None),
    ] {
        let ts = now() + offset;
        let h = headers("msg_1", &ts.to_string(), &sign(KEY, "msg_1", ts, BODY));
        assert_eq!(check(BODY, &h).err(), want, "offset {offset}");
    }
    let h = headers("msg_1", "1000", &sign(KEY, "msg_1", 1000, BODY));
    let then = UNIX_EPOCH + Duration::from_secs(1100);
    assert_eq!(
        verify_signature_at(BODY, &h, &secret(), then, DEFAULT_TOLERANCE),
        Ok(()),
        "checked against the given clock"
    );
}

#[test]
fn one_valid_signature_among_several_is_enough() {
    let ts = now();
    let good = sign(KEY, "msg_1", ts, BODY);
    let bad = sign(b"rotated-out key", "msg_1", ts, BODY);
    let h = headers(
        "msg_1",
        &ts.to_string(),
        &format!("{bad} v0,ignored {good}"),
    );
    assert_eq!(check(BODY, &h), Ok(()));
}

#[test]
fn malformed_headers_and_secrets_are_distinct_errors() {
    let ts = now().to_string();
    let mut missing = headers("msg_1", &ts, "v1,abc");
    missing.remove("webhook-id");
    assert_eq!(
        check(BODY, &missing),
        Err(WebhookError::MissingHeader("webhook-id"))
    );
    assert_eq!(
        check(BODY, &headers("msg_1", "soon", "v1,abc")),
        Err(WebhookError::InvalidTimestamp)
    );
    assert_eq!(
        check(BODY, &headers("msg_1", &ts, "v2,abc nothing")),
        Err(WebhookError::InvalidSignatureHeader)
    );
    assert_eq!(
        check(BODY, &headers("msg_1", &ts, "v1,!!!not-base64")),
        Err(WebhookError::SignatureMismatch)
    );
    let h = headers("msg_1", &ts, &sign(KEY, "msg_1", now(), BODY));
    assert_eq!(
        verify_signature_at(BODY, &h, "whsec_%%%", SystemTime::now(), DEFAULT_TOLERANCE),
        Err(WebhookError::InvalidSecret)
    );
    let signed = sign(KEY, "msg_1", now(), b"not json");
    let h = headers("msg_1", &ts, &signed);
    assert!(matches!(
        unwrap(b"not json", &h, Some(&secret())),
        Err(WebhookError::InvalidPayload(_))
    ));
}

/// The spec's `realtime.call.incoming` example has a trailing comma (`{...},\n]`), which is not
/// JSON; this drops a comma that only white space separates from `]` or `}`.
fn without_trailing_commas(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    let mut escaped = false;
    while let Some(c) = chars.next() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if c == ',' {
            let rest: String = chars.clone().take_while(|c| c.is_whitespace()).collect();
            let after = chars.clone().nth(rest.chars().count());
            if matches!(after, Some(']' | '}')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[test]
fn trailing_commas_go_but_strings_stay() {
    assert_eq!(
        without_trailing_commas(r#"{"a": ["x,]", "y\",}",], }"#),
        r#"{"a": ["x,]", "y\",}"] }"#
    );
}

/// Every webhook's example in the spec decodes as its own variant and encodes back unchanged.
#[test]
fn every_event_example_decodes() {
    let spec = openai_tests::spec();
    let mut decoded = 0;
    for (event, item) in spec.get("webhooks").and_then(Spec::as_object).unwrap() {
        let reference = item
            .pointer("#/post/requestBody/content/application~1json/schema/$ref")
            .and_then(Spec::as_str)
            .unwrap();
        let example = spec
            .pointer(reference)
            .and_then(|s| s.pointer("#/x-oaiMeta/example"))
            .and_then(Spec::as_str);
        let example = without_trailing_commas(
            example.unwrap_or_else(|| panic!("webhook {event} has no example")),
        );
        let example = example.as_str();
        let event_value: WebhookEvent = openai_sdk::json::from_str(example).unwrap();
        assert!(
            !matches!(event_value, WebhookEvent::Unknown(_)),
            "{event} decoded as Unknown"
        );
        let json: serde_json::Value = serde_json::from_str(example).unwrap();
        assert_eq!(serde_json::to_value(&event_value).unwrap(), json, "{event}");
        decoded += 1;
    }
    let unknown: WebhookEvent =
        openai_sdk::json::from_str(r#"{"id":"evt","type":"video.completed","data":{"id":"v"}}"#)
            .unwrap();
    assert!(matches!(unknown, WebhookEvent::Unknown(_)));
    println!("webhooks: {decoded} event examples decode as their typed variant");
    assert_eq!(decoded, 15);
}
