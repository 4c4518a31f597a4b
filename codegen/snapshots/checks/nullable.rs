//! Requests say exactly what the spec allows: required fields always (as `null` when nullable),
//! optional ones only when set, and an explicit `null` distinct from leaving a field out.

use crate::types::*;
use serde_json::json;

#[test]
fn required_nullable_fields_are_always_sent() {
    let settings = Settings::default();
    assert_eq!(
        serde_json::to_value(&settings).unwrap(),
        json!({"required_nullable": null, "three_one": null})
    );
}

#[test]
fn optional_nullable_fields_are_three_state() {
    let mut settings = Settings {
        three_one: Some(3),
        ..Default::default()
    };
    settings.optional_nullable = crate::Nullable::Null;
    settings.ref_nullable = Mode::Slow.into();
    let sent = serde_json::to_value(&settings).unwrap();
    assert_eq!(
        sent,
        json!({"required_nullable": null, "three_one": 3, "optional_nullable": null, "ref_nullable": "slow"})
    );
    let back: Settings = serde_json::from_value(sent).unwrap();
    assert_eq!(back, settings);
    // Absent, `null` and a value decode apart.
    let absent: Settings = serde_json::from_value(json!({})).unwrap();
    assert!(absent.optional_nullable.is_absent());
    assert_eq!(back.optional_nullable, crate::Nullable::Null);
    assert_eq!(back.ref_nullable.value(), Some(&Mode::Slow));
}

#[test]
fn a_null_the_spec_does_not_allow_in_an_optional_field_is_none() {
    // `None`, as absent: both say there is no value (a required field's `null` is kept in
    // `extra`; see `tests/tests/forward_compat.rs`).
    let got: Settings = serde_json::from_value(json!({"optional_plain": null})).unwrap();
    assert_eq!(got.optional_plain, None);
    assert!(got.extra.is_empty());
}
