//! Spec prose → `#[doc]` attributes that rustdoc renders and never runs.

use crate::ir::Docs;
use proc_macro2::TokenStream;
use quote::quote;

/// Markdown from the spec, made safe as rustdoc: a fence without a language would be compiled as
/// a doctest, and so would a line indented four spaces after a blank line (an indented code
/// block); the fence becomes `text` and the indented line loses its indent. Links relative to
/// platform.openai.com are made absolute.
pub fn sanitize(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    // Links relative to the platform site (`](/docs/guides/…)`) lead nowhere in rustdoc.
    let text = text.replace("](/", "](https://platform.openai.com/");
    for line in text.trim_end().lines() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            let lang = info.trim();
            out.push(
                if in_fence || !(lang.is_empty() || lang.starts_with("rust")) {
                    format!("```{lang}")
                } else {
                    "```text".to_owned()
                },
            );
            in_fence = !in_fence;
        } else if in_fence {
            out.push(line.trim_end().to_owned());
        } else if line.len() - trimmed.len() >= 4 && out.last().is_none_or(|l| l.is_empty()) {
            out.push(trimmed.trim_end().to_owned());
        } else {
            out.push(line.trim_end().to_owned());
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out
}

/// Doc attributes for a documented item: title, then description, one attribute a line.
pub fn doc_attrs(docs: &Docs) -> TokenStream {
    let mut lines = Vec::new();
    if let Some(title) = &docs.title {
        lines.extend(sanitize(title));
    }
    if let Some(desc) = &docs.description
        && docs.title.as_deref().map(str::trim) != Some(desc.trim())
    {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(sanitize(desc));
    }
    let deprecated = docs.deprecated.then(|| quote!(#[deprecated]));
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote! { #(#[doc = #lines])* #deprecated }
}

/// Doc attributes from plain lines.
pub fn lines(text: &[&str]) -> TokenStream {
    let lines = text.iter().map(|l| format!(" {l}"));
    quote! { #(#[doc = #lines])* }
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn fences_and_indents_become_text() {
        let got = sanitize("Example:\n\n    let x = 1;\n```\ncode\n```\n```json\n{}\n```");
        assert_eq!(
            got,
            [
                "Example:",
                "",
                "let x = 1;",
                "```text",
                "code",
                "```",
                "```json",
                "{}",
                "```"
            ]
        );
    }

    #[test]
    fn unterminated_fence_is_closed() {
        assert_eq!(sanitize("```\nx"), ["```text", "x", "```"]);
    }
}
