//! Source names: text that keeps the name rules by construction.

use core::borrow::Borrow;
use core::fmt;
use core::ops::Deref;
use core::str::FromStr;

use heapless::String;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::error::{invalid, Error, Field, Reason};

/// The longest source name, in UTF-8 bytes.
pub const MAX_NAME_LEN: usize = 64;

/// A source's name: at most [`MAX_NAME_LEN`] bytes of UTF-8 without control characters.
///
/// The rules are checked once, when a name is made ([`Name::new`], [`Name::set`], `parse`,
/// `TryFrom<&str>`, decoding, JSON, the C API's conversion), so a `Name` that exists keeps
/// them and [`Source::validate`](crate::Source::validate), which every `encode` runs, need not
/// scan the text again. The scan was more than half of a Source's encode
/// (`scripts/instr-table.py`).
///
/// A name may be empty: that is the default, and what decoding starts from. A Source must not
/// have one; its validation rejects it as `Invalid(Name, Empty)`.
///
/// ```
/// use swapwire::{Error, Field, Name, Reason};
/// let name = Name::new("Суспільне")?;
/// assert_eq!(name, "Суспільне");
/// assert_eq!(name.len(), 18); // bytes of UTF-8; a Name reads as a `&str`
/// assert_eq!("line\nbreak".parse::<Name>(), Err(Error::Invalid(Field::Name, Reason::ControlChar)));
/// assert_eq!(Name::new(&"x".repeat(65)), Err(Error::Invalid(Field::Name, Reason::TooLong)));
/// # Ok::<(), Error>(())
/// ```
#[derive(Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(String<MAX_NAME_LEN, u8>);

impl Name {
    /// The empty name (also `Name::default()`). A function, not an associated `const`: a
    /// constant is copied whole, all 65 bytes, where this sets only the length.
    #[inline]
    pub const fn empty() -> Self {
        Name(String::new())
    }

    /// A name from `text`; fails with `Invalid(Name, TooLong)` over [`MAX_NAME_LEN`] bytes and
    /// `Invalid(Name, ControlChar)` if it holds a control character.
    pub fn new(text: &str) -> Result<Self, Error> {
        Name::checked(text).map_err(|r| invalid(Field::Name, r))
    }

    /// [`Name::new`] with the bare reason, for the readers that report it their own way.
    pub(crate) fn checked(text: &str) -> Result<Self, Reason> {
        let mut name = Name::empty();
        name.replace(text)?;
        Ok(name)
    }

    /// Replaces the name with `text` in place, under the rules of [`Name::new`]; on error the
    /// name is left as it was.
    pub fn set(&mut self, text: &str) -> Result<(), Error> {
        self.replace(text).map_err(|r| invalid(Field::Name, r))
    }

    fn replace(&mut self, text: &str) -> Result<(), Reason> {
        check(text)?;
        self.0.clear();
        // Fits: at most MAX_NAME_LEN bytes, checked above.
        self.0.push_str(text).map_err(|_| Reason::TooLong)
    }

    /// The name as text.
    #[inline]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// The rules a name's text must meet (an empty text meets them).
///
/// Out of line on hosts: inlined into [`Name::set`], it let the compiler turn the copy that
/// follows into an unrolled byte loop, 50 more instructions per Source decoded
/// (`scripts/instr-table.py`). Bare metal inlines it, which is 8 to 28 bytes smaller.
#[cfg_attr(not(target_os = "none"), inline(never))]
fn check(text: &str) -> Result<(), Reason> {
    if text.len() > MAX_NAME_LEN {
        Err(Reason::TooLong)
    } else if has_control(text) {
        Err(Reason::ControlChar)
    } else {
        Ok(())
    }
}

impl Clone for Name {
    fn clone(&self) -> Self {
        Name(self.0.clone())
    }

    /// In place, where the default would build a copy aside and move it in: copying a stored
    /// record into a caller's slot stays one record deep on the stack.
    fn clone_from(&mut self, source: &Self) {
        self.0.clear();
        // Same capacity on both sides: this cannot fail.
        let _ = self.0.push_str(source.as_str());
    }
}

impl Deref for Name {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    #[inline]
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Name {
    #[inline]
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl TryFrom<&str> for Name {
    type Error = Error;
    fn try_from(text: &str) -> Result<Self, Error> {
        Name::new(text)
    }
}

impl FromStr for Name {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self, Error> {
        Name::new(text)
    }
}

impl PartialEq<str> for Name {
    #[inline]
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    #[inline]
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Name> for str {
    #[inline]
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Name> for &str {
    #[inline]
    fn eq(&self, other: &Name) -> bool {
        *self == other.as_str()
    }
}

/// As the text: a Source's `Debug` shows `name: "Suspilne"`.
impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string, in every serde format.
impl Serialize for Name {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A string that meets the rules; one that does not is an error naming the rule.
impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(NameVisitor)
    }
}

struct NameVisitor;

impl Visitor<'_> for NameVisitor {
    type Value = Name;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a source name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Name, E> {
        Name::checked(v).map_err(|r| E::custom(r.message()))
    }
}

/// Whether a text holds a control character (Unicode category Cc: U+0000–U+001F and
/// U+007F–U+009F). In UTF-8 those are the bytes below 0x20, 0x7F, and 0xC2 followed by
/// 0x80–0x9F; 0xC2 is never a continuation byte, so one pass over the bytes decides, with no
/// UTF-8 decoding.
///
/// On a host, eight bytes at a time: byte by byte, this check was more than half of a Source's
/// encode (`scripts/instr-table.py`) while `encode` still ran it. Bare metal
/// (`target_os = "none"`) keeps the byte scan, which is smaller.
fn has_control(text: &str) -> bool {
    #[cfg(not(target_os = "none"))]
    {
        let bytes = text.as_bytes();
        let mut chunks = bytes.chunks_exact(8);
        let mut prev = 0u8;
        for chunk in &mut chunks {
            if word_has_control(prev, chunk) {
                return true;
            }
            prev = chunk.last().copied().unwrap_or_default();
        }
        // The tail as the last eight bytes, overlapping the chunk before, when there are eight.
        match bytes.len().checked_sub(8) {
            Some(start) if !chunks.remainder().is_empty() => {
                let before = start.checked_sub(1).and_then(|i| bytes.get(i)).copied().unwrap_or_default();
                word_has_control(before, bytes.get(start..).unwrap_or_default())
            }
            Some(_) => false,
            None => control_scan(0, bytes),
        }
    }
    #[cfg(target_os = "none")]
    control_scan(0, text.as_bytes())
}

/// [`has_control`] on eight bytes `chunk`, `prev` being the byte before them.
#[cfg(not(target_os = "none"))]
#[inline(always)]
fn word_has_control(prev: u8, chunk: &[u8]) -> bool {
    let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
    if has_below(x, 0x20) | has_below(x ^ lanes(0x7f), 1) != 0 {
        return true;
    }
    // Only a chunk that starts after 0xC2 or holds one needs its pairs looked at.
    (prev == 0xc2 || has_below(x ^ lanes(0xc2), 1) != 0) && c1_in_word(prev, chunk)
}

/// Out of line: inlined, the byte scan's shifts were computed for every word.
#[cfg(not(target_os = "none"))]
#[cold]
#[inline(never)]
fn c1_in_word(prev: u8, chunk: &[u8]) -> bool {
    control_scan(prev, chunk)
}

/// `byte` in each of a word's eight lanes.
#[cfg(not(target_os = "none"))]
const fn lanes(byte: u8) -> u64 {
    u64::from_le_bytes([byte; 8])
}

/// Non-zero if and only if a lane of `x` is below `n` (at most 0x80): a lane below `n` borrows
/// and keeps its top bit clear in `x`; lanes of 0x80 and up have it set in `x`. A borrow marks
/// only lanes above one that is truly below.
#[cfg(not(target_os = "none"))]
const fn has_below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(lanes(n)) & !x & lanes(0x80)
}

/// [`has_control`] byte by byte, `prev` being the byte before `bytes` (0 at the start).
fn control_scan(mut prev: u8, bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| {
        let c1 = prev == 0xc2 && b < 0xa0;
        prev = b;
        b < 0x20 || b == 0x7f || c1
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_keeps_the_rules_and_a_refused_text_changes_nothing() {
        let mut name = Name::new("Suspilne").unwrap();
        assert_eq!(name.set("Sus\npilne"), Err(invalid(Field::Name, Reason::ControlChar)));
        assert_eq!(name.set(&"x".repeat(MAX_NAME_LEN + 1)), Err(invalid(Field::Name, Reason::TooLong)));
        assert_eq!(name, "Suspilne");
        name.set(&"я".repeat(MAX_NAME_LEN / 2)).unwrap();
        assert_eq!(name.len(), MAX_NAME_LEN);
        // Empty is a name (the blank); a Source rejects it.
        assert_eq!(Name::new(""), Ok(Name::empty()));
        assert_eq!(Name::default(), "");
        assert_eq!("AFP".parse::<Name>(), Name::try_from("AFP"));
        assert_eq!(std::format!("{:?} {}", Name::new("AFP").unwrap(), Name::new("AFP").unwrap()), "\"AFP\" AFP");
    }

    #[test]
    fn clone_from_copies_in_place() {
        let mut name = Name::new("Coordination Headquarters").unwrap();
        name.clone_from(&Name::new("AFP").unwrap());
        assert_eq!(name, "AFP");
        assert_eq!(name.clone(), "AFP");
    }

    #[test]
    fn control_test_on_bytes_agrees_with_char_is_control() {
        let mut buf = [0u8; 12];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            // The character alone, and between ASCII and after a two-byte character.
            let alone = c.encode_utf8(&mut buf[..4]).len();
            let text = core::str::from_utf8(&buf[..alone]).unwrap();
            assert_eq!(has_control(text), c.is_control(), "{c:?}");
            // The bare-metal path.
            assert_eq!(control_scan(0, text.as_bytes()), c.is_control(), "{c:?}");
        }
        for text in ["Suspilne", "Суспільне", "a\u{85}b", "é\u{9f}", "\u{a0}\u{c2}", "\u{100}x", "ok\u{7f}"] {
            assert_eq!(has_control(text), text.chars().any(char::is_control), "{text:?}");
            assert_eq!(control_scan(0, text.as_bytes()), text.chars().any(char::is_control), "{text:?}");
        }
    }

    /// The host's eight-bytes-at-a-time check agrees with `char::is_control` wherever in a long
    /// name a character falls: in either half of a word, across a word boundary, in the tail.
    #[test]
    fn word_check_agrees_wherever_the_character_falls() {
        let around = ["", "Суспільне", "«Суспільне» ", "AFP / Agence France-Presse"];
        let chars = (0..0x800).chain([0x2028, 0xfeff, 0x10ffff]).filter_map(char::from_u32);
        for c in chars {
            for prefix in around {
                for pad in 0..17 {
                    let text = std::format!("{prefix}{}{c}{}", "x".repeat(pad), "y".repeat(17 - pad));
                    let want = text.chars().any(char::is_control);
                    assert_eq!(has_control(&text), want, "{text:?}");
                }
            }
        }
    }
}
