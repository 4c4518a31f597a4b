//! Cargo features per API area: an area is a top-level resource (`chat`, `audio`, …); a type
//! belongs to every area whose operations reach it (through bodies, parameters, responses and
//! stream events, and every type those hold). Webhook payloads make the `webhooks` area, the
//! Realtime WebSocket events join the `realtime` area; a type nothing reaches is in
//! `extra-types`.

use crate::ir::{Operation, TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// The area of an operation: its top-level resource, or `client` for methods on the client.
pub fn area_of(op: &Operation) -> String {
    op.resource
        .first()
        .cloned()
        .unwrap_or_else(|| "client".to_owned())
}

fn names<'t>(ty: &'t TypeRef, out: &mut Vec<&'t str>) {
    match ty {
        TypeRef::Named(n) => out.push(n),
        TypeRef::Array(t) | TypeRef::Map(t) | TypeRef::Nullable(t) | TypeRef::Boxed(t) => {
            names(t, out)
        }
        _ => {}
    }
}

/// The feature of types no operation or webhook reaches.
pub const EXTRA: &str = "extra-types";
pub const WEBHOOKS: &str = "webhooks";
pub const REALTIME: &str = "realtime";

/// A Cargo feature name for an area (`fine_tuning` → `fine-tuning`).
pub fn feature(area: &str) -> String {
    area.replace('_', "-")
}

/// Adds `area` to the features of the types in `stack` and of every type they name, in turn.
fn reach<'t>(
    by_name: &BTreeMap<&str, &'t TypeDef>,
    area: &str,
    mut stack: Vec<&'t str>,
    out: &mut BTreeMap<String, BTreeSet<String>>,
) {
    while let Some(name) = stack.pop() {
        if !out
            .entry(name.to_owned())
            .or_default()
            .insert(area.to_owned())
        {
            continue;
        }
        let Some(def) = by_name.get(name) else {
            continue;
        };
        match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().for_each(|f| names(&f.ty, &mut stack)),
            TypeKind::Union(u) => u.variants.iter().for_each(|v| names(&v.ty, &mut stack)),
            TypeKind::Alias(ty) => names(ty, &mut stack),
            TypeKind::Enum(e) => stack.extend(e.includes.iter().map(String::as_str)),
        }
    }
}

/// For each type, the features that need it (sorted); every type has at least one.
pub fn type_areas(
    operations: &[Operation],
    webhooks: &[crate::ir::Webhook],
    types: &[TypeDef],
) -> BTreeMap<String, BTreeSet<String>> {
    let by_name: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut roots: Vec<(String, Vec<&str>)> = Vec::new();
    for op in operations {
        let mut stack = Vec::new();
        if let Some((_, ty)) = &op.body {
            names(ty, &mut stack);
        }
        if let Some(q) = &op.query {
            stack.push(q);
        }
        if let crate::ir::ResponseKind::Json(ty) = &op.response {
            names(ty, &mut stack);
        }
        if let Some(s) = &op.streaming {
            names(&s.event, &mut stack);
        }
        roots.push((feature(&area_of(op)), stack));
    }
    let mut hooks: Vec<&str> = Vec::new();
    webhooks.iter().for_each(|w| names(&w.payload, &mut hooks));
    hooks.extend(by_name.keys().filter(|n| by_name[**n].module == "webhooks"));
    roots.push((WEBHOOKS.to_owned(), hooks));
    // The WebSocket protocol's events belong with the Realtime API's operations.
    roots.push((REALTIME.to_owned(), super::realtime::UNIONS.to_vec()));
    for (area, stack) in roots {
        reach(&by_name, &area, stack, &mut out);
    }
    // What nothing reaches is its own area, and it needs what it names as any area does.
    let unreached: Vec<&str> = by_name
        .keys()
        .copied()
        .filter(|n| !out.contains_key(*n))
        .collect();
    reach(&by_name, EXTRA, unreached, &mut out);
    out
}
