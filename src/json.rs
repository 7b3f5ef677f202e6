//! JSON in and out, with errors that name the field (needs the `std` feature).
//!
//! ```
//! use swapwire::{json, Record};
//! let text = r#"{"record":"count","origin":1,"seq":2,"population":"civilians_held","holder":"RU","people":"UA","quantity":"over 16000","source":2,"grade":"B2"}"#;
//! let err = json::from_str::<Record>(text).unwrap_err();
//! assert_eq!(err.path, "quantity");
//! assert!(err.message.starts_with("invalid quantity \"over 16000\""), "{err}");
//! ```

use std::fmt;
use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use serde::de::DeserializeSeed;
use serde::Serialize;
use serde_json::Value;

use crate::human::TagSeed;
use crate::{Count, Exchange, Kind, Record, Source};

/// A JSON input that is not a valid record: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// The path of the offending field (`to_a`, `composition_a.military`), or `.` for the
    /// record as a whole (a broken invariant names its field at the start of the message).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl JsonError {
    fn whole(message: impl ToString) -> Self {
        JsonError { path: ".".into(), message: message.to_string() }
    }

    /// The error of an element of many: its path put after the element's name.
    fn within(self, element: &str, separator: &str) -> Self {
        let path = if self.path == "." { element.into() } else { format!("{element}{separator}{}", self.path) };
        JsonError { path, message: self.message }
    }
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

/// The record types that read from JSON.
pub trait FromJson: Sized + sealed::Sealed {
    /// Reads and validates a value from a parsed JSON value.
    fn from_json_value(value: Value) -> Result<Self, JsonError>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::Record {}
    impl Sealed for crate::Exchange {}
    impl Sealed for crate::Count {}
    impl Sealed for crate::Source {}
}

impl FromJson for Record {
    fn from_json_value(value: Value) -> Result<Self, JsonError> {
        crate::human::record_from_value(value).map_err(|(path, message)| JsonError { path, message })
    }
}

macro_rules! from_json_kind {
    ($($ty:ident),+) => {$(
        impl FromJson for $ty {
            fn from_json_value(value: Value) -> Result<Self, JsonError> {
                // The tag is checked first: a parsed object's fields come in name order, so a
                // wrong tag would otherwise be reported as the other kind's first field.
                if let Some(tag) = value.get("record") {
                    DeserializeSeed::deserialize(TagSeed(Kind::$ty), tag)
                        .map_err(|e| JsonError { path: "record".into(), message: e.to_string() })?;
                }
                serde_path_to_error::deserialize(value)
                    .map_err(|e| JsonError { path: e.path().to_string(), message: e.into_inner().to_string() })
            }
        }
    )+};
}
from_json_kind!(Exchange, Count, Source);

/// Reads one record (of any kind, or of the kind asked for) from JSON text and validates it.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, JsonError> {
    T::from_json_value(serde_json::from_str(text).map_err(JsonError::whole)?)
}

/// Reads many records: a JSON array of records, or records one per line (NDJSON, blank lines
/// skipped). Each is validated; the first bad one stops the reading, and its error's path
/// names it: `[3].to_a` in an array (0-based), `line 4: to_a` in NDJSON (1-based lines).
///
/// ```
/// use swapwire::{json, Record};
/// let one = r#"{"record":"source","key":1,"kind":"media","name":"AFP"}"#;
/// let records = json::from_str_many(&format!("[{one}, {one}]"))?;
/// assert_eq!(records.len(), 2);
/// assert_eq!(json::from_str_many(&format!("{one}\n\n{one}\n"))?, records);
///
/// let bad = one.replace("media", "press");
/// let err = json::from_str_many(&format!("[{one}, {bad}]")).unwrap_err();
/// assert_eq!(err.path, "[1].kind");
/// let err = json::from_str_many(&format!("{one}\n\n{bad}\n")).unwrap_err();
/// assert_eq!(err.path, "line 3: kind");
/// assert!(err.to_string().starts_with("line 3: kind: invalid source kind \"press\""));
/// # Ok::<(), json::JsonError>(())
/// ```
pub fn from_str_many(text: &str) -> Result<Vec<Record>, JsonError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('[') {
        let values: Vec<Value> = serde_json::from_str(text).map_err(JsonError::whole)?;
        return values
            .into_iter()
            .enumerate()
            .map(|(i, value)| Record::from_json_value(value).map_err(|e| e.within(&format!("[{i}]"), ".")))
            .collect();
    }
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| from_str::<Record>(line).map_err(|e| e.within(&format!("line {}", i + 1), ": ")))
        .collect()
}

/// Reads one record from an already parsed JSON value and validates it.
pub fn from_value<T: FromJson>(value: Value) -> Result<T, JsonError> {
    T::from_json_value(value)
}

/// Writes one record as compact JSON.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, JsonError> {
    serde_json::to_string(value).map_err(JsonError::whole)
}

/// Writes one record as indented JSON.
pub fn to_string_pretty<T: Serialize>(value: &T) -> Result<String, JsonError> {
    serde_json::to_string_pretty(value).map_err(JsonError::whole)
}
