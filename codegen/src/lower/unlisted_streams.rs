//! The events of a stream the responses do not list: a body that can ask for a stream (a
//! `stream` flag) of an operation whose responses give only the JSON object. Two ways the spec
//! still tells what the stream carries, tried in turn:
//!
//! - Frames: a component union of `{event, data}` frames one of which carries the response
//!   object as its `data` (the Assistants run events).
//! - Examples: the operation's example response is a stream of JSON objects whose constant
//!   `object` names one component schema (`chat.completion.chunk` in specs before chat listed its
//!   event stream).

use super::Lowerer;
use super::operations::branches_of;
use super::schema::string_values;
use crate::value::Value;

impl Lowerer<'_> {
    /// The pointer of the stream's event schema, and whether its events are frames.
    pub(super) fn unlisted_events(&self, op: &Value, response: &str) -> Option<(String, bool)> {
        if let Some(union) = self.framed_events(response) {
            return Some((union, true));
        }
        self.example_events(op).map(|events| (events, false))
    }

    /// The pointer of the component union of server-sent event frames (objects of an `event`
    /// name and its `data`) one of which carries the component behind the Rust type `response`
    /// as its `data`: how the spec describes the events of a stream it does not list as a
    /// response (the Assistants run events). The outermost such union (not a branch of
    /// another), when there is exactly one.
    fn framed_events(&self, response: &str) -> Option<String> {
        let target = super::component_pointer(self.component_by_type.get(response)?);
        let inner: std::collections::BTreeSet<&str> = self
            .schemas
            .values()
            .flat_map(branches_of)
            .filter_map(|b| b.get("$ref").and_then(|r| self.component_ref(r)))
            .collect();
        let mut unions = self.schemas.iter().filter(|(name, schema)| {
            !inner.contains(name.as_str())
                && !branches_of(schema).is_empty()
                && self.carries(schema, &target, 0)
        });
        match (unions.next(), unions.next()) {
            (Some((name, _)), None) => Some(super::component_pointer(name)),
            _ => None,
        }
    }

    /// Whether `schema` is, or has among its branches (inline or referenced, a few levels
    /// down), a frame whose `data` is `target`.
    fn carries(&self, schema: &Value, target: &str, depth: usize) -> bool {
        let frame = schema.pointer("#/properties/event").is_some()
            && schema
                .pointer("#/properties/data/$ref")
                .and_then(Value::as_str)
                == Some(target);
        frame
            || depth < 4
                && branches_of(schema).iter().any(|branch| {
                    self.resolve(branch, "#")
                        .is_ok_and(|(b, _)| self.carries(b, target, depth + 1))
                })
    }

    /// The component whose constant `object` is that of the events in an example response that
    /// is a stream (more than one JSON object), when exactly one has it. It may be the response's
    /// own (legacy completions stream `text_completion` objects).
    fn example_events(&self, op: &Value) -> Option<String> {
        let object = super::examples::list(op).into_iter().find_map(|example| {
            let text = example.get("response")?.as_str()?;
            let (first, rest) = first_object(text)?;
            first_object(rest)?;
            let first = crate::load::embedded_json(first)?;
            first.get("object")?.as_str().map(str::to_owned)
        })?;
        let mut named = self.schemas.iter().filter(|(_, schema)| {
            schema
                .pointer("#/properties/object")
                .and_then(Value::as_object)
                .and_then(string_values)
                .is_some_and(|values| values == [object.as_str()])
        });
        match (named.next(), named.next()) {
            (Some((name, _)), None) => Some(super::component_pointer(name)),
            _ => None,
        }
    }
}

/// The first JSON object in `text` (braces matched outside strings) and the text after it.
fn first_object(text: &str) -> Option<(&str, &str)> {
    let start = text.find('{')?;
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in text[start..].char_indices() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (true, false, _) => {}
            (false, _, '"') => in_string = true,
            (false, _, '{') => depth += 1,
            (false, _, '}') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    let end = start + i + 1;
                    return Some((&text[start..end], &text[end..]));
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::first_object;
    use crate::ir::{StreamEnd, TypeRef};
    use crate::lower::fixture::{post_things, streaming};

    /// A `stream` flag, a JSON response, and an example response `example`.
    fn streaming_of(example: &str) -> Option<crate::ir::Streaming> {
        let rest = format!(
            r##"      responses:
        "200":
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing'}}
      x-oaiMeta:
        examples:
          - title: Streaming
            response: |
{example}
components:
  schemas:
    Thing:
      type: object
      properties:
        object: {{type: string, enum: [thing]}}
    ThingChunk:
      type: object
      properties:
        object: {{type: string, enum: [thing.chunk]}}
"##
        );
        let properties = "                stream: {type: boolean, description: \"Ends with a `data: [DONE]` message.\"}";
        streaming(&post_things(properties, &rest))
    }

    #[test]
    fn a_streamed_example_names_the_events_by_their_object() {
        let stream = "              {\"object\": \"thing.chunk\", \"n\": 1}\n\n              {\"object\": \"thing.chunk\"}";
        let streaming = streaming_of(stream).expect("a stream");
        assert_eq!(streaming.event, TypeRef::Named("ThingChunk".into()));
        assert!(!streaming.framed);
        assert_eq!(streaming.end, StreamEnd::Done);
        // One object is the plain answer's example, not a stream.
        assert_eq!(
            streaming_of("              {\"object\": \"thing.chunk\"}"),
            None
        );
        // An object no component (or more than one) has: nothing to decode the events as.
        let unknown =
            "              {\"object\": \"other\"}\n              {\"object\": \"other\"}";
        assert_eq!(streaming_of(unknown), None);
    }

    #[test]
    fn objects_are_found_by_their_braces_outside_strings() {
        let text = "data: {\"a\": \"}{\\\"\", \"b\": {\"c\": 1}}\n\n{\"d\": 2} tail";
        let (first, rest) = first_object(text).unwrap();
        assert_eq!(first, "{\"a\": \"}{\\\"\", \"b\": {\"c\": 1}}");
        assert_eq!(first_object(rest).unwrap().0, "{\"d\": 2}");
        assert_eq!(first_object("{\"open\": 1"), None);
        assert_eq!(first_object("no object"), None);
    }
}
