//! Verifying a webhook delivery and reading its event (signed here with a made-up secret, as a
//! server receiving one would check it): `cargo run --example webhook_verification`.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use openai_sdk::types::WebhookEvent;
use openai_sdk::webhooks::{WebhookError, unwrap};
use reqwest::header::HeaderMap;

fn main() -> Result<(), WebhookError> {
    let key = b"an example webhook signing key!!";
    let secret = format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(key)
    );
    let body = br#"{"id":"evt_1","type":"batch.completed","created_at":1719168000,"data":{"id":"batch_1"}}"#;
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();

    // What the sender does: HMAC-SHA256 over `id.timestamp.body`.
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("any key length");
    mac.update(format!("msg_1.{timestamp}.").as_bytes());
    mac.update(body);
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", "msg_1".parse().unwrap());
    headers.insert("webhook-timestamp", timestamp.to_string().parse().unwrap());
    headers.insert(
        "webhook-signature",
        format!("v1,{signature}").parse().unwrap(),
    );

    // What the receiver does.
    match unwrap(body, &headers, Some(&secret))? {
        WebhookEvent::BatchCompleted(event) => println!("batch {} completed", event.data.id),
        other => println!("another event: {other:?}"),
    }
    let tampered = br#"{"id":"evt_1","type":"batch.completed","created_at":1719168000,"data":{"id":"batch_2"}}"#;
    println!(
        "tampered body: {}",
        unwrap(tampered, &headers, Some(&secret)).unwrap_err()
    );
    Ok(())
}
