//! Operations compared by operationId: the call, route, arguments, body, response, stream and
//! pages of each.

use super::{Change, Changed, Changes, Item, Side, call, response, route, rust_type};
use crate::ir::Operation;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn compare(old: &Side, new: &Side) -> Changes {
    fn by_id(side: &Side) -> BTreeMap<&str, &Operation> {
        side.api
            .operations
            .iter()
            .map(|op| (op.id.as_str(), op))
            .collect()
    }
    let (olds, news) = (by_id(old), by_id(new));
    let item = |op: &Operation| Item {
        name: op.id.clone(),
        rust: call(op),
        route: Some(route(op)),
    };
    let mut out = Changes {
        added: news
            .values()
            .filter(|op| !olds.contains_key(op.id.as_str()))
            .map(|op| item(op))
            .collect(),
        removed: olds
            .values()
            .filter(|op| !news.contains_key(op.id.as_str()))
            .map(|op| item(op))
            .collect(),
        changed: Vec::new(),
    };
    for (id, a) in &olds {
        let Some(b) = news.get(id) else { continue };
        let mut changes = Vec::new();
        let mut say = |text: String, breaking: bool| changes.push(Change { text, breaking });
        if call(a) != call(b) {
            say(format!("renamed `{}` → `{}`", call(a), call(b)), true);
        }
        if route(a) != route(b) {
            say(
                format!("sent as `{}` (was `{}`)", route(b), route(a)),
                false,
            );
        }
        if a.path_params != b.path_params {
            let names = |op: &Operation| {
                op.path_params
                    .iter()
                    .map(|(rust, _)| rust.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            say(
                format!("path arguments ({}) → ({})", names(a), names(b)),
                true,
            );
        }
        match (&a.query, &b.query) {
            (None, Some(q)) => say(format!("takes query parameters (`{q}`)"), true),
            (Some(q), None) => say(format!("no longer takes query parameters (`{q}`)"), true),
            (Some(qa), Some(qb)) => {
                let mut seen = BTreeSet::new();
                let found = super::schemas::compare_types(old, new, qa, qb, "query", &mut seen);
                changes.extend(found);
            }
            (None, None) => {}
        }
        let body = |op: &Operation| op.body.as_ref().map(|(_, ty)| rust_type(ty));
        if body(a) != body(b) {
            let show = |b: Option<String>| b.map_or("none".to_owned(), |t| format!("`{t}`"));
            changes.push(Change {
                text: format!("request body {} → {}", show(body(a)), show(body(b))),
                breaking: true,
            });
        }
        if response(&a.response) != response(&b.response) {
            changes.push(Change {
                text: format!(
                    "returns `{}` (was `{}`)",
                    response(&b.response),
                    response(&a.response)
                ),
                breaking: true,
            });
        }
        let event = |op: &Operation| op.streaming.as_ref().map(|s| rust_type(&s.event));
        if event(a) != event(b) {
            let breaking = event(a).is_some();
            let text = match (event(a), event(b)) {
                (None, Some(e)) => format!("streams `{e}` events (`{}_stream`)", b.name),
                (Some(_), None) => format!("no longer streams (`{}_stream` removed)", a.name),
                (Some(x), Some(y)) => format!("stream events `{x}` → `{y}`"),
                (None, None) => unreachable!("they differ"),
            };
            changes.push(Change { text, breaking });
        }
        if a.paging.is_some() != b.paging.is_some() {
            let lost = a.paging.is_some();
            changes.push(Change {
                text: if lost {
                    format!("no longer pages (`{}_all` removed)", a.name)
                } else {
                    format!("pages (`{}_all`)", b.name)
                },
                breaking: lost,
            });
        }
        if !changes.is_empty() {
            out.changed.push(Changed {
                name: (*id).to_owned(),
                rust: call(b),
                changes,
            });
        }
    }
    out
}
