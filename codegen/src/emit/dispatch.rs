//! For the tests crate: every operation callable by its `operationId` with arguments given as
//! JSON, so one table-driven test can call all of them against the mock server.

use super::types::{At, ident, type_path};
use crate::ir::{Api, BodyKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// The test's view of a type.
fn external(ty: &TypeRef) -> TokenStream {
    type_path(ty, At::Outside)
}

pub fn dispatch(api: &Api) -> TokenStream {
    let mut arms = Vec::new();
    let mut table = Vec::new();
    for op in &api.operations {
        let id = &op.id;
        let mut call = quote!(client);
        for resource in &op.resource {
            let r = ident(resource);
            call = quote!(#call.#r());
        }
        let name = ident(&op.name);
        let mut args = Vec::new();
        for i in 0..op.path_params.len() {
            args.push(quote!(path[#i]));
        }
        if let Some((kind, ty)) = &op.body {
            args.push(match kind {
                BodyKind::Text(_) => quote!(crate::arg::<::std::string::String>(body)?),
                _ => {
                    let ty = external(ty);
                    quote!(&crate::arg::<#ty>(body)?)
                }
            });
        }
        if let Some(query) = &op.query {
            let ty = ident(query);
            args.push(quote!(&crate::arg::<::openai_sdk::types::#ty>(query)?));
        }
        arms.push(quote! {
            #id => crate::done(#call.#name(#(#args),*).await),
        });
        let method = &op.method;
        let path = &op.path;
        let body = match &op.body_pointer {
            Some(p) => quote!(::std::option::Option::Some(#p)),
            None => quote!(::std::option::Option::None),
        };
        let count = op.path_params.len();
        let paging = match &op.paging {
            Some(p) => {
                let style = format!("{:?}", p.style);
                quote!(::std::option::Option::Some(#style))
            }
            None => quote!(::std::option::Option::None),
        };
        table.push(quote!(crate::Operation { id: #id, method: #method, path: #path, path_params: #count, body_schema: #body, paging: #paging }));
    }
    quote! {
        //! Every operation, callable by `operationId`.
        #![allow(deprecated)]

        /// The operations the generator produced, with what a caller must supply.
        pub const OPERATIONS: &[crate::Operation] = &[#(#table),*];

        /// Calls operation `id` (path parameters in order; query and body as JSON). `None` when
        /// no method exists for `id`; the error says what failed (argument, call or decode).
        pub async fn call(
            client: &::openai_sdk::Client,
            id: &str,
            path: &[&str],
            query: &::serde_json::Value,
            body: &::serde_json::Value,
        ) -> ::std::option::Option<::std::result::Result<(), ::std::string::String>> {
            let outcome = async {
                match id {
                    #(#arms)*
                    _ => ::std::result::Result::Err(crate::NO_SUCH_OPERATION.to_owned()),
                }
            }
            .await;
            match outcome {
                ::std::result::Result::Err(e) if e == crate::NO_SUCH_OPERATION => ::std::option::Option::None,
                other => ::std::option::Option::Some(other),
            }
        }
    }
}
