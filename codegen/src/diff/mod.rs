//! What changed for SDK users between two versions of the spec: operations and component schemas
//! added, removed and changed, each with the Rust item it maps to; the changes that break code
//! written against the older SDK; and the Rust names that moved although their schema did not.
//!
//! Both specs are lowered as `generate` lowers them, and the comparison is made on the IR, so it
//! speaks of what users see (fields, variants, enum values, method names), not of how the JSON
//! Schema happens to spell it. [`report`] writes it as Markdown or JSON.

mod moved;
mod operations;
pub mod report;
mod schemas;

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
        operations: operations::compare(&old, &new),
        schemas: schemas::compare(&old, &new),
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
    (out.moved_types, out.moved_methods) = moved::moved(&old, &new);
    Ok(out)
}

/// One spec: its document, its IR, and lookups into both.
pub(super) struct Side {
    pub root: Value,
    pub api: Api,
    /// Type name → its index in `api.types`.
    index: BTreeMap<String, usize>,
    /// Types a request can hold (bodies and query parameters, and all they hold).
    pub request_types: BTreeSet<String>,
}

impl Side {
    fn new(text: &str) -> crate::Result<Side> {
        let spec = crate::load::load(text)?;
        let (api, _) = crate::lower::lower(&spec)?;
        let index: BTreeMap<String, usize> = api
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
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
            match index.get(&name).map(|&i| &api.types[i].kind) {
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
            index,
            request_types,
        })
    }

    /// The type named `name`.
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.index.get(name).map(|&i| &self.api.types[i])
    }
}

pub(super) fn named(ty: &TypeRef, out: &mut Vec<String>) {
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
        TypeRef::Map(t) => format!("BTreeMap<String, {}>", rust_type(t)),
        TypeRef::Nullable(t) => format!("Option<{}>", rust_type(t)),
        TypeRef::Boxed(t) => format!("Box<{}>", rust_type(t)),
    }
}

/// A field's type as declared (absent and `null` are `Option`s).
pub(super) fn field_type(f: &Field) -> String {
    let inner = rust_type(&f.ty);
    match (f.required, f.nullable) {
        (true, false) => inner,
        (true, true) | (false, false) => format!("Option<{inner}>"),
        (false, true) => format!("Nullable<{inner}>"),
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

pub(super) fn route(op: &Operation) -> String {
    format!("{} {}", op.method, op.path)
}

pub(super) fn response(kind: &ResponseKind) -> String {
    match kind {
        ResponseKind::Json(ty) => rust_type(ty),
        ResponseKind::Download => "Download".to_owned(),
        ResponseKind::Text => "String".to_owned(),
        ResponseKind::Empty => "()".to_owned(),
    }
}
