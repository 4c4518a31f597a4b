//! Operations of a small spec, called against a local server that records each request and
//! answers with canned bodies: path and query parameters, a JSON body, a streamed answer,
//! pages followed to the end, a multipart upload.

use crate::types::*;
use futures_util::StreamExt;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

/// A request as the server saw it.
#[derive(Debug)]
struct Seen {
    line: String,
    content_type: String,
    body: String,
}

/// Serves `answers` in order, one connection each (`(content type, body)`), and sends what each
/// request was; the client's base URL.
fn serve(answers: Vec<(&'static str, String)>) -> (String, mpsc::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for (content_type, answer) in answers {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let (mut length, mut kind) = (0, String::new());
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header.trim().is_empty() {
                    break;
                }
                let (name, value) = header.split_once(':').unwrap();
                match name.to_ascii_lowercase().as_str() {
                    "content-length" => length = value.trim().parse().unwrap(),
                    "content-type" => kind = value.trim().to_owned(),
                    _ => {}
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let seen = Seen {
                line: line.trim().to_owned(),
                content_type: kind,
                body: String::from_utf8_lossy(&body).into_owned(),
            };
            tx.send(seen).unwrap();
            let mut stream = reader.into_inner();
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                answer.len()
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(answer.as_bytes()).unwrap();
        }
    });
    (url, rx)
}

fn client(url: &str) -> crate::Client {
    crate::Client::builder()
        .api_key("sk-test")
        .base_url(url)
        .max_retries(0)
        .build()
        .unwrap()
}

const JSON: &str = "application/json";

#[tokio::test]
async fn path_query_and_json_body() {
    let note = r#"{"id": "note_1", "object": "note", "text": "Buy milk"}"#.to_owned();
    let (url, seen) = serve(vec![(JSON, note.clone()), (JSON, note)]);
    let client = client(&url);
    let params = NotesRetrieveParams {
        include: Some(vec!["a b".into(), "c".into()]),
        ..Default::default()
    };
    let got = client.notes().retrieve("note/1", &params).await.unwrap();
    assert_eq!(got.text, "Buy milk");
    let request = seen.recv().unwrap();
    assert_eq!(
        request.line,
        "GET /notes/note%2F1?include%5B%5D=a+b&include%5B%5D=c HTTP/1.1"
    );

    let body = CreateNoteRequest {
        text: "Buy milk".into(),
        ..Default::default()
    };
    client.notes().create(&body).await.unwrap();
    let request = seen.recv().unwrap();
    assert_eq!(request.line, "POST /notes HTTP/1.1");
    assert_eq!(request.content_type, JSON);
    assert_eq!(request.body, r#"{"text":"Buy milk"}"#);
}

#[tokio::test]
async fn a_stream_asks_for_one_and_reads_its_events() {
    let events = concat!(
        "data: {\"type\": \"note.word\", \"word\": \"Buy\"}\n\n",
        "data: {\"type\": \"note.done\", \"note\": {\"id\": \"note_1\", \"object\": \"note\", \"text\": \"Buy\"}}\n\n",
    );
    let (url, seen) = serve(vec![("text/event-stream", events.to_owned())]);
    let body = CreateNoteRequest {
        text: "Buy".into(),
        ..Default::default()
    };
    let stream = client(&url).notes().create_stream(&body).await.unwrap();
    let events: Vec<NoteStreamEvent> = stream.map(Result::unwrap).collect().await;
    assert!(matches!(
        events.as_slice(),
        [NoteStreamEvent::NoteWord(_), NoteStreamEvent::NoteDone(_)]
    ));
    assert_eq!(seen.recv().unwrap().body, r#"{"text":"Buy","stream":true}"#);
}

#[tokio::test]
async fn pages_are_followed_by_the_last_id() {
    let page = |ids: &[&str], more: bool| {
        let data: Vec<String> = ids
            .iter()
            .map(|id| format!(r#"{{"id": "{id}", "object": "note", "text": "t"}}"#))
            .collect();
        format!(
            r#"{{"object": "list", "data": [{}], "has_more": {more}}}"#,
            data.join(",")
        )
    };
    let (url, seen) = serve(vec![
        (JSON, page(&["a", "b"], true)),
        (JSON, page(&["c"], false)),
    ]);
    let params = NotesListParams {
        limit: Some(2),
        order: Some(NotesListParamsOrder::Asc),
        ..Default::default()
    };
    let all: Vec<Note> = client(&url)
        .notes()
        .list_all(&params)
        .map(Result::unwrap)
        .collect()
        .await;
    let ids: Vec<&str> = all.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(
        seen.recv().unwrap().line,
        "GET /notes?limit=2&order=asc HTTP/1.1"
    );
    assert_eq!(
        seen.recv().unwrap().line,
        "GET /notes?after=b&limit=2&order=asc HTTP/1.1"
    );
}

#[tokio::test]
async fn a_file_goes_up_as_multipart() {
    let (url, seen) = serve(vec![("application/octet-stream", "stored".to_owned())]);
    let body = NotesAttachmentsBody {
        file: crate::InputFile::from_bytes("a.txt", b"hello".to_vec()),
        caption: Some("greeting".into()),
        ..Default::default()
    };
    let file = client(&url)
        .notes()
        .attachments("note_1", &body)
        .await
        .unwrap();
    assert_eq!(file.content_type(), Some("application/octet-stream"));
    assert_eq!(&file.bytes().await.unwrap()[..], b"stored");
    let request = seen.recv().unwrap();
    assert_eq!(request.line, "POST /notes/note_1/attachments HTTP/1.1");
    assert!(
        request
            .content_type
            .starts_with("multipart/form-data; boundary=")
    );
    assert!(
        request.body.contains("filename=\"a.txt\""),
        "{}",
        request.body
    );
    assert!(request.body.contains("hello") && request.body.contains("greeting"));
}
