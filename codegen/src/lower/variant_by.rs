//! Answers whose shape the request decides: a union answer whose variants a field of the request
//! names, one value each (a transcription's `response_format`: `json`, `verbose_json`,
//! `diarized_json` for the variants `CreateTranscriptionResponseJson`, `…VerboseJson`,
//! `…DiarizedJson`). The answer is decoded as the variant the request asked for, rather than as
//! whichever variant its keys fit best (a verbose transcription has every key the diarized one
//! requires).
//!
//! Values of the field that name no variant (`text`, `srt`, `vtt`) ask for an answer the spec does
//! not describe as JSON; the server sends it as `text/plain`. The union gets a variant for that
//! text, unless it has one that takes a string already.

use super::named_type as named;
use crate::ir::{
    Docs, Operation, ResponseKind, Shape, TypeDef, TypeKind, TypeRef, UnionVariant, VariantBy,
};
use heck::ToSnakeCase;
use std::collections::BTreeMap;

/// Finds the field that decides each operation's answer, and gives its union a text variant
/// where the field can ask for text.
pub(super) fn decide(operations: &mut [Operation], types: &mut BTreeMap<String, TypeDef>) {
    for op in operations.iter_mut() {
        let Some(found) = deciding_field(op, types) else {
            continue;
        };
        let (by, unmatched, answer) = found;
        if !unmatched.is_empty() {
            add_text_variant(types, &answer, &unmatched);
        }
        op.variant_by = Some(by);
    }
}

/// The field of `op`'s body whose values name every variant of its union answer, the values that
/// name none, and the union's name.
fn deciding_field(
    op: &Operation,
    types: &BTreeMap<String, TypeDef>,
) -> Option<(VariantBy, Vec<String>, String)> {
    let Some((_, TypeRef::Named(body))) = &op.body else {
        return None;
    };
    let ResponseKind::Json(TypeRef::Named(answer)) = &op.response else {
        return None;
    };
    let TypeKind::Union(union) = &types.get(answer)?.kind else {
        return None;
    };
    let TypeKind::Struct(body) = &types.get(body)?.kind else {
        return None;
    };
    let names = distinct_names(&union.variants)?;
    body.fields.iter().find_map(|field| {
        let TypeKind::Enum(values) = &types.get(named(&field.ty)?)?.kind else {
            return None;
        };
        let mut mapping = Vec::new();
        let mut unmatched = Vec::new();
        for v in &values.variants {
            match names.iter().position(|n| *n == v.value) {
                Some(i) => mapping.push((v.value.clone(), i)),
                None => unmatched.push(v.value.clone()),
            }
        }
        // Every variant named, each by one value.
        let mut named: Vec<usize> = mapping.iter().map(|(_, i)| *i).collect();
        named.sort_unstable();
        named.dedup();
        if named.len() != names.len() || mapping.len() != names.len() {
            return None;
        }
        let default = values.default.map(|i| values.variants[i].value.clone());
        let by = VariantBy {
            field: field.wire.clone(),
            values: mapping,
            default,
        };
        Some((by, unmatched, answer.clone()))
    })
}

/// What tells the variants' types apart: their snake-case names less the words all of them
/// start with (`create_transcription_response_verbose_json` → `verbose_json`). `None` unless there
/// are two or more, each a named type, each with words of its own.
fn distinct_names(variants: &[UnionVariant]) -> Option<Vec<String>> {
    let words: Vec<Vec<String>> = variants
        .iter()
        .map(|v| {
            Some(
                named(&v.ty)?
                    .to_snake_case()
                    .split('_')
                    .map(str::to_owned)
                    .collect(),
            )
        })
        .collect::<Option<_>>()?;
    if words.len() < 2 {
        return None;
    }
    let shared = (0..)
        .take_while(|&i| {
            words
                .iter()
                .all(|w| w.len() > i + 1 && w.get(i) == words[0].get(i))
        })
        .count();
    Some(words.iter().map(|w| w[shared..].join("_")).collect())
}

/// Appends a variant holding the answer as text to the union `name`, unless a variant takes a
/// string already.
fn add_text_variant(types: &mut BTreeMap<String, TypeDef>, name: &str, formats: &[String]) {
    let Some(TypeKind::Union(union)) = types.get_mut(name).map(|t| &mut t.kind) else {
        return;
    };
    if union
        .variants
        .iter()
        .any(|v| matches!(v.shape, Shape::String | Shape::Any))
    {
        return;
    }
    let taken = |n: &str| union.variants.iter().any(|v| v.name == n);
    let variant = if taken("Text") { "PlainText" } else { "Text" };
    let formats = formats
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    union.variants.push(UnionVariant {
        name: variant.to_owned(),
        ty: TypeRef::String,
        shape: Shape::String,
        docs: Docs {
            description: Some(format!(
                "The answer as text, sent as `text/plain` when the request asks for a format \
                 that is not JSON ({formats})."
            )),
            ..Docs::default()
        },
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(ty: &str) -> UnionVariant {
        UnionVariant {
            name: ty.to_owned(),
            ty: TypeRef::Named(ty.to_owned()),
            shape: Shape::Any,
            docs: Docs::default(),
        }
    }

    #[test]
    fn variants_are_told_apart_by_the_words_they_do_not_share() {
        let names =
            |tys: &[&str]| distinct_names(&tys.iter().map(|t| variant(t)).collect::<Vec<_>>());
        assert_eq!(
            names(&[
                "CreateTranscriptionResponseJson",
                "CreateTranscriptionResponseDiarizedJson",
                "CreateTranscriptionResponseVerboseJson"
            ]),
            Some(vec![
                "json".into(),
                "diarized_json".into(),
                "verbose_json".into()
            ])
        );
        // One name is the other's start: each keeps a word at least.
        assert_eq!(
            names(&["TranslationResponse", "TranslationResponseVerbose"]),
            Some(vec!["response".into(), "response_verbose".into()])
        );
        assert_eq!(names(&["Only"]), None);
    }
}
