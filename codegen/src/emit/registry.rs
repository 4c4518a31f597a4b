//! A table from component schema name to generated type, for the tests crate: it proves at
//! compile time that every schema has a type, and lets the corpus tests decode an example by the
//! schema name the spec gives.

use super::types::ident;
use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

pub fn registry(api: &Api) -> TokenStream {
    let names = api.schemas.iter().map(|(schema, _)| schema);
    let paths = api.schemas.iter().map(|(_, ty)| {
        let ty = ident(ty);
        quote!(::openai_sdk::types::#ty)
    });
    let count = api.schemas.len();
    quote! {
        //! Component schema name → generated type.
        #![allow(deprecated)]

        /// How many component schemas the generator saw.
        pub const SCHEMA_COUNT: usize = #count;

        /// Decodes `json` as the type generated for component schema `schema` and encodes it back
        /// to JSON; `None` when no type exists for that name.
        pub fn roundtrip(schema: &str, json: &str) -> ::std::option::Option<::std::result::Result<::serde_json::Value, ::std::string::String>> {
            ::std::option::Option::Some(match schema {
                #(#names => crate::roundtrip::<#paths>(json),)*
                _ => return ::std::option::Option::None,
            })
        }
    }
}
