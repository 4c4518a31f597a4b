//! Function tools from Rust types (openai-python's `pydantic_function_tool`): the tool's
//! parameters are the type's strict schema, and a call's arguments parse back into the type.

use super::{decode, format_name, strict_schema};
use crate::error::{Error, Result};
#[cfg(feature = "chat")]
use crate::types::{ChatCompletionMessageToolCall, ChatCompletionTool};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// `T`'s function: named after the type, described by its doc comment (taken out of the
/// parameters, so it is sent once), its parameters the strict schema.
fn function<T: JsonSchema>() -> Result<Map<String, Value>> {
    let mut parameters = strict_schema::<T>()?;
    let description = parameters
        .as_object_mut()
        .and_then(|p| p.remove("description"));
    let mut function = Map::new();
    function.insert("name".to_owned(), format_name(&T::schema_name()).into());
    if let Some(description) = description {
        function.insert("description".to_owned(), description);
    }
    function.insert("parameters".to_owned(), parameters);
    function.insert("strict".to_owned(), true.into());
    Ok(function)
}

/// Decodes a tool built as JSON into its generated type (whose field types differ between
/// versions of the spec; the wire format does not).
fn tool<D: DeserializeOwned>(json: Value) -> Result<D> {
    serde_json::from_value(json)
        .map_err(|e| Error::InvalidArgument(format!("cannot build the tool: {e}")))
}

/// A function tool made from a Rust type (in [`prelude`](crate::prelude)): [`ChatCompletionTool`]
/// for chat, `FunctionTool` for the Responses API.
pub trait FromType: Sized {
    /// A strict function tool whose arguments are a `T`: named after `T`, described by its doc
    /// comment. Parse a call's arguments back with [`ParseArguments::parse_arguments`]; change
    /// `name` or `description` by setting the fields.
    fn from_type<T: JsonSchema>() -> Result<Self>;
}

/// A tool call's arguments as a Rust type (in [`prelude`](crate::prelude)):
/// [`ChatCompletionMessageToolCall`] for chat, `FunctionToolCall` for the Responses API.
pub trait ParseArguments {
    /// The call's arguments as `T` (the type its tool was made from).
    fn parse_arguments<T: DeserializeOwned>(&self) -> Result<T>;
}

#[cfg(feature = "chat")]
impl FromType for ChatCompletionTool {
    fn from_type<T: JsonSchema>() -> Result<Self> {
        tool(serde_json::json!({ "type": "function", "function": function::<T>()? }))
    }
}

#[cfg(feature = "chat")]
impl ParseArguments for ChatCompletionMessageToolCall {
    fn parse_arguments<T: DeserializeOwned>(&self) -> Result<T> {
        decode(&self.function.arguments, &None)
    }
}

#[cfg(feature = "responses")]
mod responses {
    use super::{FromType, ParseArguments, decode, function, tool};
    use crate::error::Result;
    use crate::types::{FunctionTool, FunctionToolCall};
    use schemars::JsonSchema;
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    impl FromType for FunctionTool {
        fn from_type<T: JsonSchema>() -> Result<Self> {
            let mut json = function::<T>()?;
            json.insert("type".to_owned(), Value::from("function"));
            tool(Value::Object(json))
        }
    }

    impl ParseArguments for FunctionToolCall {
        fn parse_arguments<T: DeserializeOwned>(&self) -> Result<T> {
            decode(&self.arguments, &None)
        }
    }
}
