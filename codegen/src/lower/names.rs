//! Rust names for spec names: `heck` casing plus the fixes Rust needs (keywords, leading digits,
//! symbols that case conversion drops).

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
    "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "unsafe", "use", "where", "while", "abstract", "become", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield",
];

/// True when `name` must be written `r#name` to be an identifier.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Words for symbols that would otherwise vanish from a name (`"*"`, `"+1"`).
fn spell_symbols(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '+' => out.push_str(" plus "),
            '*' => out.push_str(" star "),
            '<' => out.push_str(" lt "),
            '>' => out.push_str(" gt "),
            '=' => out.push_str(" eq "),
            c => out.push(c),
        }
    }
    out
}

/// `UpperCamelCase` type or variant name; never empty, never starting with a digit.
pub fn type_name(s: &str) -> String {
    let mut name = spell_symbols(s).to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push_str("Value");
    }
    name
}

/// `snake_case` field or module name; a keyword stays as it is (emit writes it `r#`).
pub fn field_name(s: &str) -> String {
    let mut name = spell_symbols(s).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if matches!(name.as_str(), "self" | "super" | "crate" | "Self" | "_") {
        name.push('_');
    }
    name
}

/// Makes `name` unique among `taken` by appending 2, 3, … (used only for real clashes, such as
/// two enum values that differ only in case).
pub fn unique(name: String, taken: &mut std::collections::BTreeSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    (2..)
        .map(|i| format!("{name}{i}"))
        .find(|n| taken.insert(n.clone()))
        .expect("an unused suffix exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(type_name("MCPListTools"), "McpListTools");
        assert_eq!(type_name("1024x1024"), "V1024x1024");
        assert_eq!(type_name("chat.completion"), "ChatCompletion");
        assert_eq!(type_name("*"), "Star");
        assert_eq!(field_name("type"), "type");
        assert!(is_keyword(&field_name("type")));
        assert_eq!(field_name("fooBar"), "foo_bar");
        assert_eq!(field_name("include[]"), "include");
        assert_eq!(field_name("self"), "self_");
    }
}
