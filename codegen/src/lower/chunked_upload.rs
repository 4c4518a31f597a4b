//! Uploads in parts: a resource whose `POST` makes an upload of a given size (`bytes`, with a
//! `filename`), with a `POST …/{id}/parts` taking one part of the file as multipart and a
//! `POST …/{id}/complete` taking the parts' ids (`part_ids`), as the Uploads API has them. The
//! creating operation gets `upload_file_chunked`, which runs the three for a file of any size, a
//! bounded number of parts at a time (openai-python's `upload_file_chunked`).

use super::named_type;
use crate::ir::{BodyKind, ChunkedUpload, Operation, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

pub(super) fn find(operations: &mut [Operation], types: &BTreeMap<String, TypeDef>) {
    let found: Vec<(usize, ChunkedUpload)> = operations
        .iter()
        .enumerate()
        .filter_map(|(i, create)| Some((i, chunked(create, operations, types)?)))
        .collect();
    for (i, upload) in found {
        operations[i].chunked_upload = Some(upload);
    }
}

fn chunked(
    create: &Operation,
    operations: &[Operation],
    types: &BTreeMap<String, TypeDef>,
) -> Option<ChunkedUpload> {
    let fields = |ty: &TypeRef| match &types.get(named_type(ty)?)?.kind {
        TypeKind::Struct(s) => Some(&s.fields),
        _ => None,
    };
    // The Rust name of a required field of this wire name and type.
    let required = |fields: &[crate::ir::Field], wire: &str, ty: TypeRef| {
        fields
            .iter()
            .find(|f| f.wire == wire && f.required && !f.nullable && f.ty == ty)
            .map(|f| f.name.clone())
    };
    if create.method != "POST" || !create.path_params.is_empty() {
        return None;
    }
    let (BodyKind::Json, body) = create.body.as_ref()? else {
        return None;
    };
    let body = fields(body)?;
    let size = required(body, "bytes", TypeRef::Integer)?;
    let name = required(body, "filename", TypeRef::String)?;
    // `…/{upload_id}/parts` and `…/{upload_id}/complete`, below the creating path.
    let below = |op: &&Operation, last: &str| {
        op.method == "POST"
            && op.path_params.len() == 1
            && op
                .path
                .strip_prefix(&format!("{}/{{", create.path))
                .is_some_and(|rest| {
                    rest.split_once('}').is_some_and(|(param, tail)| {
                        !param.contains('/') && tail == format!("/{last}")
                    })
                })
    };
    let part = operations.iter().find(|op| below(op, "parts"))?;
    let complete = operations.iter().find(|op| below(op, "complete"))?;
    let (BodyKind::Multipart, part_body) = part.body.as_ref()? else {
        return None;
    };
    let data: Vec<_> = fields(part_body)?
        .iter()
        .filter(|f| f.ty == TypeRef::Binary && f.required)
        .collect();
    let [data] = data.as_slice() else {
        return None;
    };
    let (BodyKind::Json, complete_body) = complete.body.as_ref()? else {
        return None;
    };
    let ids = TypeRef::Array(Box::new(TypeRef::String));
    let ids = required(fields(complete_body)?, "part_ids", ids)?;
    if complete.response != create.response {
        return None;
    }
    Some(ChunkedUpload {
        part: part.id.clone(),
        complete: complete.id.clone(),
        data: data.name.clone(),
        size,
        name,
        ids,
    })
}
