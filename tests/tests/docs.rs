//! The generated docs: every field whose spec schema carries a description has a doc, wherever
//! the description stands (on the property, its `$ref` target, the one branch of `anyOf: [X,
//! null]`, an `allOf` part), and no link is left relative to platform.openai.com.

use openai_codegen::ir::TypeKind;
use openai_codegen::value::Value;
use openai_tests::workspace_root;

/// Whether the schema at `ptr` is described: by itself or by what it only wraps or points to.
fn described(root: &Value, ptr: &str, depth: usize) -> bool {
    let Some(s) = root.pointer(ptr) else {
        return false;
    };
    let text = |s: &Value| {
        s.get("description")
            .and_then(Value::as_str)
            .is_some_and(|d| !d.trim().is_empty())
    };
    if text(s) || depth > 8 {
        return text(s);
    }
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        return described(root, r, depth + 1);
    }
    for key in ["anyOf", "oneOf"] {
        let branches: Vec<usize> = s
            .get(key)
            .and_then(Value::as_array)
            .map(|b| {
                (0..b.len())
                    .filter(|i| b[*i].get("type").and_then(Value::as_str) != Some("null"))
                    .collect()
            })
            .unwrap_or_default();
        if let [only] = branches.as_slice() {
            return described(root, &format!("{ptr}/{key}/{only}"), depth + 1);
        }
    }
    let parts = s
        .get("allOf")
        .and_then(Value::as_array)
        .map_or(0, <[Value]>::len);
    (0..parts).any(|i| described(root, &format!("{ptr}/allOf/{i}"), depth + 1))
}

#[test]
fn every_described_field_has_a_doc() {
    let text = std::fs::read_to_string(workspace_root().join("spec/openapi.yaml")).unwrap();
    let spec = openai_codegen::load::load(&text).expect("the spec loads");
    let (api, _) = openai_codegen::lower::lower(&spec).expect("the spec lowers");
    let (mut fields, mut documented, mut undescribed) = (0, 0, 0);
    let mut missing = Vec::new();
    for def in &api.types {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        for f in &s.fields {
            fields += 1;
            if f.docs.description.is_some() {
                documented += 1;
            } else if described(&spec.root, &f.pointer, 0) {
                missing.push(format!("{}.{} ({})", def.name, f.name, f.pointer));
            } else {
                undescribed += 1;
            }
        }
    }
    println!(
        "{fields} fields: {documented} documented, {undescribed} without a description in the spec"
    );
    assert!(documented > fields / 2, "the count itself is broken");
    assert!(
        missing.is_empty(),
        "{} described fields without a doc:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn no_link_is_relative() {
    let mut relative = Vec::new();
    let mut stack = vec![workspace_root().join("sdk/src/generated")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                relative.extend(
                    text.lines()
                        .filter(|l| l.trim_start().starts_with("//") && l.contains("](/"))
                        .map(|l| format!("{}: {}", path.display(), l.trim())),
                );
            }
        }
    }
    assert!(
        relative.is_empty(),
        "{} relative links:\n{}",
        relative.len(),
        relative.join("\n")
    );
}
