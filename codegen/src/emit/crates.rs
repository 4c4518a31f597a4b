//! The generated types as crates of their own, which `openai-sdk` re-exports as one `types`
//! module: a crate per API area for the types only that area needs (`types/chat`, …), and
//! `types/shared` for the types several areas need and for the constants.
//!
//! Why crates: with every type in the SDK crate, one `rustc` held all of them (1.9 GB at peak) and
//! its front end ran on one core. Split, a build compiles only the crates of its areas, each in
//! its own process, the area crates side by side. A type's crate follows from its features (see
//! `lower::areas`), which are closed under reference: whatever a type names is needed by every
//! area that needs the type, so an area crate names only its own types and shared ones, and the
//! shared crate only shared ones. No cycle can form.

use super::types::{Needs, ident};
use crate::ir::TypeDef;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

/// Where the type crates live, relative to the workspace root.
pub const TYPES_DIR: &str = "types";
/// The crate of the types several areas need, and of the constants.
pub const SHARED: &str = "shared";
/// The version every generated crate has (the SDK's).
const VERSION: &str = "0.1.0";

/// The crate `def` is written to: its area's, or [`SHARED`].
pub fn crate_of(def: &TypeDef) -> &str {
    match def.features.len() {
        1 => def.features.first().expect("one feature"),
        _ => SHARED,
    }
}

/// The package name of a type crate: `openai-sdk-types` (shared), `openai-sdk-types-chat`.
pub fn package(krate: &str) -> String {
    match krate {
        SHARED => "openai-sdk-types".to_owned(),
        area => format!("openai-sdk-types-{area}"),
    }
}

/// The name Rust code calls a type crate by (`openai_sdk_types_chat`).
fn lib(krate: &str) -> Ident {
    format_ident!("{}", package(krate).replace('-', "_"))
}

/// Types grouped by crate, then by module (file), in the spec's order within a file.
pub type Layout<'a> = BTreeMap<&'a str, BTreeMap<&'a str, Vec<&'a TypeDef>>>;

/// Every type in its crate and module. The shared crate is always there: it holds the constants.
pub fn layout(types: &[TypeDef]) -> crate::Result<Layout<'_>> {
    let mut out: Layout = BTreeMap::from([(SHARED, BTreeMap::new())]);
    for def in types {
        if def.features.len() == 1 && def.features.contains(SHARED) {
            return Err(crate::Error::new(
                &def.pointer,
                format!(
                    "an API area named `{SHARED}` would share its crate with the types several areas need"
                ),
            ));
        }
        out.entry(crate_of(def))
            .or_default()
            .entry(def.module.as_str())
            .or_default()
            .push(def);
    }
    Ok(out)
}

/// The features a module of the shared crate is compiled with: those of its types.
pub fn module_features<'a>(defs: &[&'a TypeDef]) -> BTreeSet<&'a str> {
    defs.iter()
        .flat_map(|d| d.features.iter().map(String::as_str))
        .collect()
}

/// What a crate's root files need to know of one of its modules.
pub struct Module<'a> {
    /// The features it is compiled with (in an area crate, the area).
    pub features: BTreeSet<&'a str>,
    pub needs: Needs,
    /// Whether it names a type of the shared crate.
    pub uses_shared: bool,
}

/// A crate's `lib.rs`: its docs and what its files take from elsewhere (at the crate root, where
/// they name it: `crate::rt`, `crate::consts`). The types are in the `types` module, whose files
/// `cargo fmt` must leave alone (the generator formats them), so this file is all it formats.
pub fn lib_rs(krate: &str, modules: &BTreeMap<&str, Module>) -> TokenStream {
    let shared = krate == SHARED;
    let docs = match shared {
        true => " Types of the OpenAI API that several of its areas need, and its constant strings: part of `openai-sdk`, which re-exports them as `openai_sdk::types` and `openai_sdk::consts`. Generated from the API's OpenAPI spec.".to_owned(),
        false => format!(" Types of the OpenAI API that only its `{krate}` area needs: part of `openai-sdk`, which re-exports them as `openai_sdk::types` with its `{krate}` feature. Generated from the API's OpenAPI spec."),
    };
    let needs = |name: &str| modules.values().any(|m| m.needs.names.contains(name));
    let runtime: Vec<Ident> = ["Extra", "InputFile", "Nullable", "rt"]
        .into_iter()
        .filter(|n| needs(n))
        .map(ident)
        .collect();
    let runtime = match (runtime.as_slice(), shared) {
        ([], _) => quote!(),
        // Which of them the compiled modules use depends on the features on.
        (names, true) => quote!(#[allow(unused_imports)] use openai_sdk_runtime::{#(#names),*};),
        ([one], false) => quote!(use openai_sdk_runtime::#one;),
        (names, false) => quote!(use openai_sdk_runtime::{#(#names),*};),
    };
    let consts = match shared {
        true => quote! {
            /// The spec's constant strings; `openai_sdk::consts` shows them.
            #[doc(hidden)]
            #[rustfmt::skip]
            pub mod consts;
        },
        false if needs("consts") => {
            let lib = lib(SHARED);
            quote!(use #lib::consts;)
        }
        false => quote!(),
    };
    // With no area on, no module of the shared crate is compiled.
    let reexport = match shared {
        true => quote!(
            #[allow(unused_imports)]
            pub use self::types::*;
        ),
        false => quote!(
            pub use self::types::*;
        ),
    };
    quote! {
        #![doc = #docs]
        #runtime
        #consts
        #[rustfmt::skip]
        mod types;
        #reexport
    }
}

/// A crate's `types` module: each module of types, re-exported. In the shared crate a module is
/// compiled with the features that need its types. An area crate's files name shared types as
/// they name their own, `super::Name`, through a glob of the shared crate here.
pub fn types_rs(krate: &str, modules: &BTreeMap<&str, Module>) -> TokenStream {
    let shared = krate == SHARED;
    let glob = match shared || !modules.values().any(|m| m.uses_shared) {
        true => quote!(),
        false => {
            let lib = lib(SHARED);
            quote!(use #lib::*;)
        }
    };
    let mods = modules.iter().map(|(module, m)| {
        let cfg = match shared {
            true => super::cfg_any(m.features.iter().copied()),
            false => quote!(),
        };
        let module = ident(module);
        quote! {
            #cfg mod #module;
            #cfg pub use self::#module::*;
        }
    });
    quote! {
        #glob
        #(#mods)*
    }
}

/// `openai_sdk::types`: every type crate's types, an area's under its feature.
pub fn sdk_types(layout: &Layout) -> TokenStream {
    let areas = layout.keys().filter(|k| **k != SHARED).map(|area| {
        let lib = lib(area);
        quote!(#[cfg(feature = #area)] pub use #lib::*;)
    });
    let shared = lib(SHARED);
    quote! {
        //! One type per component schema of the spec, with the inline schemas it contains.
        pub use #shared::*;
        #(#areas)*
    }
}

/// The `consts` module of the SDK: the shared crate's, under the SDK's name.
pub fn sdk_consts() -> TokenStream {
    let shared = lib(SHARED);
    quote! {
        //! Constant strings of the spec (`"chat.completion"`, discriminator values), one type
        //! each: a [`Const`](crate::Const) that `Default` fills in, so requests never need them
        //! spelled out.
        pub use #shared::consts::*;
    }
}

/// A type crate's `Cargo.toml`. The shared crate has a feature per area that needs some of its
/// types; an area crate turns its own on.
pub fn manifest(krate: &str, shared_features: &BTreeSet<&str>) -> String {
    let mut out = format!(
        "{}\n[package]\nname = \"{}\"\nversion = \"{VERSION}\"\nedition.workspace = true\nlicense.workspace = true\n",
        super::MANIFEST_HEADER,
        package(krate)
    );
    let description = match krate {
        SHARED => {
            "Types of the OpenAI API that several areas need, for the openai-sdk crate.".to_owned()
        }
        area => format!("Types of the OpenAI API's `{area}` area, for the openai-sdk crate."),
    };
    out.push_str(&format!("description = \"{description}\"\n"));
    if krate == SHARED && !shared_features.is_empty() {
        out.push_str("\n[features]\n");
        for f in shared_features {
            out.push_str(&format!("{f} = []\n"));
        }
    }
    out.push_str("\n[dependencies]\nopenai-sdk-runtime.workspace = true\n");
    if krate != SHARED {
        let features = match shared_features.contains(krate) {
            true => format!(", features = [\"{krate}\"]"),
            false => String::new(),
        };
        out.push_str(&format!(
            "{} = {{ path = \"../{SHARED}\", version = \"{VERSION}\"{features} }}\n",
            package(SHARED)
        ));
    }
    out.push_str("serde.workspace = true\nserde_json.workspace = true\n");
    out
}

/// The generated regions of `sdk/Cargo.toml`: each feature with the type crate and the shared
/// types it turns on, and the type crates as dependencies (an area's optional).
pub fn sdk_manifest(
    features: &[String],
    layout: &Layout,
    shared_features: &BTreeSet<&str>,
) -> (String, String) {
    let quoted: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
    let mut feature_lines = format!("full = [{}]\n", quoted.join(", "));
    for f in features {
        let mut on = Vec::new();
        if layout.contains_key(f.as_str()) {
            on.push(format!("\"dep:{}\"", package(f)));
        }
        if shared_features.contains(f.as_str()) {
            on.push(format!("\"{}/{f}\"", package(SHARED)));
        }
        feature_lines.push_str(&format!("{f} = [{}]\n", on.join(", ")));
    }
    let mut deps = String::new();
    let shared_first =
        std::iter::once(SHARED).chain(layout.keys().copied().filter(|k| *k != SHARED));
    for krate in shared_first {
        let optional = match krate {
            SHARED => "",
            _ => ", optional = true",
        };
        deps.push_str(&format!(
            "{} = {{ path = \"../{TYPES_DIR}/{krate}\", version = \"{VERSION}\"{optional} }}\n",
            package(krate)
        ));
    }
    (feature_lines, deps)
}
