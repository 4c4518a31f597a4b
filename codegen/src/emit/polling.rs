//! `poll` and `create_and_poll` (see `lower::polling`): a [`Polling`] future over the `GET`
//! of the object, made by the runtime's `crate::Polling`.

use super::resources::{arguments, struct_name};
use super::types::ident;
use crate::ir::{Operation, Polling, ResponseKind};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The `GET` as a closure of the object's id (its last path parameter), the other path
/// parameters captured, and the check of the object's status.
fn retrieve(get: &Operation, polling: &Polling) -> (Vec<Ident>, TokenStream, TokenStream) {
    let ResponseKind::Json(object) = &get.response else {
        unreachable!("a polled GET answers JSON")
    };
    let object = super::types::type_path(object, super::types::At::Sdk);
    let name = ident(&get.name);
    let handle = struct_name(&get.resource);
    let (id, outer) = get
        .path_params
        .split_last()
        .expect("a polled GET has an id");
    let outer: Vec<Ident> = outer.iter().map(|(rust, _)| ident(rust)).collect();
    let id = ident(&id.0);
    let query = get.query.as_ref().map(|_| quote!(, &Default::default()));
    let retrieve = quote! {
        move |#id: &str| crate::resources::#handle { client: &client }.#name(#(&#outer,)* #id #query)
    };
    let status = ident(&polling.status);
    let working = &polling.working;
    let done = quote!(|object: &#object| !rt::status_in(&object.#status, &[#(#working),*]));
    (outer, retrieve, done)
}

fn working_list(polling: &Polling) -> String {
    let values: Vec<String> = polling.working.iter().map(|v| format!("`{v}`")).collect();
    match values.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// `poll(..)` beside the `GET` it repeats.
pub(super) fn poll_method(get: &Operation, polling: &Polling) -> TokenStream {
    let (outer, retrieve, done) = retrieve(get, polling);
    let ResponseKind::Json(object) = &get.response else {
        unreachable!("a polled GET answers JSON")
    };
    let object = super::types::type_path(object, super::types::At::Sdk);
    let params: Vec<Ident> = get
        .path_params
        .iter()
        .map(|(rust, _)| ident(rust))
        .collect();
    let id = params.last().expect("a polled GET has an id");
    let doc = format!(
        " Asks [`{}`](Self::{}) again until the object's `{}` is no longer {}, and gives the \
         object then. Waits as the API's `openai-poll-after-ms` header says (1 s without it); \
         `.interval(..)` and `.timeout(..)` on the result change that.",
        get.name,
        get.name,
        polling.status,
        working_list(polling)
    );
    quote! {
        #[doc = #doc]
        pub fn poll(&self, #(#params: &str),*) -> crate::Polling<#object> {
            let client = self.client().clone();
            #(let #outer = #outer.to_owned();)*
            crate::Polling::of(#id, #retrieve, #done)
        }
    }
}

/// `create_and_poll(..)` beside the `POST` making the object `get` polls.
pub(super) fn create_and_poll_method(
    create: &Operation,
    get: &Operation,
    polling: &Polling,
) -> TokenStream {
    let (outer, retrieve, done) = retrieve(get, polling);
    let ResponseKind::Json(object) = &get.response else {
        unreachable!("a polled GET answers JSON")
    };
    let object = super::types::type_path(object, super::types::At::Sdk);
    // The `GET`'s path parameters before the id are the `POST`'s, in order.
    let given: Vec<Ident> = create
        .path_params
        .iter()
        .map(|(rust, _)| ident(rust))
        .collect();
    let args = arguments(create);
    let (names, types): (Vec<Ident>, Vec<TokenStream>) = args.into_iter().unzip();
    let name = ident(&create.name);
    let doc = format!(
        " [`{}`](Self::{}), then [`poll`]({}) of what it made until its `{}` is no longer {}.",
        create.name,
        create.name,
        format_args!("crate::resources::{}::poll", struct_name(&get.resource)),
        polling.status,
        working_list(polling)
    );
    quote! {
        #[doc = #doc]
        pub fn create_and_poll(&self, #(#names: #types),*) -> crate::Polling<#object> {
            let create = self.#name(#(#names),*);
            let client = self.client().clone();
            #(let #outer = #given.to_owned();)*
            crate::Polling::after(create, #retrieve, #done)
        }
    }
}
