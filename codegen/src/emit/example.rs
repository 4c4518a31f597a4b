//! An operation's example requests → Rust doctests that make the same call: the spec's example
//! values become typed Rust values (struct literals, enum variants, union conversions), so the
//! example compiles only if the types really fit it. Each is a `no_run` doctest.

use super::types::{Context, ident};
use crate::ir::{
    Api, BodyKind, ExampleCall, Operation, ResponseKind, Shape, SwitchValue, TypeDef, TypeKind,
    TypeRef, Union, UnionVariant,
};
use crate::value::Value;
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// What the examples are written against: the SDK crate as its users name it.
const CRATE: &str = "openai_sdk";

/// Heads an example whose spec values do not all fit the types.
const PARTIAL: &str =
    "// Values of the spec's example that its schemas do not describe are left out.";

/// Finds the types an example's values must fit.
pub struct Examples<'a> {
    types: BTreeMap<&'a str, &'a TypeDef>,
    consts: BTreeMap<&'a str, &'a str>,
    ctx: &'a Context,
}

impl<'a> Examples<'a> {
    pub fn new(api: &'a Api, ctx: &'a Context) -> Self {
        Examples {
            types: api.types.iter().map(|t| (t.name.as_str(), t)).collect(),
            consts: api
                .consts
                .iter()
                .map(|c| (c.name.as_str(), c.value.as_str()))
                .collect(),
            ctx,
        }
    }

    /// Doc lines showing every example of the operation that fits its types.
    pub fn docs(&self, op: &Operation) -> Vec<String> {
        let blocks: Vec<(Option<&str>, Vec<String>)> = op
            .examples
            .iter()
            .filter_map(|e| {
                // The first source that fits; failing all, the first with what does not fit
                // left out (the spec's examples lag behind its schemas now and then).
                let code = match e.calls.iter().find_map(|c| self.example(op, c, false)) {
                    Some(code) => code,
                    None => {
                        let mut code = vec![PARTIAL.to_owned()];
                        code.extend(self.example(op, e.calls.first()?, true)?);
                        code
                    }
                };
                Some((e.title.as_deref(), code))
            })
            .collect();
        let mut lines = Vec::new();
        if blocks.is_empty() {
            return lines;
        }
        lines.push(String::new());
        lines.push(
            if blocks.len() == 1 {
                "# Example"
            } else {
                "# Examples"
            }
            .to_owned(),
        );
        for (title, code) in &blocks {
            lines.push(String::new());
            if let (Some(title), true) = (title, blocks.len() > 1) {
                lines.push(format!("{title}:"));
                lines.push(String::new());
            }
            lines.push("```no_run".to_owned());
            // The spec's examples call deprecated operations and fill deprecated fields as they are;
            // the item's own docs say it is deprecated, so the doctest need not warn.
            lines.push("# #![allow(deprecated)]".to_owned());
            lines.extend(code.iter().cloned());
            lines.push("```".to_owned());
        }
        lines
    }

    /// One example as doctest lines, or `None` if its values do not fit the operation's types.
    fn example(&self, op: &Operation, example: &ExampleCall, lenient: bool) -> Option<Vec<String>> {
        if example.path.len() != op.path_params.len() {
            return None;
        }
        let mut b = Builder::new(self);
        b.lenient = lenient;
        let mut args: Vec<TokenStream> = example.path.iter().map(|p| quote!(#p)).collect();
        let mut body = example.body.clone();
        let stream = op.streaming.as_ref().and_then(|s| {
            let (field, on) = s.switch.as_ref()?;
            let value = body.as_ref()?.get(field)?;
            let asked = match (on, value) {
                (SwitchValue::True, Value::Bool(b)) => *b,
                (SwitchValue::True, Value::String(s)) => s == "true",
                (SwitchValue::Text(t), Value::String(s)) => s == t,
                _ => false,
            };
            asked.then_some(field)
        });
        if let (Some(field), Some(Value::Object(map))) = (stream, &mut body) {
            // The `_stream` method asks for the stream itself.
            map.shift_remove(field);
        }
        // Values the example sets are bound first (`let request = ..`), as one would write it.
        let mut bindings = Vec::new();
        match (&op.body, body) {
            (Some((BodyKind::Text(_), _)), Some(Value::String(text))) => args.push(quote!(#text)),
            (Some((BodyKind::Text(_), _)), _) => return None,
            (Some((_, ty)), Some(value)) => {
                b.text = example.body_is_text;
                let value = b.value(ty, &value)?;
                bindings.push(quote!(let request = #value;));
                args.push(quote!(&request));
            }
            (Some((_, ty)), None) => {
                let value = b.default(ty);
                args.push(quote!(&#value));
            }
            (None, Some(_)) => return None,
            (None, None) => {}
        }
        match (&op.query, &example.query) {
            (Some(query), Some(value)) => {
                b.text = true;
                let value = b.value(&TypeRef::Named(query.clone()), value)?;
                bindings.push(quote!(let params = #value;));
                args.push(quote!(&params));
            }
            (Some(query), None) => {
                let value = b.default(&TypeRef::Named(query.clone()));
                args.push(quote!(&#value));
            }
            (None, Some(_)) => return None,
            (None, None) => {}
        }
        let resources = op.resource.iter().map(|r| ident(r));
        let handle = quote!(client #(.#resources())*);
        let statements = if stream.is_some() {
            let method = ident(&format!("{}_stream", op.name));
            quote! {
                let mut stream = #handle.#method(#(#args),*).await?;
                while let Some(event) = stream.next().await {
                    println!("{:?}", event?);
                }
            }
        } else {
            let method = ident(&op.name);
            let call = quote!(#handle.#method(#(#args),*).await?);
            match op.response {
                ResponseKind::Json(_) | ResponseKind::Text => quote! {
                    let response = #call;
                    println!("{response:?}");
                },
                ResponseKind::Download => quote! {
                    let bytes = #call.bytes().await?;
                    println!("{} bytes", bytes.len());
                },
                ResponseKind::Empty => quote!(#call;),
            }
        };
        let krate = ident(CRATE);
        let stream_ext = stream.map(|_| {
            quote!(
                use futures_util::StreamExt;
            )
        });
        let types: Vec<proc_macro2::Ident> = b.types.iter().map(|t| ident(t)).collect();
        let types = match types.as_slice() {
            [] => quote!(),
            [one] => quote!(use #krate::types::#one;),
            many => quote!(use #krate::types::{#(#many),*};),
        };
        let file = quote! {
            #stream_ext
            #types
            async fn example() -> Result<(), Box<dyn std::error::Error>> {
                let client = #krate::Client::new();
                #(#bindings)*
                #statements
                Ok(())
            }
        };
        Some(doctest(&file, &b.json))
    }
}

/// Builds the Rust expression for a value of a type, collecting the types it names (to import).
struct Builder<'e, 'a> {
    examples: &'e Examples<'a>,
    types: BTreeSet<String>,
    /// Free-form JSON values, written in as `json!` after rendering (placeholders until then).
    json: Vec<Value>,
    /// Scalars are text (a form or query) and take their type from the schema.
    text: bool,
    /// Leave out struct fields whose values do not fit, rather than failing.
    lenient: bool,
}

impl<'e, 'a> Builder<'e, 'a> {
    fn new(examples: &'e Examples<'a>) -> Self {
        Builder {
            examples,
            types: BTreeSet::new(),
            json: Vec::new(),
            text: false,
            lenient: false,
        }
    }

    /// A named type, imported by name.
    fn named(&mut self, name: &str) -> TokenStream {
        self.types.insert(name.to_owned());
        let name = ident(name);
        quote!(#name)
    }

    fn default(&mut self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::Named(n) => {
                let name = self.named(n);
                quote!(#name::default())
            }
            _ => quote!(Default::default()),
        }
    }

    /// The expression for `value` as a `Nullable<ty>`: `0.7.into()`, `"text".into()`.
    fn nullable(&mut self, ty: &TypeRef, value: &Value) -> Option<TokenStream> {
        let v = self.value(ty, value)?;
        let text = v.to_string();
        Some(match (ty, value) {
            // Already `"text".into()`, which `Nullable<String>` takes as it is.
            (TypeRef::String, Value::String(s)) if !(self.text && s.starts_with('<')) => v,
            // A conversion already (a string into a union): a second `.into()` could not be inferred.
            _ if text.ends_with("into ()") => {
                let krate = ident(CRATE);
                quote!(#krate::Nullable::Value(#v))
            }
            // `-1.into()` would be `-(1.into())`.
            _ if text.starts_with('-') => quote!((#v).into()),
            _ => quote!(#v.into()),
        })
    }

    /// The expression for `value` as a `ty`; `None` if the value does not fit the type.
    fn value(&mut self, ty: &TypeRef, value: &Value) -> Option<TokenStream> {
        let text = if self.text { value.as_str() } else { None };
        Some(match (ty, value) {
            (TypeRef::Nullable(_), Value::Null) => quote!(None),
            (TypeRef::Nullable(inner), v) => {
                let v = self.value(inner, v)?;
                quote!(Some(#v))
            }
            (TypeRef::Boxed(inner), v) => {
                let v = self.value(inner, v)?;
                quote!(Box::new(#v))
            }
            (TypeRef::String, Value::String(s)) => {
                match s.strip_prefix('<').filter(|_| self.text) {
                    // curl's `-F field=<path`: the field's text is the file's content.
                    Some(path) => quote!(std::fs::read_to_string(#path)?),
                    None => quote!(#s.into()),
                }
            }
            (TypeRef::Integer, Value::Int(i)) => int(*i),
            (TypeRef::Integer, _) => int(text?.parse().ok()?),
            (TypeRef::Number, Value::Int(i)) => float(*i as f64),
            (TypeRef::Number, Value::Float(f)) => float(*f),
            (TypeRef::Number, _) => float(text?.parse().ok()?),
            (TypeRef::Boolean, Value::Bool(b)) => quote!(#b),
            (TypeRef::Boolean, _) => {
                let b: bool = text?.parse().ok()?;
                quote!(#b)
            }
            (TypeRef::Json, v) => self.json(v),
            (TypeRef::JsonObject, Value::Object(map)) => {
                let entries = map.iter().map(|(k, v)| {
                    let v = self.json(v);
                    quote!((#k.into(), #v))
                });
                let entries: Vec<TokenStream> = entries.collect();
                quote!(serde_json::Map::from_iter([#(#entries),*]))
            }
            (TypeRef::Binary, Value::String(s)) => {
                let krate = ident(CRATE);
                match s.strip_prefix('@') {
                    Some(path) => quote!(#krate::InputFile::from_path(#path).await?),
                    // Form text sent as a file part.
                    None => quote!(#krate::InputFile::from_bytes("data", #s)),
                }
            }
            (TypeRef::Const(name), Value::String(s)) => {
                (self.examples.consts.get(name.as_str()) == Some(&s.as_str())).then_some(())?;
                let krate = ident(CRATE);
                let name = ident(name);
                quote!(#krate::consts::#name::default())
            }
            (TypeRef::Array(item), Value::Array(items)) => {
                let items = items
                    .iter()
                    .map(|v| self.value(item, v))
                    .collect::<Option<Vec<_>>>()?;
                quote!(vec![#(#items),*])
            }
            (TypeRef::Map(item), Value::Object(map)) => {
                let mut entries = Vec::new();
                for (k, v) in map {
                    let v = self.value(item, v)?;
                    entries.push(quote!((#k.into(), #v)));
                }
                quote!(std::collections::BTreeMap::from([#(#entries),*]))
            }
            (TypeRef::Named(name), v) => self.named_value(name, v)?,
            _ => return None,
        })
    }

    fn named_value(&mut self, name: &str, value: &Value) -> Option<TokenStream> {
        let def = *self.examples.types.get(name)?;
        match (&def.kind, value) {
            (TypeKind::Alias(ty), v) => self.value(ty, v),
            (TypeKind::Enum(e), Value::String(s)) => {
                let name = self.named(name);
                match e.variants.iter().find(|v| &v.value == s) {
                    Some(variant) => {
                        let variant = ident(&variant.name);
                        Some(quote!(#name::#variant))
                    }
                    None if e.open => Some(quote!(#name::Other(#s.into()))),
                    None => None,
                }
            }
            (TypeKind::Struct(s), Value::Object(map)) => {
                let mut fields = Vec::new();
                for (key, v) in map {
                    let Some(field) = s.fields.iter().find(|f| &f.wire == key) else {
                        if self.lenient {
                            continue;
                        }
                        return None;
                    };
                    let ty = &field.ty;
                    if matches!(ty, TypeRef::Const(_)) && field.required && !field.nullable {
                        // `Default` fills it in; the example must still name the constant.
                        self.value(ty, v)?;
                        continue;
                    }
                    let expr = self.attempt(|b| {
                        Some(match (field.required, field.nullable, v) {
                            (true, false, v) => b.value(ty, v)?,
                            (true, true, Value::Null) => quote!(None),
                            (false, true, Value::Null) => {
                                let krate = ident(CRATE);
                                quote!(#krate::Nullable::Null)
                            }
                            (false, false, Value::Null) => return None,
                            (false, true, v) => b.nullable(ty, v)?,
                            (true, true, v) | (false, false, v) => {
                                let v = b.value(ty, v)?;
                                quote!(Some(#v))
                            }
                        })
                    });
                    let expr = match expr {
                        Some(expr) => expr,
                        None if self.lenient => continue,
                        None => return None,
                    };
                    let field = ident(&field.name);
                    fields.push(quote!(#field: #expr));
                }
                let name = self.named(name);
                Some(quote!(#name { #(#fields,)* ..Default::default() }))
            }
            (TypeKind::Union(u), v) => self.union_value(name, u, v),
            _ => None,
        }
    }

    /// A union value: a string through `From<&str>` when the union takes one, else the first
    /// variant the value fits, trying those its discriminator or closed value points at first, as
    /// decoding would. Form text tries numbers, flags and objects before strings.
    fn union_value(&mut self, name: &str, u: &Union, value: &Value) -> Option<TokenStream> {
        let string_like = |v: &UnionVariant| matches!(v.shape, Shape::String | Shape::Strings(_));
        if self.text
            && let Some(fit) = self.first_fit(name, u, value, |v| !string_like(v))
        {
            return Some(fit);
        }
        if let (Value::String(s), true) = (value, self.examples.ctx.takes_str(u)) {
            return Some(quote!(#s.into()));
        }
        self.first_fit(name, u, value, |_| true)
    }

    fn first_fit(
        &mut self,
        name: &str,
        u: &Union,
        value: &Value,
        allowed: impl Fn(&UnionVariant) -> bool,
    ) -> Option<TokenStream> {
        let pointed = |shape: &Shape| match (shape, value) {
            (Shape::Object(o), Value::Object(map)) => o.tag.as_ref().is_some_and(|(prop, tags)| {
                map.get(prop)
                    .and_then(Value::as_str)
                    .is_some_and(|t| tags.iter().any(|v| v == t))
            }),
            (Shape::Strings(values), Value::String(s)) => values.contains(s),
            _ => false,
        };
        let order = u
            .variants
            .iter()
            .filter(|v| pointed(&v.shape))
            .chain(u.variants.iter().filter(|v| !pointed(&v.shape)))
            .filter(|v| allowed(v));
        for variant in order {
            if let Some(payload) = self.attempt(|b| b.value(&variant.ty, value)) {
                let is_struct = matches!(&variant.ty, TypeRef::Named(n)
                    if matches!(self.examples.types.get(n.as_str()).map(|t| &t.kind), Some(TypeKind::Struct(_))));
                if is_struct && self.examples.ctx.converts_from(u, variant) {
                    return Some(quote!(#payload.into()));
                }
                let name = self.named(name);
                let variant = ident(&variant.name);
                return Some(quote!(#name::#variant(#payload)));
            }
        }
        None
    }

    /// Runs `f`; if it fails, it leaves no imports or JSON behind.
    fn attempt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let (types, json) = (self.types.clone(), self.json.len());
        let out = f(self);
        if out.is_none() {
            self.types = types;
            self.json.truncate(json);
        }
        out
    }

    fn json(&mut self, value: &Value) -> TokenStream {
        let n = self.json.len();
        self.json.push(value.clone());
        let n = Literal::usize_unsuffixed(n);
        quote!(__json(#n))
    }
}

fn int(i: i64) -> TokenStream {
    let lit = Literal::u64_unsuffixed(i.unsigned_abs());
    if i < 0 { quote!(-#lit) } else { quote!(#lit) }
}

fn float(f: f64) -> TokenStream {
    let lit = Literal::f64_unsuffixed(f.abs());
    if f < 0.0 { quote!(-#lit) } else { quote!(#lit) }
}

/// Renders the example and turns it into doctest lines: the `async fn` around the calls is
/// hidden (`# `), so readers see the `use`s and the calls.
fn doctest(file: &TokenStream, json: &[Value]) -> Vec<String> {
    let file: syn::File = syn::parse2(file.clone()).expect("example code parses");
    let mut text = prettyplease::unparse(&file);
    for (n, value) in json.iter().enumerate().rev() {
        let placeholder = format!("__json({n})");
        let Some(at) = text.find(&placeholder) else {
            continue;
        };
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let indent = text[line_start..].len() - text[line_start..].trim_start().len();
        let mut json_text = String::from("serde_json::json!(");
        pretty(value, indent, &mut json_text);
        json_text.push(')');
        text.replace_range(at..at + placeholder.len(), &json_text);
    }
    let mut lines = Vec::new();
    let mut in_body = false;
    for line in text.lines() {
        if line.starts_with("async fn example()") {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            in_body = true;
            lines.push(format!("# {line}"));
        } else if !in_body {
            lines.push(line.to_owned());
        } else if line == "    Ok(())" || line == "}" {
            lines.push(format!("# {}", line.trim_start()));
        } else {
            lines.push(line.strip_prefix("    ").unwrap_or(line).to_owned());
        }
    }
    lines
}

/// JSON as `json!` takes it, indented to sit at `indent`.
fn pretty(value: &Value, indent: usize, out: &mut String) {
    let scalar = |v: &Value| !matches!(v, Value::Array(_) | Value::Object(_));
    match value {
        // A short list of scalars stays on one line.
        Value::Array(items) if items.iter().all(scalar) && value.to_json().len() <= 60 => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                pretty(item, indent, out);
            }
            out.push(']');
        }
        Value::Array(items) => block(out, indent, "[]", items.iter().map(|v| (None, v))),
        Value::Object(map) if !map.is_empty() => block(
            out,
            indent,
            "{}",
            map.iter().map(|(k, v)| (Some(k.as_str()), v)),
        ),
        Value::String(s) => out.push_str(&format!("{s:?}")),
        Value::Float(f) if f.is_finite() => out.push_str(&format!("{f:?}")),
        other => out.push_str(&other.to_json()),
    }
}

/// A list or object over several lines: one entry (`"key": value` or `value`) a line.
fn block<'v>(
    out: &mut String,
    indent: usize,
    brackets: &str,
    entries: impl ExactSizeIterator<Item = (Option<&'v str>, &'v Value)>,
) {
    let (open, close) = brackets.split_at(1);
    out.push_str(open);
    out.push('\n');
    let count = entries.len();
    for (i, (key, value)) in entries.enumerate() {
        out.push_str(&" ".repeat(indent + 4));
        if let Some(key) = key {
            out.push_str(&format!("{key:?}: "));
        }
        pretty(value, indent + 4, out);
        out.push_str(if i + 1 < count { ",\n" } else { "\n" });
    }
    out.push_str(&" ".repeat(indent));
    out.push_str(close);
}
