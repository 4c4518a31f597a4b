//! Operations: where each sits in the resource hierarchy, its parameters, body and response.

use super::calls;
use super::examples::{self, Signature};
use super::{Lowerer, names, type_name};
use crate::error::{Error, Result};
use crate::ir::{BodyKind, Operation, ResponseKind, StreamEnd, Streaming, SwitchValue, TypeRef};
use crate::lower::schema::docs_of;
use crate::value::{Value, escape_token};
use crate::warning::WarningKind;
use indexmap::IndexMap;

type Obj = IndexMap<String, Value>;

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

/// An operation where the document has it, and where it is sent.
struct Route<'a> {
    /// The path template, without the fixed query.
    path: &'a str,
    /// Query pairs the path key itself carries (`?beta=true`).
    fixed: Vec<(String, String)>,
    /// Lower-case HTTP method.
    method: &'a str,
    /// The path item (its parameters apply to every method) and the operation.
    item: &'a Value,
    op: &'a Value,
    /// JSON pointer of the operation.
    pointer: String,
}

/// A path key's template and fixed query (`/responses?beta=true` → `/responses`, `beta=true`).
fn split_route(key: &str) -> (&str, Vec<(String, String)>) {
    let Some((template, query)) = key.split_once('?') else {
        return (key, Vec::new());
    };
    let pairs = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect();
    (template, pairs)
}

/// The parameter names of a path template, in order (`/a/{x}/b/{y}` → `x`, `y`).
fn path_template_params(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .map(|piece| piece.split('}').next().unwrap_or_default())
        .collect()
}

fn python_snippets(op: &Value) -> impl Iterator<Item = &str> {
    examples::list(op)
        .into_iter()
        .filter_map(|e| e.pointer("#/request/python").and_then(Value::as_str))
}

impl<'a> Lowerer<'a> {
    pub(super) fn operations(&mut self) -> Result<Vec<Operation>> {
        let Some(paths) = self.root.get("paths").and_then(Value::as_object) else {
            return Ok(Vec::new());
        };
        // A path key may carry a fixed query (`/responses?beta=true`): the template is the part
        // before `?`, and the pairs are sent with every call.
        let templates: Vec<&str> = paths
            .keys()
            .map(|k| k.split_once('?').map_or(k.as_str(), |(t, _)| t))
            .collect();
        let mut found = Vec::new();
        for (key, item) in paths {
            let (template, fixed) = split_route(key);
            // A path item may be shared (`$ref: '#/components/pathItems/…'` in 3.1).
            let item = match item.get("$ref") {
                Some(r) => {
                    self.resolve_any(r, &format!("#/paths/{}", escape_token(key)))?
                        .0
                }
                None => item,
            };
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    found.push(Route {
                        path: template,
                        fixed: fixed.clone(),
                        method,
                        item,
                        op,
                        pointer: format!("#/paths/{}/{method}", escape_token(key)),
                    });
                }
            }
        }
        // Names first, all at once: a clash is settled by a rule that does not depend on the
        // order of the paths, and the types an operation defines are named after its call.
        let sites: Vec<calls::Site> = found
            .iter()
            .map(|route| self.site(&templates, route))
            .collect();
        let calls = calls::assign(&sites, &mut self.warnings);
        let mut out = Vec::with_capacity(found.len());
        for ((route, site), call) in found.iter().zip(&sites).zip(calls) {
            out.push(self.operation(route, site, call)?);
        }
        out.sort_by(|a, b| (&a.resource, &a.name).cmp(&(&b.resource, &b.name)));
        Ok(out)
    }

    /// What naming needs of one operation: its id and the call its snippet or path gives.
    fn site(&mut self, templates: &[&str], route: &Route) -> calls::Site {
        let (path, method, item, op) = (route.path, route.method, route.item, route.op);
        let ptr = route.pointer.as_str();
        let id = match op.get("operationId").and_then(Value::as_str) {
            Some(id) => id.to_owned(),
            None => {
                let id = names::field_name(&format!("{method} {path}"));
                self.warn(
                    WarningKind::Operation,
                    ptr,
                    format!("no `operationId`; `{id}` stands in for it"),
                );
                id
            }
        };
        // A static segment after a parameter is a sub-collection when it has paths below it or
        // more than one method.
        let below = format!("{path}/");
        let methods = METHODS.iter().filter(|m| item.get(m).is_some()).count();
        let collection = methods > 1 || templates.iter().any(|p| p.starts_with(&below));
        let mut derived = calls::derived(method, path, collection);
        let sig = Signature {
            method,
            path,
            derived: derived.clone(),
            path_params: path_template_params(path),
            query: Vec::new(),
        };
        let snippet_calls = python_snippets(op)
            .flat_map(examples::python_calls)
            .collect();
        let mut call = calls::best(snippet_calls, &sig)
            .map(|c| c.call)
            .filter(|c| c.last().is_some_and(|n| !n.is_empty()))
            .unwrap_or_else(|| derived.clone());
        // A flag in the path's fixed query (`?beta=true`) is a namespace, as Stainless-made SDKs
        // have it (`client.beta.messages.create` for `/v1/messages?beta=true`): the snippets
        // show the call without it.
        for (flag, _) in route.fixed.iter().rev().filter(|(_, v)| v == "true") {
            let flag = names::field_name(flag);
            if call.first() != Some(&flag) {
                call.insert(0, flag.clone());
                derived.insert(0, flag);
            }
        }
        calls::Site {
            pointer: ptr.to_owned(),
            id,
            call,
            derived,
        }
    }

    /// The operation at `route`, named `call` (resource path, then method).
    fn operation(
        &mut self,
        route: &Route,
        site: &calls::Site,
        mut call: Vec<String>,
    ) -> Result<Operation> {
        let (path, method, item, op) = (route.path, route.method, route.item, route.op);
        let ptr = route.pointer.as_str();
        let name = call.pop().expect("a call has a name");
        let resource = call;
        let camel: String = resource
            .iter()
            .chain([&name])
            .map(|s| type_name(s))
            .collect();

        let mut params: IndexMap<String, (String, Value)> = IndexMap::new();
        for (at, list) in [
            (format!("{ptr}/parameters"), op.get("parameters")),
            (
                format!("{}/parameters", ptr.rsplit_once('/').map_or("", |p| p.0)),
                item.get("parameters"),
            ),
        ] {
            for (i, p) in list
                .and_then(Value::as_array)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let pptr = format!("{at}/{i}");
                let (p, pptr) = match p.get("$ref") {
                    Some(r) => self.resolve_any(r, &pptr)?,
                    None => (p, pptr),
                };
                let name = p
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or_else(|| Error::new(&pptr, "a parameter needs a `name`"))?;
                let place = p.get("in").and_then(Value::as_str).unwrap_or_default();
                params
                    .entry(format!("{place}:{name}"))
                    .or_insert((pptr, p.clone()));
            }
        }
        let mut path_params = Vec::new();
        for wire in path_template_params(path) {
            if !params.contains_key(&format!("path:{wire}")) {
                self.warn(
                    WarningKind::Operation,
                    ptr,
                    format!("path parameter `{wire}` is not described; it is taken as a string"),
                );
            }
            path_params.push((names::field_name(wire), wire.to_owned()));
        }
        let (query, headers) = self.query_params(&params, &format!("{camel}Params"), ptr)?;
        let (body, body_pointer) = match self.request_body(op, ptr, &camel)? {
            Some((kind, ty, at)) => (Some((kind, ty)), Some(at)),
            None => (None, None),
        };
        let (response, stream_event) = self.response(op, method, ptr, &camel)?;
        let switch = self.stream_switch(op);
        let streaming = match stream_event {
            Some((event, end)) => Some(Streaming {
                event,
                switch,
                framed: false,
                end,
                in_query: false,
                resume: None,
            }),
            // A body that can ask for a stream the responses do not list.
            None => match (&switch, &response) {
                (Some(_), ResponseKind::Json(TypeRef::Named(name))) => {
                    match self.unlisted_events(op, name) {
                        Some((events, framed)) => {
                            let events =
                                Value::Object([("$ref".to_owned(), Value::String(events))].into());
                            Some(Streaming {
                                event: self.lower_ref(&events, ptr, &format!("{camel}Event"))?,
                                switch,
                                framed,
                                end: self.stream_end(op, &events),
                                in_query: false,
                                resume: None,
                            })
                        }
                        None => None,
                    }
                }
                _ => None,
            },
        };
        let admin = op
            .get("security")
            .and_then(Value::as_array)
            .is_some_and(|s| s.iter().any(|r| r.get("AdminApiKeyAuth").is_some()));
        let examples = examples::examples(
            op,
            &Signature {
                method,
                path,
                derived: site.derived.clone(),
                path_params: path_params.iter().map(|(_, w)| w.as_str()).collect(),
                query: params
                    .keys()
                    .filter_map(|k| k.strip_prefix("query:"))
                    .collect(),
            },
        );
        let mut docs = docs_of(op);
        docs.title = op.get("summary").and_then(Value::as_str).map(str::to_owned);
        Ok(Operation {
            id: site.id.clone(),
            pointer: ptr.to_owned(),
            method: method.to_uppercase(),
            path: path.to_owned(),
            resource,
            name,
            docs,
            path_params,
            query,
            headers,
            fixed_query: route.fixed.clone(),
            body,
            body_pointer,
            response,
            admin,
            streaming,
            paging: None,
            variant_by: None,
            polling: None,
            creates_polled: None,
            uploads_then: None,
            chunked_upload: None,
            examples,
        })
    }

    /// The query and header parameters as one struct (so optional ones are easy to leave
    /// out), with the wire names of those sent as headers.
    fn query_params(
        &mut self,
        params: &IndexMap<String, (String, Value)>,
        hint: &str,
        ptr: &str,
    ) -> Result<(Option<String>, Vec<String>)> {
        let mut properties = IndexMap::new();
        let mut required = Vec::new();
        let mut headers = Vec::new();
        for (key, (pptr, p)) in params {
            let (place, name) = key.split_once(':').unwrap_or(("", key));
            match place {
                "query" => {}
                "header" => headers.push(name.to_owned()),
                "path" => continue,
                _ => {
                    self.warn(
                        WarningKind::Operation,
                        pptr,
                        format!("parameter `{name}` is in `{place}`, which the SDK does not send; set it with `.header(..)`"),
                    );
                    continue;
                }
            }
            let mut schema = p.get("schema").cloned().unwrap_or(Value::Bool(true));
            if let (Value::Object(s), Some(d)) = (&mut schema, p.get("description")) {
                s.entry("description".to_owned())
                    .or_insert_with(|| d.clone());
            }
            properties.insert(name.to_owned(), schema);
            if p.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(Value::String(name.to_owned()));
            }
        }
        if properties.is_empty() {
            return Ok((None, headers));
        }
        let schema = IndexMap::from([
            ("type".to_owned(), Value::String("object".to_owned())),
            (
                "description".to_owned(),
                Value::String(
                    if headers.is_empty() {
                        "Query parameters."
                    } else {
                        "Query and header parameters."
                    }
                    .to_owned(),
                ),
            ),
            ("properties".to_owned(), Value::Object(properties)),
            ("required".to_owned(), Value::Array(required)),
        ]);
        match self.lower_ref(&Value::Object(schema), &format!("{ptr}/parameters"), hint)? {
            TypeRef::Named(name) => Ok((Some(name), headers)),
            _ => Err(Error::new(
                ptr,
                "internal: query parameters did not become a struct",
            )),
        }
    }

    /// The body to send: JSON when offered, multipart when files must go (or it is the only
    /// way), then a form, then text.
    fn request_body(
        &mut self,
        op: &Value,
        ptr: &str,
        camel: &str,
    ) -> Result<Option<(BodyKind, TypeRef, String)>> {
        let Some(content) = self.request_content(op, ptr)? else {
            return Ok(None);
        };
        let at = |ct: &str| format!("{ptr}/requestBody/content/{}/schema", escape_token(ct));
        let schema_of = |ct: &str| content.get(ct).and_then(|c| c.get("schema"));
        let multipart_has_files =
            schema_of("multipart/form-data").is_some_and(|s| self.has_binary(s, 0));
        let same_schema = schema_of("application/json")
            .is_some_and(|j| Some(j) == schema_of("multipart/form-data"));
        let choice = if content.contains_key("application/json") && !multipart_has_files {
            ("application/json", BodyKind::Json)
        } else if same_schema {
            ("multipart/form-data", BodyKind::JsonOrMultipart)
        } else if content.contains_key("multipart/form-data") {
            ("multipart/form-data", BodyKind::Multipart)
        } else if content.contains_key("application/x-www-form-urlencoded") {
            ("application/x-www-form-urlencoded", BodyKind::Form)
        } else if let Some(ct) = content.keys().next() {
            (ct.as_str(), BodyKind::Text(ct.clone()))
        } else {
            return Ok(None);
        };
        let (ct, kind) = choice;
        // A media type without a schema takes any value.
        let any = Value::Bool(true);
        let schema = schema_of(ct).unwrap_or(&any);
        let ty = match kind {
            BodyKind::Text(_) => TypeRef::String,
            _ => self.lower_ref(schema, &at(ct), &format!("{camel}Body"))?,
        };
        Ok(Some((kind, ty, at(ct))))
    }

    /// The media types of an operation's request body, through a `$ref` to a shared one.
    pub(super) fn request_content<'v>(&self, op: &'v Value, ptr: &str) -> Result<Option<&'v Obj>>
    where
        'a: 'v,
    {
        let body = match op.get("requestBody") {
            Some(b) => match b.get("$ref") {
                Some(r) => self.resolve_any(r, &format!("{ptr}/requestBody"))?.0,
                None => b,
            },
            None => return Ok(None),
        };
        Ok(body.get("content").and_then(Value::as_object))
    }

    /// Whether a schema holds `format: binary` anywhere (a file to upload).
    fn has_binary(&self, s: &Value, depth: usize) -> bool {
        if depth > 8 {
            return false;
        }
        let s = match s
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            Some(name) => match self.schemas.get(name) {
                Some(target) => target,
                None => return false,
            },
            None => s,
        };
        if s.get("format").and_then(Value::as_str) == Some("binary") {
            return true;
        }
        let Some(o) = s.as_object() else { return false };
        o.iter().any(|(k, v)| match (k.as_str(), v) {
            ("items" | "additionalProperties", v) => self.has_binary(v, depth + 1),
            ("anyOf" | "oneOf" | "allOf", Value::Array(list)) => {
                list.iter().any(|v| self.has_binary(v, depth + 1))
            }
            ("properties", Value::Object(props)) => {
                props.values().any(|v| self.has_binary(v, depth + 1))
            }
            _ => false,
        })
    }

    /// What a success answers with, and the event type when it can also be an event stream.
    ///
    /// A file is downloaded, whatever the spec calls its body: a binary schema, JSON that is only
    /// a string (`/files/{id}/content` says `application/json: {type: string}` and sends the
    /// file), or a `GET` that describes no content (a container file's content, sent as the
    /// file): reading is what a `GET` is for.
    fn response(
        &mut self,
        op: &Value,
        method: &str,
        ptr: &str,
        camel: &str,
    ) -> Result<(ResponseKind, Option<(TypeRef, StreamEnd)>)> {
        let nothing = if method == "get" {
            ResponseKind::Download
        } else {
            ResponseKind::Empty
        };
        // OpenAPI 3.1 lets an operation describe no responses: it answers nothing to read.
        let none = IndexMap::new();
        let responses = op
            .get("responses")
            .and_then(Value::as_object)
            .unwrap_or(&none);
        let Some((code, ok)) = responses.iter().find(|(code, _)| code.starts_with('2')) else {
            return Ok((nothing, None));
        };
        let ok = match ok.get("$ref") {
            Some(r) => self.resolve_any(r, &format!("{ptr}/responses/{code}"))?.0,
            None => ok,
        };
        let Some(content) = ok.get("content").and_then(Value::as_object) else {
            return Ok((nothing, None));
        };
        let at = format!("{ptr}/responses/{code}/content");
        let streaming = match content
            .get("text/event-stream")
            .and_then(|c| c.get("schema"))
        {
            Some(schema) => Some((
                self.lower_ref(
                    schema,
                    &format!("{at}/text~1event-stream/schema"),
                    &format!("{camel}Event"),
                )?,
                self.stream_end(op, schema),
            )),
            None => None,
        };
        // Downloads also list `application/json: {type: string}`; the body is the file.
        let binary = content
            .values()
            .any(|c| c.pointer("#/schema/format").and_then(Value::as_str) == Some("binary"));
        let json = content
            .get("application/json")
            .and_then(|c| c.get("schema"));
        if binary || json.is_some_and(|schema| self.is_bare_string(schema)) {
            return Ok((ResponseKind::Download, streaming));
        }
        if let Some(schema) = json {
            let ty = self.lower_ref(
                schema,
                &format!("{at}/application~1json/schema"),
                &format!("{camel}Response"),
            )?;
            return Ok((ResponseKind::Json(ty), streaming));
        }
        let textual = |ct: &str| ct.starts_with("text/") || ct == "application/sdp";
        // An operation that only streams: the plain method gives the event stream's text, its
        // `_stream` sibling the typed events.
        let kind = match content.keys().find(|ct| *ct != "text/event-stream") {
            Some(ct) if !textual(ct) => ResponseKind::Download,
            _ => ResponseKind::Text,
        };
        Ok((kind, streaming))
    }

    /// Whether `schema` is a string and nothing more: no values listed, no format, no union.
    fn is_bare_string(&self, schema: &Value) -> bool {
        let Ok((schema, _)) = self.resolve(schema, "#") else {
            return false;
        };
        schema.as_object().is_some_and(|s| {
            s.get("type").and_then(Value::as_str) == Some("string")
                && s.keys().all(|k| {
                    matches!(
                        k.as_str(),
                        "type" | "description" | "title" | "example" | "examples"
                    )
                })
        })
    }

    /// The body field that asks for a stream: a boolean `stream`, or a `stream_format` that
    /// offers `sse`.
    fn stream_switch(&self, op: &Value) -> Option<(String, SwitchValue)> {
        let content = self.request_content(op, "#").ok()??;
        let schema = content.values().find_map(|c| c.get("schema"))?;
        let (schema, at) = self.resolve(schema, "#").ok()?;
        let mut parts = super::schema::Parts::default();
        self.gather(schema.as_object()?, &at, &mut parts).ok()?;
        let props = parts.props;
        if props.contains_key("stream") {
            return Some(("stream".to_owned(), SwitchValue::True));
        }
        let (_, format) = props.get("stream_format")?;
        let (format, _) = self.resolve(format, "#").ok()?;
        let offers_sse = format
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|v| v.iter().any(|v| v.as_str() == Some("sse")));
        offers_sse.then(|| {
            (
                "stream_format".to_owned(),
                SwitchValue::Text("sse".to_owned()),
            )
        })
    }
}

/// A union schema's branches (none for other schemas).
pub(super) fn branches_of(schema: &Value) -> &[Value] {
    schema
        .as_object()
        .and_then(super::schema::union_branches)
        .map_or(&[], |(_, branches)| branches)
}

#[cfg(test)]
mod tests {
    use crate::ir::{BodyKind, ResponseKind, TypeRef};

    const SPEC: &str = r##"
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /things:
    post:
      operationId: createThing
      requestBody: {$ref: '#/components/requestBodies/ThingBody'}
      responses:
        "200": {$ref: '#/components/responses/ThingResponse'}
      x-oaiMeta:
        examples:
          request: {python: "client.things.create(name=\"a\")"}
  /things?beta=true:
    post:
      operationId: beta_createThing
      parameters:
        - {$ref: '#/components/parameters/Betas'}
      requestBody: {$ref: '#/components/requestBodies/ThingBody'}
      x-oaiMeta:
        examples:
          request: {python: "client.things.create(name=\"a\")"}
  /shared:
    $ref: '#/components/pathItems/Shared'
components:
  pathItems:
    Shared:
      get:
        operationId: getShared
        responses: {"204": {description: none}}
  parameters:
    Betas:
      name: openai-beta
      in: header
      schema: {type: array, items: {type: string}}
  requestBodies:
    ThingBody:
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Thing'}
  responses:
    ThingResponse:
      description: ok
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Thing'}
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
"##;

    #[test]
    fn shared_parts_fixed_queries_and_header_parameters() {
        let spec = crate::load::load(SPEC).unwrap();
        let (api, warnings) = crate::lower::lower(&spec).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let op = |id: &str| api.operations.iter().find(|o| o.id == id).unwrap();
        let plain = op("createThing");
        assert_eq!(
            (plain.resource.join("."), plain.name.as_str()),
            ("things".into(), "create")
        );
        assert_eq!(
            plain.body,
            Some((BodyKind::Json, TypeRef::Named("Thing".into())))
        );
        assert_eq!(
            plain.response,
            ResponseKind::Json(TypeRef::Named("Thing".into()))
        );
        // The flag in the path key is a namespace, sent as a query; the header parameter is a
        // field of the parameters, sent as a header.
        let beta = op("beta_createThing");
        assert_eq!(beta.resource, ["beta", "things"]);
        assert_eq!(beta.name, "create");
        assert_eq!(beta.path, "/things");
        assert_eq!(beta.fixed_query, [("beta".to_owned(), "true".to_owned())]);
        assert_eq!(beta.headers, ["openai-beta"]);
        assert!(beta.query.is_some());
        // No responses described: nothing to read.
        assert_eq!(beta.response, ResponseKind::Empty);
        // A shared path item's operations are the path's.
        assert_eq!(op("getShared").path, "/shared");
    }

    /// A body with a `stream` flag, no event stream among the responses, and `extra` more
    /// schemas (YAML lines under `components.schemas`).
    fn runs_spec(extra: &str) -> String {
        let rest = format!(
            r##"      responses:
        "200":
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Run'}}
components:
  schemas:
    Run:
      type: object
      properties:
        id: {{type: string}}
    RunEvent:
      oneOf:
        - type: object
          properties:
            event: {{type: string, enum: [run.created]}}
            data: {{$ref: '#/components/schemas/Run'}}
          required: [event, data]
    StreamEvent:
      oneOf:
        - $ref: '#/components/schemas/RunEvent'
        - type: object
          properties:
            event: {{type: string, enum: [done]}}
            data: {{type: string, enum: ["[DONE]"]}}
          required: [event, data]
{extra}"##
        );
        crate::lower::fixture::post_things("                stream: {type: boolean}", &rest)
    }

    #[test]
    fn a_stream_flag_streams_the_outermost_union_carrying_the_response() {
        let lower = |extra: &str| crate::lower::fixture::streaming(&runs_spec(extra));
        let streaming = lower("").expect("a stream");
        assert_eq!(streaming.event, TypeRef::Named("StreamEvent".into()));
        assert!(streaming.framed);
        assert_eq!(
            streaming.switch.map(|(field, _)| field),
            Some("stream".into())
        );
        // Two unions carrying the run, neither inside the other: no way to tell, no stream.
        let other =
            "    OtherEvent:\n      oneOf:\n        - $ref: '#/components/schemas/RunEvent'\n";
        assert_eq!(lower(other), None);
    }
}
