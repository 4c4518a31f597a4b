//! A text conversation over the Realtime API's WebSocket: configure the session, ask, print the
//! answer as it streams: `cargo run --example realtime_text`.

use futures_util::StreamExt;
use openai_sdk::types::RealtimeServerEvent;
use serde_json::json;
use std::io::Write;

#[tokio::main]
async fn main() -> Result<(), openai_sdk::Error> {
    let client = openai_sdk::Client::new();
    let session = client.realtime().connect("gpt-realtime").await?;
    println!("connected (request id {:?})", session.request_id());
    // One task could send while another receives; here one does both, in turn.
    let (mut send, mut events) = session.split();
    send.session_update(&json!({"type": "realtime", "output_modalities": ["text"]}))
        .await?;
    send.conversation_item_create(&json!({
        "type": "message",
        "role": "user",
        "content": [{"type": "input_text", "text": "Say hello in five words."}],
    }))
    .await?;
    send.response_create().await?;
    while let Some(event) = events.next().await {
        match event? {
            RealtimeServerEvent::SessionUpdated(_) => println!("session updated"),
            RealtimeServerEvent::ResponseOutputTextDelta(delta) => {
                print!("{}", delta.delta);
                std::io::stdout().flush().ok();
            }
            RealtimeServerEvent::ResponseDone(done) => {
                println!("\nresponse {} done", done.response.id.unwrap_or_default());
                break;
            }
            _ => {}
        }
    }
    send.close().await
}
