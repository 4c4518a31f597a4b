//! Entry points for the encoding fuzz target (`fuzz/`): a request exactly as a call builds it for
//! the wire, query string and multipart body included, without sending it. Hidden and not part of
//! the API: the encoders are crate-private, and the target checks them where they meet reqwest.

use crate::error::{Error, Result};
use crate::request::{Decode, Request};
use crate::{Client, Method};
use serde::Serialize;
use std::sync::OnceLock;

/// The request a multipart upload to `/uploads` with `params` in its query sends, as reqwest
/// would send it. Ready at once (no I/O): poll it with any executor.
pub async fn multipart_request(
    params: &impl Serialize,
    body: &impl Serialize,
) -> Result<reqwest::Request> {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    // Built once: a client's TLS setup costs more than the encoding under test.
    let client = CLIENT.get_or_init(|| {
        Client::builder()
            .api_key("fuzz")
            .base_url("http://localhost/v1")
            .build()
            .expect("a client with a key and a base URL")
    });
    let decode: Decode<()> = Decode::Body(|_, _| Ok(()));
    Request::with_decode(client, Method::POST, Ok("/uploads".to_owned()), decode)
        .query(params)
        .multipart_body(body)
        .prepare()
        .await?
        .build()
        .map_err(Error::Transport)
}
