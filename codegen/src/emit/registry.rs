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
    quote! {
        //! Component schema name → generated type.
        #![allow(deprecated)]

        /// Decodes `json` as the type generated for component schema `schema` (strictly: see
        /// `openai_sdk::json::from_str_strict`) and encodes it back to JSON; `None` when no type
        /// exists for that name.
        pub fn roundtrip(schema: &str, json: &str, strict: bool) -> ::std::option::Option<::std::result::Result<::serde_json::Value, ::std::string::String>> {
            ::std::option::Option::Some(match schema {
                #(#names => crate::roundtrip::<#paths>(json, strict),)*
                _ => return ::std::option::Option::None,
            })
        }
    }
}
