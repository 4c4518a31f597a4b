//! How an operation's event stream ends, so that one cut short (a proxy closing the connection
//! at an event boundary) can say so instead of looking complete. By rule, from the spec:
//!
//! - `[DONE]`: an event of the stream's union is the constant `data: [DONE]` (the Assistants
//!   `done` event), or the request's stream settings say the stream ends with it (chat and
//!   legacy completions: "terminated by a `data: [DONE]` message").
//! - Terminal events: otherwise, of the union's event types (`response.output_text.done`,
//!   `response.completed`, …), those that end in `completed`, `done`, `failed` or `incomplete`
//!   and have the fewest segments: the end of the whole thing, not of one part
//!   (`response.completed`, `transcript.text.done`, `image_generation.completed`).
//! - Neither: the stream's end is not known, and any end is taken as complete.

use super::Lowerer;
use super::schema::string_values;
use crate::ir::StreamEnd;
use crate::value::Value;

/// The last segment of a terminal event's type.
const END_WORDS: &[&str] = &["completed", "done", "failed", "incomplete"];

/// The `data` of the event that ends a stream.
const DONE: &str = "[DONE]";

/// How deep unions of events are followed (the Assistants union nests one level).
const MAX_DEPTH: usize = 4;

/// How deep the stream settings are read for `[DONE]` (chat's is in a property's description, in
/// a nullable union's branch, behind a `$ref`).
const MAX_TEXT_DEPTH: usize = 10;

/// What the events of a stream say of themselves.
#[derive(Default)]
struct Kinds {
    /// Every constant `type` (or frame `event` name).
    names: Vec<String>,
    /// An event is `data: [DONE]`.
    done_event: bool,
}

impl Lowerer<'_> {
    /// How a stream of `events` (the event schema, or a `$ref` to it) of operation `op` ends.
    pub(super) fn stream_end(&self, op: &Value, events: &Value) -> StreamEnd {
        let mut kinds = Kinds::default();
        self.event_kinds(events, 0, &mut kinds);
        if kinds.done_event || self.settings_mention_done(op) {
            return StreamEnd::Done;
        }
        let ends = |name: &&String| {
            name.rsplit('.')
                .next()
                .is_some_and(|last| END_WORDS.contains(&last))
        };
        let depth = |name: &String| name.split('.').count();
        let Some(fewest) = kinds.names.iter().filter(ends).map(depth).min() else {
            return StreamEnd::Unknown;
        };
        let mut terminal: Vec<String> = kinds
            .names
            .iter()
            .filter(ends)
            .filter(|name| depth(name) == fewest)
            .cloned()
            .collect();
        terminal.sort();
        terminal.dedup();
        StreamEnd::Events(terminal)
    }

    /// Gathers the constant event names of `schema` and its branches.
    fn event_kinds(&self, schema: &Value, depth: usize, out: &mut Kinds) {
        let Ok((schema, _)) = self.resolve(schema, "#") else {
            return;
        };
        let constant = |key: &str| {
            let property = schema.pointer(&format!("#/properties/{key}"))?;
            let (property, _) = self.resolve(property, "#").ok()?;
            string_values(property.as_object()?)
        };
        if constant("data").is_some_and(|data| data == [DONE]) {
            out.done_event = true;
        }
        for key in ["type", "event"] {
            out.names.extend(constant(key).unwrap_or_default());
        }
        if depth < MAX_DEPTH {
            for branch in super::operations::branches_of(schema) {
                self.event_kinds(branch, depth + 1, out);
            }
        }
    }

    /// Whether the request body's stream settings (`stream`, `stream_options`, …, with the
    /// schemas they name) say the stream ends with `[DONE]`.
    fn settings_mention_done(&self, op: &Value) -> bool {
        let Ok(Some(content)) = self.request_content(op, "#") else {
            return false;
        };
        content
            .values()
            .filter_map(|c| c.get("schema"))
            .any(|schema| {
                let Ok((schema, at)) = self.resolve(schema, "#") else {
                    return false;
                };
                let mut parts = super::schema::Parts::default();
                let Some(o) = schema.as_object() else {
                    return false;
                };
                if self.gather(o, &at, &mut parts).is_err() {
                    return false;
                }
                parts
                    .props
                    .iter()
                    .filter(|(name, _)| name.starts_with("stream"))
                    .any(|(_, (_, setting))| self.mentions(setting, DONE, 0))
            })
    }

    /// Whether a string anywhere in `value`, or in a schema it refers to (a few levels down),
    /// contains `needle`.
    fn mentions(&self, value: &Value, needle: &str, depth: usize) -> bool {
        if depth > MAX_TEXT_DEPTH {
            return false;
        }
        match value {
            Value::String(s) => s.contains(needle),
            Value::Array(items) => items.iter().any(|v| self.mentions(v, needle, depth + 1)),
            Value::Object(o) => {
                let referred = o.contains_key("$ref")
                    && self
                        .resolve(value, "#")
                        .is_ok_and(|(target, _)| self.mentions(target, needle, depth + 1));
                referred || o.values().any(|v| self.mentions(v, needle, depth + 1))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::StreamEnd;
    use crate::lower::fixture::{post_things, streaming};

    /// An operation answering `events` as a stream; its `stream_options` (behind a `$ref` and a
    /// nullable union, as chat's are) described by `options`.
    fn end_of(options: &str, events: &str) -> StreamEnd {
        let rest = format!(
            r##"      responses:
        "200":
          content:
            text/event-stream:
              schema: {{$ref: '#/components/schemas/Event'}}
components:
  schemas:
    Options:
      anyOf:
        - type: object
          properties:
            include_usage: {{type: boolean, description: "{options}"}}
        - type: "null"
    Delta:
      type: object
      properties:
        type: {{type: string, enum: [thing.part.delta]}}
    PartDone:
      type: object
      properties:
        type: {{type: string, enum: [thing.part.done]}}
    Completed:
      type: object
      properties:
        type: {{type: string, const: thing.completed}}
    Failed:
      type: object
      properties:
        type: {{type: string, enum: [thing.failed]}}
    Done:
      type: object
      properties:
        data: {{type: string, enum: ["[DONE]"]}}
    Chunk:
      type: object
      properties:
        id: {{type: string}}
    Event:
{events}
"##
        );
        let properties = "                stream: {type: boolean, description: Streams.}
                stream_options: {$ref: '#/components/schemas/Options'}";
        streaming(&post_things(properties, &rest))
            .expect("a stream")
            .end
    }

    const UNION: &str = "      oneOf:
        - $ref: '#/components/schemas/Delta'
        - $ref: '#/components/schemas/PartDone'
        - $ref: '#/components/schemas/Completed'
        - $ref: '#/components/schemas/Failed'";

    const CHUNK: &str = "      $ref: '#/components/schemas/Chunk'";

    #[test]
    fn the_outermost_ending_events_end_a_union_stream() {
        // `thing.part.done` ends a part, not the stream: it has more segments.
        assert_eq!(
            end_of("Usage.", UNION),
            StreamEnd::Events(vec!["thing.completed".into(), "thing.failed".into()])
        );
        // The fewest segments among the ending types there are.
        let parts = "      oneOf:\n        - $ref: '#/components/schemas/Delta'\n        - $ref: '#/components/schemas/PartDone'";
        assert_eq!(
            end_of("Usage.", parts),
            StreamEnd::Events(vec!["thing.part.done".into()])
        );
    }

    #[test]
    fn a_done_event_or_settings_that_say_so_end_with_done() {
        let with_done = format!("{UNION}\n        - $ref: '#/components/schemas/Done'");
        assert_eq!(end_of("Usage.", &with_done), StreamEnd::Done);
        assert_eq!(
            end_of("A chunk is sent before the data: [DONE] message.", CHUNK),
            StreamEnd::Done
        );
    }

    #[test]
    fn a_stream_that_says_nothing_of_its_end_is_unknown() {
        assert_eq!(end_of("Usage.", CHUNK), StreamEnd::Unknown);
    }
}
