//! A request whose required field was forgotten is refused before it is sent. The generated
//! types all have a `Default`, so `..Default::default()` compiles whatever it leaves out; the
//! client encodes bodies with the runtime's check on (`rt::checking`), under which a required
//! string, enum or union still holding its default fails the encoding. The encoder names the
//! field by its enclosing fields (`messages.content`); the array indices are found here, in the
//! same body encoded without the check (`messages[0].content`).

use crate::error::Error;
use crate::rt;
use serde_json::Value;

/// The error for a body that failed to encode; `sent` gives the body as encoded without the check.
pub(crate) fn encode_error(e: serde_json::Error, sent: impl FnOnce() -> Option<Value>) -> Error {
    let message = e.to_string();
    let Some(dotted) = message.strip_prefix(rt::MISSING) else {
        return Error::InvalidArgument(format!("cannot encode the request body: {message}"));
    };
    let keys: Vec<&str> = dotted.split('.').collect();
    let path = sent()
        .and_then(|v| find(&v, &keys, String::new()))
        .unwrap_or_else(|| dotted.to_owned());
    Error::InvalidArgument(format!(
        "required field `{path}` is not set (it holds its default: \"\", or an enum's or union's \
         empty `Unknown`); set it, or send a value through the struct's `extra`"
    ))
}

/// The first path along `keys` (through any arrays) that ends on a placeholder.
fn find(v: &Value, keys: &[&str], at: String) -> Option<String> {
    if let Value::Array(items) = v {
        return items
            .iter()
            .enumerate()
            .find_map(|(i, item)| find(item, keys, format!("{at}[{i}]")));
    }
    match keys {
        [] => (v.is_null() || v.as_str() == Some("")).then_some(at),
        [key, rest @ ..] => {
            let at = match at.is_empty() {
                true => (*key).to_owned(),
                false => format!("{at}.{key}"),
            };
            find(v.as_object()?.get(*key)?, rest, at)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::find;
    use serde_json::json;

    #[test]
    fn the_path_gains_the_indices_of_the_placeholder() {
        let sent = json!({"model": "m", "messages": [
            {"role": "user", "content": "hi"},
            {"role": "user", "content": null}
        ]});
        assert_eq!(
            find(&sent, &["messages", "content"], String::new()).as_deref(),
            Some("messages[1].content")
        );
        assert_eq!(
            find(&json!({"model": ""}), &["model"], String::new()).as_deref(),
            Some("model")
        );
        assert_eq!(
            find(&json!({"model": "m"}), &["model"], String::new()),
            None
        );
    }
}
