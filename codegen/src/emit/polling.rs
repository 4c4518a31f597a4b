//! `poll` and `create_and_poll` (see `lower::polling`): a [`Polling`] future over the `GET`
//! of the object, made by the runtime's `crate::Polling`.

use super::resources::{arguments, struct_name};
use super::types::ident;
use crate::ir::{FileIds, Operation, Polling, ResponseKind, UploadThen};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// What every polling method is made of.
struct Polled {
    /// The `GET`'s path parameters before the object's id, captured by `retrieve`.
    outer: Vec<Ident>,
    /// The `GET` as a closure of the object's id (its last path parameter).
    retrieve: TokenStream,
    /// The check of the object's status.
    done: TokenStream,
    /// The object's type.
    object: TokenStream,
}

fn polled(get: &Operation, polling: &Polling) -> Polled {
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
    Polled {
        outer,
        retrieve,
        done,
        object,
    }
}

/// `#[cfg(..)]` for a method of `own`'s resource that calls `others`: their areas' features when
/// they are another area's (a vector store's `upload_and_poll` needs `files`).
pub(super) fn gate(own: &Operation, others: &[&Operation]) -> TokenStream {
    use crate::lower::areas::{area_of, feature};
    let own = area_of(own);
    let mut features: Vec<String> = others
        .iter()
        .map(|op| area_of(op))
        .filter(|area| *area != own)
        .map(|area| feature(&area))
        .collect();
    features.sort();
    features.dedup();
    match features.as_slice() {
        [] => quote!(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(all(#(feature = #many),*))]),
    }
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
    let Polled {
        outer,
        retrieve,
        done,
        object,
    } = polled(get, polling);
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
    let Polled {
        outer,
        retrieve,
        done,
        object,
    } = polled(get, polling);
    // The `GET`'s path parameters before the id are the `POST`'s, in order.
    let given: Vec<Ident> = create
        .path_params
        .iter()
        .map(|(rust, _)| ident(rust))
        .collect();
    let gate = gate(create, &[get]);
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
        #gate
        #[doc = #doc]
        pub fn create_and_poll(&self, #(#names: #types),*) -> crate::Polling<#object> {
            let create = self.#name(#(#names),*);
            let client = self.client().clone();
            #(let #outer = #given.to_owned();)*
            crate::Polling::after(create, #retrieve, #done)
        }
    }
}

/// `upload_and_poll(..)` beside `create_and_poll`: the files uploaded first, their ids put in
/// the body (see `lower::polling`).
pub(super) fn upload_and_poll_method(
    create: &Operation,
    get: &Operation,
    polling: &Polling,
    then: &UploadThen,
    upload: &Operation,
) -> Option<TokenStream> {
    let Polled {
        outer,
        retrieve,
        done,
        object,
    } = polled(get, polling);
    let file_body = super::types::type_path(&upload.body.as_ref()?.1, super::types::At::Sdk);
    let given: Vec<Ident> = create
        .path_params
        .iter()
        .map(|(rust, _)| ident(rust))
        .collect();
    let (names, types): (Vec<Ident>, Vec<TokenStream>) = arguments(create).into_iter().unzip();
    let name = ident(&create.name);
    let create_node = struct_name(&create.resource);
    let upload_call = {
        let node = struct_name(&upload.resource);
        let method = ident(&upload.name);
        quote!(crate::resources::#node { client: &client }.#method)
    };
    let field = ident(&then.field);
    let gate = gate(create, &[get, upload]);
    let (files, files_ty, uploads, set) = match then.ids {
        FileIds::One => (
            quote!(file),
            quote!(&#file_body),
            quote!(vec![#upload_call(file)]),
            quote!(body.#field = ids.into_iter().next().unwrap_or_default();),
        ),
        FileIds::Many { optional } => (
            quote!(files),
            quote!(impl IntoIterator<Item = #file_body>),
            quote!(files.into_iter().map(|file| #upload_call(&file)).collect()),
            if optional {
                quote!(body.#field.get_or_insert_with(Vec::new).extend(ids);)
            } else {
                quote!(body.#field.extend(ids);)
            },
        ),
    };
    // The arguments that are references, owned for the closure that runs after the uploads.
    let owned: Vec<TokenStream> = names
        .iter()
        .zip(&types)
        .map(|(n, ty)| {
            if ty.to_string().starts_with('&') {
                quote!(let #n = #n.to_owned();)
            } else {
                quote!()
            }
        })
        .collect();
    // Owned above, so passed by reference again.
    let refs: Vec<TokenStream> = names
        .iter()
        .zip(&types)
        .map(|(n, ty)| {
            if ty.to_string().starts_with('&') {
                quote!(&#n)
            } else {
                quote!(#n)
            }
        })
        .collect();
    let doc = format!(
        " Uploads the file{s} ([`{upload}`]({path}::{upload})), then \
         [`create_and_poll`](Self::create_and_poll) with {their} id{s} in `{field}`.",
        s = if then.ids == FileIds::One { "" } else { "s" },
        their = if then.ids == FileIds::One {
            "its"
        } else {
            "their"
        },
        upload = upload.name,
        path = format_args!("crate::resources::{}", struct_name(&upload.resource)),
        field = then.field,
    );
    Some(quote! {
        #gate
        #[doc = #doc]
        pub fn upload_and_poll(&self, #(#names: #types,)* #files: #files_ty) -> crate::Polling<#object> {
            let client = self.client().clone();
            let uploads = #uploads;
            let create = {
                let client = client.clone();
                #(#owned)*
                move |ids: Vec<String>| {
                    let mut body = body;
                    #set
                    crate::resources::#create_node { client: &client }.#name(#(#refs),*)
                }
            };
            #(let #outer = #given.to_owned();)*
            crate::Polling::after_uploads(uploads, create, #retrieve, #done)
        }
    })
}
