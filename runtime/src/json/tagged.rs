//! Unions decoded by their tag wherever it is in the object: the deserializer looks ahead for
//! the tag, then hands the whole object, from its first member, to the variant the tag names.
//!
//! serde has no call for "find this member first", so it goes through one it has: a union asks
//! for a newtype struct of a name no type has ([`TAGGED`]), with the tag's property left here.
//! The SDK's deserializer answers with `visit_enum`: the tag as the variant's name, the object as
//! its content. Any other deserializer (serde_json's, a `Value`) answers `visit_newtype_struct`,
//! and the union reads the object as before: scalars up to the tag replayed, or the whole object
//! buffered when something else comes first.

use serde::de::{Deserializer, Visitor};
use std::cell::Cell;

/// The name of the newtype struct a union asks for.
pub const TAGGED: &str = "$openai_sdk::tagged";

thread_local! {
    /// The tag property of the union being asked for; taken by the deserializer at once.
    static PROP: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// Decodes a union whose objects carry their variant in `prop`: `visitor` gets `visit_enum` with
/// the tag (from the SDK's deserializer, when the value is an object with a string `prop`) or
/// `visit_newtype_struct` (other deserializers), else what `deserialize_any` gives.
#[doc(hidden)]
pub fn deserialize_tagged<'de, D: Deserializer<'de>, V: Visitor<'de>>(
    d: D,
    prop: &'static str,
    visitor: V,
) -> Result<V::Value, D::Error> {
    PROP.with(|p| p.set(Some(prop)));
    d.deserialize_newtype_struct(TAGGED, visitor)
}

/// The property [`deserialize_tagged`] left, if any (taken: a nested value asks anew).
pub(super) fn take_prop() -> Option<&'static str> {
    PROP.with(Cell::take)
}
