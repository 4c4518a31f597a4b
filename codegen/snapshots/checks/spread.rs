//! How the unions of `spread.yaml` carry the parts merged into every variant.

use crate::types::*;
use serde_json::{Value, json};

fn decode<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap()
}

#[test]
fn a_union_under_all_of_gets_the_other_fields_in_each_variant() {
    let raw = json!({"type": "started", "at": 3, "stream_id": "lane-1"});
    let event: Event = decode(raw.clone());
    let Event::Started(started) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(started.at, 3);
    assert_eq!(started.stream_id.as_deref(), Some("lane-1"));
    assert!(started.extra.is_empty(), "{:?}", started.extra);
    assert_eq!(serde_json::to_value(&event).unwrap(), raw);

    let stopped: Event = decode(json!({"type": "stopped", "reason": "done"}));
    assert!(
        matches!(
            stopped,
            Event::Stopped(EventStopped {
                reason: StoppedReason::Done,
                stream_id: None,
                ..
            })
        ),
        "{stopped:?}"
    );
}

#[test]
fn properties_beside_a_one_of_go_into_each_variant() {
    let by_url: Reference = decode(json!({"name": "a", "url": "https://x"}));
    assert!(
        matches!(&by_url, Reference::ByUrl(ReferenceByUrl { name, url, .. }) if name == "a" && url == "https://x"),
        "{by_url:?}"
    );
    let by_id: Reference = decode(json!({"id": "file-1", "name": "b"}));
    assert!(
        matches!(&by_id, Reference::ById(ReferenceById { name, id, .. }) if name == "b" && id == "file-1"),
        "{by_id:?}"
    );
}

#[test]
fn a_union_extended_twice_has_variants_of_its_own() {
    let raw = json!({"type": "stopped", "reason": "error", "stream_id": "s", "seq": 9});
    let event: Sequenced = decode(raw.clone());
    let Sequenced::Stopped(stopped) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(
        (stopped.seq, stopped.reason.clone()),
        (9, StoppedReason::Error)
    );
    assert_eq!(serde_json::to_value(&event).unwrap(), raw);
    // `Event`'s own variants know nothing of `seq`: it is kept as an unlisted field.
    let plain: Event = decode(raw);
    let Event::Stopped(plain) = plain else {
        panic!()
    };
    assert_eq!(plain.extra.value("seq"), Some(json!(9)));
}
