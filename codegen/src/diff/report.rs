//! A [`Diff`] as Markdown (a pull-request comment, a CHANGELOG entry) or as JSON (for tools).

use super::{Changes, Diff, Moved};
use crate::value::Value;
use indexmap::IndexMap;

/// Lists longer than this fold into a `<details>` block, so a report stays readable in a
/// pull-request comment.
const FOLD: usize = 15;

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The report in Markdown, titled with the two specs' labels (file names, say).
pub fn markdown(diff: &Diff, old: &str, new: &str) -> String {
    let mut out = format!("# API changes: `{old}` → `{new}`\n\n");
    let ops = &diff.operations;
    let types = &diff.schemas;
    out.push_str(&format!(
        "- Operations: {} added, {} removed, {} changed\n- Schemas: {} added, {} removed, {} changed\n- **Breaking for SDK users: {}**\n- Names that moved although their schema did not: {} types, {} methods\n",
        ops.added.len(),
        ops.removed.len(),
        ops.changed.len(),
        types.added.len(),
        types.removed.len(),
        types.changed.len(),
        diff.breaking.len(),
        diff.moved_types.len(),
        diff.moved_methods.len(),
    ));
    if !diff.breaking.is_empty() {
        out.push_str("\n## Breaking changes\n\n");
        list(
            &mut out,
            &diff
                .breaking
                .iter()
                .map(|b| format!("- {b}"))
                .collect::<Vec<_>>(),
        );
    }
    section(&mut out, "Operations", ops, "operationId");
    section(&mut out, "Schemas", types, "schema");
    if !diff.moved_types.is_empty() || !diff.moved_methods.is_empty() {
        out.push_str("\n## Names that moved\n\nTheir schema is the same in both specs, yet their Rust name changed.\n\n");
        let rows: Vec<String> = diff
            .moved_types
            .iter()
            .chain(&diff.moved_methods)
            .map(|m| format!("- `{}` → `{}` (`{}`)", m.old, m.new, m.pointer))
            .collect();
        list(&mut out, &rows);
    }
    out
}

fn section(out: &mut String, title: &str, changes: &Changes, key: &str) {
    if changes.added.is_empty() && changes.removed.is_empty() && changes.changed.is_empty() {
        return;
    }
    out.push_str(&format!("\n## {title}\n"));
    for (what, items) in [("Added", &changes.added), ("Removed", &changes.removed)] {
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {what} ({})\n\n", items.len()));
        let mut rows = vec![format!("| {key} | Rust |"), "|---|---|".to_owned()];
        for item in items {
            let route = item
                .route
                .as_ref()
                .map(|r| format!(" (`{r}`)"))
                .unwrap_or_default();
            rows.push(format!("| `{}`{route} | `{}` |", item.name, item.rust));
        }
        list(out, &rows);
    }
    if !changes.changed.is_empty() {
        out.push_str(&format!("\n### Changed ({})\n\n", changes.changed.len()));
        let mut rows = Vec::new();
        for changed in &changes.changed {
            rows.push(format!("- `{}` (`{}`)", changed.name, changed.rust));
            for change in &changed.changes {
                let mark = if change.breaking {
                    " **(breaking)**"
                } else {
                    ""
                };
                rows.push(format!("  - {}{mark}", change.text));
            }
        }
        list(out, &rows);
    }
}

/// Lines, folded under a summary when there are many.
fn list(out: &mut String, rows: &[String]) {
    let fold = rows.len() > FOLD;
    if fold {
        out.push_str(&format!(
            "<details><summary>{}</summary>\n\n",
            count(rows.len(), "line", "lines")
        ));
    }
    for row in rows {
        out.push_str(row);
        out.push('\n');
    }
    if fold {
        out.push_str("\n</details>\n");
    }
}

fn strings(items: impl IntoIterator<Item = String>) -> Value {
    Value::Array(items.into_iter().map(Value::String).collect())
}

fn object(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<IndexMap<_, _>>(),
    )
}

/// `{"added": [names], "removed": [names], "changed": [names]}`, and the details by name.
fn changes_json(changes: &Changes) -> (Value, Value) {
    let names = |items: &[super::Item]| strings(items.iter().map(|i| i.name.clone()));
    let lists = object(vec![
        ("added", names(&changes.added)),
        ("removed", names(&changes.removed)),
        (
            "changed",
            strings(changes.changed.iter().map(|c| c.name.clone())),
        ),
    ]);
    let mut details = IndexMap::new();
    for item in changes.added.iter().chain(&changes.removed) {
        let mut fields = vec![("rust", Value::String(item.rust.clone()))];
        if let Some(route) = &item.route {
            fields.push(("route", Value::String(route.clone())));
        }
        details.insert(item.name.clone(), object(fields));
    }
    for changed in &changes.changed {
        let list = changed
            .changes
            .iter()
            .map(|c| {
                object(vec![
                    ("change", Value::String(c.text.clone())),
                    ("breaking", Value::Bool(c.breaking)),
                ])
            })
            .collect();
        details.insert(
            changed.name.clone(),
            object(vec![
                ("rust", Value::String(changed.rust.clone())),
                ("changes", Value::Array(list)),
            ]),
        );
    }
    (lists, Value::Object(details))
}

fn moved_json(moved: &[Moved]) -> Value {
    Value::Array(
        moved
            .iter()
            .map(|m| {
                object(vec![
                    ("pointer", Value::String(m.pointer.clone())),
                    ("old", Value::String(m.old.clone())),
                    ("new", Value::String(m.new.clone())),
                ])
            })
            .collect(),
    )
}

/// The report as one JSON object: `operations` and `schemas` each `{added, removed, changed}`
/// (operationIds and component names; an item is in exactly one list), `breaking` (lines),
/// `details` (the Rust item and the changes of each name) and `moved` (names that moved).
pub fn json(diff: &Diff, old: &str, new: &str) -> String {
    let (ops, op_details) = changes_json(&diff.operations);
    let (types, type_details) = changes_json(&diff.schemas);
    object(vec![
        ("old", Value::String(old.to_owned())),
        ("new", Value::String(new.to_owned())),
        ("operations", ops),
        ("schemas", types),
        ("breaking", strings(diff.breaking.iter().cloned())),
        (
            "details",
            object(vec![("operations", op_details), ("schemas", type_details)]),
        ),
        (
            "moved",
            object(vec![
                ("types", moved_json(&diff.moved_types)),
                ("methods", moved_json(&diff.moved_methods)),
            ]),
        ),
    ])
    .to_json()
}
