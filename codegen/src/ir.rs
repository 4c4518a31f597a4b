//! Stage 2's output: a plain-data model of the API's types, free of OpenAPI and of tokens.
//! Lowering builds it; emitting reads it. Everything is sorted so output is deterministic.

/// The whole API as the generator understands it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Api {
    /// Every named type, component schemas and the inline schemas inside them.
    pub types: Vec<TypeDef>,
    /// One marker type per distinct constant string (`"chat.completion"`), sorted by name.
    pub consts: Vec<ConstDef>,
    /// Component schema name → generated type name (for tests and the schema count).
    pub schemas: Vec<(String, String)>,
    /// Webhook event name → payload type.
    pub webhooks: Vec<Webhook>,
    /// Every operation, sorted by resource path and method name.
    pub operations: Vec<Operation>,
    /// Every Cargo feature, sorted: one per area, `webhooks` and `extra-types`.
    pub features: Vec<String>,
}

/// One API operation, placed in the official SDKs' resource hierarchy
/// (`client.beta.threads.runs.list` → resource `[beta, threads, runs]`, name `list`).
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub id: String,
    /// JSON pointer of the operation in the spec (`#/paths/~1files/get`).
    pub pointer: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template as in the spec (`/threads/{thread_id}/runs`).
    pub path: String,
    pub resource: Vec<String>,
    pub name: String,
    pub docs: Docs,
    /// Path parameters in template order: (Rust name, wire name).
    pub path_params: Vec<(String, String)>,
    /// The struct of query parameters, if the operation has any (header parameters too).
    pub query: Option<String>,
    /// Wire names of the fields of `query` that are sent as headers, not in the query.
    pub headers: Vec<String>,
    /// Query pairs every call sends, from the path key (`/responses?beta=true`).
    pub fixed_query: Vec<(String, String)>,
    pub body: Option<(BodyKind, TypeRef)>,
    /// JSON pointer of the body schema sent (for tests that build sample bodies).
    pub body_pointer: Option<String>,
    pub response: ResponseKind,
    /// Takes the admin key (`AdminApiKeyAuth`).
    pub admin: bool,
    /// Can also answer `text/event-stream`.
    pub streaming: Option<Streaming>,
    /// A list that pages, and how to ask for the next page.
    pub paging: Option<Paging>,
    /// The body field whose value decides which variant of the union answer comes back.
    pub variant_by: Option<VariantBy>,
    /// A `GET` of an object the API works on: how to poll it (see `lower::polling`).
    pub polling: Option<Polling>,
    /// A `POST` making an object that the `GET` with this operation id polls.
    pub creates_polled: Option<String>,
    /// Such a `POST` whose body takes ids of uploaded files: the upload that gives them.
    pub uploads_then: Option<UploadThen>,
    /// A `POST` making an upload that takes its file in parts (see `lower::chunked_upload`).
    pub chunked_upload: Option<ChunkedUpload>,
    /// The spec's example requests, to show the call in Rust.
    pub examples: Vec<Example>,
}

/// One example request of the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub title: Option<String>,
    /// The request as each of the example's sources gives it, the most realistic first (the
    /// emitter shows the first that fits the types).
    pub calls: Vec<ExampleCall>,
}

/// The values an operation's arguments take in one example.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleCall {
    /// Path parameter values, in template order.
    pub path: Vec<String>,
    /// Query parameters as text, nested by their brackets (`include[]=a` → `{"include": ["a"]}`).
    pub query: Option<crate::value::Value>,
    pub body: Option<crate::value::Value>,
    /// The body came as form text: its scalars take their type from the schema.
    pub body_is_text: bool,
}

/// How a list operation pages (detected from its response's shape).
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    pub style: PagingStyle,
    /// The query parameter (Rust field of the params struct) that takes the cursor.
    pub param: String,
    /// Response fields (Rust names): the items, `has_more` if any, and the cursor if any.
    pub data: String,
    pub has_more: Option<String>,
    pub cursor: Option<String>,
    pub item: TypeRef,
    /// The item's `id` field (Rust name), when the item is an object with a string `id`.
    pub item_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagingStyle {
    /// `after` = the last item's `id`.
    ItemId,
    /// `after` = the response's `last_id`.
    LastId,
    /// `after` = the response's `next`.
    Next,
    /// `page` = the response's `next_page`.
    NextPage,
}

/// The operations of an upload in parts, and the Rust names of the fields they fill.
#[derive(Debug, Clone, PartialEq)]
pub struct ChunkedUpload {
    /// Operation ids: the `POST …/{id}/parts` and the `POST …/{id}/complete`.
    pub part: String,
    pub complete: String,
    /// The part body's file field.
    pub data: String,
    /// The creating body's size and file name fields.
    pub size: String,
    pub name: String,
    /// The completing body's list of part ids.
    pub ids: String,
}

/// A body field taking the ids of uploaded files, and the operation uploading one.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadThen {
    /// The upload's operation id.
    pub upload: String,
    /// The field's Rust name.
    pub field: String,
    pub ids: FileIds,
}

/// How a body takes file ids.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FileIds {
    /// One id (`file_id`).
    One,
    /// A list (`file_ids`), required or optional.
    Many { optional: bool },
}

/// How to tell, from a polled object, that the API is still working on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Polling {
    /// The object's status field (its Rust name).
    pub status: String,
    /// The status values that mean the API is still working.
    pub working: Vec<String>,
}

/// A body field whose values name the variants of the operation's union answer (see
/// `lower::variant_by`).
#[derive(Debug, Clone, PartialEq)]
pub struct VariantBy {
    /// The field's wire name.
    pub field: String,
    /// Each value that names a variant, with the variant's index.
    pub values: Vec<(String, usize)>,
    /// The value the API takes when the body leaves the field out.
    pub default: Option<String>,
}

/// How an operation streams: the event type, and the body field that asks for a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Streaming {
    pub event: TypeRef,
    /// `("stream", true)` or `("stream_format", "sse")`; `None` when the body has neither.
    pub switch: Option<(String, SwitchValue)>,
    /// The event type describes whole frames (`{event, data}`): each event is decoded from its
    /// `event:` name and `data:` together, not from the data alone.
    pub framed: bool,
    /// How a complete stream ends (see `lower::stream_end`).
    pub end: StreamEnd,
    /// The switch is a query parameter, not a body field (see `lower::retrieve_streams`).
    pub in_query: bool,
    /// How the stream resumes after its connection breaks, if it can.
    pub resume: Option<Resume>,
}

/// A stream that resumes through a `GET` of its object from a position in the stream
/// (`GET /responses/{response_id}?stream=true&starting_after=N`).
#[derive(Debug, Clone, PartialEq)]
pub struct Resume {
    /// The `GET`'s path template and operation id; its one path parameter is the object's id.
    pub route: String,
    pub operation: String,
    /// The event member that holds the object (`response`), whose `id` fills the path.
    pub member: String,
    /// The query parameter taking the last event's `sequence_number`.
    pub cursor: String,
}

/// How a complete stream ends; one that stops before is an error.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEnd {
    /// Not known: any end is taken as complete.
    Unknown,
    /// With `data: [DONE]`.
    Done,
    /// With one of these event types (or `[DONE]`).
    Events(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum SwitchValue {
    True,
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    Json,
    Multipart,
    /// The same schema as JSON or multipart: multipart only when the value holds files.
    JsonOrMultipart,
    Form,
    /// A text body of this content type (`application/sdp`).
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseKind {
    Json(TypeRef),
    /// A file, read as it arrives (`crate::Download`).
    Download,
    Text,
    Empty,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub event: String,
    pub docs: Docs,
    pub payload: TypeRef,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    /// File (module) the type is written to: the snake name of the component schema it came from.
    pub module: String,
    /// JSON pointer of the schema, kept for docs and error messages.
    pub pointer: String,
    pub docs: Docs,
    pub kind: TypeKind,
    /// The Cargo features that need this type (see `lower::areas`).
    pub features: std::collections::BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    Enum(StringEnum),
    Union(Union),
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Struct {
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust identifier (without `r#`).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    pub ty: TypeRef,
    pub required: bool,
    /// `null` is a valid value (`nullable`, `anyOf [X, null]`, `type: [X, null]`).
    pub nullable: bool,
    pub docs: Docs,
    /// JSON pointer of the property's schema (for tests and messages).
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
    /// Index of the spec's `default` value, if any.
    pub default: Option<usize>,
    /// Any string is valid, the variants are only the known ones (`anyOf: [string, enum]`, as
    /// model ids are): the fallback variant is `Other`, not `Unknown`.
    pub open: bool,
    /// The named enums whose values this one holds all of (its `$ref` branches): each converts
    /// into this one.
    pub includes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    pub shape: Shape,
    pub docs: Docs,
}

/// What a JSON value must look like to be decoded as a union variant; mirrors `sdk::rt::Shape`.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Bool,
    Integer,
    Number,
    String,
    /// A string out of a closed list (an enum or a constant).
    Strings(Vec<String>),
    /// An array, and what its items look like (`Any` when not known), so a union of arrays
    /// picks its variant by the items.
    Array(Box<Shape>),
    Object(ObjectShape),
    Any,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectShape {
    /// Discriminator property and the values that select this variant.
    pub tag: Option<(String, Vec<String>)>,
    pub required: Vec<String>,
    /// Other properties with a closed set of string values, to tell apart variants sharing a tag.
    pub enums: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    Integer,
    Number,
    Boolean,
    /// Any JSON value (a schema without constraints).
    Json,
    /// A free-form JSON object.
    JsonObject,
    /// `format: binary`: file contents in an upload.
    Binary,
    Named(String),
    /// A constant string; names a [`ConstDef`].
    Const(String),
    Array(Box<TypeRef>),
    Map(Box<TypeRef>),
    Nullable(Box<TypeRef>),
    /// Set by the recursion pass where a field or variant would make a type infinitely large.
    Boxed(Box<TypeRef>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConstDef {
    pub name: String,
    pub value: String,
}
