//! Operations: where each sits in the resource hierarchy, its parameters, body and response.

use super::examples::{self, Signature};
use super::{Lowerer, names, type_name};
use crate::error::{Error, Result};
use crate::ir::{BodyKind, Operation, ResponseKind, Streaming, SwitchValue, TypeRef};
use crate::lower::schema::docs_of;
use crate::value::{Value, escape_token};
use indexmap::IndexMap;
use std::collections::BTreeSet;

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

/// A place in the hierarchy for an operation without an official-SDK snippet, from its path:
/// static segments are resources; the method name follows the official SDKs' conventions.
fn derived_call(method: &str, path: &str) -> Vec<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let on_item = segments.last().is_some_and(|s| s.starts_with('{'));
    let mut call: Vec<String> = segments
        .iter()
        .filter(|s| !s.starts_with('{'))
        .map(|s| names::field_name(s))
        .collect();
    let action = segments.len() >= 2 && !on_item && segments[segments.len() - 2].starts_with('{');
    if !action {
        call.push(
            match (method, on_item) {
                ("get", true) => "retrieve",
                ("get", false) => "list",
                ("delete", _) => "delete",
                ("post", true) | ("put", _) | ("patch", _) => "update",
                _ => "create",
            }
            .to_owned(),
        );
    }
    call
}

fn python_snippets(op: &Value) -> impl Iterator<Item = &str> {
    examples::list(op)
        .into_iter()
        .filter_map(|e| e.pointer("#/request/python").and_then(Value::as_str))
}

impl Lowerer<'_> {
    pub(super) fn operations(&mut self) -> Result<Vec<Operation>> {
        let Some(paths) = self.root.get("paths").and_then(Value::as_object) else {
            return Ok(Vec::new());
        };
        let mut out: Vec<Operation> = Vec::new();
        let mut seen = BTreeSet::new();
        for (path, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let ptr = format!("#/paths/{}/{method}", escape_token(path));
                let operation = self.operation(path, method, item, op, &ptr)?;
                let mut call = operation.resource.clone();
                call.push(operation.name.clone());
                if !seen.insert(call.clone()) {
                    return Err(Error::new(
                        ptr,
                        format!("a second operation is named `client.{}`", call.join(".")),
                    ));
                }
                out.push(operation);
            }
        }
        out.sort_by(|a, b| (&a.resource, &a.name).cmp(&(&b.resource, &b.name)));
        Ok(out)
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        item: &Value,
        op: &Value,
        ptr: &str,
    ) -> Result<Operation> {
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::new(ptr, "an operation needs an `operationId`"))?
            .to_owned();
        let mut call = python_snippets(op)
            .find_map(|s| examples::python_call(s).map(|(call, _)| call))
            .unwrap_or_else(|| derived_call(method, path));
        let name = call
            .pop()
            .filter(|n| !n.is_empty())
            .ok_or_else(|| Error::new(ptr, "cannot name this operation"))?;
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
                if p.get("$ref").is_some() {
                    return Err(Error::new(pptr, "unsupported: a `$ref` parameter"));
                }
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
        for piece in path.split('{').skip(1) {
            let wire = piece.split('}').next().unwrap_or_default();
            if !params.contains_key(&format!("path:{wire}")) {
                return Err(Error::new(
                    ptr,
                    format!("path parameter `{wire}` is not described"),
                ));
            }
            path_params.push((names::field_name(wire), wire.to_owned()));
        }
        let query = self.query_params(&params, ptr, &format!("{camel}Params"))?;
        let (body, body_pointer) = match self.request_body(op, ptr, &camel)? {
            Some((kind, ty, at)) => (Some((kind, ty)), Some(at)),
            None => (None, None),
        };
        let (response, stream_event) = self.response(op, ptr, &camel)?;
        let streaming = stream_event.map(|event| Streaming {
            event,
            switch: self.stream_switch(op),
        });
        let admin = op
            .get("security")
            .and_then(Value::as_array)
            .is_some_and(|s| s.iter().any(|r| r.get("AdminApiKeyAuth").is_some()));
        let examples = examples::examples(
            op,
            &Signature {
                path,
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
            id,
            method: method.to_uppercase(),
            path: path.to_owned(),
            resource,
            name,
            docs,
            path_params,
            query,
            body,
            body_pointer,
            response,
            admin,
            streaming,
            paging: None,
            examples,
        })
    }

    /// The query parameters as one struct (so optional ones are easy to leave out).
    fn query_params(
        &mut self,
        params: &IndexMap<String, (String, Value)>,
        ptr: &str,
        hint: &str,
    ) -> Result<Option<String>> {
        let mut properties = IndexMap::new();
        let mut required = Vec::new();
        for (key, (pptr, p)) in params {
            let Some(name) = key.strip_prefix("query:") else {
                if !key.starts_with("path:") {
                    return Err(Error::new(
                        pptr,
                        format!("unsupported parameter location in `{key}`"),
                    ));
                }
                continue;
            };
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
            return Ok(None);
        }
        let schema = IndexMap::from([
            ("type".to_owned(), Value::String("object".to_owned())),
            (
                "description".to_owned(),
                Value::String("Query parameters.".to_owned()),
            ),
            ("properties".to_owned(), Value::Object(properties)),
            ("required".to_owned(), Value::Array(required)),
        ]);
        match self.lower_ref(&Value::Object(schema), &format!("{ptr}/parameters"), hint)? {
            TypeRef::Named(name) => Ok(Some(name)),
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
        let Some(content) = op
            .pointer("#/requestBody/content")
            .and_then(Value::as_object)
        else {
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
        let schema =
            schema_of(ct).ok_or_else(|| Error::new(at(ct), "a request body needs a schema"))?;
        let ty = match kind {
            BodyKind::Text(_) => TypeRef::String,
            _ => self.lower_ref(schema, &at(ct), &format!("{camel}Body"))?,
        };
        Ok(Some((kind, ty, at(ct))))
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
    fn response(
        &mut self,
        op: &Value,
        ptr: &str,
        camel: &str,
    ) -> Result<(ResponseKind, Option<TypeRef>)> {
        let responses = op
            .get("responses")
            .and_then(Value::as_object)
            .ok_or_else(|| Error::new(ptr, "an operation needs `responses`"))?;
        let Some((code, ok)) = responses.iter().find(|(code, _)| code.starts_with('2')) else {
            return Ok((ResponseKind::Empty, None));
        };
        let Some(content) = ok.get("content").and_then(Value::as_object) else {
            return Ok((ResponseKind::Empty, None));
        };
        let at = format!("{ptr}/responses/{code}/content");
        let streaming = match content
            .get("text/event-stream")
            .and_then(|c| c.get("schema"))
        {
            Some(schema) => Some(self.lower_ref(
                schema,
                &format!("{at}/text~1event-stream/schema"),
                &format!("{camel}Event"),
            )?),
            None => None,
        };
        // Downloads also list `application/json: {type: string}`; the body is the file.
        let binary = content
            .values()
            .any(|c| c.pointer("#/schema/format").and_then(Value::as_str) == Some("binary"));
        if let Some(schema) = content
            .get("application/json")
            .and_then(|c| c.get("schema"))
            .filter(|_| !binary)
        {
            let ty = self.lower_ref(
                schema,
                &format!("{at}/application~1json/schema"),
                &format!("{camel}Response"),
            )?;
            return Ok((ResponseKind::Json(ty), streaming));
        }
        let textual = |ct: &str| ct.starts_with("text/") || ct == "application/sdp";
        let kind = match content.keys().find(|ct| *ct != "text/event-stream") {
            Some(ct) if textual(ct) => ResponseKind::Text,
            Some(_) => ResponseKind::Bytes,
            None => {
                return Err(Error::new(
                    at,
                    "unsupported: an operation that only answers `text/event-stream`",
                ));
            }
        };
        Ok((kind, streaming))
    }

    /// The body field that asks for a stream: a boolean `stream`, or a `stream_format` that
    /// offers `sse`.
    fn stream_switch(&self, op: &Value) -> Option<(String, SwitchValue)> {
        let content = op
            .pointer("#/requestBody/content")
            .and_then(Value::as_object)?;
        let schema = content.values().find_map(|c| c.get("schema"))?;
        let (schema, at) = self.resolve(schema, "#").ok()?;
        let mut props = IndexMap::new();
        let mut required = BTreeSet::new();
        self.gather(schema.as_object()?, &at, &mut props, &mut required)
            .ok()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_the_rest() {
        assert_eq!(
            derived_call("get", "/audio/voice_consents"),
            ["audio", "voice_consents", "list"]
        );
        assert_eq!(
            derived_call("post", "/audio/voice_consents/{consent_id}"),
            ["audio", "voice_consents", "update"]
        );
        assert_eq!(
            derived_call("delete", "/audio/voice_consents/{consent_id}"),
            ["audio", "voice_consents", "delete"]
        );
        assert_eq!(
            derived_call("post", "/batches/{batch_id}/cancel"),
            ["batches", "cancel"]
        );
        assert_eq!(
            derived_call("post", "/realtime/translations/client_secrets"),
            ["realtime", "translations", "client_secrets", "create"]
        );
    }
}
