//! `cargo xtask diff` on each consecutive pair of real spec versions (`spec/history`), against
//! facts this test reads from the documents itself: which operationIds and component schemas
//! each has. The report must list exactly the set differences as added and removed, never an
//! item in two lists, and flag every removal as breaking.

use openai_codegen::diff::{self, report};
use openai_codegen::value::Value as Doc;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn history() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/history");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

/// Operation ids and component names, read from the document as a plain tree. An operation
/// without an `operationId` goes by the name the generator gives it (its method and path, as
/// the README's fallback table says).
fn facts(doc: &Doc) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut ops = BTreeSet::new();
    for (path, item) in doc
        .get("paths")
        .and_then(Doc::as_object)
        .into_iter()
        .flatten()
    {
        let path = path.split('?').next().unwrap_or_default();
        for method in ["get", "put", "post", "delete", "patch"] {
            let Some(op) = item.get(method) else {
                continue;
            };
            let id = match op.get("operationId").and_then(Doc::as_str) {
                Some(id) => id.to_owned(),
                None => openai_codegen::lower::field_name(&format!("{method} {path}")),
            };
            ops.insert(id);
        }
    }
    let schemas = doc
        .pointer("#/components/schemas")
        .and_then(Doc::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    (ops, schemas)
}

fn names(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_owned())
        .collect()
}

fn owned(set: BTreeSet<&String>) -> BTreeSet<String> {
    set.into_iter().cloned().collect()
}

#[test]
fn each_consecutive_pair_reports_exactly_what_was_added_and_removed() {
    let files = history();
    assert!(files.len() >= 2, "spec/history holds {} specs", files.len());
    for pair in files.windows(2) {
        let (old_text, new_text) = (
            std::fs::read_to_string(&pair[0]).unwrap(),
            std::fs::read_to_string(&pair[1]).unwrap(),
        );
        let (old_ops, old_schemas) = facts(&openai_codegen::load::load(&old_text).unwrap().root);
        let (new_ops, new_schemas) = facts(&openai_codegen::load::load(&new_text).unwrap().root);

        let found = diff::diff(&old_text, &new_text).unwrap();
        let json: Value = serde_json::from_str(&report::json(&found, "old", "new")).unwrap();
        let file = |p: &PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
        let label = format!("{} → {}", file(&pair[0]), file(&pair[1]));
        for (kind, old, new) in [
            ("operations", &old_ops, &new_ops),
            ("schemas", &old_schemas, &new_schemas),
        ] {
            let added = names(&json[kind]["added"]);
            let removed = names(&json[kind]["removed"]);
            let changed = names(&json[kind]["changed"]);
            assert_eq!(
                added,
                owned(new.difference(old).collect()),
                "{label}: added {kind}"
            );
            assert_eq!(
                removed,
                owned(old.difference(new).collect()),
                "{label}: removed {kind}"
            );
            let both = owned(old.intersection(new).collect());
            assert!(changed.is_subset(&both), "{label}: changed {kind}");
            // Removing something breaks whoever used it.
            let breaking: Vec<&str> = json["breaking"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b.as_str().unwrap())
                .collect();
            for name in &removed {
                assert!(
                    breaking
                        .iter()
                        .any(|b| b.contains(&format!("`{name}` removed"))),
                    "{label}: removing {name} is not flagged as breaking"
                );
            }
            // Every name listed has its Rust item in the details.
            for name in added.iter().chain(&removed).chain(&changed) {
                assert!(
                    json["details"][kind][name]["rust"].is_string(),
                    "{label}: no Rust item for {name}"
                );
            }
        }

        let markdown = report::markdown(&found, "old", "new");
        assert!(
            markdown.contains(&format!(
                "- Operations: {} added, {} removed",
                found.operations.added.len(),
                found.operations.removed.len()
            )),
            "{markdown}"
        );
        println!(
            "{label}: operations +{} -{} ~{}, schemas +{} -{} ~{}, {} breaking; names moved with their schema unchanged: {} types, {} methods",
            found.operations.added.len(),
            found.operations.removed.len(),
            found.operations.changed.len(),
            found.schemas.added.len(),
            found.schemas.removed.len(),
            found.schemas.changed.len(),
            found.breaking.len(),
            found.moved_types.len(),
            found.moved_methods.len(),
        );
    }
}

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

#[test]
fn field_enum_and_operation_changes_are_reported_and_judged() {
    let old = format!(
        "{HEAD}paths:\n  /things:\n    post:\n      operationId: createThing\n      requestBody: {{content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing'}}}}}}}}\n      responses: {{'200': {{description: ok}}}}\n  /things/{{id}}:\n    delete:\n      operationId: deleteThing\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n      responses: {{'200': {{description: ok}}}}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        name: {{type: string}}\n        size: {{type: integer}}\n        color: {{type: string, enum: [red, blue]}}\n    Gone: {{type: string}}\n"
    );
    let new = format!(
        "{HEAD}paths:\n  /things:\n    post:\n      operationId: createThing\n      requestBody: {{content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing'}}}}}}}}\n      responses: {{'200': {{description: ok}}}}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      required: [owner]\n      properties:\n        name: {{type: string}}\n        size: {{type: string}}\n        color: {{type: string, enum: [red, green]}}\n        owner: {{type: string}}\n    New: {{type: string}}\n"
    );
    let found = diff::diff(&old, &new).unwrap();
    assert_eq!(found.operations.removed[0].name, "deleteThing");
    assert_eq!(found.operations.removed[0].rust, "client.things().delete()");
    assert_eq!(found.schemas.added[0].name, "New");
    assert_eq!(found.schemas.removed[0].name, "Gone");
    let thing = &found.schemas.changed[0];
    assert_eq!(thing.name, "Thing");
    let said: Vec<(&str, bool)> = thing
        .changes
        .iter()
        .map(|c| (c.text.as_str(), c.breaking))
        .collect();
    for expected in [
        ("field `Thing.size`: `Option<i64>` → `Option<String>`", true),
        ("enum value `Thing.color::\"blue\"` removed", true),
        ("enum value `Thing.color::\"green\"` added", false),
        // `Thing` is a request body: a new required field breaks callers.
        ("required field `Thing.owner: String` added", true),
    ] {
        assert!(said.contains(&expected), "{expected:?} not in {said:#?}");
    }
    assert!(
        found
            .breaking
            .iter()
            .any(|b| b.contains("operation `deleteThing` removed")),
        "{:?}",
        found.breaking
    );
}

#[test]
fn a_name_taken_by_a_new_schema_counts_as_moved() {
    // `Holder.kind` is an inline enum named `HolderKind`; a new component of that name takes it,
    // and the inline enum, unchanged, is renamed: what the stability count exists to catch.
    let schemas = "components:\n  schemas:\n    Holder:\n      type: object\n      properties:\n        kind: {type: string, enum: [a, b]}\n";
    let old = format!("{HEAD}paths: {{}}\n{schemas}");
    let new = format!(
        "{HEAD}paths: {{}}\n{schemas}    HolderKind: {{type: object, properties: {{x: {{type: string}}}}}}\n"
    );
    let found = diff::diff(&old, &new).unwrap();
    assert_eq!(found.moved_types.len(), 1, "{:?}", found.moved_types);
    assert_eq!(found.moved_types[0].old, "HolderKind");
    assert_ne!(found.moved_types[0].new, "HolderKind");
    // Nothing moves between a spec and itself.
    let same = diff::diff(&old, &old).unwrap();
    assert!(same.moved_types.is_empty() && same.breaking.is_empty());
}
