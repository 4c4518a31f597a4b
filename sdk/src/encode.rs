//! Request encodings other than a JSON body: path parameters, query strings, form and multipart
//! bodies. Query, form and multipart share one flattening: arrays as `key[]`, objects as
//! `key[field]` (the bracket style the API and the official SDKs use).

use crate::error::{Error, Result};
use crate::file::{self, InputFile};
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
    let (json, files) = file::collecting(|| serde_json::to_value(value));
    let json =
        json.map_err(|e| Error::InvalidArgument(format!("cannot encode the request: {e}")))?;
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

fn flatten_into(key: String, value: Value, files: &[InputFile], out: &mut Vec<Part>) {
    match value {
        Value::Null => {}
        Value::String(s) => match file::marker_index(&s).and_then(|i| files.get(i)) {
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
pub(crate) fn multipart(parts: &[Part]) -> reqwest::multipart::Form {
    parts
        .iter()
        .fold(reqwest::multipart::Form::new(), |form, part| match part {
            Part::Text(k, v) => form.text(k.clone(), v.clone()),
            Part::File(k, f) => form.part(k.clone(), f.to_part()),
        })
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

    /// A random parameters object: names as the API's are, values of every JSON kind (arrays of
    /// scalars: an array of objects has no one bracket form), strings over what URLs escape.
    fn random_params(rng: &mut fastrand::Rng, depth: usize) -> Value {
        const TEXT: &[&str] = &[
            "a", "Z", "1", " ", "&", "=", "%", "+", "[", "]", "#", "?", "/", "é", "\u{0}",
        ];
        let scalar = |rng: &mut fastrand::Rng| match rng.usize(..5) {
            0 => Value::Null,
            1 => Value::Bool(rng.bool()),
            2 => Value::from(rng.i64(..)),
            3 => Value::from(rng.f64() * 1e6),
            _ => Value::from(
                (0..rng.usize(..6))
                    .map(|_| TEXT[rng.usize(..TEXT.len())])
                    .collect::<String>(),
            ),
        };
        let mut map = serde_json::Map::new();
        for _ in 0..rng.usize(..5) {
            let name: String = (0..=rng.usize(..6)).map(|_| rng.alphanumeric()).collect();
            let value = match rng.usize(..4) {
                0 if depth < 3 => random_params(rng, depth + 1),
                1 => Value::Array((0..rng.usize(..4)).map(|_| scalar(rng)).collect()),
                _ => scalar(rng),
            };
            map.insert(name, value);
        }
        Value::Object(map)
    }

    /// What the server gets from `value`: scalars as text, `null`s and empty containers gone.
    fn as_received(value: &Value) -> Option<Value> {
        match value {
            Value::Null => None,
            Value::String(_) => Some(value.clone()),
            Value::Bool(_) | Value::Number(_) => Some(Value::from(value.to_string())),
            Value::Array(items) => {
                let items: Vec<Value> = items.iter().filter_map(as_received).collect();
                (!items.is_empty()).then_some(Value::Array(items))
            }
            Value::Object(map) => {
                let map: serde_json::Map<String, Value> = map
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), as_received(v)?)))
                    .collect();
                (!map.is_empty()).then_some(Value::Object(map))
            }
        }
    }

    /// Reads bracket-style pairs back into a tree (`a[b][]=1` → `{"a": {"b": ["1"]}}`), as the
    /// API's servers do.
    fn decode_brackets(pairs: impl Iterator<Item = (String, String)>) -> Value {
        let mut root = Value::Object(Default::default());
        for (key, value) in pairs {
            let mut parts = key.split('[');
            let mut path = vec![parts.next().unwrap_or_default().to_owned()];
            path.extend(parts.map(|p| p.trim_end_matches(']').to_owned()));
            let mut at = &mut root;
            for (i, part) in path.iter().enumerate() {
                let last = i + 1 == path.len();
                if part.is_empty() {
                    let items = at.as_array_mut().expect("[] names an array");
                    items.push(Value::String(value.clone()));
                    break;
                }
                let next_is_array = path.get(i + 1).is_some_and(String::is_empty);
                let fresh = if last {
                    Value::String(value.clone())
                } else if next_is_array {
                    Value::Array(Vec::new())
                } else {
                    Value::Object(Default::default())
                };
                at = at
                    .as_object_mut()
                    .expect("a name inside an object")
                    .entry(part)
                    .or_insert(fresh);
            }
        }
        root
    }

    /// Query parameters round trip: encoded as the request sends them and read back by the
    /// bracket rules, every value arrives at its place, as text.
    #[test]
    fn what_is_encoded_decodes_back() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..5_000 {
            let params = random_params(&mut rng, 0);
            let pairs = query(&params).unwrap();
            let mut url = reqwest::Url::parse("https://api.openai.com/v1/x").unwrap();
            url.query_pairs_mut().extend_pairs(&pairs);
            let back = decode_brackets(
                url.query_pairs()
                    .map(|(k, v)| (k.into_owned(), v.into_owned())),
            );
            let want = as_received(&params).unwrap_or_else(|| json!({}));
            assert_eq!(back, want, "{params} -> {url}");
        }
    }
}
