//! Stage 2: interpret the spec's schemas and lower them into the plain-data [`ir`](crate::ir).
//!
//! This is the only module that reads OpenAPI/JSON Schema keywords. It handles the 3.0 and 3.1
//! spellings alike (`nullable: true`, `type: [X, "null"]`, `anyOf [X, {type: null}]`, `const`,
//! single-value enums) and names every inline schema after the place it stands in. Validation-only
//! keywords (`minimum`, `maxLength`, `pattern`, `not`, `anyOf` branches that only list `required`)
//! do not change a type and are left out by design; anything that would change a type and cannot be
//! expressed is an error naming its JSON pointer.

pub mod areas;
mod calls;
mod chunked_upload;
mod examples;
mod fold;
mod names;
mod operations;
mod paging;
mod polling;
mod realtime;
mod recursion;
mod retrieve_streams;
mod schema;
mod stream_end;
mod unlisted_streams;
mod variant_by;

pub use names::{field_name, is_keyword, type_name};

use crate::error::{Error, Result};
use crate::ir::{Api, ConstDef, TypeDef, Webhook};
use crate::load::Spec;
use crate::value::{Value, escape_token};
use crate::warning::{Warning, WarningKind};
use indexmap::IndexMap;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The API, and the fallbacks taken to lower it (sorted).
pub fn lower(spec: &Spec) -> Result<(Api, Vec<Warning>)> {
    let schemas = spec
        .root
        .pointer("#/components/schemas")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::new("#/components/schemas", "missing or not a mapping"))?;
    let mut lowerer = Lowerer::new(&spec.root, schemas);
    lowerer.warnings.extend(spec.warnings.iter().cloned());
    let mut names: Vec<&String> = schemas.keys().collect();
    names.sort();
    for name in names {
        lowerer.ensure_component(name)?;
    }
    lowerer.realtime_events()?;
    let webhooks = lowerer.webhooks()?;
    let mut operations = lowerer.operations()?;
    variant_by::decide(&mut operations, &mut lowerer.types);
    retrieve_streams::find(&mut operations, &lowerer.types);
    polling::find(&mut operations, &lowerer.types);
    chunked_upload::find(&mut operations, &lowerer.types);
    let mut types: Vec<TypeDef> = std::mem::take(&mut lowerer.types).into_values().collect();
    let mut webhooks = webhooks;
    let components = lowerer.component_names.values().cloned().collect();
    fold::Folding {
        types: &mut types,
        operations: &mut operations,
        webhooks: &mut webhooks,
        components: &components,
    }
    .run();
    recursion::box_cycles(&mut types);
    paging::classify(&mut operations, &types, &mut lowerer.warnings);
    let mut features = std::collections::BTreeSet::new();
    let areas = areas::type_areas(&operations, &webhooks, &types);
    for t in &mut types {
        t.features = areas.get(&t.name).cloned().unwrap_or_default();
        features.extend(t.features.iter().cloned());
    }
    features.extend(
        operations
            .iter()
            .map(|op| areas::feature(&areas::area_of(op))),
    );
    features.insert(areas::WEBHOOKS.to_owned());
    features.insert(areas::REALTIME.to_owned());
    let features = features.into_iter().collect();
    let mut consts: Vec<ConstDef> = lowerer
        .consts
        .iter()
        .map(|(value, name)| ConstDef {
            name: name.clone(),
            value: value.clone(),
        })
        .collect();
    consts.sort_by(|a, b| a.name.cmp(&b.name));
    let schemas = lowerer.component_names.into_iter().collect();
    let mut warnings = lowerer.warnings;
    warnings.sort();
    warnings.dedup();
    let api = Api {
        types,
        consts,
        schemas,
        webhooks,
        operations,
        features,
    };
    Ok((api, warnings))
}

/// The named type `ty` stands for, through `null` and `Box`.
pub(super) fn named_type(ty: &crate::ir::TypeRef) -> Option<&str> {
    use crate::ir::TypeRef;
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => named_type(inner),
        _ => None,
    }
}

/// Lowering state: names handed out so far and the types defined so far.
pub(crate) struct Lowerer<'a> {
    root: &'a Value,
    schemas: &'a IndexMap<String, Value>,
    /// Component schema name → Rust type name.
    component_names: BTreeMap<String, String>,
    /// Rust type name → component schema name.
    component_by_type: BTreeMap<String, String>,
    /// Every type name in use.
    taken: BTreeSet<String>,
    /// The parts a type's name was built from (its component's name, then one part per
    /// property, item or variant on the way to it), so a long name can drop some.
    parts: HashMap<String, Vec<String>>,
    /// Inline schemas already defined, by JSON pointer, so a schema reached twice (through
    /// `allOf`) becomes one type.
    by_pointer: HashMap<String, String>,
    types: BTreeMap<String, TypeDef>,
    done: BTreeSet<String>,
    /// Constant value → marker type name.
    consts: BTreeMap<String, String>,
    const_names: BTreeSet<String>,
    warnings: Vec<Warning>,
}

impl<'a> Lowerer<'a> {
    fn new(root: &'a Value, schemas: &'a IndexMap<String, Value>) -> Self {
        let mut component_names = BTreeMap::new();
        let mut owners: BTreeMap<String, &String> = BTreeMap::new();
        let mut warnings = Vec::new();
        // Sorted, so which of two clashing schemas keeps the name does not depend on their order
        // in the document.
        let mut sorted: Vec<&String> = schemas.keys().collect();
        sorted.sort();
        let mut taken = BTreeSet::new();
        let mut clashing = Vec::new();
        for name in sorted {
            let plain = type_name(name);
            let rust = names::unreserved(plain.clone());
            if rust != plain {
                warnings.push(Warning::new(
                    WarningKind::TypeName,
                    component_pointer(name),
                    format!(
                        "`{plain}` is a name Rust code needs for its own type; this one is `{rust}`"
                    ),
                ));
            }
            if taken.insert(rust.clone()) {
                owners.insert(rust.clone(), name);
                component_names.insert(name.clone(), rust);
            } else {
                clashing.push((name, rust));
            }
        }
        for (name, rust) in clashing {
            let other = owners[&rust];
            let unique = names::unique(rust.clone(), &mut taken);
            warnings.push(Warning::new(
                WarningKind::TypeName,
                component_pointer(name),
                format!("schemas `{other}` and `{name}` both become the Rust type `{rust}`; this one is `{unique}`"),
            ));
            component_names.insert(name.clone(), unique);
        }
        Lowerer {
            root,
            schemas,
            taken: component_names.values().cloned().collect(),
            parts: component_names
                .values()
                .map(|n| (n.clone(), vec![n.clone()]))
                .collect(),
            component_by_type: component_names
                .iter()
                .map(|(k, v)| (v.clone(), k.clone()))
                .collect(),
            component_names,
            by_pointer: HashMap::new(),
            types: BTreeMap::new(),
            done: BTreeSet::new(),
            consts: BTreeMap::new(),
            const_names: BTreeSet::new(),
            warnings,
        }
    }

    /// Records a fallback taken at `pointer`.
    fn warn(&mut self, kind: WarningKind, pointer: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning::new(kind, pointer, message));
    }

    fn webhooks(&mut self) -> Result<Vec<Webhook>> {
        let none = IndexMap::new();
        let hooks = self
            .root
            .get("webhooks")
            .and_then(Value::as_object)
            .unwrap_or(&none);
        let mut out = Vec::new();
        for (event, item) in hooks {
            let base = format!("#/webhooks/{}", escape_token(event));
            let ptr = format!("{base}/post/requestBody/content/application~1json/schema");
            let (Some(post), Some(schema)) = (item.get("post"), self.root.pointer(&ptr)) else {
                self.warn(
                    WarningKind::Webhook,
                    base,
                    "no `post` with an `application/json` body: no typed event for this webhook",
                );
                continue;
            };
            let payload = self.lower_ref(schema, &ptr, &format!("{}Event", type_name(event)))?;
            out.push(Webhook {
                event: event.clone(),
                docs: schema::docs_of(post),
                payload,
            });
        }
        out.sort_by(|a, b| a.event.cmp(&b.event));
        // Every payload in one union, told apart by its constant `type`, for a receiver that
        // takes whatever event comes.
        let branches: Vec<Value> = hooks
            .keys()
            .filter_map(|event| {
                let ptr = format!(
                    "#/webhooks/{}/post/requestBody/content/application~1json/schema",
                    escape_token(event)
                );
                self.root.pointer(&ptr).cloned()
            })
            .collect();
        // Always a union, even of one event or none, so code that receives webhooks compiles
        // against any version of the spec.
        self.define_union(
            &event_union("Any webhook event the API sends, by its `type`.", branches),
            "#/webhooks",
            "WebhookEvent",
        )?;
        Ok(out)
    }

    /// The marker type for a constant string, created on first use.
    fn const_type(&mut self, value: &str) -> String {
        if let Some(name) = self.consts.get(value) {
            return name.clone();
        }
        let name = names::unique(type_name(value), &mut self.const_names);
        self.consts.insert(value.to_owned(), name.clone());
        name
    }

    /// A fresh type name for the inline schema at `ptr`: the name its place gives, or, when
    /// another type has it, that name numbered (and a warning: the number depends on which came
    /// first, so it may move when the spec changes).
    fn claim(&mut self, hint: &str, ptr: &str) -> String {
        let parts = self.parts_of(hint);
        let short = names::shortened(&parts, names::MAX_LEN);
        // A shorter name that is free; else the whole one.
        let hint = match short {
            Some(short) if !self.taken.contains(&short) => short,
            _ => names::unreserved(hint.to_owned()),
        };
        let hint = hint.as_str();
        let name = names::unique(hint.to_owned(), &mut self.taken);
        self.parts.insert(name.clone(), parts);
        if name != hint {
            self.warn(
                WarningKind::TypeName,
                ptr,
                format!("`{hint}` is another type's name; this one is `{name}`"),
            );
        }
        name
    }
}

impl Lowerer<'_> {
    /// The parts of a name built as a named type's name and one more part
    /// (`CreateAssistantRequestToolResources` → `[CreateAssistantRequest, ToolResources]`).
    fn parts_of(&self, hint: &str) -> Vec<String> {
        let longest = hint
            .char_indices()
            .filter(|(i, c)| *i > 0 && c.is_ascii_uppercase())
            .map(|(i, _)| i)
            .rev()
            .find_map(|i| Some((self.parts.get(&hint[..i])?, i)));
        match longest {
            Some((parts, i)) => {
                let mut parts = parts.clone();
                parts.push(hint[i..].to_owned());
                parts
            }
            None => vec![hint.to_owned()],
        }
    }
}

/// A union schema of event schemas told apart by their `type`.
fn event_union(description: &str, branches: Vec<Value>) -> IndexMap<String, Value> {
    IndexMap::from([
        (
            "description".to_owned(),
            Value::String(description.to_owned()),
        ),
        ("oneOf".to_owned(), Value::Array(branches)),
        (
            "discriminator".to_owned(),
            Value::Object(IndexMap::from([(
                "propertyName".to_owned(),
                Value::String("type".to_owned()),
            )])),
        ),
    ])
}

pub(crate) fn component_pointer(name: &str) -> String {
    format!("#/components/schemas/{}", escape_token(name))
}

/// The module (file) a pointer's type belongs to: its component schema, or `webhooks`.
pub(crate) fn module_of(pointer: &str) -> String {
    match pointer.strip_prefix("#/components/schemas/") {
        Some(rest) => {
            let name = rest
                .split('/')
                .next()
                .unwrap_or(rest)
                .replace("~1", "/")
                .replace("~0", "~");
            field_name(&name)
        }
        None if pointer.starts_with("#/paths/") => "operations".to_owned(),
        None => "webhooks".to_owned(),
    }
}

/// Spec fixtures for the lowering's unit tests.
#[cfg(test)]
pub(crate) mod fixture {
    /// A spec of one operation, `POST /things` (`createThing`), whose JSON body has the
    /// `properties` given (YAML lines indented 16 spaces); `rest` follows the body: the
    /// operation's other keys (indented 6) and then `components`.
    pub(crate) fn post_things(properties: &str, rest: &str) -> String {
        format!(
            r#"
openapi: 3.1.0
info: {{title: t, version: "1"}}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
{properties}
{rest}"#
        )
    }

    /// How the first operation of `spec` streams.
    pub(crate) fn streaming(spec: &str) -> Option<crate::ir::Streaming> {
        let spec = crate::load::load(spec).unwrap();
        let (api, _) = crate::lower::lower(&spec).unwrap();
        api.operations[0].streaming.clone()
    }
}
