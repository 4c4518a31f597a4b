//! What the generator could not express faithfully, and what it did instead.
//!
//! A valid document always generates: where no Rust type or name fits, the generator takes a
//! documented fallback and records a [`Warning`] naming the JSON pointer. Each warning is a gap
//! in the generator to close; the pinned spec has none (`cargo xtask generate --deny-warnings`).
//! Errors ([`crate::Error`]) are kept for documents that are broken (not YAML, a dangling `$ref`).

use std::collections::BTreeMap;
use std::fmt;

/// One fallback the generator took.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub kind: WarningKind,
    /// JSON pointer of the place in the spec (`#/components/schemas/Foo/properties/bar`), or
    /// `operation <id>` where an operation as a whole is meant.
    pub pointer: String,
    /// What was not expressible and what the generated code does instead.
    pub message: String,
}

/// The fallbacks, one a kind, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WarningKind {
    /// A schema no Rust type fits is kept as JSON (`serde_json::Value`).
    Untyped,
    /// An operation's official-SDK name is taken; it is named from its `operationId`.
    MethodName,
    /// A type, variant or resource name is taken; it gets a numbered or derived one.
    TypeName,
    /// A part of an operation (a parameter, a body, a response) the SDK cannot send or read as
    /// described; the operation is generated without it or with a looser type.
    Operation,
    /// A list takes a cursor but its response cannot be read as pages: no paginator for it.
    Paging,
    /// A webhook without a JSON payload: no typed event for it.
    Webhook,
    /// A union branch that is not an object (a string, a list) beside properties that extend the
    /// union: the variant is the branch alone, without those fields.
    Spread,
    /// The document itself departs from the format: a mapping key given twice (the last value
    /// is taken), an entry of `components/schemas` that is not a schema (left out).
    Document,
}

impl WarningKind {
    /// The kind as the summary line spells it.
    pub fn label(self) -> &'static str {
        match self {
            WarningKind::Untyped => "untyped",
            WarningKind::MethodName => "method-name",
            WarningKind::TypeName => "type-name",
            WarningKind::Operation => "operation",
            WarningKind::Paging => "paging",
            WarningKind::Webhook => "webhook",
            WarningKind::Spread => "spread",
            WarningKind::Document => "document",
        }
    }
}

impl Warning {
    pub fn new(kind: WarningKind, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Warning {
            kind,
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "warning[{}]: {}: {}",
            self.kind.label(),
            self.pointer,
            self.message
        )
    }
}

/// `3 warnings (2 method-name, 1 untyped)`, or `no warnings`.
pub fn summary<'w>(warnings: impl IntoIterator<Item = &'w Warning>) -> String {
    let mut by_kind: BTreeMap<WarningKind, usize> = BTreeMap::new();
    for w in warnings {
        *by_kind.entry(w.kind).or_default() += 1;
    }
    let total: usize = by_kind.values().sum();
    if total == 0 {
        return "no warnings".to_owned();
    }
    let kinds: Vec<String> = by_kind
        .iter()
        .map(|(kind, n)| format!("{n} {}", kind.label()))
        .collect();
    let plural = if total == 1 { "" } else { "s" };
    format!("{total} warning{plural} ({})", kinds.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_by_kind() {
        assert_eq!(summary(&[]), "no warnings");
        let w = |kind| Warning::new(kind, "#/x", "m");
        assert_eq!(
            summary(&[
                w(WarningKind::Untyped),
                w(WarningKind::MethodName),
                w(WarningKind::MethodName)
            ]),
            "3 warnings (1 untyped, 2 method-name)"
        );
        assert_eq!(
            w(WarningKind::Paging).to_string(),
            "warning[paging]: #/x: m"
        );
    }
}
