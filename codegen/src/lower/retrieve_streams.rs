//! Streams asked for in a query: a `GET` whose `stream` query flag asks for the events of the
//! stream that made its object (`GET /responses/{response_id}?stream=true` replays a background
//! response's events), although its responses list only JSON. Its events are those of the
//! operation that streams the same object (`POST /responses`).
//!
//! Such a `GET` that also takes `starting_after` (a position in the stream) is how the creating
//! stream resumes when its connection breaks: that stream is given it, with the name of the event
//! member holding the object whose id fills the path (`response` for `{response_id}`).

use crate::ir::{
    Operation, ResponseKind, Resume, Streaming, SwitchValue, TypeDef, TypeKind, TypeRef,
};
use std::collections::BTreeMap;

/// The query flag that asks for the stream, and the one that says where to start.
const FLAG: &str = "stream";
const CURSOR: &str = "starting_after";

pub(super) fn find(operations: &mut [Operation], types: &BTreeMap<String, TypeDef>) {
    let mut resumes = Vec::new();
    for i in 0..operations.len() {
        let op = &operations[i];
        if op.method != "GET" || op.streaming.is_some() {
            continue;
        }
        let Some(fields) = query_fields(op, types) else {
            continue;
        };
        if !fields
            .iter()
            .any(|(wire, ty)| wire == FLAG && is(ty, &TypeRef::Boolean))
        {
            continue;
        }
        let ResponseKind::Json(object) = &op.response else {
            continue;
        };
        // The stream of the same object; the one whose path the `GET`'s starts with first.
        let mut makers: Vec<&Operation> = operations
            .iter()
            .filter(|s| s.streaming.is_some() && s.response == ResponseKind::Json(object.clone()))
            .collect();
        makers.sort_by_key(|s| !op.path.starts_with(&format!("{}/", s.path)));
        let Some(maker) = makers.first() else {
            continue;
        };
        let source = maker.streaming.as_ref().expect("a streaming operation");
        let streaming = Streaming {
            switch: Some((FLAG.to_owned(), SwitchValue::True)),
            in_query: true,
            ..source.clone()
        };
        // `/responses/{response_id}` below `/responses`: the maker's stream resumes through it.
        let below = op
            .path
            .strip_prefix(&format!("{}/{{", maker.path))
            .and_then(|rest| rest.strip_suffix('}'))
            .filter(|param| !param.contains('/'));
        let resumable = fields
            .iter()
            .any(|(wire, ty)| wire == CURSOR && is(ty, &TypeRef::Integer));
        if let (Some(param), true) = (below, resumable)
            && let Some(member) = param.strip_suffix("_id")
        {
            let maker = operations.iter().position(|s| std::ptr::eq(s, *maker));
            resumes.push((
                [maker.expect("found above"), i],
                Resume {
                    route: op.path.clone(),
                    operation: op.id.clone(),
                    member: member.to_owned(),
                    cursor: CURSOR.to_owned(),
                },
            ));
        }
        operations[i].streaming = Some(streaming);
    }
    // Both streams of the object resume the same way.
    for (streams, resume) in resumes {
        for at in streams {
            if let Some(streaming) = &mut operations[at].streaming {
                streaming.resume = Some(resume.clone());
            }
        }
    }
}

/// The wire names and types of an operation's query parameters.
fn query_fields(
    op: &Operation,
    types: &BTreeMap<String, TypeDef>,
) -> Option<Vec<(String, TypeRef)>> {
    let TypeKind::Struct(query) = &types.get(op.query.as_ref()?)?.kind else {
        return None;
    };
    Some(
        query
            .fields
            .iter()
            .map(|f| (f.wire.clone(), f.ty.clone()))
            .collect(),
    )
}

/// Whether `ty` is `want`, however optional.
fn is(ty: &TypeRef, want: &TypeRef) -> bool {
    match ty {
        TypeRef::Nullable(inner) => is(inner, want),
        other => other == want,
    }
}
