//! The one error type of the generator: every problem names the JSON pointer of the place in the
//! spec that caused it, so a user can find it in a 3 MB file.

use std::fmt;

/// A problem with the spec (or with writing the output), located by a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// JSON pointer into the spec (`#/components/schemas/Foo/properties/bar`), or a file path
    /// for output errors.
    pub pointer: String,
    pub message: String,
}

impl Error {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
