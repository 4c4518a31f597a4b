//! String enums keep values they do not know; constants fill themselves in.

use crate::types::*;
use serde_json::json;

#[test]
fn unknown_enum_values_round_trip() {
    let color: Color = serde_json::from_value(json!("purple")).unwrap();
    assert_eq!(color, Color::Unknown("purple".into()));
    assert_eq!(serde_json::to_value(&color).unwrap(), json!("purple"));
    assert_eq!(Color::default(), Color::Red);
    assert_eq!(Color::from("1024x1024"), Color::V1024x1024);
    assert_eq!(Color::Star.as_str(), "*");
}

#[test]
fn constants_are_filled_in_and_unexpected_values_kept() {
    let message = Message {
        size: Some(Size::Large),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&message).unwrap(),
        json!({"object": "chat.message", "role": "assistant", "size": "large"})
    );
    let odd: Message =
        serde_json::from_value(json!({"object": "chat.message.v2", "role": "assistant"})).unwrap();
    assert!(!odd.object.is_expected());
    assert_eq!(odd.object.as_str(), "chat.message.v2");
}

#[test]
fn a_union_of_strings_is_one_enum() {
    // Open: any string, known ones as variants.
    assert_eq!(Model::from("small-1"), Model::Small1);
    let other: Model = serde_json::from_value(json!("tiny-0")).unwrap();
    assert_eq!(other, Model::Other("tiny-0".into()));
    assert_eq!(other, "tiny-0".parse().unwrap());
    assert_eq!(other.to_string(), "tiny-0");
    // A wider list takes the narrower one's values; `null` stays outside the enum.
    assert_eq!(AnyModel::from(Model::Large2), AnyModel::Large2);
    assert_eq!(AnyModel::from("huge-3"), AnyModel::Huge3);
    // Closed: values of every branch, the rest `Unknown`.
    assert_eq!(Tone::from("loud"), Tone::Loud);
    assert_eq!(Tone::from("quiet"), Tone::Unknown("quiet".into()));
}
