//! Uploading a file (multipart, re-sent on retry), then reading its metadata back:
//! `cargo run --example file_upload`.

use openai_sdk::InputFile;
use openai_sdk::types::CreateFileRequest;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = openai_sdk::Client::new();
    let lines = "{\"custom_id\": \"1\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\": {}}\n";
    // `InputFile::from_path(path).await` and `InputFile::from_reader(name, reader).await` work too.
    let file = InputFile::from_bytes("requests.jsonl", lines.as_bytes().to_vec())
        .with_content_type("application/jsonl");
    let uploaded = client
        .files()
        .create(&CreateFileRequest {
            file,
            purpose: "batch".into(),
            ..Default::default()
        })
        .await?;
    println!("uploaded {} ({} bytes)", uploaded.id, uploaded.bytes);
    let again = client.files().retrieve(&uploaded.id).await?;
    println!("{} was created at {}", again.filename, again.created_at);
    Ok(())
}
