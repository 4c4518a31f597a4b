//! Schema → type: the rules that decide what Rust shape each JSON Schema becomes.

use super::{Lowerer, component_pointer, module_of, names, type_name};
use crate::error::{Error, Result};
use crate::ir::{
    Docs, EnumVariant, Field, ObjectShape, Shape, StringEnum, Struct, TypeDef, TypeKind, TypeRef,
    Union, UnionVariant,
};
use crate::value::{Value, escape_token};
use crate::warning::WarningKind;
use indexmap::IndexMap;
use std::collections::{BTreeMap, BTreeSet};

type Obj = IndexMap<String, Value>;

/// Keys that make a union branch describe a value rather than only constrain one
/// (`anyOf: [{required: [a]}, {required: [b]}]` is validation, not a union).
const TYPE_KEYS: &[&str] = &[
    "$ref",
    "type",
    "properties",
    "items",
    "enum",
    "const",
    "oneOf",
    "anyOf",
    "allOf",
    "additionalProperties",
    "format",
];

pub(crate) fn docs_of(s: &Value) -> Docs {
    s.as_object().map(docs_of_map).unwrap_or_default()
}

fn docs_of_map(s: &Obj) -> Docs {
    let text = |k: &str| {
        s.get(k)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .filter(|t| !t.trim().is_empty())
    };
    Docs {
        title: text("title"),
        description: text("description").or_else(|| text("summary")),
        deprecated: s
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }
}

fn as_schema<'v>(s: &'v Value, ptr: &str) -> Result<Option<&'v Obj>> {
    match s {
        Value::Object(o) => Ok(Some(o)),
        Value::Bool(true) => Ok(None),
        _ => Err(Error::new(ptr, "expected a schema (a mapping or `true`)")),
    }
}

fn is_null_schema(s: &Value) -> bool {
    match s.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.iter().all(|t| t.as_str() == Some("null")),
        _ => matches!(s.get("enum").and_then(Value::as_array), Some([Value::Null])),
    }
}

/// The `oneOf`/`anyOf` branches of a schema, unless they only constrain (see [`TYPE_KEYS`]).
pub(super) fn union_branches(o: &Obj) -> Option<(&'static str, &[Value])> {
    let (key, branches) = match (o.get("oneOf"), o.get("anyOf")) {
        (Some(Value::Array(b)), _) => ("oneOf", b.as_slice()),
        (None, Some(Value::Array(b))) => ("anyOf", b.as_slice()),
        _ => return None,
    };
    branches.iter().any(describes).then_some((key, branches))
}

fn describes(s: &Value) -> bool {
    s.as_object()
        .is_none_or(|m| m.keys().any(|k| TYPE_KEYS.contains(&k.as_str())))
}

/// `allOf` parts that describe a value; the rest only add `nullable`, docs or validation
/// (`allOf: [{$ref: X}, {nullable: true}]` is "X or null").
fn all_of_parts(o: &Obj) -> Vec<(usize, &Value)> {
    o.get("allOf")
        .and_then(Value::as_array)
        .map(|parts| {
            parts
                .iter()
                .enumerate()
                .filter(|(_, p)| describes(p))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the schema is a union of two or more types (`null` aside).
fn is_union(o: &Obj) -> bool {
    union_branches(o).is_some_and(|(_, b)| non_null_branches(b).count() >= 2)
}

fn non_null_branches(branches: &[Value]) -> impl Iterator<Item = (usize, &Value)> {
    branches
        .iter()
        .enumerate()
        .filter(|(_, b)| !is_null_schema(b))
}

/// String values of an `enum` (nulls left out) or `const`; `None` when not a string enum.
pub(super) fn string_values(o: &Obj) -> Option<Vec<String>> {
    if let Some(Value::String(c)) = o.get("const") {
        return Some(vec![c.clone()]);
    }
    let values = o.get("enum")?.as_array()?;
    let strings: Vec<String> = values
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let nulls = values.iter().filter(|v| **v == Value::Null).count();
    (!strings.is_empty() && strings.len() + nulls == values.len()).then_some(strings)
}

fn primary_type(o: &Obj) -> Option<&str> {
    match o.get("type")? {
        Value::String(t) => Some(t),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    }
}

fn has_properties(o: &Obj) -> bool {
    o.get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty())
}

/// Whether the schema itself allows `null`, in any of the spellings the spec uses.
fn nullable_here(o: &Obj) -> bool {
    o.get("nullable").and_then(Value::as_bool) == Some(true)
        || matches!(o.get("type"), Some(Value::Array(ts)) if ts.iter().any(|t| t.as_str() == Some("null")))
        || o.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|v| v.contains(&Value::Null))
        || union_branches(o).is_some_and(|(_, b)| b.iter().any(is_null_schema))
        || o.get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|parts| {
                parts.iter().any(|p| {
                    !describes(p) && p.get("nullable").and_then(Value::as_bool) == Some(true)
                })
            })
}

/// Whether the schema needs a named type of its own (rather than a path to an existing one).
fn needs_def(o: &Obj) -> bool {
    is_union(o)
        || {
            let parts = all_of_parts(o).len();
            parts >= 2 || (parts >= 1 && has_properties(o))
        }
        || string_values(o).is_some_and(|v| v.len() >= 2)
        || has_properties(o)
}

/// An object schema's parts, `allOf` merged (see [`Lowerer::gather`]).
#[derive(Default, Clone)]
pub(super) struct Parts {
    /// Wire name → (pointer, schema).
    pub props: IndexMap<String, (String, Value)>,
    pub required: BTreeSet<String>,
    /// Unions among the parts.
    pub unions: Vec<Spread>,
}

/// A union found among an object's parts, to spread (see [`Lowerer::spread`]).
#[derive(Clone)]
pub(super) struct Spread {
    pub schema: Obj,
    /// Where it stands in the document.
    pub at: String,
    /// Where the type being built reaches it: unique to that type.
    pub via: String,
}

/// What a union of strings takes (see [`Lowerer::string_choices`]).
#[derive(Default)]
struct Choices {
    values: Vec<String>,
    open: bool,
}

/// Where a `$ref` leads.
enum Target<'a> {
    /// A component schema, by name: a named type.
    Component(&'a str),
    /// Any other place in the document, with its pointer.
    Local(&'a Value, String),
    /// Another document.
    External(String),
}

impl<'a> Lowerer<'a> {
    /// Lowers a component schema (once) into a named type.
    pub(super) fn ensure_component(&mut self, name: &str) -> Result<()> {
        if !self.done.insert(name.to_owned()) {
            return Ok(());
        }
        let schemas = self.schemas;
        let schema = &schemas[name];
        let ptr = component_pointer(name);
        let rust = self.component_names[name].clone();
        let (inner, inner_ptr) = peel(schema, &ptr);
        let kind = match as_schema(inner, &inner_ptr)? {
            Some(o) if needs_def(o) => {
                self.by_pointer.insert(inner_ptr.clone(), rust.clone());
                self.kind_of(o, &inner_ptr, &rust)?
            }
            _ => TypeKind::Alias(self.lower_ref(schema, &ptr, &rust)?),
        };
        let mut docs = docs_of(schema);
        if docs.description.is_none() {
            docs = docs_of(inner);
        }
        let def = TypeDef {
            name: rust.clone(),
            module: module_of(&ptr),
            pointer: ptr,
            docs,
            kind,
            features: Default::default(),
        };
        self.types.insert(rust, def);
        Ok(())
    }

    /// Where a `$ref` leads. (The loader checked that every local reference resolves.)
    fn target(&self, reference: &Value, ptr: &str) -> Result<Target<'a>> {
        let r = reference
            .as_str()
            .ok_or_else(|| Error::new(ptr, "`$ref` must be a string"))?;
        if let Some(name) = r
            .strip_prefix("#/components/schemas/")
            .filter(|n| !n.contains('/'))
        {
            let (key, _) = self
                .schemas
                .get_key_value(name.replace("~1", "/").replace("~0", "~").as_str())
                .ok_or_else(|| Error::new(ptr, format!("`$ref` `{r}` points to no schema")))?;
            return Ok(Target::Component(key));
        }
        if !r.starts_with('#') {
            return Ok(Target::External(r.to_owned()));
        }
        let root: &'a Value = self.root;
        let value = root
            .pointer(r)
            .ok_or_else(|| Error::new(ptr, format!("`$ref` `{r}` points to nothing")))?;
        Ok(Target::Local(value, r.to_owned()))
    }

    /// The component schema a `$ref` names, if it names one.
    pub(super) fn component_ref(&self, reference: &Value) -> Option<&'a str> {
        match self.target(reference, "#") {
            Ok(Target::Component(name)) => Some(name),
            _ => None,
        }
    }

    /// Follows a `$ref` to whatever it points to in the document (a parameter, a request body,
    /// a response), with the pointer it stands at.
    pub(super) fn resolve_any(&self, reference: &Value, ptr: &str) -> Result<(&'a Value, String)> {
        match self.target(reference, ptr)? {
            Target::Component(name) => Ok((&self.schemas[name], component_pointer(name))),
            Target::Local(value, at) => Ok((value, at)),
            Target::External(r) => Err(Error::new(
                ptr,
                format!(
                    "`$ref` `{r}` points into another document, which the generator does not read"
                ),
            )),
        }
    }

    /// Follows `$ref`s until a schema that is not a reference (or one into another document).
    pub(super) fn resolve<'s>(
        &'s self,
        mut s: &'s Value,
        ptr: &str,
    ) -> Result<(&'s Value, String)> {
        let mut at = ptr.to_owned();
        for _ in 0..32 {
            let Some(r) = s.get("$ref") else {
                return Ok((s, at));
            };
            (s, at) = match self.target(r, &at)? {
                Target::Component(name) => (&self.schemas[name], component_pointer(name)),
                Target::Local(value, to) => (value, to),
                Target::External(_) => return Ok((s, at)),
            };
        }
        Err(Error::new(ptr, "`$ref` chain does not end"))
    }

    fn is_nullable(&self, s: &Value, ptr: &str) -> Result<bool> {
        if let Some(o) = s.as_object() {
            if nullable_here(o) {
                return Ok(true);
            }
            if let Some(r) = o.get("$ref") {
                return match self.target(r, ptr)? {
                    Target::Component(name) => {
                        self.is_nullable(&self.schemas[name], &component_pointer(name))
                    }
                    Target::Local(value, at) => self.is_nullable(value, &at),
                    Target::External(_) => Ok(false),
                };
            }
        }
        Ok(false)
    }

    /// The type of a value described by `s` at `ptr`; inline schemas that need a type of their
    /// own are defined with a name built from `hint`.
    pub(super) fn lower_ref(&mut self, s: &Value, ptr: &str, hint: &str) -> Result<TypeRef> {
        let Some(o) = as_schema(s, ptr)? else {
            return Ok(TypeRef::Json);
        };
        let ty = if let Some(r) = o.get("$ref") {
            match self.target(r, ptr)? {
                Target::Component(name) => TypeRef::Named(self.component_names[name].clone()),
                // A schema inside another (`#/components/schemas/A/properties/b`): lowered
                // where it stands, so every reference to it shares one type.
                Target::Local(target, at) => strip_nullable(self.lower_ref(target, &at, hint)?),
                Target::External(r) => {
                    self.warn(
                        WarningKind::Untyped,
                        ptr,
                        format!("`$ref` `{r}` points into another document; kept as JSON"),
                    );
                    TypeRef::Json
                }
            }
        } else if needs_def(o) {
            let name = match self.by_pointer.get(ptr) {
                Some(name) => name.clone(),
                None => self.define(o, ptr, hint)?,
            };
            TypeRef::Named(name)
        } else {
            self.lower_simple(o, ptr, hint)?
        };
        Ok(if self.is_nullable(s, ptr)? {
            nullable(ty)
        } else {
            ty
        })
    }

    fn define(&mut self, o: &Obj, ptr: &str, hint: &str) -> Result<String> {
        // The spec often inlines a copy of a component where its name would be the natural
        // one (`Reasoning.effort` and `ReasoningEffort`): the copy is that component.
        if let Some(component) = self.component_by_type.get(hint)
            && self.schemas[component]
                .as_object()
                .is_some_and(|c| same_object(c, o))
        {
            return Ok(hint.to_owned());
        }
        let name = self.claim(hint, ptr);
        self.by_pointer.insert(ptr.to_owned(), name.clone());
        let kind = self.kind_of(o, ptr, &name)?;
        let docs = docs_of_map(o);
        let def = TypeDef {
            name: name.clone(),
            module: module_of(ptr),
            pointer: ptr.to_owned(),
            docs,
            kind,
            features: Default::default(),
        };
        self.types.insert(name.clone(), def);
        Ok(name)
    }

    /// A union type of `o`'s `oneOf`, however many branches it has (one or none is still a union
    /// to receive "any of these" with).
    pub(super) fn define_union(&mut self, o: &Obj, ptr: &str, hint: &str) -> Result<String> {
        let name = self.claim(hint, ptr);
        self.by_pointer.insert(ptr.to_owned(), name.clone());
        let branches = o.get("oneOf").and_then(Value::as_array).unwrap_or_default();
        let kind = TypeKind::Union(self.union_of(o, ptr, &name, "oneOf", branches, None)?);
        let def = TypeDef {
            name: name.clone(),
            module: module_of(ptr),
            pointer: ptr.to_owned(),
            docs: docs_of_map(o),
            kind,
            features: Default::default(),
        };
        self.types.insert(name.clone(), def);
        Ok(name)
    }

    /// Schemas that map onto an existing type (primitives, arrays, maps, constants, single-branch
    /// unions).
    fn lower_simple(&mut self, o: &Obj, ptr: &str, hint: &str) -> Result<TypeRef> {
        if let Some((key, branches)) = union_branches(o) {
            let mut rest = non_null_branches(branches);
            return match rest.next() {
                Some((i, b)) => Ok(strip_nullable(self.lower_ref(
                    b,
                    &format!("{ptr}/{key}/{i}"),
                    hint,
                )?)),
                None => Ok(TypeRef::Json),
            };
        }
        if let [(i, part)] = all_of_parts(o).as_slice() {
            return self.lower_ref(part, &format!("{ptr}/allOf/{i}"), hint);
        }
        if let Some(values) = string_values(o)
            && let [value] = values.as_slice()
        {
            return Ok(TypeRef::Const(self.const_type(value)));
        }
        Ok(match primary_type(o) {
            Some("string") if o.get("format").and_then(Value::as_str) == Some("binary") => {
                TypeRef::Binary
            }
            Some("string") => TypeRef::String,
            Some("integer") => TypeRef::Integer,
            Some("number") => TypeRef::Number,
            Some("boolean") => TypeRef::Boolean,
            Some("null") => TypeRef::Json,
            Some("array") => self.lower_items(o, ptr, hint)?,
            Some("object") => match o.get("additionalProperties") {
                Some(ap @ Value::Object(m)) if !m.is_empty() => {
                    let value = self.lower_ref(
                        ap,
                        &format!("{ptr}/additionalProperties"),
                        &format!("{hint}Value"),
                    )?;
                    TypeRef::Map(Box::new(value))
                }
                _ => TypeRef::JsonObject,
            },
            None if o.contains_key("items") => self.lower_items(o, ptr, hint)?,
            None => TypeRef::Json,
            Some(other) => {
                self.warn(
                    WarningKind::Untyped,
                    ptr,
                    format!("schema type `{other}` is not a JSON Schema type; kept as JSON"),
                );
                TypeRef::Json
            }
        })
    }

    fn lower_items(&mut self, o: &Obj, ptr: &str, hint: &str) -> Result<TypeRef> {
        let item = match o.get("items") {
            Some(items) => {
                let item = self.item_hint(hint);
                self.lower_ref(items, &format!("{ptr}/items"), &item)?
            }
            None => TypeRef::Json,
        };
        Ok(TypeRef::Array(Box::new(item)))
    }

    /// The name of a list's item type: the singular of the list's (`…Choices` → `…Choice`), or
    /// `…Item` when the list's name is not a plural or its singular names another type.
    fn item_hint(&self, hint: &str) -> String {
        match names::singular(hint) {
            Some(one) if !self.taken.contains(&one) => one,
            _ => format!("{hint}Item"),
        }
    }

    fn kind_of(&mut self, o: &Obj, ptr: &str, name: &str) -> Result<TypeKind> {
        let object = has_properties(o) || !all_of_parts(o).is_empty();
        if let Some(choices) = self.union_of_strings(o, ptr)? {
            let mut e = enum_of(o, choices.values);
            e.open = choices.open;
            e.includes = self.included_enums(o)?;
            return Ok(TypeKind::Enum(e));
        }
        if let Some((key, branches)) = union_branches(o)
            && non_null_branches(branches).count() >= 2
            && !object
        {
            return Ok(TypeKind::Union(
                self.union_of(o, ptr, name, key, branches, None)?,
            ));
        }
        if object {
            self.ensure_all_of(o)?;
            let mut parts = Parts::default();
            self.gather(o, ptr, &mut parts)?;
            if !parts.unions.is_empty() {
                let union = parts.unions.remove(0);
                return Ok(TypeKind::Union(self.spread(&union, name, &parts)?));
            }
            // The object's own properties first, in its order; then those of the parts it
            // extends (`allOf: [{$ref: Base}, {properties: …}]` reads as the object, then Base).
            let own = format!("{ptr}/");
            parts
                .props
                .sort_by(|_, (a, _), _, (b, _)| b.starts_with(&own).cmp(&a.starts_with(&own)));
            return Ok(TypeKind::Struct(Struct {
                fields: self.fields(parts, name)?,
            }));
        }
        match string_values(o) {
            Some(values) => Ok(TypeKind::Enum(enum_of(o, values))),
            None => Err(Error::new(ptr, "internal: no named type for this schema")),
        }
    }

    /// The strings a union of strings takes: every value of its enum and constant branches
    /// (first seen first), and whether a plain `type: string` branch lets any other string in.
    /// `None` when some branch is not a string. Such a union is one enum (`ModelIds`), so one
    /// model id has one representation whichever branch it came from.
    fn string_choices(&self, o: &Obj, ptr: &str) -> Result<Option<Choices>> {
        let mut choices = Choices::default();
        Ok(self
            .add_choices(o, ptr, 0, &mut choices)?
            .then_some(choices))
    }

    fn add_choices(&self, o: &Obj, ptr: &str, depth: usize, out: &mut Choices) -> Result<bool> {
        if depth > 32 || o.contains_key("$ref") {
            return Ok(false);
        }
        if let Some((key, branches)) = union_branches(o) {
            if has_properties(o) || !all_of_parts(o).is_empty() {
                return Ok(false);
            }
            for (i, b) in non_null_branches(branches) {
                let (b, at) = self.resolve(b, &format!("{ptr}/{key}/{i}"))?;
                let Some(b) = b.as_object() else {
                    return Ok(false);
                };
                if !self.add_choices(b, &at, depth + 1, out)? {
                    return Ok(false);
                }
            }
            return Ok(true);
        }
        if let Some(values) = string_values(o) {
            for v in values {
                if !out.values.contains(&v) {
                    out.values.push(v);
                }
            }
            return Ok(true);
        }
        let binary = o.get("format").and_then(Value::as_str) == Some("binary");
        if primary_type(o) == Some("string") && !binary && all_of_parts(o).is_empty() {
            out.open = true;
            return Ok(true);
        }
        Ok(false)
    }

    /// A field's docs: the property's own, else the description of what it only wraps or points
    /// to (a `$ref` target, the one branch of `anyOf: [X, null]`, an `allOf` part), so that
    /// `temperature` and `service_tier` keep theirs.
    fn field_docs(&self, s: &Value, ptr: &str) -> Result<Docs> {
        let mut docs = docs_of(s);
        let (mut s, mut ptr) = (s, ptr.to_owned());
        for _ in 0..16 {
            if docs.description.is_some() {
                break;
            }
            let Some(o) = s.as_object() else { break };
            let parts = all_of_parts(o);
            (s, ptr) = if let Some(r) = o.get("$ref") {
                match self.target(r, &ptr)? {
                    Target::Component(name) => (&self.schemas[name], component_pointer(name)),
                    Target::Local(value, at) => (value, at),
                    Target::External(_) => break,
                }
            } else if let Some((key, branches)) = union_branches(o) {
                let mut rest = non_null_branches(branches);
                match (rest.next(), rest.next()) {
                    (Some((i, b)), None) => (b, format!("{ptr}/{key}/{i}")),
                    _ => break,
                }
            } else if let Some(described) = o
                .get("allOf")
                .and_then(Value::as_array)
                .and_then(|all| all.iter().find(|p| docs_of(p).description.is_some()))
            {
                // A part that only documents (`allOf: [{$ref: X}, {description: …}]`).
                docs.description = docs_of(described).description;
                break;
            } else if let [(i, part)] = parts.as_slice() {
                (*part, format!("{ptr}/allOf/{i}"))
            } else {
                break;
            };
            docs.description = docs_of(s).description;
        }
        Ok(docs)
    }

    /// The component enums among a union of strings' branches (each converts into the union).
    fn included_enums(&self, o: &Obj) -> Result<Vec<String>> {
        let branches = union_branches(o).map_or(&[][..], |(_, b)| b);
        let mut out = Vec::new();
        for (_, b) in non_null_branches(branches) {
            let Some(name) = b.get("$ref").and_then(|r| self.component_ref(r)) else {
                continue;
            };
            let (inner, at) = peel(&self.schemas[name], &component_pointer(name));
            let Some(o) = inner.as_object() else { continue };
            // Lowered as an enum (see `kind_of`): a union of strings, or two or more values.
            let listed = !is_union(o)
                && !has_properties(o)
                && string_values(o).is_some_and(|v| v.len() >= 2);
            if listed || self.union_of_strings(o, &at)?.is_some() {
                out.push(self.component_names[name].clone());
            }
        }
        Ok(out)
    }

    /// What a union of two or more strings takes (see [`string_choices`](Self::string_choices)),
    /// when `o` is one and lists some values: such a schema is an enum.
    fn union_of_strings(&self, o: &Obj, ptr: &str) -> Result<Option<Choices>> {
        let object = has_properties(o) || !all_of_parts(o).is_empty();
        if object || !is_union(o) {
            return Ok(None);
        }
        Ok(self
            .string_choices(o, ptr)?
            .filter(|c| !c.values.is_empty()))
    }

    /// The parts of an object schema, `allOf` merged: properties (in spec order, later parts
    /// overriding earlier ones, each with the pointer it stands at), required names, and the
    /// unions among the parts (an `allOf` part that is a union, or a `oneOf`/`anyOf` beside
    /// `properties`), which [`spread`](Self::spread) distributes.
    pub(super) fn gather(&self, o: &Obj, ptr: &str, parts: &mut Parts) -> Result<()> {
        self.gather_via(o, ptr, ptr, parts)
    }

    /// [`gather`](Self::gather), with `via` the path from the type being built to `o`
    /// (through `$ref`s, where `ptr` jumps to the component): the unions found are placed by
    /// it, so a union reached from two types spreads into distinct variants for each.
    fn gather_via(&self, o: &Obj, ptr: &str, via: &str, parts: &mut Parts) -> Result<()> {
        if o.get("allOf").is_some_and(|p| p.as_array().is_none()) {
            return Err(Error::new(ptr, "`allOf` must be a list"));
        }
        // Its branches come back through `spread`; what stands beside them is gathered here.
        if is_union(o) {
            parts.unions.push(Spread {
                schema: o.clone(),
                at: ptr.to_owned(),
                via: via.to_owned(),
            });
        }
        for (i, part) in all_of_parts(o) {
            let part_ptr = format!("{ptr}/allOf/{i}");
            let part_via = format!("{via}/allOf/{i}");
            let (part, at) = self.resolve(part, &part_ptr)?;
            let Some(part) = as_schema(part, &at)? else {
                continue;
            };
            if is_union(part) && !has_properties(part) && all_of_parts(part).is_empty() {
                parts.unions.push(Spread {
                    schema: part.clone(),
                    at,
                    via: part_via,
                });
                continue;
            }
            self.gather_via(part, &at, &part_via, parts)?;
        }
        if let Some(p) = o.get("properties") {
            let p = p
                .as_object()
                .ok_or_else(|| Error::new(ptr, "`properties` must be a mapping"))?;
            for (k, v) in p {
                // A property a later part redefines stands where that part puts it.
                parts.props.shift_remove(k);
                parts.props.insert(
                    k.clone(),
                    (format!("{ptr}/properties/{}", escape_token(k)), v.clone()),
                );
            }
        }
        if let Some(Value::Array(names)) = o.get("required") {
            parts
                .required
                .extend(names.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        Ok(())
    }

    /// A union extended by other parts (see [`gather`](Self::gather)) becomes a union whose every
    /// variant is one branch with the other parts merged in. Each variant is then a plain struct
    /// that decodes, encodes and matches like any other type; a struct holding the union
    /// flattened beside the other fields would need a second decoding path in the runtime, and
    /// would not say which fields go with which variant. A branch that is a union itself
    /// spreads in turn (a union inside the variant), and so does a second union among the parts.
    fn spread(&mut self, union: &Spread, name: &str, rest: &Parts) -> Result<Union> {
        let (key, branches) = union_branches(&union.schema).expect("gathered as a union");
        let spread = Some((rest, union.at.as_str()));
        self.union_of(&union.schema, &union.via, name, key, branches, spread)
    }

    /// The type of a variant of a spread union: its branch (at `real` in the document) with
    /// `rest` merged in, defined at `ptr` (where the type being built reaches the branch).
    fn merged(
        &mut self,
        branch: &Value,
        ptr: &str,
        real: &str,
        hint: &str,
        rest: &Parts,
    ) -> Result<TypeRef> {
        // The branch's own component first, so inline types in it are named after it.
        if let Some(component) = branch.get("$ref").and_then(|r| self.component_ref(r)) {
            self.ensure_component(component)?;
        }
        let (target, at) = self.resolve(branch, real)?;
        let target = target.clone();
        let Some(o) = as_schema(&target, &at)? else {
            return self.lower_ref(branch, real, hint);
        };
        let object = is_union(o)
            || has_properties(o)
            || !all_of_parts(o).is_empty()
            || primary_type(o) == Some("object");
        if !object {
            // A string or a list has no fields to merge.
            if !rest.props.is_empty() {
                let fields: Vec<&str> = rest.props.keys().map(String::as_str).collect();
                self.warn(
                    WarningKind::Spread,
                    real,
                    format!(
                        "this branch is not an object, so its variant lacks the fields beside the union ({})",
                        fields.join(", ")
                    ),
                );
            }
            return self.lower_ref(branch, real, hint);
        }
        if let Some(name) = self.by_pointer.get(ptr) {
            return Ok(TypeRef::Named(name.clone()));
        }
        let name = self.claim(hint, ptr);
        self.by_pointer.insert(ptr.to_owned(), name.clone());
        self.ensure_all_of(o)?;
        let mut parts = Parts::default();
        self.gather_via(o, &at, ptr, &mut parts)?;
        for (k, v) in &rest.props {
            parts.props.insert(k.clone(), v.clone());
        }
        parts.required.extend(rest.required.iter().cloned());
        parts.unions.extend(rest.unions.iter().cloned());
        let kind = if parts.unions.is_empty() {
            TypeKind::Struct(Struct {
                fields: self.fields(parts, &name)?,
            })
        } else {
            let union = parts.unions.remove(0);
            TypeKind::Union(self.spread(&union, &name, &parts)?)
        };
        let def = TypeDef {
            name: name.clone(),
            module: module_of(ptr),
            pointer: ptr.to_owned(),
            docs: docs_of(&target),
            kind,
            features: Default::default(),
        };
        self.types.insert(name.clone(), def);
        Ok(TypeRef::Named(name))
    }

    /// Components an `allOf` draws on are lowered first, so inline types inside their
    /// properties are named after them, not after whichever schema merged them first.
    fn ensure_all_of(&mut self, o: &Obj) -> Result<()> {
        for (_, part) in all_of_parts(o) {
            if let Some(name) = part.get("$ref").and_then(|r| self.component_ref(r)) {
                self.ensure_component(name)?;
                let schemas = self.schemas;
                if let Some(inner) = schemas[name].as_object() {
                    self.ensure_all_of(inner)?;
                }
            }
        }
        Ok(())
    }

    /// The fields of a struct from its gathered parts.
    fn fields(&mut self, parts: Parts, name: &str) -> Result<Vec<Field>> {
        let mut taken = BTreeSet::new();
        let mut fields = Vec::with_capacity(parts.props.len());
        for (wire, (pptr, schema)) in parts.props {
            let hint = format!("{name}{}", type_name(&wire));
            let ty = self.lower_ref(&schema, &pptr, &hint)?;
            let nullable = matches!(ty, TypeRef::Nullable(_));
            fields.push(Field {
                name: names::unique(names::field_name(&wire), &mut taken),
                required: parts.required.contains(&wire),
                ty: strip_nullable(ty),
                nullable,
                docs: self.field_docs(&schema, &pptr)?,
                wire,
                pointer: pptr,
            });
        }
        Ok(fields)
    }

    /// A union type from `branches`; with `spread`, the variants of a [spread](Self::spread)
    /// union: the other parts, and where the union stands in the document.
    fn union_of(
        &mut self,
        o: &Obj,
        ptr: &str,
        name: &str,
        key: &str,
        branches: &[Value],
        spread: Option<(&Parts, &str)>,
    ) -> Result<Union> {
        let disc = o.get("discriminator");
        let tag_prop = match disc
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str)
        {
            Some(prop) => Some(prop.to_owned()),
            None => self.infer_tag(ptr, key, branches)?,
        };
        let tag_prop = tag_prop.as_deref();
        let mapping = disc
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object);
        let mut shaped = Vec::new();
        for (i, branch) in non_null_branches(branches) {
            let bptr = format!("{ptr}/{key}/{i}");
            let (target, at) = self.resolve(branch, &bptr)?;
            let mut shape = self.shape_of(target, &at, tag_prop)?;
            if let (Shape::Object(obj), Some(mapping), Some(prop)) = (&mut shape, mapping, tag_prop)
            {
                let values: Vec<String> = mapping
                    .iter()
                    .filter(|(_, r)| branch.get("$ref") == Some(r))
                    .map(|(k, _)| k.clone())
                    .collect();
                if !values.is_empty() {
                    obj.tag = Some((prop.to_owned(), values));
                }
            }
            shaped.push((i, branch, bptr, shape));
        }
        let mut tag_counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, _, _, shape) in &shaped {
            if let Shape::Object(ObjectShape {
                tag: Some((_, values)),
                ..
            }) = shape
            {
                for v in values {
                    *tag_counts.entry(v).or_default() += 1;
                }
            }
        }
        let mut names_taken = BTreeSet::new();
        let mut wanted = Vec::new();
        for (_, branch, bptr, shape) in &shaped {
            let unique_tag = match shape {
                Shape::Object(ObjectShape {
                    tag: Some((_, values)),
                    ..
                }) if values.len() == 1 && tag_counts[values[0].as_str()] == 1 => {
                    Some(values[0].as_str())
                }
                _ => None,
            };
            let title = branch.get("title").and_then(Value::as_str);
            let component = branch.get("$ref").and_then(|r| self.component_ref(r));
            // A variant is named after what it holds: its tag, the type it refers to (without
            // the words it shares with the union: `ChatCompletionRequestMessage::SystemMessage`),
            // its title, or its kind (`Text`, `Texts`, `Parts`).
            let vname = if let Some(tag) = unique_tag {
                type_name(tag)
            } else if let Some(c) = component {
                short_name(&self.component_names[c], name)
            } else if let Some(title) = title {
                type_name(title)
            } else {
                match shape {
                    Shape::Strings(v) if v.len() == 1 => type_name(&v[0]),
                    Shape::Strings(_) => "Known".to_owned(),
                    Shape::String => "Text".to_owned(),
                    Shape::Integer => "Integer".to_owned(),
                    Shape::Number => "Number".to_owned(),
                    Shape::Bool => "Bool".to_owned(),
                    Shape::Array(_) => self.array_name(branch, bptr, name)?,
                    Shape::Object(_) => "Object".to_owned(),
                    Shape::Any => "Any".to_owned(),
                }
            };
            let full = match (unique_tag, component) {
                (None, Some(c)) => self.component_names[c].clone(),
                _ => vname.clone(),
            };
            wanted.push((vname, full));
        }
        // Short names that clash take the full names of what they hold.
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (vname, _) in &wanted {
            *counts.entry(vname).or_default() += 1;
        }
        let wanted: Vec<String> = wanted
            .iter()
            .map(|(vname, full)| {
                if counts[vname.as_str()] > 1 {
                    full
                } else {
                    vname
                }
                .clone()
            })
            .collect();
        // `Unknown` is the fallback variant's name.
        names_taken.insert("Unknown".to_owned());
        let mut variants = Vec::new();
        for ((i, branch, bptr, shape), vname) in shaped.into_iter().zip(wanted) {
            let vname = names::unique(vname, &mut names_taken);
            // A branch that is itself a union of objects tagged by this union's tag is picked by
            // any of their tags (named as it would be otherwise).
            let shape = match (shape, tag_prop) {
                (Shape::Any, Some(prop)) => {
                    let (target, at) = self.resolve(branch, &bptr)?;
                    match target.as_object().and_then(union_branches) {
                        Some((key, branches)) => {
                            self.tagged_objects_shape(key, branches, &at, Some(prop))?
                        }
                        None => Shape::Any,
                    }
                }
                (shape, _) => shape,
            };
            let hint = format!("{name}{vname}");
            let ty = match spread {
                Some((rest, at)) => {
                    let real = format!("{at}/{key}/{i}");
                    self.merged(branch, &bptr, &real, &hint, rest)?
                }
                None => self.lower_ref(branch, &bptr, &hint)?,
            };
            variants.push(UnionVariant {
                name: vname,
                ty: strip_nullable(ty),
                shape,
                docs: docs_of(branch),
            });
        }
        Ok(Union { variants })
    }

    /// The discriminator of a union that names none: a property every object variant has with a
    /// closed set of string values; `type` when it qualifies, else the one whose values tell the
    /// most variants apart (first by name on a tie).
    fn infer_tag(&self, ptr: &str, key: &str, branches: &[Value]) -> Result<Option<String>> {
        let mut common: Option<BTreeMap<String, BTreeSet<String>>> = None;
        for (i, branch) in non_null_branches(branches) {
            let (target, at) = self.resolve(branch, &format!("{ptr}/{key}/{i}"))?;
            let Shape::Object(shape) = self.shape_of(target, &at, None)? else {
                continue;
            };
            let closed: BTreeMap<String, Vec<String>> =
                shape.tag.into_iter().chain(shape.enums).collect();
            common = Some(match common {
                None => closed
                    .into_iter()
                    .map(|(k, v)| (k, v.into_iter().collect()))
                    .collect(),
                Some(mut seen) => {
                    seen.retain(|k, _| closed.contains_key(k));
                    for (k, values) in seen.iter_mut() {
                        values.extend(closed[k].iter().cloned());
                    }
                    seen
                }
            });
        }
        let common = common.unwrap_or_default();
        if common.contains_key("type") {
            return Ok(Some("type".to_owned()));
        }
        Ok(common
            .into_iter()
            .max_by_key(|(k, values)| (values.len(), std::cmp::Reverse(k.clone())))
            .map(|(k, _)| k))
    }

    /// A union variant name for an array of `union`, from its items: `Texts`, `Integers`,
    /// `IntegerArrays`, `Parts` (items of type `…Part`), `Items`.
    fn array_name(&self, s: &Value, ptr: &str, union: &str) -> Result<String> {
        let (s, at) = self.resolve(s, ptr)?;
        let Some(items) = s.get("items") else {
            return Ok("Items".to_owned());
        };
        let item = if let Some(name) = items.get("$ref").and_then(|r| self.component_ref(r)) {
            short_name(&self.component_names[name], union)
        } else if let Some(title) = items.get("title").and_then(Value::as_str) {
            type_name(title)
        } else {
            match items.as_object().and_then(primary_type) {
                Some("string") => "Text".to_owned(),
                Some("integer") => "Integer".to_owned(),
                Some("number") => "Number".to_owned(),
                Some("boolean") => "Bool".to_owned(),
                Some("array") => {
                    let inner = self.array_name(items, &format!("{at}/items"), union)?;
                    let one = names::singular(&inner).unwrap_or(inner);
                    return Ok(format!("{one}Arrays"));
                }
                _ => return Ok("Items".to_owned()),
            }
        };
        Ok(names::plural(&item))
    }

    /// What a JSON value of this (resolved) schema looks like, for union dispatch.
    fn shape_of(&self, s: &Value, ptr: &str, tag_prop: Option<&str>) -> Result<Shape> {
        let Some(o) = as_schema(s, ptr)? else {
            return Ok(Shape::Any);
        };
        if let Some((key, branches)) = union_branches(o) {
            let mut rest = non_null_branches(branches);
            return match (rest.next(), rest.next()) {
                (Some((i, b)), None) => {
                    let (b, at) = self.resolve(b, &format!("{ptr}/{key}/{i}"))?;
                    self.shape_of(b, &at, tag_prop)
                }
                _ => Ok(match self.string_choices(o, ptr)? {
                    Some(c) if c.open => Shape::String,
                    Some(c) if !c.values.is_empty() => Shape::Strings(c.values),
                    _ => Shape::Any,
                }),
            };
        }
        if let Some(values) = string_values(o) {
            return Ok(Shape::Strings(values));
        }
        if let ([(i, part)], false) = (all_of_parts(o).as_slice(), has_properties(o)) {
            let (part, at) = self.resolve(part, &format!("{ptr}/allOf/{i}"))?;
            return self.shape_of(part, &at, tag_prop);
        }
        if has_properties(o) || !all_of_parts(o).is_empty() {
            let mut parts = Parts::default();
            self.gather(o, ptr, &mut parts)?;
            if !parts.unions.is_empty() {
                return Ok(Shape::Any);
            }
            let Parts {
                props, required, ..
            } = parts;
            let mut shape = ObjectShape::default();
            let tag_prop = tag_prop.unwrap_or("type");
            for (prop, (pptr, schema)) in &props {
                let (schema, _) = self.resolve(schema, pptr)?;
                let Some(values) = schema.as_object().and_then(string_values) else {
                    continue;
                };
                if prop == tag_prop {
                    shape.tag = Some((prop.clone(), values));
                } else {
                    shape.enums.push((prop.clone(), values));
                }
            }
            shape.required = props
                .keys()
                .filter(|k| required.contains(*k))
                .cloned()
                .collect();
            return Ok(Shape::Object(shape));
        }
        Ok(match primary_type(o) {
            Some("string") => Shape::String,
            Some("integer") => Shape::Integer,
            Some("number") => Shape::Number,
            Some("boolean") => Shape::Bool,
            Some("array") => self.items_shape(o, ptr)?,
            Some("object") => Shape::Object(ObjectShape::default()),
            _ if o.contains_key("items") => self.items_shape(o, ptr)?,
            _ => Shape::Any,
        })
    }
}

impl Lowerer<'_> {
    /// The shape of a union of objects all told apart by `tag_prop`, as a branch of another
    /// union tagged by it: an object with any of their tags, and the properties all of them
    /// require (so an outer union of such unions, like the Assistants stream events, picks its
    /// branch by the tag). `Any` for other unions.
    fn tagged_objects_shape(
        &self,
        key: &str,
        branches: &[Value],
        ptr: &str,
        tag_prop: Option<&str>,
    ) -> Result<Shape> {
        let mut merged: Option<ObjectShape> = None;
        for (i, b) in non_null_branches(branches) {
            let (b, at) = self.resolve(b, &format!("{ptr}/{key}/{i}"))?;
            let Shape::Object(ObjectShape {
                tag: Some((prop, values)),
                required,
                ..
            }) = self.shape_of(b, &at, tag_prop)?
            else {
                return Ok(Shape::Any);
            };
            if Some(prop.as_str()) != tag_prop {
                return Ok(Shape::Any);
            }
            match &mut merged {
                None => {
                    merged = Some(ObjectShape {
                        tag: Some((prop, values)),
                        required,
                        enums: Vec::new(),
                    })
                }
                Some(m) => {
                    let Some((_, all)) = m.tag.as_mut().filter(|(p, _)| *p == prop) else {
                        return Ok(Shape::Any);
                    };
                    for v in values {
                        if !all.contains(&v) {
                            all.push(v);
                        }
                    }
                    m.required.retain(|r| required.contains(r));
                }
            }
        }
        Ok(merged.map_or(Shape::Any, Shape::Object))
    }

    /// Whether every branch of a union is an object (so the union is one, to whatever holds it).
    fn all_objects(&self, branches: &[Value], ptr: &str) -> Result<bool> {
        for (i, b) in non_null_branches(branches) {
            let (b, _) = self.resolve(b, &format!("{ptr}/{i}"))?;
            let object = b.as_object().is_some_and(|o| {
                has_properties(o)
                    || primary_type(o) == Some("object")
                    || !all_of_parts(o).is_empty()
            });
            if !object {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The shape of an array: what its items look like, one level deep (items that are arrays
    /// themselves are any array, which also ends recursive schemas).
    fn items_shape(&self, o: &Obj, ptr: &str) -> Result<Shape> {
        let items = match o.get("items") {
            Some(items) => {
                let (items, at) = self.resolve(items, &format!("{ptr}/items"))?;
                let Some(i) = items.as_object() else {
                    return Ok(Shape::Array(Box::new(Shape::Any)));
                };
                if primary_type(i) == Some("array") || i.contains_key("items") {
                    Shape::Array(Box::new(Shape::Any))
                } else if let Some((key, branches)) = union_branches(i) {
                    // Items of a union: an object when every branch is one (a wrapper of one
                    // branch, which may be this array again, is not looked into).
                    if !is_union(i) {
                        Shape::Any
                    } else if self.all_objects(branches, &format!("{at}/{key}"))? {
                        Shape::Object(ObjectShape::default())
                    } else {
                        self.shape_of(items, &at, None)?
                    }
                } else {
                    self.shape_of(items, &at, None)?
                }
            }
            None => Shape::Any,
        };
        Ok(Shape::Array(Box::new(items)))
    }
}

/// The one inline schema a schema only wraps (`anyOf: [X, {type: null}]`, `allOf: [X]`), so a
/// component that is "X or null" is itself X: references to it carry the `null`.
fn peel<'v>(s: &'v Value, ptr: &str) -> (&'v Value, String) {
    let (mut s, mut ptr) = (s, ptr.to_owned());
    while let Some(o) = s.as_object().filter(|o| !has_properties(o)) {
        let next = match (union_branches(o), all_of_parts(o).as_slice()) {
            (Some((key, branches)), _) => {
                let mut rest = non_null_branches(branches);
                match (rest.next(), rest.next()) {
                    (Some((i, b)), None) => (b, format!("{ptr}/{key}/{i}")),
                    _ => break,
                }
            }
            (None, [(i, part)]) => (*part, format!("{ptr}/allOf/{i}")),
            _ => break,
        };
        if next.0.get("$ref").is_some() {
            break;
        }
        (s, ptr) = next;
    }
    (s, ptr)
}

/// Keys that document a schema without shaping its values.
const DOC_KEYS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "x-oaiMeta",
    "x-oaiTypeLabel",
];

/// Equal but for documentation (`description`, `title`, examples).
fn same_object(a: &Obj, b: &Obj) -> bool {
    Value::same_objects_except(a, b, DOC_KEYS)
}

fn enum_of(o: &Obj, values: Vec<String>) -> StringEnum {
    let default = o
        .get("default")
        .and_then(Value::as_str)
        .and_then(|d| values.iter().position(|v| v == d));
    let mut taken = BTreeSet::from(["Unknown".to_owned()]);
    let variants = values
        .into_iter()
        .map(|value| EnumVariant {
            name: names::unique(type_name(&value), &mut taken),
            value,
        })
        .collect();
    StringEnum {
        variants,
        default,
        open: false,
        includes: Vec::new(),
    }
}

/// A referenced type's name inside a union: without the words it shares with the union's name.
fn short_name(full: &str, union: &str) -> String {
    names::without_shared_prefix(full, union).unwrap_or_else(|| full.to_owned())
}

fn nullable(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Nullable(_) => ty,
        other => TypeRef::Nullable(Box::new(other)),
    }
}

fn strip_nullable(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Nullable(inner) => strip_nullable(*inner),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{TypeKind, TypeRef};
    use crate::warning::WarningKind;

    #[test]
    fn a_branch_that_cannot_take_the_fields_beside_it_warns() {
        let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Mixed:\n      type: object\n      properties:\n        a: {type: string}\n      oneOf:\n        - {type: string}\n        - {type: object, title: Pair, properties: {b: {type: integer}}}\n";
        let (api, warnings) = crate::lower::lower(&crate::load::load(spec).unwrap()).unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].kind, WarningKind::Spread);
        assert_eq!(warnings[0].pointer, "#/components/schemas/Mixed/oneOf/0");
        let ty = |name: &str| &api.types.iter().find(|t| t.name == name).unwrap().kind;
        let TypeKind::Union(mixed) = ty("Mixed") else {
            panic!("{:?}", ty("Mixed"))
        };
        assert_eq!(mixed.variants[0].ty, TypeRef::String);
        let TypeRef::Named(pair) = &mixed.variants[1].ty else {
            panic!()
        };
        let TypeKind::Struct(pair) = ty(pair) else {
            panic!()
        };
        let fields: Vec<&str> = pair.fields.iter().map(|f| f.wire.as_str()).collect();
        assert_eq!(fields, ["b", "a"]);
    }

    #[test]
    fn a_list_of_types_is_a_union() {
        let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Holder:\n      type: object\n      properties:\n        stop:\n          type: [string, array, 'null']\n          items: {type: string}\n          description: Where to stop.\n        count: {type: [integer, 'null']}\n";
        let (api, warnings) = crate::lower::lower(&crate::load::load(spec).unwrap()).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let ty = |name: &str| &api.types.iter().find(|t| t.name == name).unwrap().kind;
        let TypeKind::Struct(holder) = ty("Holder") else {
            panic!()
        };
        let stop = &holder.fields[0];
        assert!(stop.nullable);
        assert_eq!(stop.docs.description.as_deref(), Some("Where to stop."));
        let TypeRef::Named(stop_ty) = &stop.ty else {
            panic!("{stop:?}")
        };
        let TypeKind::Union(u) = ty(stop_ty) else {
            panic!()
        };
        let variants: Vec<&TypeRef> = u.variants.iter().map(|v| &v.ty).collect();
        assert_eq!(
            variants,
            [&TypeRef::String, &TypeRef::Array(Box::new(TypeRef::String))]
        );
        // One type and `null` is a nullable type, not a union.
        let count = &holder.fields[1];
        assert_eq!((&count.ty, count.nullable), (&TypeRef::Integer, true));
    }
}
