//! Stage 3: IR → token streams, grouped into the files they will be written to.

mod dispatch;
mod docs;
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

pub fn emit(api: &Api) -> crate::Result<Vec<EmittedFile>> {
    let ctx = types::Context::new(&api.types);
    let mut modules: BTreeMap<&str, Vec<TokenStream>> = BTreeMap::new();
    for def in &api.types {
        modules
            .entry(def.module.as_str())
            .or_default()
            .push(types::type_def(def, &ctx));
    }
    let mut files = Vec::with_capacity(modules.len() + 4);
    let mod_idents: Vec<_> = modules.keys().map(|m| types::ident(m)).collect();
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
            #(mod #mod_idents; pub use self::#mod_idents::*;)*
        },
    });
    let (root, resource_files) = resources::resources(&api.operations)?;
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
    let consts = api.consts.iter().map(types::const_def);
    files.push(EmittedFile {
        path: format!("{SDK_DIR}/consts.rs"),
        tokens: quote! {
            //! Constant strings of the spec (`"chat.completion"`, discriminator values), one marker
            //! type each. `Default` fills them in, so requests never need them spelled out.
            #(#consts)*
        },
    });
    for (module, items) in modules {
        files.push(EmittedFile {
            path: format!("{SDK_DIR}/types/{module}.rs"),
            tokens: quote! {
                // Deprecated items are still generated; the spec's prose is kept as written; a
                // union is as large as its largest variant (boxing every variant costs an
                // allocation per value, which decoding-heavy code pays more for).
                #![allow(deprecated, clippy::doc_lazy_continuation, clippy::large_enum_variant)]
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
