//! Stage 3: IR → token streams, grouped into the files they will be written to.

mod dispatch;
mod docs;
mod example;
mod registry;
mod resources;
mod types;

use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

pub use docs::sanitize as sanitize_docs;

/// A file to be rendered: path relative to the workspace root, and its items.
pub struct EmittedFile {
    pub path: String,
    pub tokens: TokenStream,
}

/// Where generated SDK code lives, relative to the workspace root.
pub const SDK_DIR: &str = "sdk/src/generated";
/// Where the generated type registry for the tests lives.
pub const TESTS_DIR: &str = "tests/src/generated";

/// `#[cfg(any(feature = ..))]` for a set of features; nothing for an empty set.
pub(crate) fn cfg_any<'a>(features: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let features: Vec<&str> = features.into_iter().collect();
    match features.as_slice() {
        [] => quote!(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

pub fn emit(api: &Api) -> crate::Result<Vec<EmittedFile>> {
    let ctx = types::Context::new(&api.types, &api.consts);
    // A module is compiled when any feature that needs one of its types is on.
    let mut module_features: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for def in &api.types {
        module_features
            .entry(def.module.as_str())
            .or_default()
            .extend(def.features.iter().map(String::as_str));
    }
    let mut modules: BTreeMap<&str, Vec<&crate::ir::TypeDef>> = BTreeMap::new();
    for def in &api.types {
        modules.entry(def.module.as_str()).or_default().push(def);
    }
    let type_features: BTreeMap<&str, &std::collections::BTreeSet<String>> = api
        .types
        .iter()
        .map(|t| (t.name.as_str(), &t.features))
        .collect();
    let mut files = Vec::with_capacity(modules.len() + 4);
    let mod_idents: Vec<_> = modules.keys().map(|m| types::ident(m)).collect();
    let mod_cfgs: Vec<_> = modules
        .keys()
        .map(|m| cfg_any(module_features[m].iter().copied()))
        .collect();
    files.push(EmittedFile {
        path: format!("{SDK_DIR}/mod.rs"),
        tokens: quote! {
            //! Code generated from the OpenAPI spec: one type per schema, one method per operation.
            pub mod consts;
            pub mod resources;
            pub mod types;
        },
    });
    files.push(EmittedFile {
        path: format!("{SDK_DIR}/types/mod.rs"),
        tokens: quote! {
            //! One type per component schema of the spec, with the inline schemas it contains.
            #(#mod_cfgs mod #mod_idents; #mod_cfgs pub use self::#mod_idents::*;)*
        },
    });
    let (root, resource_files) = resources::resources(api, &ctx)?;
    files.push(EmittedFile {
        path: format!("{SDK_DIR}/resources/mod.rs"),
        tokens: root,
    });
    for (module, tokens) in resource_files {
        files.push(EmittedFile {
            path: format!("{SDK_DIR}/resources/{module}.rs"),
            tokens,
        });
    }
    let consts = types::consts(&api.consts);
    files.push(EmittedFile {
        path: format!("{SDK_DIR}/consts.rs"),
        tokens: quote! {
            //! Constant strings of the spec (`"chat.completion"`, discriminator values), one type
            //! each: a [`Const`](crate::Const) that `Default` fills in, so requests never need them
            //! spelled out.
            #consts
        },
    });
    for (module, defs) in modules {
        let features = &module_features[module];
        let items = defs.iter().map(|def| types::type_def(def, &ctx, features));
        let uses = types::type_file_uses(&types::needs(&defs), features, &type_features);
        files.push(EmittedFile {
            path: format!("{SDK_DIR}/types/{module}.rs"),
            tokens: quote! {
                // Deprecated items are still generated; the spec's prose is kept as written; a
                // union is as large as its largest variant (boxing every variant costs an
                // allocation per value, which decoding-heavy code pays more for).
                #![allow(deprecated, clippy::doc_lazy_continuation, clippy::large_enum_variant)]
                #uses
                #(#items)*
            },
        });
    }
    files.push(EmittedFile {
        path: format!("{TESTS_DIR}/registry.rs"),
        tokens: registry::registry(api),
    });
    files.push(EmittedFile {
        path: format!("{TESTS_DIR}/operations.rs"),
        tokens: dispatch::dispatch(api),
    });
    files.push(EmittedFile {
        path: format!("{TESTS_DIR}/mod.rs"),
        tokens: quote! {
            //! Generated support for the tests crate.
            pub mod operations;
            pub mod registry;
        },
    });
    Ok(files)
}
