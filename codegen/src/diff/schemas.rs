//! Component schemas compared by name: fields, enum values and variants, following the inline
//! types each holds.

use super::{Change, Changed, Changes, Item, Side, field_type, named, rust_type};
use crate::ir::{Field, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn compare(old: &Side, new: &Side) -> Changes {
    let olds: BTreeMap<&String, &String> = old.api.schemas.iter().map(|(s, t)| (s, t)).collect();
    let news: BTreeMap<&String, &String> = new.api.schemas.iter().map(|(s, t)| (s, t)).collect();
    let item = |(schema, ty): (&&String, &&String)| Item {
        name: (*schema).clone(),
        rust: format!("types::{ty}"),
        route: None,
    };
    let mut out = Changes {
        added: news
            .iter()
            .filter(|(s, _)| !olds.contains_key(*s))
            .map(item)
            .collect(),
        removed: olds
            .iter()
            .filter(|(s, _)| !news.contains_key(*s))
            .map(item)
            .collect(),
        changed: Vec::new(),
    };
    for (schema, a) in &olds {
        let Some(b) = news.get(schema) else { continue };
        let mut changes = Vec::new();
        if a != b {
            changes.push(Change {
                text: format!("renamed `types::{a}` → `types::{b}`"),
                breaking: true,
            });
        }
        let mut seen = BTreeSet::new();
        changes.extend(compare_types(old, new, a, b, b, &mut seen));
        if !changes.is_empty() {
            out.changed.push(Changed {
                name: (*schema).clone(),
                rust: format!("types::{b}"),
                changes,
            });
        }
    }
    out
}

/// Whether `inner` is a type defined inside the schema at `outer` (an inline schema), so its
/// changes are the outer schema's changes.
fn inside(side: &Side, outer: &str, inner: &str) -> bool {
    match (side.get(outer), side.get(inner)) {
        (Some(o), Some(i)) => i.pointer.starts_with(&format!("{}/", o.pointer)),
        _ => false,
    }
}

/// The changes from type `a` (old) to type `b` (new), with `at` naming the place
/// (`Foo.bar`). Inline types are followed; named components are compared on their own.
pub(super) fn compare_types(
    old: &Side,
    new: &Side,
    a: &str,
    b: &str,
    at: &str,
    seen: &mut BTreeSet<(String, String)>,
) -> Vec<Change> {
    let mut out = Vec::new();
    if !seen.insert((a.to_owned(), b.to_owned())) {
        return out;
    }
    let (Some(ta), Some(tb)) = (old.get(a), new.get(b)) else {
        return out;
    };
    let mut say = |text: String, breaking: bool| out.push(Change { text, breaking });
    let mut nested = Vec::new();
    match (&ta.kind, &tb.kind) {
        (TypeKind::Struct(sa), TypeKind::Struct(sb)) => {
            let fields = |s: &'_ crate::ir::Struct| -> BTreeMap<String, Field> {
                s.fields
                    .iter()
                    .map(|f| (f.wire.clone(), f.clone()))
                    .collect()
            };
            let (fa, fb) = (fields(sa), fields(sb));
            for (wire, f) in &fa {
                if !fb.contains_key(wire) {
                    say(format!("field `{at}.{}` removed", f.name), true);
                }
            }
            for (wire, f) in &fb {
                let Some(before) = fa.get(wire) else {
                    let request = new.request_types.contains(b);
                    let breaking = request && f.required;
                    let what = if breaking { "required field" } else { "field" };
                    say(
                        format!("{what} `{at}.{}: {}` added", f.name, field_type(f)),
                        breaking,
                    );
                    continue;
                };
                if field_type(before) != field_type(f) {
                    say(
                        format!(
                            "field `{at}.{}`: `{}` → `{}`",
                            f.name,
                            field_type(before),
                            field_type(f)
                        ),
                        true,
                    );
                } else if before.name != f.name {
                    say(
                        format!("field `{at}.{}` renamed `{}`", before.name, f.name),
                        true,
                    );
                }
                nested.push((before.ty.clone(), f.ty.clone(), format!("{at}.{}", f.name)));
            }
        }
        (TypeKind::Enum(ea), TypeKind::Enum(eb)) => {
            let values = |e: &'_ crate::ir::StringEnum| -> BTreeSet<String> {
                e.variants.iter().map(|v| v.value.clone()).collect()
            };
            let (va, vb) = (values(ea), values(eb));
            for v in va.difference(&vb) {
                say(format!("enum value `{at}::\"{v}\"` removed"), true);
            }
            for v in vb.difference(&va) {
                say(format!("enum value `{at}::\"{v}\"` added"), false);
            }
        }
        (TypeKind::Union(ua), TypeKind::Union(ub)) => {
            let variants = |u: &'_ crate::ir::Union| -> BTreeMap<String, TypeRef> {
                u.variants
                    .iter()
                    .map(|v| (v.name.clone(), v.ty.clone()))
                    .collect()
            };
            let (va, vb) = (variants(ua), variants(ub));
            for name in va.keys().filter(|n| !vb.contains_key(*n)) {
                say(format!("variant `{at}::{name}` removed"), true);
            }
            for (name, ty) in vb.iter().filter(|(n, _)| !va.contains_key(*n)) {
                say(
                    format!("variant `{at}::{name}({})` added", rust_type(ty)),
                    false,
                );
            }
            for (name, ty) in &vb {
                let Some(before) = va.get(name) else { continue };
                if rust_type(before) != rust_type(ty) {
                    say(
                        format!(
                            "variant `{at}::{name}`: `{}` → `{}`",
                            rust_type(before),
                            rust_type(ty)
                        ),
                        true,
                    );
                }
                nested.push((before.clone(), ty.clone(), format!("{at}::{name}")));
            }
        }
        (TypeKind::Alias(x), TypeKind::Alias(y)) => {
            if rust_type(x) != rust_type(y) {
                say(
                    format!("`{at}` is `{}` (was `{}`)", rust_type(y), rust_type(x)),
                    true,
                );
            }
            nested.push((x.clone(), y.clone(), at.to_owned()));
        }
        (x, y) => say(
            format!("`{at}` is now {} (was {})", kind_name(y), kind_name(x)),
            true,
        ),
    }
    for (x, y, place) in nested {
        let (mut nx, mut ny) = (Vec::new(), Vec::new());
        named(&x, &mut nx);
        named(&y, &mut ny);
        if let ([x], [y]) = (nx.as_slice(), ny.as_slice())
            && inside(old, a, x)
            && inside(new, b, y)
        {
            out.extend(compare_types(old, new, x, y, &place, seen));
        }
    }
    out
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum(_) => "an enum of strings",
        TypeKind::Union(_) => "a union",
        TypeKind::Alias(_) => "an alias",
    }
}
