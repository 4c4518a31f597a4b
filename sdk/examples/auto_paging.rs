//! Walking a list across pages, fetching each page only when needed:
//! `cargo run --example auto_paging`.

use futures_util::StreamExt;
use openai_sdk::types::FilesListParams;

#[tokio::main]
async fn main() -> Result<(), openai_sdk::Error> {
    let client = openai_sdk::Client::new();
    let params = FilesListParams {
        limit: Some(20),
        ..Default::default()
    };
    // Every file, page after page; stop after 50 here.
    let mut files = client.files().list_all(&params).take(50);
    let mut count = 0;
    while let Some(file) = files.next().await {
        let file = file?;
        count += 1;
        println!("{} {}", file.id, file.filename);
    }
    println!("{count} files");
    // One page at a time is the plain method.
    let page = client.files().list(&params).await?;
    println!(
        "first page: {} files, more: {}",
        page.data.len(),
        page.has_more
    );
    Ok(())
}
