//! JSON in and out, with errors that name the field (needs the `std` feature).
//!
//! ```
//! use swapwire::{json, Record};
//! let text = r#"{"kind":"source","key":3,"revision":0,"retracted":false,"kind_of":"media","name":"Suspilne"}"#;
//! let err = json::from_str::<Record>(text).unwrap_err();
//! assert!(err.to_string().contains("kind_of"), "{err}");
//! ```

use std::fmt;
use std::string::{String, ToString};

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A JSON input that is not a valid record: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// The path of the offending field (`to_a`, `composition_a.military`), or `.` for the
    /// record as a whole.
    pub path: String,
    /// What is wrong, with the line and column where serde_json knows them.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path == "." {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for JsonError {}

/// Reads one record (of any kind, or of the kind asked for) from JSON text and validates it.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| JsonError {
        path: e.path().to_string(),
        message: e.into_inner().to_string(),
    })?;
    de.end().map_err(|e| JsonError { path: ".".into(), message: e.to_string() })?;
    Ok(value)
}

/// Writes one record as compact JSON.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, JsonError> {
    serde_json::to_string(value).map_err(|e| JsonError { path: ".".into(), message: e.to_string() })
}

/// Writes one record as indented JSON.
pub fn to_string_pretty<T: Serialize>(value: &T) -> Result<String, JsonError> {
    serde_json::to_string_pretty(value).map_err(|e| JsonError { path: ".".into(), message: e.to_string() })
}
