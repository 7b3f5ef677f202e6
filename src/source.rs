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

/// Whether a text holds a control character (Unicode category Cc: U+0000–U+001F and
/// U+007F–U+009F). In UTF-8 those are the bytes below 0x20, 0x7F, and 0xC2 followed by
/// 0x80–0x9F; 0xC2 is never a continuation byte, so one pass over the bytes decides, with no
/// UTF-8 decoding. A fold without early exit, so that the compiler can test many bytes at once.
///
/// On bare metal (`target_os = "none"`) only the byte scan: the printable-ASCII pass first is
/// faster on a host, where it is vectorised, and 24 bytes of flash on a Cortex-M.
fn has_control(text: &str) -> bool {
    // Printable ASCII, nearly every name, first: a fold the compiler vectorises.
    #[cfg(not(target_os = "none"))]
    if text.bytes().fold(true, |printable, b| printable & (b.wrapping_sub(0x20) < 0x5f)) {
        return false;
    }
    control_scan(text)
}

/// [`has_control`] without its printable-ASCII pass.
fn control_scan(text: &str) -> bool {
    let mut prev = 0u8;
    text.bytes().any(|b| {
        let c1 = prev == 0xc2 && b < 0xa0;
        prev = b;
        b < 0x20 || b == 0x7f || c1
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_test_on_bytes_agrees_with_char_is_control() {
        let mut buf = [0u8; 12];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            // The character alone, and between ASCII and after a two-byte character.
            let alone = c.encode_utf8(&mut buf[..4]).len();
            let text = core::str::from_utf8(&buf[..alone]).unwrap();
            assert_eq!(has_control(text), c.is_control(), "{c:?}");
            assert_eq!(control_scan(text), c.is_control(), "{c:?}"); // the bare-metal path
        }
        for text in ["Suspilne", "Суспільне", "a\u{85}b", "é\u{9f}", "\u{a0}\u{c2}", "\u{100}x", "ok\u{7f}"] {
            assert_eq!(has_control(text), text.chars().any(char::is_control), "{text:?}");
            assert_eq!(control_scan(text), text.chars().any(char::is_control), "{text:?}");
        }
    }
}
