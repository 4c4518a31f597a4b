//! IR types → Rust items: structs, string enums, unions, aliases and constants.
//!
//! A type's file reads like hand-written Rust: it imports the other types it names and what else
//! it uses at the top (`Value`, `BTreeMap`, the runtime `rt`), and writes Rust's
//! prelude types bare, which the lowering keeps type names off. Boilerplate that is the same for
//! every type lives in the SDK's runtime (`crate::rt`) as functions and `macro_rules!`, which
//! keeps the generated code small to compile.

use super::docs::{doc_attrs, lines};
use crate::ir::{
    ConstDef, Field, ObjectShape, Shape, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Union,
};
use crate::lower::is_keyword;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::BTreeMap;

pub fn ident(name: &str) -> Ident {
    if is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Where a type is written from, which decides how it is spelled.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// A file of the `types` module, which imports the types it names: `Foo`.
    Types,
    /// Elsewhere in the SDK, which imports the module: `types::Foo`.
    Sdk,
    /// Another crate (the tests): `::openai_sdk::types::Foo`.
    Outside,
}

/// How `ty` is written at `at`. Rust's prelude types are written bare: the lowering keeps type
/// names off them (see `names::RESERVED`), and the file imports what else it names (`Value`,
/// `Map`, `BTreeMap`, `rt`, `consts`: see [`imports`]).
pub fn type_path(ty: &TypeRef, at: At) -> TokenStream {
    let outside = at == At::Outside;
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Integer => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Json if outside => quote!(::serde_json::Value),
        TypeRef::Json => quote!(Value),
        TypeRef::JsonObject if outside => {
            quote!(::serde_json::Map<String, ::serde_json::Value>)
        }
        TypeRef::JsonObject => quote!(Map<String, Value>),
        TypeRef::Binary if outside => quote!(::openai_sdk::InputFile),
        TypeRef::Binary => quote!(crate::InputFile),
        TypeRef::Named(n) => {
            let n = ident(n);
            match at {
                At::Types => quote!(#n),
                At::Sdk => quote!(types::#n),
                At::Outside => quote!(::openai_sdk::types::#n),
            }
        }
        TypeRef::Const(n) => {
            let n = ident(n);
            match at {
                At::Outside => quote!(::openai_sdk::consts::#n),
                _ => quote!(consts::#n),
            }
        }
        TypeRef::Array(t) => {
            let t = type_path(t, at);
            quote!(Vec<#t>)
        }
        // A `BTreeMap`, not a `HashMap`: requests encode in a stable order, `Debug` prints one,
        // and maps here are small (metadata, a moderation's 13 categories), where comparing a
        // few short keys costs less than SipHash (3 % fewer instructions decoding chat
        // completions with moderation).
        TypeRef::Map(t) => {
            let t = type_path(t, at);
            match at {
                At::Outside => quote!(::std::collections::BTreeMap<String, #t>),
                _ => quote!(BTreeMap<String, #t>),
            }
        }
        TypeRef::Nullable(t) => {
            let t = type_path(t, at);
            quote!(Option<#t>)
        }
        TypeRef::Boxed(t) => {
            let t = type_path(t, at);
            quote!(Box<#t>)
        }
    }
}

/// The names of [`use_lines`] that `tokens` mention (for files other than the types', which
/// hold no variant declarations to mislead the scan).
pub fn imports(tokens: &TokenStream) -> std::collections::BTreeSet<&'static str> {
    const NAMES: &[&str] = &[
        "BTreeMap", "Map", "Value", "consts", "rt", "types", "Client", "Extra", "Nullable",
        "Request",
    ];
    let mut seen = std::collections::BTreeSet::new();
    mentioned(tokens.clone(), &mut seen);
    NAMES
        .iter()
        .copied()
        .filter(|n| seen.contains(*n))
        .collect()
}

/// What a types file imports: names from outside the `types` module (`Value`, `rt`, …) and the
/// types of other files it names. Decided from the IR, not the tokens (a string enum's variant
/// may be called `Value`). Types are imported by name, not with `use super::*`: a glob of all
/// the types in each of a thousand files costs the build time and memory.
#[derive(Default)]
pub struct Needs {
    pub names: std::collections::BTreeSet<&'static str>,
    pub types: std::collections::BTreeSet<String>,
}

pub fn needs(defs: &[&TypeDef]) -> Needs {
    let local: std::collections::BTreeSet<&str> = defs.iter().map(|d| d.name.as_str()).collect();
    fn walk(ty: &TypeRef, local: &std::collections::BTreeSet<&str>, out: &mut Needs) {
        match ty {
            TypeRef::Json => {
                out.names.insert("Value");
            }
            TypeRef::JsonObject => {
                out.names.extend(["Map", "Value"]);
            }
            TypeRef::Named(n) if local.contains(n.as_str()) => {}
            TypeRef::Named(n) => {
                out.types.insert(n.clone());
            }
            TypeRef::Const(_) => {
                out.names.insert("consts");
            }
            TypeRef::Map(t) => {
                out.names.insert("BTreeMap");
                walk(t, local, out);
            }
            TypeRef::Array(t) | TypeRef::Nullable(t) | TypeRef::Boxed(t) => walk(t, local, out),
            TypeRef::String | TypeRef::Integer | TypeRef::Number | TypeRef::Boolean => {}
            // Written `crate::InputFile`; named here so its crate imports it.
            TypeRef::Binary => {
                out.names.insert("InputFile");
            }
        }
    }
    let mut out = Needs::default();
    for def in defs {
        match &def.kind {
            TypeKind::Struct(s) => {
                out.names.extend(["Extra", "rt"]);
                if s.fields.iter().any(|f| !f.required && f.nullable) {
                    out.names.insert("Nullable");
                }
                s.fields.iter().for_each(|f| walk(&f.ty, &local, &mut out));
            }
            TypeKind::Union(u) => {
                out.names.extend(["Value", "rt"]);
                u.variants
                    .iter()
                    .for_each(|v| walk(&v.ty, &local, &mut out));
            }
            TypeKind::Enum(e) => {
                out.names.insert("rt");
                let others = e.includes.iter().filter(|n| !local.contains(n.as_str()));
                out.types.extend(others.cloned());
            }
            TypeKind::Alias(ty) => walk(ty, &local, &mut out),
        }
    }
    out
}

/// The `use` lines of a types file compiled with `module` features. A type that may be left out
/// when the file is not (its features are fewer) is imported under its own `#[cfg]`: whatever
/// names it is left out with it.
pub fn type_file_uses(
    needs: &Needs,
    module: &std::collections::BTreeSet<&str>,
    features: &std::collections::BTreeMap<&str, &std::collections::BTreeSet<String>>,
) -> TokenStream {
    let mut always = Vec::new();
    let mut out = TokenStream::new();
    for t in &needs.types {
        let own = features.get(t.as_str());
        let name = ident(t);
        match own {
            Some(own) if !module.iter().all(|f| own.contains(*f)) => {
                let cfg = super::cfg_any(own.iter().map(String::as_str));
                out.extend(quote!(#cfg use super::#name;));
            }
            _ => always.push(name),
        }
    }
    let mut lines = match always.as_slice() {
        [] => TokenStream::new(),
        [one] => quote!(use super::#one;),
        many => quote!(use super::{#(#many),*};),
    };
    lines.extend(out);
    lines.extend(use_lines(&needs.names));
    lines
}

/// `use` lines for `names` (from [`needs`] or [`imports`]), one per crate, in a fixed order.
pub fn use_lines(names: &std::collections::BTreeSet<&str>) -> TokenStream {
    let group = |root: TokenStream, items: &[&str]| {
        let items: Vec<Ident> = items
            .iter()
            .filter(|i| names.contains(**i))
            .map(|i| ident(i))
            .collect();
        match items.as_slice() {
            [] => TokenStream::new(),
            [one] => quote!(use #root::#one;),
            many => quote!(use #root::{#(#many),*};),
        }
    };
    let mut out = TokenStream::new();
    out.extend(group(quote!(std::collections), &["BTreeMap"]));
    out.extend(group(quote!(serde_json), &["Map", "Value"]));
    out.extend(group(
        quote!(crate),
        &[
            "Client", "Extra", "Nullable", "Request", "consts", "rt", "types",
        ],
    ));
    out
}

/// Every identifier in `tokens` that starts a path or stands alone (not after `::` or `.`), so
/// `Self::Value` and `x.rt` do not count as mentions of `Value` and `rt`.
fn mentioned(tokens: TokenStream, out: &mut std::collections::BTreeSet<String>) {
    use proc_macro2::TokenTree;
    let mut after_path = false;
    let mut colons = 0;
    for tt in tokens {
        match tt {
            TokenTree::Group(g) => {
                mentioned(g.stream(), out);
                after_path = false;
                colons = 0;
            }
            TokenTree::Ident(i) => {
                if !after_path {
                    out.insert(i.to_string());
                }
                after_path = false;
                colons = 0;
            }
            TokenTree::Punct(p) => {
                match p.as_char() {
                    ':' => colons += 1,
                    '.' => colons = 2,
                    _ => colons = 0,
                }
                after_path = colons >= 2;
            }
            TokenTree::Literal(_) => {
                after_path = false;
                colons = 0;
            }
        }
    }
}

/// Type aliases by name, so two spellings of one type count as one.
pub type Aliases = std::collections::BTreeMap<String, TypeRef>;

/// A type with aliases followed (and `Box` dropped): what it is, not how it is spelled.
fn canonical(ty: &TypeRef, aliases: &Aliases) -> TypeRef {
    match ty {
        TypeRef::Boxed(inner) => canonical(inner, aliases),
        TypeRef::Named(n) => match aliases.get(n) {
            Some(target) => canonical(target, aliases),
            None => ty.clone(),
        },
        other => other.clone(),
    }
}

/// What emitting one type needs to know about the others.
pub struct Context {
    pub aliases: Aliases,
    /// Unions that take any `&str` (through a `String` variant, possibly in a nested union).
    open: std::collections::BTreeSet<String>,
    /// Types that take some strings: string enums, and unions that reach one.
    closed: std::collections::BTreeSet<String>,
    /// Structs (which a union can decode in one pass once its tag has picked them), with their
    /// required constant fields, wire name to value (their `Default` holds that value already).
    structs: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    /// String enums whose `Default` is the spec's default value, not the empty fallback.
    defaulted: std::collections::BTreeSet<String>,
}

impl Context {
    /// Whether `ty`'s default is a placeholder no request means to send (`""`, an enum's empty
    /// `Unknown`, a union's `Unknown(null)`), so a required field of it left at its default was
    /// forgotten (see the runtime's `rt/required.rs`). Not a struct (its own fields tell), nor an
    /// enum whose default is the spec's (a value one may mean to send).
    fn has_placeholder(&self, ty: &TypeRef) -> bool {
        match canonical(ty, &self.aliases) {
            TypeRef::String => true,
            TypeRef::Named(n) => !self.structs.contains_key(&n) && !self.defaulted.contains(&n),
            _ => false,
        }
    }

    pub fn new(types: &[TypeDef], consts: &[ConstDef]) -> Context {
        let consts: std::collections::BTreeMap<&str, &str> = consts
            .iter()
            .map(|c| (c.name.as_str(), c.value.as_str()))
            .collect();
        let aliases: Aliases = types
            .iter()
            .filter_map(|t| match &t.kind {
                TypeKind::Alias(ty) => Some((t.name.clone(), ty.clone())),
                _ => None,
            })
            .collect();
        let enums = |open: bool| {
            types
                .iter()
                .filter(move |t| matches!(&t.kind, TypeKind::Enum(e) if e.open == open))
                .map(|t| t.name.clone())
        };
        let closed = enums(false).collect();
        let structs = types
            .iter()
            .filter_map(|t| match &t.kind {
                TypeKind::Struct(s) => Some((t.name.clone(), s)),
                _ => None,
            })
            .map(|(name, s)| {
                let constants = s.fields.iter().filter_map(|f| match &f.ty {
                    TypeRef::Const(c) if f.required && !f.nullable => {
                        Some((f.wire.clone(), (*consts.get(c.as_str())?).to_owned()))
                    }
                    _ => None,
                });
                (name, constants.collect())
            })
            .collect();
        let defaulted = types
            .iter()
            .filter(|t| matches!(&t.kind, TypeKind::Enum(e) if e.default.is_some()))
            .map(|t| t.name.clone())
            .collect();
        let mut ctx = Context {
            aliases,
            open: enums(true).collect(),
            closed,
            structs,
            defaulted,
        };
        // Unions reach a string through other unions: repeat until nothing changes.
        loop {
            let before = ctx.open.len() + ctx.closed.len();
            for t in types {
                let TypeKind::Union(u) = &t.kind else {
                    continue;
                };
                match ctx.str_variant(u).map(|v| canonical(&v.ty, &ctx.aliases)) {
                    Some(TypeRef::String) => ctx.open.insert(t.name.clone()),
                    Some(TypeRef::Named(n)) if ctx.open.contains(&n) => {
                        ctx.open.insert(t.name.clone())
                    }
                    Some(_) => ctx.closed.insert(t.name.clone()),
                    None => false,
                };
            }
            if ctx.open.len() + ctx.closed.len() == before {
                return ctx;
            }
        }
    }

    /// Whether `ty` (possibly boxed, possibly through aliases) is a struct.
    pub fn is_struct(&self, ty: &TypeRef) -> bool {
        matches!(canonical(ty, &self.aliases), TypeRef::Named(n) if self.structs.contains_key(&n))
    }

    /// Whether struct `ty` has a required constant field `wire` whose value is the only one in
    /// `values`: its `Default` then holds whatever tag picked it.
    fn has_constant(&self, ty: &TypeRef, wire: &str, values: &[String]) -> bool {
        let TypeRef::Named(n) = canonical(ty, &self.aliases) else {
            return false;
        };
        let value = self.structs.get(&n).and_then(|c| c.get(wire));
        matches!((value, values), (Some(v), [only]) if v == only)
    }

    /// Whether the union converts `From<&str>`.
    pub fn takes_str(&self, u: &Union) -> bool {
        self.str_variant(u).is_some()
    }

    /// Whether the union converts `From` this variant's payload: no other variant holds the same
    /// type, and it is not free-form JSON.
    pub fn converts_from(&self, u: &Union, v: &crate::ir::UnionVariant) -> bool {
        let same = canonical(&v.ty, &self.aliases);
        same != TypeRef::Json
            && u.variants
                .iter()
                .filter(|w| canonical(&w.ty, &self.aliases) == same)
                .count()
                == 1
    }

    /// The one variant a `&str` converts into (`model: "gpt-4o".into()`): the `String` one, else
    /// the one union that takes any string, else the one type that takes some strings; `None`
    /// when there is none or the choice is ambiguous.
    fn str_variant<'u>(&self, u: &'u Union) -> Option<&'u crate::ir::UnionVariant> {
        let tiers: [&dyn Fn(&TypeRef) -> bool; 3] = [
            &|ty| *ty == TypeRef::String,
            &|ty| matches!(ty, TypeRef::Named(n) if self.open.contains(n)),
            &|ty| matches!(ty, TypeRef::Named(n) if self.closed.contains(n) || self.open.contains(n)),
        ];
        for takes in tiers {
            let found: Vec<_> = u
                .variants
                .iter()
                .filter(|v| takes(&canonical(&v.ty, &self.aliases)))
                .collect();
            if !found.is_empty() {
                return (found.len() == 1).then(|| found[0]);
            }
        }
        None
    }
}

/// A type's items. `module` is the set of features its file is compiled with: an item needs a
/// `#[cfg]` of its own only when its type is needed by fewer.
pub fn type_def(
    def: &TypeDef,
    ctx: &Context,
    module: &std::collections::BTreeSet<&str>,
) -> TokenStream {
    let narrower = def.features.len() < module.len();
    let cfg = match narrower {
        true => super::cfg_any(def.features.iter().map(String::as_str)),
        false => TokenStream::new(),
    };
    let docs = doc_attrs(&def.docs);
    let docs = quote!(#cfg #docs);
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => struct_def(docs, &name, s, ctx, &cfg),
        TypeKind::Enum(e) => enum_def(docs, &name, e, &cfg),
        TypeKind::Union(u) => union_def(docs, &name, u, ctx, &cfg),
        TypeKind::Alias(ty) => {
            let ty = type_path(ty, At::Types);
            quote! { #docs pub type #name = #ty; }
        }
    }
}

/// Structs decode leniently in one pass over the JSON: a missing required field is its default;
/// a `null` the type cannot hold becomes the default (or `None`) with the `null` kept in `extra`,
/// beside every field the spec does not list. They encode exactly: required fields always,
/// optional ones only when set, then `extra`, whose entries win over a field of the same name (so
/// what was decoded encodes back unchanged, and a request can override a field).
fn struct_def(
    docs: TokenStream,
    name: &Ident,
    s: &Struct,
    ctx: &Context,
    cfg: &TokenStream,
) -> TokenStream {
    let fields = s.fields.iter().map(field);
    let expecting = format!("a {name} object");
    let mut reads = Vec::new();
    let mut writes = Vec::new();
    for f in &s.fields {
        let wire = &f.wire;
        let field = ident(&f.name);
        let (read, write) = match (f.required, f.nullable) {
            (true, false) if ctx.has_placeholder(&f.ty) => (quote!(or_default), quote!(required)),
            (true, _) => (quote!(or_default), quote!(field)),
            (false, false) => (quote!(or_none), quote!(optional)),
            (false, true) => (quote!(present), quote!(nullable)),
        };
        reads.push(quote!(#wire => self.#field = rt::#read(map, key, &mut self.extra)?,));
        writes.push(quote!(rt::#write(&mut map, #wire, &self.#field, &self.extra)?;));
    }
    quote! {
        #docs
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
            /// Fields the spec does not list, and values that do not fit their field, as JSON
            /// text: kept from responses; sent in requests, overriding a field of the same name.
            pub extra: Extra,
        }
        #cfg impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = serde::Serializer::serialize_map(s, None)?;
                #(#writes)*
                rt::end(map, &self.extra)
            }
        }
        #cfg impl rt::Fields for #name {
            const EXPECTING: &'static str = #expecting;
            fn field<'de, A: serde::de::MapAccess<'de>>(&mut self, key: rt::Key<'de>, map: &mut A) -> Result<(), A::Error> {
                match key.as_str() {
                    #(#reads)*
                    _ => rt::extra(map, key, &mut self.extra)?,
                }
                Ok(())
            }
        }
        #cfg impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                rt::de_struct(d)
            }
        }
    }
}

fn field(f: &Field) -> TokenStream {
    let docs = doc_attrs(&f.docs);
    let name = ident(&f.name);
    let inner = type_path(&f.ty, At::Types);
    let ty = match (f.required, f.nullable) {
        (true, false) => inner,
        (true, true) | (false, false) => quote!(Option<#inner>),
        (false, true) => quote!(Nullable<#inner>),
    };
    quote! { #docs pub #name: #ty, }
}

/// A string enum; an open one (any string is valid, `anyOf: [string, enum]`) holds other
/// strings in `Other`, a closed one in `Unknown` (a value this SDK version does not know).
fn enum_def(docs: TokenStream, name: &Ident, e: &StringEnum, cfg: &TokenStream) -> TokenStream {
    let variants: Vec<Ident> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
    let value_docs = values.iter().map(|v| lines(&[&format!("`{v}`")]));
    let (fallback, fallback_doc) = if e.open {
        (
            ident("Other"),
            "Any other value: the spec allows any string here.",
        )
    } else {
        (
            ident("Unknown"),
            "A value this version of the SDK does not know, kept as it was sent.",
        )
    };
    let fallback_doc = lines(&[fallback_doc]);
    let openness = ident(if e.open { "open" } else { "closed" });
    // The spec's default if it names one; otherwise the empty fallback value, so a response that
    // omits the field does not pretend to have sent a listed value.
    let defaults = (0..variants.len()).map(|i| (e.default == Some(i)).then(|| quote!(#[default])));
    let (derive_default, default_impl) = match e.default {
        Some(_) => (quote!(Default,), quote!()),
        None => (
            quote!(),
            quote! {
                #cfg impl Default for #name {
                    fn default() -> Self { Self::#fallback(String::new()) }
                }
            },
        ),
    };
    let includes = e.includes.iter().map(|sub| {
        let sub = ident(sub);
        quote! {
            #cfg impl From<#sub> for #name {
                fn from(v: #sub) -> Self { v.as_str().into() }
            }
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, #derive_default PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#value_docs #defaults #variants,)*
            #fallback_doc
            #fallback(String),
        }
        #cfg impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self { #(Self::#variants => #values,)* Self::#fallback(v) => v }
            }
        }
        #cfg impl From<&str> for #name {
            fn from(v: &str) -> Self {
                match v { #(#values => Self::#variants,)* _ => Self::#fallback(v.to_owned()) }
            }
        }
        #(#includes)*
        #default_impl
        #cfg rt::string_enum!(#name, #openness);
    }
}

fn shape(s: &Shape) -> TokenStream {
    let strs = |v: &[String]| quote!(&[#(#v),*]);
    match s {
        Shape::Bool => quote!(rt::Shape::Bool),
        Shape::Integer => quote!(rt::Shape::Integer),
        Shape::Number => quote!(rt::Shape::Number),
        Shape::String => quote!(rt::Shape::String),
        Shape::Strings(v) => {
            let v = strs(v);
            quote!(rt::Shape::Strings(#v))
        }
        Shape::Array(items) => {
            let items = shape(items);
            quote!(rt::Shape::Array(&#items))
        }
        Shape::Any => quote!(rt::Shape::Any),
        Shape::Object(ObjectShape {
            tag,
            required,
            enums,
        }) => {
            let tag = match tag {
                Some((prop, values)) => {
                    let values = strs(values);
                    quote!(Some((#prop, #values)))
                }
                None => quote!(None),
            };
            let required = strs(required);
            let enums = enums.iter().map(|(prop, values)| {
                let values = strs(values);
                quote!((#prop, #values))
            });
            quote!(rt::Shape::Object(rt::ObjectShape {
                tag: #tag, required: #required, enums: &[#(#enums),*]
            }))
        }
    }
}

/// `From` each variant's payload (when no other variant holds the same type), and from `&str`
/// when a variant holds a `String`: `model: "gpt-4o".into()`, `content: "Hi".into()`.
fn union_from(name: &Ident, u: &Union, ctx: &Context, cfg: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    for v in u.variants.iter().filter(|v| ctx.converts_from(u, v)) {
        let (ty, boxed) = match &v.ty {
            TypeRef::Boxed(inner) => (inner.as_ref().clone(), true),
            other => (other.clone(), false),
        };
        let variant = ident(&v.name);
        let path = type_path(&ty, At::Types);
        let wrap = if boxed {
            quote!(Box::new(v))
        } else {
            quote!(v)
        };
        out.extend(quote! {
            #cfg impl From<#path> for #name {
                fn from(v: #path) -> Self { Self::#variant(#wrap) }
            }
        });
    }
    if let Some(v) = ctx.str_variant(u) {
        let variant = ident(&v.name);
        let value = if matches!(v.ty, TypeRef::Boxed(_)) {
            quote!(Box::new(v.into()))
        } else {
            quote!(v.into())
        };
        out.extend(quote! {
            #cfg impl From<&str> for #name {
                fn from(v: &str) -> Self { Self::#variant(#value) }
            }
        });
    }
    out
}

/// Unions decode through `rt::Union`: an object whose tag picks one struct variant in a
/// single pass, anything else by its shape (kind, discriminator, keys); a value no variant fits
/// is kept whole in `Unknown` rather than failing the response.
fn union_def(
    docs: TokenStream,
    name: &Ident,
    u: &Union,
    ctx: &Context,
    cfg: &TokenStream,
) -> TokenStream {
    let variants: Vec<Ident> = u.variants.iter().map(|v| ident(&v.name)).collect();
    let tys = u.variants.iter().map(|v| type_path(&v.ty, At::Types));
    let vdocs = u.variants.iter().map(|v| doc_attrs(&v.docs));
    let shapes = u.variants.iter().map(|v| shape(&v.shape));
    let index = 0..variants.len();
    // A union of no known variant (webhooks of a spec that has none) keeps everything.
    let variant = if variants.is_empty() {
        quote! {
            let _ = i;
            Ok(Self::Unknown(v.clone()))
        }
    } else {
        quote! {
            Ok(match i {
                #(#index => Self::#variants(rt::reparse(v)?),)*
                _ => Self::Unknown(v.clone()),
            })
        }
    };
    let conversions = union_from(name, u, ctx, cfg);
    let resume = union_resume(u, ctx);
    let tag = union_tag_table(u);
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#vdocs #variants(#tys),)*
            /// A value this version of the SDK does not recognize, kept as JSON.
            Unknown(Value),
        }
        #conversions
        #cfg impl Default for #name {
            fn default() -> Self { Self::Unknown(Value::Null) }
        }
        #cfg impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Self::#variants(v) => serde::Serialize::serialize(v, s),)*
                    Self::Unknown(v) => serde::Serialize::serialize(v, s),
                }
            }
        }
        #cfg impl rt::Union for #name {
            const SHAPES: &'static [rt::Shape] = &[#(#shapes),*];
            const TAG: Option<rt::Tag> = #tag;
            fn variant(i: usize, v: &Value) -> Result<Self, serde_json::Error> {
                #variant
            }
            #resume
            fn unknown(v: Value) -> Self { Self::Unknown(v) }
        }
        #cfg impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                rt::de_union(d)
            }
        }
    }
}

/// The discriminator property, when every object variant has one and it is the same: only then
/// can a tag alone pick the variant.
fn union_tag(u: &Union) -> Option<&str> {
    let mut props = u.variants.iter().filter_map(|v| match &v.shape {
        Shape::Object(o) => Some(o.tag.as_ref().map(|(prop, _)| prop.as_str())),
        _ => None,
    });
    let first = props.next()??;
    props.all(|p| p == Some(first)).then_some(first)
}

/// `Union::TAG`: the discriminator property and each tag value that selects exactly one
/// variant, sorted (as `str` orders them) for the decoder's binary search.
fn union_tag_table(u: &Union) -> TokenStream {
    let Some(prop) = union_tag(u) else {
        return quote!(None);
    };
    let mut owners: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, v) in u.variants.iter().enumerate() {
        if let Shape::Object(ObjectShape {
            tag: Some((_, values)),
            ..
        }) = &v.shape
        {
            for value in values {
                let owners = owners.entry(value.as_str()).or_default();
                if owners.last() != Some(&i) {
                    owners.push(i);
                }
            }
        }
    }
    let entries = owners
        .iter()
        .filter_map(|(value, owners)| match owners[..] {
            [i] => {
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                Some(quote!((#value, #i)))
            }
            _ => None,
        });
    quote!(Some(rt::Tag { prop: #prop, variants: &[#(#entries),*] }))
}

/// `Union::resume` for a tagged union: each struct variant read in one pass (the rest, through a
/// `Value`, by the trait's default).
fn union_resume(u: &Union, ctx: &Context) -> TokenStream {
    let Some(prop) = union_tag(u) else {
        return TokenStream::new();
    };
    let arms = u.variants.iter().enumerate().filter_map(|(i, v)| {
        let Shape::Object(ObjectShape {
            tag: Some((_, values)),
            ..
        }) = &v.shape
        else {
            return None;
        };
        if !ctx.is_struct(&v.ty) {
            return None;
        }
        let variant = ident(&v.name);
        // A constant tag field already holds the tag's value; only the entries before it are
        // replayed (usually none).
        let tag = !ctx.has_constant(&v.ty, prop, values);
        let read = match &v.ty {
            TypeRef::Boxed(inner) => {
                let path = type_path(inner, At::Types);
                quote!(Box::new(rt::resume::<#path, A>(read, map, #tag)?))
            }
            ty => {
                let path = type_path(ty, At::Types);
                quote!(rt::resume::<#path, A>(read, map, #tag)?)
            }
        };
        Some(quote!(#i => Self::#variant(#read),))
    });
    quote! {
        fn resume<'de, A: serde::de::MapAccess<'de>>(i: usize, read: rt::Read<'de>, map: A) -> Result<Self, A::Error> {
            Ok(match i {
                #(#arms)*
                _ => return rt::resume_value(read, map),
            })
        }
    }
}

/// The spec's constants, one line each (so a constant the spec adds is a line of diff): an alias
/// of the runtime's one generic `Const` type (whose impls are compiled once), and in `marker` the
/// type that names its string.
pub fn consts(consts: &[ConstDef]) -> TokenStream {
    let names: Vec<_> = consts.iter().map(|c| ident(&c.name)).collect();
    let values: Vec<_> = consts.iter().map(|c| &c.value).collect();
    quote! {
        #(openai_sdk_runtime::constant!(#names = #values);)*
        /// The types that name each constant's string.
        #[doc(hidden)]
        pub mod marker {
            #(openai_sdk_runtime::constant_marker!(#names = #values);)*
        }
    }
}
