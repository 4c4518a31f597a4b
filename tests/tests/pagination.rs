//! Auto-paging: every cursor style walks all pages in order and asks for nothing after the last.

use futures_util::StreamExt;
use openai_codegen::value::Value as Spec;
use openai_sdk::Client;
use openai_tests::{OPERATIONS, spec};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("k")
        .admin_api_key("a")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

/// Mounts `pages` for `route`: page 0 when the cursor parameter is absent, page i when it is
/// `cursors[i - 1]`; each expected exactly once.
async fn mount(server: &MockServer, route: &str, param: &str, cursors: &[&str], pages: Vec<Value>) {
    for (i, page) in pages.into_iter().enumerate() {
        let mock = Mock::given(method("GET")).and(path(route));
        let mock = if i == 0 {
            mock.and(query_param_is_missing(param))
        } else {
            mock.and(query_param(param, cursors[i - 1]))
        };
        mock.and(query_param("limit", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .expect(1)
            .mount(server)
            .await;
    }
}

fn file(id: &str) -> Value {
    json!({"id": id, "object": "file", "bytes": 1, "created_at": 1, "filename": "f", "purpose": "batch", "status": "processed"})
}

#[tokio::test]
async fn after_the_last_id() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], more: bool| json!({"object": "list", "data": ids.iter().map(|i| file(i)).collect::<Vec<_>>(), "first_id": ids[0], "last_id": ids[ids.len() - 1], "has_more": more});
    mount(
        &server,
        "/files",
        "after",
        &["f2", "f4"],
        vec![
            page(&["f1", "f2"], true),
            page(&["f3", "f4"], true),
            page(&["f5"], false),
        ],
    )
    .await;
    let params = openai_sdk::types::FilesListParams {
        limit: Some(2),
        ..Default::default()
    };
    let ids: Vec<String> = client(&server)
        .files()
        .list_all(&params)
        .map(|f| f.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, ["f1", "f2", "f3", "f4", "f5"]);
}

#[tokio::test]
async fn after_the_last_item_id() {
    let server = MockServer::start().await;
    let event = |id: &str| json!({"id": id, "object": "fine_tuning.job.event", "created_at": 1, "level": "info", "message": "m"});
    let page = |ids: &[&str], more: bool| json!({"object": "list", "data": ids.iter().map(|i| event(i)).collect::<Vec<_>>(), "has_more": more});
    mount(
        &server,
        "/fine_tuning/jobs/ft-1/events",
        "after",
        &["e2", "e4"],
        vec![
            page(&["e1", "e2"], true),
            page(&["e3", "e4"], true),
            page(&["e5", "e6"], false),
        ],
    )
    .await;
    let params = openai_sdk::types::FineTuningJobsListEventsParams {
        limit: Some(2),
        ..Default::default()
    };
    let ids: Vec<String> = client(&server)
        .fine_tuning()
        .jobs()
        .list_events_all("ft-1", &params)
        .map(|e| e.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, ["e1", "e2", "e3", "e4", "e5", "e6"]);
}

#[tokio::test]
async fn after_next() {
    let server = MockServer::start().await;
    let group = |id: &str| json!({"id": id, "object": "group", "name": id, "created_at": 1, "scim_managed": false});
    let page = |ids: &[&str], next: Value| json!({"object": "list", "data": ids.iter().map(|i| group(i)).collect::<Vec<_>>(), "has_more": !next.is_null(), "next": next});
    mount(
        &server,
        "/organization/groups",
        "after",
        &["cursor-a", "cursor-b"],
        vec![
            page(&["g1", "g2"], json!("cursor-a")),
            page(&["g3", "g4"], json!("cursor-b")),
            page(&["g5"], Value::Null),
        ],
    )
    .await;
    let params = openai_sdk::types::AdminOrganizationGroupsListParams {
        limit: Some(2),
        ..Default::default()
    };
    let ids: Vec<String> = client(&server)
        .admin()
        .organization()
        .groups()
        .list_all(&params)
        .map(|g| g.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, ["g1", "g2", "g3", "g4", "g5"]);
}

#[tokio::test]
async fn page_next_page() {
    let server = MockServer::start().await;
    let bucket = |start: i64| json!({"object": "bucket", "start_time": start, "end_time": start + 1, "results": []});
    let page = |starts: &[i64], next: Value| json!({"object": "page", "data": starts.iter().map(|s| bucket(*s)).collect::<Vec<_>>(), "has_more": !next.is_null(), "next_page": next});
    mount(
        &server,
        "/organization/costs",
        "page",
        &["p2", "p3"],
        vec![
            page(&[1, 2], json!("p2")),
            page(&[3, 4], json!("p3")),
            page(&[5], Value::Null),
        ],
    )
    .await;
    let params = openai_sdk::types::AdminOrganizationUsageCostsParams {
        start_time: 0,
        limit: Some(2),
        ..Default::default()
    };
    let starts: Vec<i64> = client(&server)
        .admin()
        .organization()
        .usage()
        .costs_all(&params)
        .map(|b| b.unwrap().start_time)
        .collect()
        .await;
    assert_eq!(starts, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn an_empty_page_ends_and_errors_end_the_stream() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], more: bool| json!({"object": "list", "data": ids.iter().map(|i| file(i)).collect::<Vec<_>>(), "first_id": null, "last_id": ids.last(), "has_more": more});
    mount(
        &server,
        "/files",
        "after",
        &["f1"],
        vec![page(&["f1"], true), page(&[], true)],
    )
    .await;
    let params = openai_sdk::types::FilesListParams {
        limit: Some(2),
        ..Default::default()
    };
    let all: Vec<_> = client(&server).files().list_all(&params).collect().await;
    assert_eq!(
        all.len(),
        1,
        "an empty page stops even when it says there is more"
    );

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let all: Vec<_> = client(&server).files().list_all(&params).collect().await;
    assert!(all.len() == 1 && all[0].is_err());
}

/// Every list operation of the spec that takes a cursor got an auto-paging method.
#[test]
fn every_paging_list_has_an_auto_paging_method() {
    let spec = spec();
    let mut listed = Vec::new();
    for (route, item) in spec.get("paths").and_then(Spec::as_object).unwrap() {
        let Some(op) = item.get("get") else { continue };
        let takes_cursor = op
            .get("parameters")
            .and_then(Spec::as_array)
            .unwrap_or_default()
            .iter()
            .any(|p| {
                p.get("in").and_then(Spec::as_str) == Some("query")
                    && matches!(p.get("name").and_then(Spec::as_str), Some("after" | "page"))
            });
        if takes_cursor {
            listed.push((
                op.get("operationId")
                    .and_then(Spec::as_str)
                    .unwrap()
                    .to_owned(),
                route.clone(),
            ));
        }
    }
    let missing: Vec<_> = listed
        .iter()
        .filter(|(id, _)| {
            OPERATIONS
                .iter()
                .find(|o| o.id == id)
                .and_then(|o| o.paging)
                .is_none()
        })
        .collect();
    let mut styles = std::collections::BTreeMap::new();
    for op in OPERATIONS {
        if let Some(style) = op.paging {
            *styles.entry(style).or_insert(0) += 1;
        }
    }
    println!(
        "pagination: {} list operations take a cursor; {} have an auto-paging method ({styles:?})",
        listed.len(),
        listed.len() - missing.len()
    );
    assert!(missing.is_empty(), "{missing:?}");
    assert!(!listed.is_empty());
}
