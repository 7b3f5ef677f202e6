//! The Source record: what a source key stands for.

use heapless::String;

use crate::codes::SourceKind;
use crate::error::{invalid, Error, Field, Reason};

/// The longest source name, in UTF-8 bytes.
pub const MAX_NAME_LEN: usize = 48;

/// A source that reports cite by key.
///
/// Keys are one namespace shared by all devices (assigned where the deployment is planned);
/// a changed name or kind is a new revision of the same key.
///
/// ```
/// use swapwire::{Codec, Source, SourceKind};
/// let s = Source::new(3, SourceKind::Media, "Suspilne").unwrap();
/// assert_eq!(s.encoded_len(), 12);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Source {
    /// The key reports cite.
    pub key: u32,
    /// Grows with each correction; 0 is the first version.
    pub revision: u32,
    /// A retracted source is a tombstone: it stays, marked withdrawn.
    pub retracted: bool,
    /// What kind of body it is.
    pub kind: SourceKind,
    /// A short name, at most [`MAX_NAME_LEN`] bytes of UTF-8, no control characters.
    pub name: String<MAX_NAME_LEN, u8>,
}

impl Source {
    /// A first-revision source; fails if the name is empty, too long or has control characters.
    pub fn new(key: u32, kind: SourceKind, name: &str) -> Result<Self, Error> {
        let name = String::try_from(name).map_err(|_| invalid(Field::Name, Reason::TooLong))?;
        let s = Source { key, revision: 0, retracted: false, kind, name };
        s.validate()?;
        Ok(s)
    }

    /// Checks every invariant; decoders call this on everything they accept.
    pub fn validate(&self) -> Result<(), Error> {
        check_name(&self.name).map_err(|r| invalid(Field::Name, r))
    }
}

/// The rules for a source name, shared with the decoders.
pub(crate) fn check_name(name: &str) -> Result<(), Reason> {
    if name.is_empty() {
        Err(Reason::Empty)
    } else if name.len() > MAX_NAME_LEN {
        Err(Reason::TooLong)
    } else if has_control(name) {
        Err(Reason::ControlChar)
    } else {
        Ok(())
    }
}

/// Whether a text holds a control character. Names are nearly always ASCII, where a byte test
/// is enough; decoding UTF-8 for them took a tenth of the encode time.
fn has_control(text: &str) -> bool {
    // One pass for the common case: printable ASCII only. A fold without early exit, so that
    // the compiler can test many bytes per instruction.
    if text.bytes().fold(true, |printable, b| printable & (b.wrapping_sub(0x20) < 0x5f)) {
        false
    } else if text.is_ascii() {
        text.bytes().any(|b| b.is_ascii_control())
    } else {
        text.chars().any(char::is_control)
    }
}
