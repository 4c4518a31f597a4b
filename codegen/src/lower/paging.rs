//! Which list operations page, and how: read from the shape of each list response (a `data`
//! array plus `has_more`, `last_id`, `next` or `next_page`) and the cursor parameter it takes
//! (`after` or `page`), never from operation names.

use crate::ir::{Operation, Paging, PagingStyle, ResponseKind, TypeDef, TypeKind, TypeRef};
use crate::warning::{Warning, WarningKind};
use std::collections::BTreeMap;

fn struct_fields<'a>(
    types: &'a BTreeMap<&str, &TypeDef>,
    name: &str,
) -> Option<&'a [crate::ir::Field]> {
    match &types.get(name)?.kind {
        TypeKind::Struct(s) => Some(&s.fields),
        TypeKind::Alias(TypeRef::Named(target)) => struct_fields(types, target),
        _ => None,
    }
}

/// The Rust name of `item`'s string `id` field, if it has one.
fn id_field(types: &BTreeMap<&str, &TypeDef>, item: &TypeRef) -> Option<String> {
    let TypeRef::Named(name) = item else {
        return None;
    };
    let id = struct_fields(types, name)?
        .iter()
        .find(|f| f.wire == "id")?;
    matches!(&id.ty, TypeRef::String).then(|| id.name.clone())
}

/// Sets `paging` on every GET operation that takes a cursor; an operation that takes one but
/// whose response cannot be read as pages gets no paginator, and a warning.
pub fn classify(operations: &mut [Operation], types: &[TypeDef], warnings: &mut Vec<Warning>) {
    let types: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    for op in operations.iter_mut().filter(|op| op.method == "GET") {
        let Some(params) = op.query.as_deref().and_then(|q| struct_fields(&types, q)) else {
            continue;
        };
        let Some(param) = params
            .iter()
            .find(|f| f.wire == "after" || f.wire == "page")
        else {
            continue;
        };
        let mut fail = |why: &str| {
            warnings.push(Warning::new(
                WarningKind::Paging,
                format!("operation {} ({} {})", op.id, op.method, op.path),
                format!(
                    "takes a `{}` cursor but {why}: no paginator for it",
                    param.wire
                ),
            ))
        };
        let ResponseKind::Json(TypeRef::Named(response)) = &op.response else {
            fail("does not answer a JSON object");
            continue;
        };
        let Some(fields) = struct_fields(&types, response) else {
            fail("its response is not an object");
            continue;
        };
        let field = |wire: &str| fields.iter().find(|f| f.wire == wire);
        let Some(data) = field("data") else {
            fail("its response has no `data` list");
            continue;
        };
        let TypeRef::Array(item) = &data.ty else {
            fail("its response's `data` is not a list");
            continue;
        };
        let (style, cursor) = match (
            param.wire.as_str(),
            field("next_page"),
            field("next"),
            field("last_id"),
            field("has_more"),
        ) {
            ("page", Some(next_page), ..) => (PagingStyle::NextPage, Some(next_page)),
            ("after", _, Some(next), ..) => (PagingStyle::Next, Some(next)),
            ("after", _, None, Some(last_id), _) => (PagingStyle::LastId, Some(last_id)),
            ("after", _, None, None, Some(_)) => (PagingStyle::ItemId, None),
            _ => {
                fail(
                    "its response has none of `has_more`, `last_id`, `next`, `next_page` to page by",
                );
                continue;
            }
        };
        op.paging = Some(Paging {
            style,
            param: param.name.clone(),
            data: data.name.clone(),
            has_more: field("has_more").map(|f| f.name.clone()),
            cursor: cursor.map(|f| f.name.clone()),
            item: item.as_ref().clone(),
            item_id: id_field(&types, item),
        });
    }
}
