//! Stage 3: IR → token streams, grouped into the files they will be written to.

mod chunked_upload;
mod crates;
mod dispatch;
mod docs;
mod example;
mod polling;
mod registry;
mod resources;
mod types;
mod websocket;

use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

pub use crates::{SHARED, TYPES_DIR};

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
    let layout = crates::layout(&api.types)?;
    let type_features: BTreeMap<&str, &BTreeSet<String>> = api
        .types
        .iter()
        .map(|t| (t.name.as_str(), &t.features))
        .collect();
    let crate_of: BTreeMap<&str, &str> = api
        .types
        .iter()
        .map(|t| (t.name.as_str(), crates::crate_of(t)))
        .collect();
    let mut files = Vec::with_capacity(api.types.len() / 2);
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
        path: format!("{SDK_DIR}/types.rs"),
        tokens: crates::sdk_types(&layout),
    });
    files.push(EmittedFile {
        path: format!("{SDK_DIR}/consts.rs"),
        tokens: crates::sdk_consts(),
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
        path: format!("{TYPES_DIR}/{SHARED}/src/consts.rs"),
        tokens: quote! {
            //! Constant strings of the spec, one type each (see `openai_sdk::consts`).
            #consts
        },
    });
    for (krate, modules) in &layout {
        let mut lib = BTreeMap::new();
        for (module, defs) in modules {
            let features = crates::module_features(defs);
            let items = defs.iter().map(|def| types::type_def(def, &ctx, &features));
            let needs = types::needs(defs);
            let uses = types::type_file_uses(&needs, &features, &type_features);
            files.push(EmittedFile {
                path: format!("{TYPES_DIR}/{krate}/src/types/{module}.rs"),
                tokens: quote! {
                    // Deprecated items are still generated; the spec's prose is kept as written; a
                    // union is as large as its largest variant (boxing every variant costs an
                    // allocation per value, which decoding-heavy code pays more for).
                    #![allow(deprecated, clippy::doc_lazy_continuation, clippy::large_enum_variant)]
                    #uses
                    #(#items)*
                },
            });
            let uses_shared = needs
                .types
                .iter()
                .any(|t| crate_of.get(t.as_str()) == Some(&SHARED));
            lib.insert(
                *module,
                crates::Module {
                    features,
                    needs,
                    uses_shared,
                },
            );
        }
        files.push(EmittedFile {
            path: format!("{TYPES_DIR}/{krate}/src/lib.rs"),
            tokens: crates::lib_rs(krate, &lib),
        });
        files.push(EmittedFile {
            path: format!("{TYPES_DIR}/{krate}/src/types.rs"),
            tokens: crates::types_rs(krate, &lib),
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

/// The files that are not Rust: each type crate's `Cargo.toml`, and the generated regions of
/// `sdk/Cargo.toml` (`features.toml`, `dependencies.toml`; `cargo xtask generate` splices them in).
pub fn manifests(api: &Api) -> crate::Result<Vec<crate::GeneratedFile>> {
    let layout = crates::layout(&api.types)?;
    let shared: BTreeSet<&str> = layout[SHARED]
        .values()
        .flat_map(|defs| crates::module_features(defs))
        .collect();
    let mut files: Vec<crate::GeneratedFile> = layout
        .keys()
        .map(|krate| crate::GeneratedFile {
            path: format!("{TYPES_DIR}/{krate}/Cargo.toml"),
            contents: crates::manifest(krate, &shared),
        })
        .collect();
    let (features, dependencies) = crates::sdk_manifest(&api.features, &layout, &shared);
    for (name, region) in [("features", features), ("dependencies", dependencies)] {
        files.push(crate::GeneratedFile {
            path: format!("{SDK_DIR}/{name}.toml"),
            contents: format!("{MANIFEST_HEADER}{region}"),
        });
    }
    Ok(files)
}

/// The first line of a generated manifest region.
pub const MANIFEST_HEADER: &str = "# @generated by `cargo xtask generate`. Do not edit by hand.\n";
