//! `upload_file_chunked` (see `lower::chunked_upload`): the runtime's `crate::ChunkedUpload`
//! given the three calls it makes, as closures over a clone of the client.

use super::resources::struct_name;
use super::types::{At, ident, type_path};
use crate::ir::{ChunkedUpload, Operation, ResponseKind};
use proc_macro2::TokenStream;
use quote::quote;

/// The method, beside `create`; `part` and `complete` are the operations `upload` names.
pub(super) fn method(
    create: &Operation,
    upload: &ChunkedUpload,
    part: &Operation,
    complete: &Operation,
) -> Option<TokenStream> {
    let ResponseKind::Json(object) = &create.response else {
        return None;
    };
    let object = type_path(object, At::Sdk);
    let body = type_path(&create.body.as_ref()?.1, At::Sdk);
    let part_body = type_path(&part.body.as_ref()?.1, At::Sdk);
    let complete_body = type_path(&complete.body.as_ref()?.1, At::Sdk);
    let handle = |op: &Operation| {
        let node = struct_name(&op.resource);
        let method = ident(&op.name);
        quote!(crate::resources::#node { client: &client }.#method)
    };
    let (create_call, part_call, complete_call) = (handle(create), handle(part), handle(complete));
    // Operations taking query parameters get none.
    let query = |op: &Operation| op.query.as_ref().map(|_| quote!(, &Default::default()));
    let (create_query, part_query, complete_query) = (query(create), query(part), query(complete));
    let (size, name, data, ids) = (
        ident(&upload.size),
        ident(&upload.name),
        ident(&upload.data),
        ident(&upload.ids),
    );
    let doc = format!(
        " Uploads a file of any size in parts, as openai-python's `upload_file_chunked`: \
         [`{create}`](Self::{create}) with the file's size (and its name, when `{name}` is \
         empty), each part (64 MiB unless `.part_size(..)` says otherwise, a few at a time, each \
         retried as any call), then the parts' ids in order to complete it. Memory holds the parts \
         in flight, not the file.",
        create = create.name,
        name = upload.name,
    );
    let gate = super::polling::gate(create, &[part, complete]);
    Some(quote! {
        #gate
        #[doc = #doc]
        pub fn upload_file_chunked(
            &self,
            file: impl Into<crate::ChunkSource>,
            body: &#body,
        ) -> crate::ChunkedUpload<#object> {
            let body = body.clone();
            let client = self.client().clone();
            let create = {
                let client = client.clone();
                move |size: u64, name: &str| {
                    let mut body = body;
                    body.#size = size as i64;
                    if body.#name.is_empty() {
                        body.#name = name.to_owned();
                    }
                    #create_call(&body #create_query)
                }
            };
            let part = {
                let client = client.clone();
                move |id: &str, #data: crate::InputFile| {
                    crate::ChunkedUpload::<#object>::part(#part_call(
                        id,
                        &#part_body { #data, ..Default::default() }
                        #part_query
                    ))
                }
            };
            let complete = move |id: &str, #ids: Vec<String>| {
                #complete_call(id, &#complete_body { #ids, ..Default::default() } #complete_query)
            };
            crate::ChunkedUpload::new(file.into(), create, part, complete)
        }
    })
}
