//! Operations → the resource hierarchy of the official SDKs: `client.chat().completions()
//! .create(&body)`. Each resource is a borrowed handle on the client; each operation method
//! returns a `Request` to await (or to configure first). One file per top-level resource.

use super::docs::{doc_attrs, lines};
use super::example::Examples;
use super::types::{At, Context, ident, imports, type_path, use_lines};
use crate::error::{Error, Result};
use crate::ir::{
    Api, BodyKind, Operation, Paging, PagingStyle, ResponseKind, StreamEnd, SwitchValue,
};
use crate::lower::areas::{area_of, feature};
use crate::lower::type_name;
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Default)]
struct Node<'a> {
    children: BTreeSet<String>,
    operations: Vec<&'a Operation>,
}

pub(super) fn struct_name(path: &[String]) -> Ident {
    ident(&path.iter().map(|s| type_name(s)).collect::<String>())
}

/// Every resource node (every prefix of an operation's resource path), with its children and
/// operations; the root (empty path) holds the top-level resources.
fn tree(operations: &[Operation]) -> Result<BTreeMap<Vec<String>, Node<'_>>> {
    let mut nodes: BTreeMap<Vec<String>, Node<'_>> = BTreeMap::new();
    nodes.entry(Vec::new()).or_default();
    for op in operations {
        for depth in 1..=op.resource.len() {
            let path = op.resource[..depth].to_vec();
            nodes
                .entry(path[..depth - 1].to_vec())
                .or_default()
                .children
                .insert(path[depth - 1].clone());
            nodes.entry(path).or_default();
        }
        nodes
            .entry(op.resource.clone())
            .or_default()
            .operations
            .push(op);
    }
    let mut names = BTreeMap::new();
    for (path, node) in &nodes {
        if let Some(clash) = node
            .operations
            .iter()
            .find(|op| node.children.contains(&op.name))
        {
            return Err(Error::new(
                format!("operation {}", clash.id),
                format!(
                    "`{}` is both a resource and a method of `client.{}`",
                    clash.name,
                    path.join(".")
                ),
            ));
        }
        if !path.is_empty()
            && let Some(other) = names.insert(struct_name(path).to_string(), path)
        {
            return Err(Error::new(
                format!("resource {}", path.join(".")),
                format!(
                    "resources `{}` and `{}` get the same Rust name",
                    other.join("."),
                    path.join(".")
                ),
            ));
        }
    }
    Ok(nodes)
}

fn accessors(path: &[String], children: &BTreeSet<String>) -> Vec<TokenStream> {
    // On the client, each top-level resource exists only with its feature.
    let gate = |child: &str| {
        if path.is_empty() {
            super::cfg_any([feature(child).as_str()])
        } else {
            quote!()
        }
    };
    // Handles below the client borrow the client, not the handle they came from, so
    // `let runs = client.beta().threads().runs();` outlives its temporaries.
    let lifetime = if path.is_empty() {
        quote!('_)
    } else {
        quote!('c)
    };
    children
        .iter()
        .map(|child| {
            let mut child_path = path.to_vec();
            child_path.push(child.clone());
            let ty = struct_name(&child_path);
            let method = ident(child);
            let doc = format!(" `client.{}`", child_path.join("."));
            let cfg = gate(child);
            quote! {
                #cfg
                #[doc = #doc]
                pub fn #method(&self) -> crate::resources::#ty<#lifetime> {
                    crate::resources::#ty { client: self.client() }
                }
            }
        })
        .collect()
}

/// The arguments of an operation's method, in order: its path parameters, its body, its query
/// (and header) parameters.
pub(super) fn arguments(op: &Operation) -> Vec<(Ident, TokenStream)> {
    let mut args: Vec<(Ident, TokenStream)> = op
        .path_params
        .iter()
        .map(|(rust, _)| (ident(rust), quote!(&str)))
        .collect();
    if let Some((kind, ty)) = &op.body {
        let ty = match kind {
            BodyKind::Text(_) => quote!(impl Into<String>),
            _ => {
                let ty = type_path(ty, At::Sdk);
                quote!(&#ty)
            }
        };
        args.push((ident("body"), ty));
    }
    if let Some(query) = &op.query {
        let ty = ident(query);
        args.push((ident("params"), quote!(&types::#ty)));
    }
    args
}

fn method(op: &Operation, examples: &Examples) -> TokenStream {
    let mut docs = doc_attrs(&op.docs);
    let route = format!("`{} {}`", op.method, op.path);
    docs.extend(lines(&["", &route]));
    let example = examples.docs(op);
    docs.extend(lines(
        &example.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    let name = ident(&op.name);
    let http = ident(&op.method);
    let args: Vec<TokenStream> = arguments(op)
        .into_iter()
        .map(|(name, ty)| quote!(#name: #ty))
        .collect();
    let params: Vec<Ident> = op.path_params.iter().map(|(rust, _)| ident(rust)).collect();
    // The operation id and path template name the call in traces; the template's holes are
    // filled with the parameters, in order.
    let id = &op.id;
    let route = &op.path;
    let call = |constructor: TokenStream, decode: Option<&TokenStream>| {
        let decode = decode.map(|d| quote!(, #d));
        quote!(Request::#constructor(self.client(), #id, ::reqwest::Method::#http, #route, &[#(#params),*] #decode))
    };
    let mut chain = Vec::new();
    if op.admin {
        chain.push(quote!(.admin()));
    }
    if let Some((kind, _)) = &op.body {
        chain.push(match kind {
            BodyKind::Text(ct) => quote!(.text_body(body, #ct)),
            BodyKind::Json => quote!(.json_body(body)),
            BodyKind::Multipart => quote!(.multipart_body(body)),
            BodyKind::JsonOrMultipart => quote!(.json_or_multipart_body(body)),
            BodyKind::Form => quote!(.form_body(body)),
        });
    }
    if op.query.is_some() {
        chain.push(if op.headers.is_empty() {
            quote!(.query(params))
        } else {
            let headers = &op.headers;
            quote!(.query_and_headers(params, &[#(#headers),*]))
        });
    }
    if !op.fixed_query.is_empty() {
        let pairs = op.fixed_query.iter().map(|(k, v)| quote!((#k, #v)));
        chain.push(quote!(.fixed_query(&[#(#pairs),*])));
    }
    // Only the plain method decodes a union answer; set after the body it reads.
    let variant = op.variant_by.as_ref().map(|by| {
        let field = &by.field;
        let values = by.values.iter().map(|(v, i)| quote!((#v, #i)));
        let default = match &by.default {
            Some(d) => quote!(Some(#d)),
            None => quote!(None),
        };
        quote!(.variant_by(#field, &[#(#values),*], #default))
    });
    let json = match &op.variant_by {
        Some(_) => quote!(rt::decode_variant),
        None => quote!(rt::decode_json),
    };
    let (output, decode) = match &op.response {
        ResponseKind::Json(ty) => (type_path(ty, At::Sdk), Some(json)),
        ResponseKind::Download => (quote!(crate::Download), None),
        ResponseKind::Text => (quote!(String), Some(quote!(rt::decode_text))),
        ResponseKind::Empty => (quote!(()), Some(quote!(rt::decode_empty))),
    };
    let plain = match &decode {
        Some(decode) => call(quote!(new), Some(decode)),
        None => call(quote!(download), None),
    };
    let Some(streaming) = &op.streaming else {
        return quote! {
            #docs
            pub fn #name(&self, #(#args),*) -> Request<#output> {
                #plain #(#chain)* #variant
            }
        };
    };
    // The plain method never asks for a stream; its `_stream` sibling always does.
    let (off, on) = match &streaming.switch {
        Some((field, value)) if streaming.in_query => {
            let value = match value {
                SwitchValue::True => "true",
                SwitchValue::Text(text) => text.as_str(),
            };
            (
                quote!(.query_switch(#field, None)),
                quote!(.query_switch(#field, Some(#value))),
            )
        }
        Some((field, value)) => {
            let value = match value {
                SwitchValue::True => quote!(::serde_json::Value::Bool(true)),
                SwitchValue::Text(text) => {
                    quote!(::serde_json::Value::String(String::from(#text)))
                }
            };
            (
                quote!(.body_field(#field, None)),
                quote!(.body_field(#field, Some(#value))),
            )
        }
        None => (quote!(), quote!()),
    };
    let mut events = call(quote!(events), None);
    if streaming.framed {
        events.extend(quote!(.framed()));
    }
    match &streaming.end {
        StreamEnd::Unknown => {}
        StreamEnd::Done => events.extend(quote!(.ends(rt::StreamEnd::Done))),
        StreamEnd::Events(names) => {
            events.extend(quote!(.ends(rt::StreamEnd::Events(&[#(#names),*]))))
        }
    }
    if let Some(resume) = &streaming.resume {
        let (route, operation, member, cursor) = (
            &resume.route,
            &resume.operation,
            &resume.member,
            &resume.cursor,
        );
        events.extend(quote!(.resumes(rt::Resume {
            route: #route,
            operation: #operation,
            member: #member,
            cursor: #cursor,
        })));
    }
    let stream_name = ident(&format!("{}_stream", op.name));
    let event = type_path(&streaming.event, At::Sdk);
    let stream_doc = format!(
        " Streaming form of [`{}`](Self::{}): sends the same request asking for server-sent events and yields them as they arrive.",
        op.name, op.name
    );
    quote! {
        #docs
        pub fn #name(&self, #(#args),*) -> Request<#output> {
            #plain #(#chain)* #variant #off
        }
        #[doc = #stream_doc]
        pub fn #stream_name(&self, #(#args),*) -> Request<crate::EventStream<#event>> {
            #events #(#chain)* #on
        }
    }
}

/// The auto-paging sibling of a list method: `list_all(..)`, a stream of every item.
fn paging_method(op: &Operation, paging: &Paging) -> TokenStream {
    let name = ident(&op.name);
    let all = ident(&format!("{}_all", op.name));
    let ResponseKind::Json(page) = &op.response else {
        unreachable!("paging lists answer JSON")
    };
    let page = type_path(page, At::Sdk);
    let params_ty = ident(
        op.query
            .as_deref()
            .expect("paging lists take query parameters"),
    );
    let path_params: Vec<Ident> = op.path_params.iter().map(|(rust, _)| ident(rust)).collect();
    let param = ident(&paging.param);
    let handle = if op.resource.is_empty() {
        quote!(client)
    } else {
        let node = struct_name(&op.resource);
        quote!(crate::resources::#node { client: &client })
    };
    let doc = format!(
        " Every item of [`{}`](Self::{}), across pages: a stream that fetches the next page only when it needs it.",
        op.name, op.name
    );
    quote! {
        #[doc = #doc]
        pub fn #all(&self, #(#path_params: &str,)* params: &types::#params_ty) -> crate::Paginator<#page> {
            let client = self.client().clone();
            #(let #path_params = #path_params.to_owned();)*
            let params = params.clone();
            crate::Paginator::new(move |cursor| {
                let mut params = params.clone();
                if let Some(cursor) = cursor {
                    rt::Cursor::set(&mut params.#param, cursor);
                }
                #handle.#name(#(&#path_params,)* &params)
            })
        }
    }
}

/// How a list response type gives its items and next cursor.
fn page_impl(op: &Operation, paging: &Paging) -> TokenStream {
    let ResponseKind::Json(page) = &op.response else {
        unreachable!("paging lists answer JSON")
    };
    let page = type_path(page, At::Sdk);
    let item = type_path(&paging.item, At::Sdk);
    let data = ident(&paging.data);
    let more = paging.has_more.as_ref().map(|f| {
        let f = ident(f);
        quote! {
            if !rt::Flag::get(&self.#f) {
                return None;
            }
        }
    });
    // A struct's `id` is read directly; other items (unions) are serialized to find it.
    let last_item_id = match &paging.item_id {
        Some(id) => {
            let id = ident(id);
            quote!(rt::PageItems::last_item(&self.#data).and_then(|item| rt::Text::text(&item.#id)))
        }
        None => quote!(rt::PageItems::last_item(&self.#data).and_then(rt::item_id)),
    };
    let cursor = paging.cursor.as_ref().map(|f| {
        let f = ident(f);
        quote!(rt::Text::text(&self.#f))
    });
    let next = match (paging.style, cursor) {
        (PagingStyle::ItemId, _) | (_, None) => last_item_id,
        (PagingStyle::LastId, Some(cursor)) => quote!(#cursor.or_else(|| #last_item_id)),
        (PagingStyle::Next | PagingStyle::NextPage, Some(cursor)) => cursor,
    };
    quote! {
        impl crate::Page for #page {
            type Item = #item;
            fn next_cursor(&self) -> Option<String> {
                #more
                #next
            }
            fn into_items(self) -> Vec<Self::Item> {
                rt::PageItems::into_vec(self.#data)
            }
        }
    }
}

fn node(
    path: &[String],
    node: &Node<'_>,
    examples: &Examples,
    operations: &[Operation],
) -> TokenStream {
    let name = struct_name(path);
    let doc = format!(" Operations under `client.{}`.", path.join("."));
    let accessors = accessors(path, &node.children);
    let methods = node.operations.iter().map(|op| method(op, examples));
    let paging = node
        .operations
        .iter()
        .filter_map(|op| Some(paging_method(op, op.paging.as_ref()?)));
    let mut derived = derived_methods(node, operations);
    let free = |name: &str| {
        !node.children.contains(name) && node.operations.iter().all(|op| op.name != name)
    };
    if path == [super::websocket::RESOURCE] && free("connect") && free("connect_call") {
        derived.push(super::websocket::methods());
    }
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, Debug)]
        pub struct #name<'c> {
            pub(crate) client: &'c Client,
        }
        impl<'c> #name<'c> {
            fn client(&self) -> &'c Client {
                self.client
            }
            #(#accessors)*
            #(#methods)*
            #(#paging)*
            #(#derived)*
        }
    }
}

/// The methods made by rule from several operations (`poll`, `create_and_poll`,
/// `upload_file_chunked`), each unless the resource has a method or a resource of that name.
fn derived_methods(node: &Node<'_>, operations: &[Operation]) -> Vec<TokenStream> {
    let free = |name: &str| {
        !node.children.contains(name) && node.operations.iter().all(|op| op.name != name)
    };
    let mut out = Vec::new();
    let polls: Vec<_> = node
        .operations
        .iter()
        .filter_map(|op| Some((*op, op.polling.as_ref()?)))
        .collect();
    if let ([(get, polling)], true) = (polls.as_slice(), free("poll")) {
        out.push(super::polling::poll_method(get, polling));
    }
    let creates: Vec<_> = node
        .operations
        .iter()
        .filter_map(|op| {
            let get = operations
                .iter()
                .find(|g| Some(&g.id) == op.creates_polled.as_ref())?;
            Some((*op, get, get.polling.as_ref()?))
        })
        .collect();
    let by_id = |id: &str| operations.iter().find(|op| op.id == id);
    if let ([(create, get, polling)], true) = (creates.as_slice(), free("create_and_poll")) {
        out.push(super::polling::create_and_poll_method(create, get, polling));
        let upload = create
            .uploads_then
            .as_ref()
            .and_then(|then| Some((then, by_id(&then.upload)?)));
        if let (Some((then, upload)), true) = (upload, free("upload_and_poll")) {
            out.extend(super::polling::upload_and_poll_method(
                create, get, polling, then, upload,
            ));
        }
    }
    let uploads: Vec<TokenStream> = node
        .operations
        .iter()
        .filter_map(|op| {
            let upload = op.chunked_upload.as_ref()?;
            let (part, complete) = (by_id(&upload.part)?, by_id(&upload.complete)?);
            super::chunked_upload::method(op, upload, part, complete)
        })
        .collect();
    if uploads.len() == 1 && free("upload_file_chunked") {
        out.extend(uploads);
    }
    out
}

/// (module name, items) for each top-level resource, and the root module.
pub fn resources(api: &Api, ctx: &Context) -> Result<(TokenStream, Vec<(String, TokenStream)>)> {
    let operations = &api.operations;
    let examples = Examples::new(api, ctx);
    let nodes = tree(operations)?;
    let mut files: BTreeMap<String, Vec<TokenStream>> = BTreeMap::new();
    for (path, n) in &nodes {
        if let Some(top) = path.first() {
            files
                .entry(top.clone())
                .or_default()
                .push(node(path, n, &examples, operations));
        }
    }
    // One `Page` impl per list response type, however many operations answer with it.
    let mut pages = BTreeMap::new();
    for op in operations {
        if let (Some(paging), ResponseKind::Json(page)) = (&op.paging, &op.response) {
            let cfg = super::cfg_any([feature(&area_of(op)).as_str()]);
            let page_impl = page_impl(op, paging);
            pages
                .entry(page.clone())
                .or_insert_with(|| quote!(#cfg #page_impl));
        }
    }
    let pages = pages.into_values();
    let root = &nodes[&Vec::new()];
    let accessors = accessors(&[], &root.children);
    let methods = root.operations.iter().map(|op| method(op, &examples));
    let modules: Vec<Ident> = files.keys().map(|m| ident(m)).collect();
    let cfgs: Vec<TokenStream> = files
        .keys()
        .map(|m| super::cfg_any([feature(m).as_str()]))
        .collect();
    let body = quote! {
        #(#pages)*
        impl Client {
            fn client(&self) -> &Client {
                self
            }
            #(#accessors)*
            #(#methods)*
        }
    };
    let uses = use_lines(&imports(&body));
    let root = quote! {
        //! The API's operations, grouped as the official SDKs group them.
        #![allow(deprecated)]
        #uses
        #(#cfgs mod #modules; #cfgs pub use self::#modules::*;)*
        #body
    };
    let files = files
        .into_iter()
        .map(|(module, items)| {
            let body = quote!(#(#items)*);
            let uses = use_lines(&imports(&body));
            let file = quote! {
                #![allow(deprecated)]
                #uses
                #body
            };
            (module, file)
        })
        .collect();
    Ok((root, files))
}
