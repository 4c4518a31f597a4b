//! Embeddings for a few sentences: `cargo run --example embeddings`.

use openai_sdk::types::CreateEmbeddingRequest;

#[tokio::main]
async fn main() -> Result<(), openai_sdk::Error> {
    let client = openai_sdk::Client::new();
    let sentences = vec![
        "The cat sat on the mat.".to_owned(),
        "A dog slept on the rug.".to_owned(),
    ];
    let request = CreateEmbeddingRequest {
        model: "text-embedding-3-small".into(),
        input: sentences.into(),
        dimensions: Some(256),
        ..Default::default()
    };
    let embeddings = client.embeddings().create(&request).await?;
    for item in &embeddings.data {
        println!(
            "embedding {}: {} dimensions",
            item.index,
            item.embedding.len()
        );
    }
    Ok(())
}
