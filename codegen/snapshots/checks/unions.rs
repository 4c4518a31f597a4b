//! How the unions of `unions.yaml` pick their variant.

use crate::types::*;
use serde_json::{Value, json};

fn decode<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap()
}

#[test]
fn explicit_mapping_selects_the_variant() {
    let shape: Shape = decode(json!({"kind": "square", "side": 2.0}));
    assert!(matches!(shape, Shape::Square(Square { side, .. }) if side == 2.0));
}

#[test]
fn a_shared_tag_is_told_apart_by_closed_values_and_required_keys() {
    let user: Item = decode(json!({"content": "hi", "role": "user", "type": "message"}));
    assert!(matches!(user, Item::UserMessage(_)), "{user:?}");
    let assistant: Item = decode(json!({"id": "m1", "type": "message", "role": "assistant"}));
    assert!(
        matches!(assistant, Item::AssistantMessage(_)),
        "{assistant:?}"
    );
    let call: Item = decode(json!({"type": "function_call", "name": "f"}));
    assert!(matches!(call, Item::FunctionCall(ItemFunctionCall { ref name, .. }) if name == "f"));
}

#[test]
fn an_unknown_tag_is_kept_whole() {
    let raw = json!({"type": "brand_new", "payload": [1, 2]});
    let item: Item = decode(raw.clone());
    assert_eq!(item, Item::Unknown(raw.clone()));
    assert_eq!(serde_json::to_value(&item).unwrap(), raw);
}

#[test]
fn untagged_variants_go_by_json_kind_and_closed_strings() {
    assert!(matches!(
        decode::<Input>(json!("auto")),
        Input::Known(InputKnown::Auto)
    ));
    assert!(matches!(decode::<Input>(json!("hello")), Input::Text(ref s) if s == "hello"));
    assert!(matches!(decode::<Input>(json!(7)), Input::Integer(7)));
    assert!(
        matches!(decode::<Input>(json!([{"type": "function_call", "name": "f"}])), Input::Items(ref v) if v.len() == 1)
    );
    assert!(matches!(
        decode::<Input>(json!(true)),
        Input::Unknown(Value::Bool(true))
    ));
}

#[test]
fn a_constant_variant_and_a_nullable_union_field() {
    let holder: Holder = decode(json!({"choice": "auto", "input": null}));
    assert!(matches!(holder.choice, Some(HolderChoice::Auto(_))));
    assert!(holder.input.is_null());
    assert_eq!(
        serde_json::to_value(&holder).unwrap(),
        json!({"choice": "auto", "input": null})
    );
}
