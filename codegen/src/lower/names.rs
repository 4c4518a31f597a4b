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

/// Names generated code uses for Rust's own types (the prelude's, and the imports of every
/// types file): a type of the spec may not take one, or it would hide Rust's.
pub const RESERVED: &[&str] = &[
    "BTreeMap", "Box", "Default", "Extra", "From", "HashMap", "Into", "Map", "Option", "Result",
    "String", "Value", "Vec",
];

/// `name`, or `{name}Schema` when it is [reserved](RESERVED).
pub fn unreserved(name: String) -> String {
    match RESERVED.contains(&name.as_str()) {
        true => format!("{name}Schema"),
        false => name,
    }
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

/// The camel-case words of a type name (`ToolResourcesItem` → `Tool`, `Resources`, `Item`).
pub fn words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            out.push(&name[start..i]);
            start = i;
        }
    }
    out.push(&name[start..]);
    out
}

/// A plural word made singular (`Choices` → `Choice`, `Entries` → `Entry`); `None` when the word
/// does not read as a plural (`Status`, `Analysis`, `Data`).
fn singular_word(word: &str) -> Option<String> {
    let lower = word.to_ascii_lowercase();
    let stem = |n: usize| word[..word.len() - n].to_owned();
    if lower.len() < 4 {
        return None;
    }
    if lower.ends_with("ies") {
        return Some(stem(3) + "y");
    }
    if ["sses", "xes", "ches", "shes"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return Some(stem(2));
    }
    if lower.ends_with('s') && !["ss", "us", "is", "ics"].iter().any(|e| lower.ends_with(e)) {
        return Some(stem(1));
    }
    None
}

/// The type name of one item of a list named `name` (`…Choices` → `…Choice`); `None` when the
/// last word is not a plural.
pub fn singular(name: &str) -> Option<String> {
    let last = *words(name).last()?;
    let head = &name[..name.len() - last.len()];
    match last {
        // A list's `data` holds the things the list is of (`UserProjectsData` → `UserProject`).
        "Data" => singular(head),
        // One of a message's `content` is a part of it, as the official SDKs call it.
        "Content" => Some(format!("{name}Part")),
        _ => Some(format!("{head}{}", singular_word(last)?)),
    }
}

/// A word made plural (`Part` → `Parts`, `Entry` → `Entries`).
pub fn plural(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with('s')
        || lower.ends_with('x')
        || lower.ends_with("ch")
        || lower.ends_with("sh")
    {
        format!("{name}es")
    } else if lower.ends_with('y')
        && !lower.ends_with("ay")
        && !lower.ends_with("ey")
        && !lower.ends_with("oy")
    {
        format!("{}ies", &name[..name.len() - 1])
    } else {
        format!("{name}s")
    }
}

/// `name` without the words it shares at its start with `other` (`ChatCompletionRequestSystemMessage`
/// in `ChatCompletionRequestMessage` → `SystemMessage`); `None` when nothing is shared or nothing
/// (or only a digit) would be left.
pub fn without_shared_prefix(name: &str, other: &str) -> Option<String> {
    let (a, b) = (words(name), words(other));
    let shared = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if shared == 0 || shared == a.len() {
        return None;
    }
    let rest: String = a[shared..].concat();
    (!rest.starts_with(|c: char| c.is_ascii_digit())).then_some(rest)
}

/// The longest a name built from parts should be.
pub const MAX_LEN: usize = 60;

/// A name of `parts` no longer than `max`: the first part (the component the type comes from)
/// and as many of the last parts as fit, the ones right after the first dropped first
/// (`CreateAssistantRequest` `ToolResources` `FileSearch` `VectorStore` `ChunkingStrategy` →
/// `CreateAssistantRequestFileSearchVectorStoreChunkingStrategy`). `None` when the whole name
/// fits, or when nothing can be dropped.
pub fn shortened(parts: &[String], max: usize) -> Option<String> {
    let len = |ps: &[String]| ps.iter().map(String::len).sum::<usize>();
    if len(parts) <= max || parts.len() <= 2 {
        return None;
    }
    let (first, rest) = parts.split_first()?;
    let mut keep = rest.len();
    while keep > 1 && first.len() + len(&rest[rest.len() - keep..]) > max {
        keep -= 1;
    }
    Some(format!("{first}{}", rest[rest.len() - keep..].concat()))
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
        assert_eq!(unreserved("Value".to_owned()), "ValueSchema");
        assert_eq!(unreserved("ValueList".to_owned()), "ValueList");
    }

    #[test]
    fn singular_and_plural() {
        assert_eq!(
            singular("ChatCompletionChoices").as_deref(),
            Some("ChatCompletionChoice")
        );
        assert_eq!(singular("LogEntries").as_deref(), Some("LogEntry"));
        assert_eq!(singular("SearchMatches").as_deref(), Some("SearchMatch"));
        assert_eq!(singular("RunStatus"), None);
        assert_eq!(singular("BatchData"), None);
        assert_eq!(singular("UserProjectsData").as_deref(), Some("UserProject"));
        assert_eq!(
            singular("MessageContent").as_deref(),
            Some("MessageContentPart")
        );
        assert_eq!(singular("Ids"), None);
        assert_eq!(plural("Part"), "Parts");
        assert_eq!(plural("Entry"), "Entries");
        assert_eq!(plural("Key"), "Keys");
        assert_eq!(
            without_shared_prefix(
                "ChatCompletionRequestSystemMessage",
                "ChatCompletionRequestMessage"
            )
            .as_deref(),
            Some("SystemMessage")
        );
        assert_eq!(without_shared_prefix("Item", "InputItem"), None);
        let parts = [
            "CreateAssistantRequest",
            "ToolResources",
            "FileSearch",
            "VectorStore",
            "ChunkingStrategy",
        ]
        .map(str::to_owned);
        assert_eq!(
            shortened(&parts, 60).as_deref(),
            Some("CreateAssistantRequestFileSearchVectorStoreChunkingStrategy")
        );
        assert_eq!(shortened(&parts[..2], 20), None);
        assert_eq!(without_shared_prefix("InputItem", "InputItem"), None);
    }
}
