//! Waiting for the API to finish: an object the API works on in the background (a batch, a run, a
//! vector store file, a video) has a `status`, and its `GET` tells how far it got. Such a `GET`
//! gets a `poll` sibling that asks again until the status says the work is over, and the `POST`
//! that makes the object (at the path above the `GET`'s) a `create_and_poll`, as the official SDKs
//! have them (`runs.create_and_poll`, `vector_stores.files.poll`, `videos.create_and_poll`).
//!
//! Which values mean "still working" is not in the spec. It is the words the API uses for that,
//! the same across its objects; a `status` enum with none of them gets no `poll`.

use crate::ir::{
    BodyKind, FileIds, Operation, Polling, ResponseKind, TypeDef, TypeKind, TypeRef, UploadThen,
};
use std::collections::BTreeMap;

/// Status values that mean the API is still working on the object: queued, running, or in one of
/// its steps (a batch `validating` or `finalizing`, a fine-tuning job `validating_files`, a run
/// `cancelling`); a file `uploaded` is waiting to be processed. Not `pending`, which the API uses
/// for what waits on its caller (an upload's parts, an invite's answer).
const WORKING: &[&str] = &[
    "queued",
    "in_progress",
    "running",
    "processing",
    "validating",
    "validating_files",
    "finalizing",
    "cancelling",
    "uploaded",
];

pub(super) fn find(operations: &mut [Operation], types: &BTreeMap<String, TypeDef>) {
    for i in 0..operations.len() {
        let Some(polling) = polling(&operations[i], types) else {
            continue;
        };
        let get = &operations[i];
        let (id, path, params) = (get.id.clone(), get.path.clone(), get.path_params.len());
        let object = get.response.clone();
        operations[i].polling = Some(polling);
        // The `POST` making the object, one path parameter up.
        for maker in operations.iter_mut() {
            let above = path
                .strip_prefix(&format!("{}/{{", maker.path))
                .is_some_and(|rest| rest.ends_with('}') && !rest.contains('/'));
            if maker.method == "POST"
                && above
                && maker.response == object
                && maker.path_params.len() + 1 == params
            {
                maker.creates_polled = Some(id.clone());
            }
        }
    }
    // A maker taking file ids also uploads the files (`upload_and_poll`).
    let Some(upload) = file_upload(operations, types) else {
        return;
    };
    for maker in operations.iter_mut() {
        if maker.creates_polled.is_some() {
            maker.uploads_then = file_ids(maker, types).map(|(field, ids)| UploadThen {
                upload: upload.clone(),
                field,
                ids,
            });
        }
    }
}

/// The operation uploading a file and answering an object with its id: the one `POST` without
/// path parameters whose multipart body has a required binary `file` and a `purpose`
/// (`POST /files`).
fn file_upload(operations: &[Operation], types: &BTreeMap<String, TypeDef>) -> Option<String> {
    let uploads: Vec<&Operation> = operations
        .iter()
        .filter(|op| {
            let Some((BodyKind::Multipart | BodyKind::JsonOrMultipart, body)) = &op.body else {
                return false;
            };
            let Some(TypeKind::Struct(body)) =
                super::named_type(body).and_then(|b| Some(&types.get(b)?.kind))
            else {
                return false;
            };
            op.method == "POST"
                && op.path_params.is_empty()
                && matches!(op.response, ResponseKind::Json(_))
                && body
                    .fields
                    .iter()
                    .any(|f| f.wire == "file" && f.required && f.ty == TypeRef::Binary)
                && body.fields.iter().any(|f| f.wire == "purpose")
        })
        .collect();
    match uploads.as_slice() {
        [one] => Some(one.id.clone()),
        _ => None,
    }
}

/// The field of `maker`'s body taking uploaded files' ids: `file_id`, or a list `file_ids`.
fn file_ids(maker: &Operation, types: &BTreeMap<String, TypeDef>) -> Option<(String, FileIds)> {
    let (_, body) = maker.body.as_ref()?;
    let TypeKind::Struct(body) = &types.get(super::named_type(body)?)?.kind else {
        return None;
    };
    let list = TypeRef::Array(Box::new(TypeRef::String));
    body.fields.iter().find_map(|f| {
        let ids = match f.wire.as_str() {
            "file_id" if f.required && f.ty == TypeRef::String => FileIds::One,
            "file_ids" if f.ty == list && !f.nullable => FileIds::Many {
                optional: !f.required,
            },
            _ => return None,
        };
        Some((f.name.clone(), ids))
    })
}

/// How to poll the object `op` gets, if it is a `GET` of one object with a status that can say
/// the API is still working.
fn polling(op: &Operation, types: &BTreeMap<String, TypeDef>) -> Option<Polling> {
    if op.method != "GET" || !op.path.ends_with('}') || op.body.is_some() {
        return None;
    }
    let ResponseKind::Json(TypeRef::Named(object)) = &op.response else {
        return None;
    };
    let TypeKind::Struct(object) = &types.get(object)?.kind else {
        return None;
    };
    let status = object.fields.iter().find(|f| f.wire == "status")?;
    let TypeKind::Enum(values) = &types.get(super::named_type(&status.ty)?)?.kind else {
        return None;
    };
    let working: Vec<String> = values
        .variants
        .iter()
        .map(|v| v.value.clone())
        .filter(|v| WORKING.contains(&v.as_str()))
        .collect();
    (!working.is_empty()).then(|| Polling {
        status: status.name.clone(),
        working,
    })
}
