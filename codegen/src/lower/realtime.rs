//! The Realtime API's WebSocket protocol: the union of events a client sends
//! (`RealtimeClientEvent`) and the union the server sends (`RealtimeServerEvent`). The SDK's
//! WebSocket client decodes and encodes through them, so every generated SDK has both: the spec's
//! own when it defines them, else (older specs list only the events) one made of every component
//! schema named after the union whose `type` is a constant, told apart by that `type`.

use super::{Lowerer, component_pointer, event_union};
use crate::error::Result;
use crate::value::Value;

/// The two unions, by component name.
pub const UNIONS: [&str; 2] = ["RealtimeClientEvent", "RealtimeServerEvent"];

impl Lowerer<'_> {
    pub(super) fn realtime_events(&mut self) -> Result<()> {
        for union in UNIONS {
            if self.schemas.contains_key(union) {
                continue;
            }
            let mut events: Vec<&String> = self
                .schemas
                .iter()
                .filter(|(name, schema)| {
                    name.strip_prefix(union)
                        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
                        && constant_type(schema)
                })
                .map(|(name, _)| name)
                .collect();
            events.sort();
            let branches = events
                .into_iter()
                .map(|name| {
                    Value::Object(
                        [("$ref".to_owned(), Value::String(component_pointer(name)))].into(),
                    )
                })
                .collect();
            let description =
                format!("Any event of the Realtime API's `{union}` kind, by its `type`.");
            self.define_union(
                &event_union(&description, branches),
                &component_pointer(union),
                union,
            )?;
        }
        Ok(())
    }
}

/// Whether `schema` is an object whose `type` property is one constant string.
fn constant_type(schema: &Value) -> bool {
    schema
        .pointer("#/properties/type")
        .and_then(Value::as_object)
        .and_then(super::schema::string_values)
        .is_some_and(|values| values.len() == 1)
}
