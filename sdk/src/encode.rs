//! Request encodings other than a JSON body: path parameters, query strings, form and multipart
//! bodies. Query, form and multipart share one flattening: arrays as `key[]`, objects as
//! `key[field]` (the bracket style the API and the official SDKs use).

use crate::InputFile;
use crate::error::{Error, Result};
use openai_sdk_runtime::file::{self, Collected};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;
use serde_json::Value;

/// Characters escaped in a path segment (RFC 3986 `pchar` keeps the rest).
pub(crate) const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'?')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// Fills the `{name}` holes of the spec's path `template` with percent-encoded `params`, in
/// order; each must be a [`segment`].
pub(crate) fn path(template: &str, params: &[&str]) -> Result<String> {
    let mut out =
        String::with_capacity(template.len() + params.iter().map(|p| p.len()).sum::<usize>());
    let mut rest = template;
    let mut params = params.iter();
    while let Some((before, hole)) = rest.split_once('{') {
        let (name, after) = hole.split_once('}').unwrap_or((hole, ""));
        let param = params.next().copied().unwrap_or_default();
        out.push_str(before);
        out.extend(segment(name, param)?);
        rest = after;
    }
    out.push_str(rest);
    Ok(out)
}

/// `value` percent-encoded as one whole path segment, or an error before anything is sent if it
/// cannot stay one: empty (`/files/` lists instead of deleting), or a dot segment, which URL
/// parsing removes with the segment before it (`vector_stores/{id}/files/..` is the store).
/// Decoded forms count too (`%2e%2E`), as openai-node refuses them, for servers that decode
/// twice; `%` itself is always encoded, so they reach the API as the text given.
pub(crate) fn segment<'a>(
    name: &str,
    value: &'a str,
) -> Result<percent_encoding::PercentEncode<'a>> {
    let dots = percent_encoding::percent_decode_str(value);
    let refused = if value.is_empty() {
        "empty"
    } else if dots.clone().eq(b".".iter().copied()) || dots.eq(b"..".iter().copied()) {
        "a dot segment"
    } else {
        return Ok(utf8_percent_encode(value, SEGMENT));
    };
    Err(Error::InvalidArgument(format!(
        "path parameter `{name}` must not be {refused} (got {value:?})"
    )))
}

/// One flattened field of a query string, form or multipart body.
#[derive(Debug, Clone)]
pub(crate) enum Part {
    Text(String, String),
    File(String, InputFile),
}

/// Flattens `value` (an object) into bracket-style fields; files are kept as files.
pub(crate) fn flatten(value: &impl Serialize) -> Result<Vec<Part>> {
    let (json, files) = file::collecting(|| crate::rt::checking(|| serde_json::to_value(value)));
    let json = json.map_err(|e| {
        crate::required::encode_error(e, || {
            file::collecting(|| serde_json::to_value(value)).0.ok()
        })
    })?;
    let mut out = Vec::new();
    match json {
        Value::Object(map) => {
            for (key, v) in map {
                flatten_into(key, v, &files, &mut out);
            }
        }
        Value::Null => {}
        other => {
            return Err(Error::InvalidArgument(format!(
                "expected an object to encode, got {other}"
            )));
        }
    }
    Ok(out)
}

fn flatten_into(key: String, value: Value, files: &Collected, out: &mut Vec<Part>) {
    match value {
        Value::Null => {}
        Value::String(s) => match files.file(&s) {
            Some(f) => out.push(Part::File(key, f.clone())),
            None => out.push(Part::Text(key, s)),
        },
        Value::Bool(b) => out.push(Part::Text(key, b.to_string())),
        Value::Number(n) => out.push(Part::Text(key, n.to_string())),
        Value::Array(items) => {
            // A parameter named `include[]` in the spec already carries its brackets.
            let key = if key.ends_with("[]") {
                key
            } else {
                format!("{key}[]")
            };
            for item in items {
                flatten_into(key.clone(), item, files, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                flatten_into(format!("{key}[{k}]"), v, files, out);
            }
        }
    }
}

/// Query pairs for a parameters struct.
pub(crate) fn query(params: &impl Serialize) -> Result<Vec<(String, String)>> {
    Ok(flatten(params)?
        .into_iter()
        .map(|part| match part {
            Part::Text(k, v) => (k, v),
            Part::File(k, f) => (k, f.name),
        })
        .collect())
}

/// Builds a multipart form; called for every attempt, since a form cannot be sent twice.
/// Names are escaped as browsers and openai-python (httpx) escape them, and as the API reads them:
/// raw UTF-8 in `name="…"`, with `"` and control characters percent-encoded and `\` doubled.
/// (reqwest's own choice, `name*=utf-8''…` for any name with a space or a non-ASCII character, is
/// one RFC 7578 forbids, and a server that does not read it loses the field: `metadata[my key]`.)
pub(crate) fn multipart(parts: &[Part]) -> reqwest::multipart::Form {
    parts.iter().fold(
        reqwest::multipart::Form::new().percent_encode_noop(),
        |form, part| match part {
            Part::Text(k, v) => form.text(form_name(k, true), v.clone()),
            Part::File(k, f) => form.part(form_name(k, true), file_part(f)),
        },
    )
}

/// A part's `name` or `filename` as it goes between quotes. reqwest doubles a file name's
/// backslashes itself, so `backslash` is for names only.
/// A file's part: its bytes, its name, and its content type (guessed from the name if not set).
fn file_part(file: &InputFile) -> reqwest::multipart::Part {
    let part = || {
        reqwest::multipart::Part::stream_with_length(file.bytes.clone(), file.bytes.len() as u64)
            .file_name(form_name(&file.name, false))
    };
    let mime = file.content_type.clone().unwrap_or_else(|| {
        mime_guess::from_path(&file.name)
            .first_or_octet_stream()
            .essence_str()
            .to_owned()
    });
    part().mime_str(&mime).unwrap_or_else(|_| part())
}

pub(crate) fn form_name(name: &str, backslash: bool) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '"' => out.push_str("%22"),
            '\\' if backslash => out.push_str("\\\\"),
            // httpx leaves ESC as it is; so do we.
            '\u{0}'..='\u{1f}' if c != '\u{1b}' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn path_parameters_are_encoded_and_never_empty_or_dots() {
        assert_eq!(
            path("/threads/{a}/runs/{b}", &["t 1", "r/2"]).unwrap(),
            "/threads/t%201/runs/r%2F2"
        );
        for refused in ["", ".", "..", "%2e", "%2E", "%2e%2e", ".%2E", "%2E."] {
            let err = path("/files/{file_id}", &[refused]).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidArgument(m) if m.contains("file_id")),
                "{refused:?}: {err:?}"
            );
        }
        // Dots inside a segment, or more than two, are names like any other.
        for kept in ["...", ".a", "a..", "%2e%2e%2e", "%"] {
            assert!(path("/files/{file_id}", &[kept]).is_ok(), "{kept:?}");
        }
    }

    /// Whatever a parameter holds, the URL built from the path has the template's segments, the
    /// parameter's own segment decoding back to it: random strings over the characters that
    /// matter to URLs (separators, dots, `%`, escapes, spaces, non-ASCII).
    #[test]
    fn no_parameter_leaves_its_segment() {
        const PIECES: &[&str] = &[
            "/", ".", "..", "%", "%2e", "%2F", "%25", "?", "#", "\\", ";", "&", "=", " ", "+", "a",
            "Z", "0", "é", "\u{0}", "\t", "[", "]", "@", ":", "~", "-", "_", "{", "}", "*",
        ];
        let base = reqwest::Url::parse("https://api.openai.com/v1/").unwrap();
        let mut rng = fastrand::Rng::with_seed(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let param: String = (0..=rng.usize(..6))
                .map(|_| PIECES[rng.usize(..PIECES.len())])
                .collect();
            let Ok(path) = path("/vector_stores/vs_1/files/{file_id}", &[&param]) else {
                let decoded = percent_encoding::percent_decode_str(&param).collect::<Vec<u8>>();
                assert!(decoded == b"." || decoded == b"..", "{param:?} refused");
                continue;
            };
            let url = base.join(&path[1..]).unwrap();
            let segments: Vec<&str> = url.path_segments().unwrap().collect();
            assert_eq!(segments.len(), 5, "{param:?} -> {url}");
            assert_eq!(&segments[..4], ["v1", "vector_stores", "vs_1", "files"]);
            let back = percent_encoding::percent_decode_str(segments[4])
                .decode_utf8()
                .unwrap();
            assert_eq!(back, param, "{url}");
            assert!(url.query().is_none() && url.fragment().is_none(), "{url}");
        }
    }

    #[test]
    fn brackets_for_arrays_and_objects() {
        let pairs = query(&json!({
            "include[]": ["a", "b"],
            "tags": [1, 2],
            "metadata": {"k": "v"},
            "effective_at": {"gt": 5},
            "after": null,
            "limit": 10,
            "flag": true
        }))
        .unwrap();
        // Object keys may come out in any order (serde_json sorts them unless `preserve_order`).
        let mut pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        pairs.sort();
        let mut want = vec![
            ("include[]", "a"),
            ("include[]", "b"),
            ("tags[]", "1"),
            ("tags[]", "2"),
            ("metadata[k]", "v"),
            ("effective_at[gt]", "5"),
            ("limit", "10"),
            ("flag", "true"),
        ];
        want.sort();
        assert_eq!(pairs, want);
    }

    #[test]
    fn files_stay_files_anywhere_in_the_value() {
        let a = InputFile::from_bytes("a.png", vec![1u8, 2]);
        let b = InputFile::from_bytes("b.png", vec![3u8]);
        let parts = flatten(&json!({"model": "m"})).unwrap();
        assert!(matches!(&parts[..], [Part::Text(k, v)] if k == "model" && v == "m"));
        #[derive(Serialize)]
        struct Body {
            image: Vec<InputFile>,
            mask: InputFile,
            n: i64,
        }
        let parts = flatten(&Body {
            image: vec![a.clone(), b.clone()],
            mask: a.clone(),
            n: 2,
        })
        .unwrap();
        let names: Vec<String> = parts
            .iter()
            .map(|p| match p {
                Part::File(k, f) => format!("{k}={}", f.name),
                Part::Text(k, v) => format!("{k}:{v}"),
            })
            .collect();
        assert_eq!(
            names,
            ["image[]=a.png", "image[]=b.png", "mask=a.png", "n:2"]
        );
    }

    #[test]
    fn form_names_are_escaped_as_browsers_and_httpx_escape_them() {
        assert_eq!(form_name("metadata[my key é]", true), "metadata[my key é]");
        assert_eq!(
            form_name("a\"b\\c\r\n\u{1b}", true),
            "a%22b\\\\c%0D%0A\u{1b}"
        );
        // reqwest doubles a file name's backslashes itself.
        assert_eq!(form_name("x\\y\".pdf", false), "x\\y%22.pdf");
    }
}
