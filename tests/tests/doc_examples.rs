//! Every example request of the spec is shown in Rust in its operation's docs. The examples
//! compile as the SDK's doctests (`cargo test --doc -p openai-sdk`); this test makes sure none
//! is silently dropped by the generator.

use openai_tests::{OPERATIONS, spec, workspace_root};
use std::collections::BTreeMap;

/// `METHOD /path` → the number of `no_run` examples in that method's docs.
fn shown() -> BTreeMap<String, usize> {
    let dir = workspace_root().join("sdk/src/generated/resources");
    let mut shown = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut current: Option<String> = None;
        for line in text.lines().map(str::trim) {
            let Some(doc) = line.strip_prefix("///") else {
                current = None;
                continue;
            };
            let doc = doc.trim();
            if let Some(route) = doc.strip_prefix('`').and_then(|d| d.strip_suffix('`')) {
                if route.split_once(' ').is_some_and(|(m, p)| {
                    m.chars().all(|c| c.is_ascii_uppercase()) && p.starts_with('/')
                }) {
                    shown.insert(route.to_owned(), 0);
                    current = Some(route.to_owned());
                }
            } else if doc == "```no_run"
                && let Some(route) = &current
            {
                *shown.get_mut(route).unwrap() += 1;
            }
        }
    }
    shown
}

#[test]
fn every_spec_example_is_shown_in_rust() {
    let spec = spec();
    let shown = shown();
    let mut missing = Vec::new();
    let (mut examples, mut operations) = (0, 0);
    for op in OPERATIONS {
        let pointer = format!(
            "#/paths/{}/{}/x-oaiMeta/examples",
            op.path.replace('~', "~0").replace('/', "~1"),
            op.method.to_lowercase()
        );
        let expected = match spec.pointer(&pointer) {
            Some(v) => v.as_array().map_or(1, <[_]>::len),
            None => 0,
        };
        let route = format!("{} {}", op.method, op.path);
        let got = shown.get(&route).copied().unwrap_or(0);
        if got != expected {
            missing.push(format!("{route}: {got} of {expected}"));
        }
        examples += got;
        operations += usize::from(got > 0);
    }
    println!(
        "{examples} examples in Rust; {operations}/{} operations show at least one",
        OPERATIONS.len()
    );
    assert!(
        missing.is_empty(),
        "examples not shown:\n{}",
        missing.join("\n")
    );
    assert_eq!(operations, OPERATIONS.len());
}
