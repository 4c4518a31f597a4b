//! Names a Rust user would write: singular items, one type for alike inline enums, variants
//! named after what they hold, long names shortened.

use crate::types::*;
use serde_json::json;

#[test]
fn items_are_named_after_their_singular() {
    let completion = ChatCompletion {
        choices: Some(vec![ChatCompletionChoice::default()]),
        entries: Some(vec![ChatCompletionEntry::default()]),
        // `data` holds what the list is of; `ChatCompletionDatum` would be no better.
        data: Some(vec![ChatCompletionDataItem::default()]),
        ..Default::default()
    };
    assert_eq!(completion.choices.unwrap().len(), 1);
    // `ChatCompletionToolResourcesFileSearchVectorStoreChunkingStrategy` is 64 characters.
    let _: ChatCompletionFileSearchVectorStoreChunkingStrategy = Default::default();
}

#[test]
fn alike_inline_enums_are_one_type() {
    let files = FileList {
        order: Some(ListOrder::Asc),
        ..Default::default()
    };
    let batches = BatchList {
        order: Some(ListOrder::Asc),
        ..Default::default()
    };
    assert_eq!(files.order, batches.order);
}

#[test]
fn variants_are_named_after_what_they_hold() {
    let decode = |v| serde_json::from_value::<ChatMessage>(v).unwrap();
    assert!(matches!(
        decode(json!({"instructions": "be brief"})),
        ChatMessage::SystemMessage(_)
    ));
    assert!(matches!(
        decode(json!({"content": "hi"})),
        ChatMessage::UserMessage(_)
    ));
    assert!(matches!(decode(json!("hi")), ChatMessage::Text(_)));
    assert!(matches!(
        decode(json!([{"text": "hi"}])),
        ChatMessage::Parts(_)
    ));
    assert!(matches!(decode(json!(["hi"])), ChatMessage::Texts(_)));
}
