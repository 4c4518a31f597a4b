//! Names that moved: the measure of whether generated names stay put when the spec changes.

use super::{Moved, Side, call};
use std::collections::BTreeMap;

/// Keys that document a schema without naming it (a `title` names union variants, so it counts).
const PROSE: &[&str] = &["description", "summary", "example", "examples", "x-oaiMeta"];
/// The same for an operation, whose examples (in `x-oaiMeta`) give its official name.
const OPERATION_PROSE: &[&str] = &["description", "summary"];

/// What a type's name may depend on: its schema, or for a type an operation defines (its query
/// parameters, an inline body), the whole operation, since the name follows the operation's
/// official call, which its examples give.
fn naming_source(pointer: &str) -> &str {
    let Some(rest) = pointer.strip_prefix("#/paths/") else {
        return pointer;
    };
    // `#/paths/{path}/{method}`: the path is one escaped token.
    let mut parts = rest.splitn(3, '/');
    match (parts.next(), parts.next()) {
        (Some(path), Some(method)) => &pointer[..8 + path.len() + 1 + method.len()],
        _ => pointer,
    }
}

/// Names that moved although what they name did not change: a type whose schema (at the same
/// pointer, prose aside) is the same in both specs, an operation whose description is the same
/// (examples included, since the official names come from them).
pub(super) fn moved(old: &Side, new: &Side) -> (Vec<Moved>, Vec<Moved>) {
    let by_pointer = |side: &'_ Side| -> BTreeMap<String, String> {
        side.api
            .types
            .iter()
            .map(|t| (t.pointer.clone(), t.name.clone()))
            .collect()
    };
    let (pa, pb) = (by_pointer(old), by_pointer(new));
    let mut types = Vec::new();
    for (pointer, a) in &pa {
        let Some(b) = pb.get(pointer).filter(|b| *b != a) else {
            continue;
        };
        let source = naming_source(pointer);
        let prose = if source == pointer {
            PROSE
        } else {
            OPERATION_PROSE
        };
        if let (Some(x), Some(y)) = (old.root.pointer(source), new.root.pointer(source))
            && x.same_except(y, prose)
        {
            types.push(Moved {
                pointer: pointer.clone(),
                old: a.clone(),
                new: b.clone(),
            });
        }
    }
    let ops = |side: &'_ Side| -> BTreeMap<String, (String, String)> {
        side.api
            .operations
            .iter()
            .map(|op| (op.id.clone(), (op.pointer.clone(), call(op))))
            .collect()
    };
    let (oa, ob) = (ops(old), ops(new));
    let mut methods = Vec::new();
    for (id, (pointer, a)) in &oa {
        let Some((p, b)) = ob.get(id) else { continue };
        let same = match (old.root.pointer(pointer), new.root.pointer(pointer)) {
            (Some(x), Some(y)) => x.same_except(y, OPERATION_PROSE),
            _ => false,
        };
        if p == pointer && a != b && same {
            methods.push(Moved {
                pointer: pointer.clone(),
                old: a.clone(),
                new: b.clone(),
            });
        }
    }
    (types, methods)
}
