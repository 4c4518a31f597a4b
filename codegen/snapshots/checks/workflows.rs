//! The rules over whole operations, on an API whose names are not OpenAI's: each method exists
//! with the type it should have (a compile-time check), and the answers decode as the rules say.

use crate::types::*;
use crate::{ChunkedUpload, Download, EventStream, InputFile, Polling, Request};

/// Never run: that it compiles is the check.
#[allow(dead_code, unreachable_code, clippy::diverging_sub_expression)]
fn methods_made_by_rule(client: crate::Client) {
    // `poll` beside the GET of an object whose status can say it is running; `create_and_poll`
    // beside the POST making it.
    let _: Polling<Job> = client.jobs().poll("job_1");
    let _: Polling<Job> = client.jobs().create_and_poll(&JobsCreateBody::default());
    // A maker taking a file id also uploads the file through the one upload with `file` and
    // `purpose`.
    let _: Polling<Book> = client.shelves().books().upload_and_poll(
        "shelf_1",
        &ShelvesBooksCreateBody::default(),
        &FilesCreateBody::default(),
    );
    // An upload of a given size with `…/parts` and `…/complete` below it.
    let _: ChunkedUpload<Blob> = client.blobs().upload_file_chunked(
        InputFile::from_bytes("a.bin", vec![1, 2, 3]),
        &BlobsCreateBody::default(),
    );
    // A GET whose `stream` query flag asks for the events of the stream that made its object.
    let _: Request<EventStream<SessionEvent>> = client
        .sessions()
        .retrieve_stream("s_1", &SessionsRetrieveParams::default());
    // Files, whatever the spec calls their body.
    let _: Request<Download> = client.exports().content("e_1");
    let _: Request<Download> = client.reports().retrieve("r_1");
}

fn received(content_type: &str, variant: Option<usize>) -> crate::rt::Received<'_> {
    crate::rt::Received {
        content_type,
        variant,
    }
}

#[test]
fn the_format_asked_for_picks_the_variant() {
    let plain = br#"{"text":"hello"}"#;
    // By itself the union takes the variant whose required keys fit first.
    let by_shape: RendersCreateResponse =
        crate::rt::decode_variant(plain[..].into(), &received("application/json", None)).unwrap();
    assert!(
        matches!(by_shape, RendersCreateResponse::RenderPlainJson(_)),
        "{by_shape:?}"
    );
    // Asked for `rich_json` (variant 1), the same answer is the rich one.
    let asked: RendersCreateResponse =
        crate::rt::decode_variant(plain[..].into(), &received("application/json", Some(1)))
            .unwrap();
    let RendersCreateResponse::RenderRichJson(rich) = asked else {
        panic!("{asked:?}")
    };
    assert_eq!(rich.text, "hello");
}

#[test]
fn a_format_the_union_does_not_describe_comes_as_text() {
    let text = "1\n00:00:00,000 --> 00:00:01,000\nhello\n";
    let answer: RendersCreateResponse = crate::rt::decode_variant(
        text.as_bytes().to_vec().into(),
        &received("text/plain; charset=utf-8", Some(0)),
    )
    .unwrap();
    assert_eq!(answer, RendersCreateResponse::Text(text.to_owned()));
    // Text where a struct was promised stays an error.
    let job = crate::rt::decode_json::<Job>(b"oops"[..].into(), &received("text/plain", None));
    assert!(job.is_err());
}
