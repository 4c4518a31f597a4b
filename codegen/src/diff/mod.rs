//! What changed for SDK users between two versions of the spec: operations and component schemas
//! added, removed and changed, each with the Rust item it maps to; the changes that break code
//! written against the older SDK; and the Rust names that moved although their schema did not.
//!
//! Both specs are lowered as `generate` lowers them, and the comparison is made on the IR, so it
//! speaks of what users see (fields, variants, enum values, method names), not of how the JSON
//! Schema happens to spell it. [`report`] writes it as Markdown or JSON.

pub mod report;

use crate::ir::{Api, Field, Operation, ResponseKind, TypeDef, TypeKind, TypeRef};
use crate::value::Value;
use std::collections::{BTreeMap, BTreeSet};

/// An operation or schema that is only in one of the two specs.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The operationId, or the component schema's name.
    pub name: String,
    /// The Rust item: `client.chat().completions().create()`, `types::Foo`.
    pub rust: String,
    /// `POST /chat/completions` for an operation.
    pub route: Option<String>,
}

/// One change to an item present in both.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub text: String,
    /// Code written against the older SDK may no longer compile or mean the same.
    pub breaking: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Changed {
    pub name: String,
    pub rust: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Changes {
    pub added: Vec<Item>,
    pub removed: Vec<Item>,
    pub changed: Vec<Changed>,
}

/// A Rust name that moved although its schema (or operation) did not change.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    /// JSON pointer of the schema or operation, the same in both specs.
    pub pointer: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diff {
    pub operations: Changes,
    pub schemas: Changes,
    /// Every breaking change, one line each, operations first.
    pub breaking: Vec<String>,
    /// Types whose schema is unchanged but whose Rust name changed (the goal is none).
    pub moved_types: Vec<Moved>,
    /// Operations unchanged in the spec whose method changed name (the goal is none).
    pub moved_methods: Vec<Moved>,
}

/// Compares two specs (their text, as `generate` takes it).
pub fn diff(old: &str, new: &str) -> crate::Result<Diff> {
    let old = Side::new(old)?;
    let new = Side::new(new)?;
    let mut out = Diff {
        operations: operations(&old, &new),
        schemas: schemas(&old, &new),
        ..Diff::default()
    };
    for (changes, kind) in [(&out.operations, "operation"), (&out.schemas, "type")] {
        for item in &changes.removed {
            out.breaking
                .push(format!("{kind} `{}` removed (`{}`)", item.name, item.rust));
        }
        for changed in &changes.changed {
            for change in changed.changes.iter().filter(|c| c.breaking) {
                out.breaking.push(format!(
                    "`{}` (`{}`): {}",
                    changed.name, changed.rust, change.text
                ));
            }
        }
    }
    (out.moved_types, out.moved_methods) = moved(&old, &new);
    Ok(out)
}

/// One spec: its document, its IR, and lookups into both.
struct Side {
    root: Value,
    api: Api,
    types: BTreeMap<String, TypeDef>,
    /// Types a request can hold (bodies and query parameters, and all they hold).
    request_types: BTreeSet<String>,
}

impl Side {
    fn new(text: &str) -> crate::Result<Side> {
        let spec = crate::load::load(text)?;
        let (api, _) = crate::lower::lower(&spec)?;
        let types: BTreeMap<String, TypeDef> = api
            .types
            .iter()
            .map(|t| (t.name.clone(), t.clone()))
            .collect();
        let mut request_types = BTreeSet::new();
        let mut stack: Vec<String> = Vec::new();
        for op in &api.operations {
            if let Some((_, ty)) = &op.body {
                named(ty, &mut stack);
            }
            stack.extend(op.query.iter().cloned());
        }
        while let Some(name) = stack.pop() {
            if !request_types.insert(name.clone()) {
                continue;
            }
            match types.get(&name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => s.fields.iter().for_each(|f| named(&f.ty, &mut stack)),
                Some(TypeKind::Union(u)) => {
                    u.variants.iter().for_each(|v| named(&v.ty, &mut stack))
                }
                Some(TypeKind::Alias(ty)) => named(ty, &mut stack),
                _ => {}
            }
        }
        Ok(Side {
            root: spec.root,
            api,
            types,
            request_types,
        })
    }
}

fn named(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(n) => out.push(n.clone()),
        TypeRef::Array(t) | TypeRef::Map(t) | TypeRef::Nullable(t) | TypeRef::Boxed(t) => {
            named(t, out)
        }
        _ => {}
    }
}

/// A type as a Rust user writes it (short paths).
pub fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Integer => "i64".to_owned(),
        TypeRef::Number => "f64".to_owned(),
        TypeRef::Boolean => "bool".to_owned(),
        TypeRef::Json => "Value".to_owned(),
        TypeRef::JsonObject => "Map<String, Value>".to_owned(),
        TypeRef::Binary => "InputFile".to_owned(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::Const(n) => format!("consts::{n}"),
        TypeRef::Array(t) => format!("Vec<{}>", rust_type(t)),
        TypeRef::Map(t) => format!("HashMap<String, {}>", rust_type(t)),
        TypeRef::Nullable(t) => format!("Option<{}>", rust_type(t)),
        TypeRef::Boxed(t) => format!("Box<{}>", rust_type(t)),
    }
}

/// A field's type as declared (absent and `null` are `Option`s).
fn field_type(f: &Field) -> String {
    let inner = rust_type(&f.ty);
    match (f.required, f.nullable) {
        (true, false) => inner,
        (true, true) | (false, false) => format!("Option<{inner}>"),
        (false, true) => format!("Option<Option<{inner}>>"),
    }
}

/// `client.chat().completions().create()`.
pub fn call(op: &Operation) -> String {
    let mut out = String::from("client");
    for part in op.resource.iter().chain([&op.name]) {
        out.push('.');
        out.push_str(part);
        out.push_str("()");
    }
    out
}

fn route(op: &Operation) -> String {
    format!("{} {}", op.method, op.path)
}

fn response(kind: &ResponseKind) -> String {
    match kind {
        ResponseKind::Json(ty) => rust_type(ty),
        ResponseKind::Bytes => "Bytes".to_owned(),
        ResponseKind::Text => "String".to_owned(),
        ResponseKind::Empty => "()".to_owned(),
    }
}

fn operations(old: &Side, new: &Side) -> Changes {
    let by_id = |side: &'_ Side| -> BTreeMap<String, Operation> {
        side.api
            .operations
            .iter()
            .map(|op| (op.id.clone(), op.clone()))
            .collect()
    };
    let (olds, news) = (by_id(old), by_id(new));
    let item = |op: &Operation| Item {
        name: op.id.clone(),
        rust: call(op),
        route: Some(route(op)),
    };
    let mut out = Changes {
        added: news
            .values()
            .filter(|op| !olds.contains_key(&op.id))
            .map(item)
            .collect(),
        removed: olds
            .values()
            .filter(|op| !news.contains_key(&op.id))
            .map(item)
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
                let found = compare(old, new, qa, qb, "query", &mut seen);
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
                name: id.clone(),
                rust: call(b),
                changes,
            });
        }
    }
    out
}

fn schemas(old: &Side, new: &Side) -> Changes {
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
        changes.extend(compare(old, new, a, b, b, &mut seen));
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
    match (side.types.get(outer), side.types.get(inner)) {
        (Some(o), Some(i)) => i.pointer.starts_with(&format!("{}/", o.pointer)),
        _ => false,
    }
}

/// The changes from type `a` (old) to type `b` (new), with `at` naming the place
/// (`Foo.bar`). Inline types are followed; named components are compared on their own.
fn compare(
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
    let (Some(ta), Some(tb)) = (old.types.get(a), new.types.get(b)) else {
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
            out.extend(compare(old, new, x, y, &place, seen));
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

/// Keys that document a schema without naming it (a `title` names union variants, so it counts).
const PROSE: &[&str] = &["description", "summary", "example", "examples", "x-oaiMeta"];
/// The same for an operation, whose examples (in `x-oaiMeta`) give its official name.
const OPERATION_PROSE: &[&str] = &["description", "summary"];

/// Equal, the `prose` keys aside.
fn same_but(prose: &[&str], a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let keys = |m: &indexmap::IndexMap<String, Value>| {
                m.keys()
                    .filter(|k| !prose.contains(&k.as_str()))
                    .cloned()
                    .collect::<BTreeSet<String>>()
            };
            let shared = keys(a);
            shared == keys(b) && shared.iter().all(|k| same_but(prose, &a[k], &b[k]))
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_but(prose, a, b))
        }
        _ => a == b,
    }
}

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
fn moved(old: &Side, new: &Side) -> (Vec<Moved>, Vec<Moved>) {
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
            && same_but(prose, x, y)
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
            (Some(x), Some(y)) => same_but(OPERATION_PROSE, x, y),
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
