//! The Source record: what a source key stands for.

use heapless::String;

use crate::codes::SourceKind;
use crate::error::{invalid, Error, Field, Reason};

/// The longest source name, in UTF-8 bytes.
pub const MAX_NAME_LEN: usize = 64;

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
    /// The key of the Source through which this source's words reached the report: the outlet
    /// or person that reported what this source said. "Zelenskyy stated, as reported by AFP" is
    /// a Source for Zelenskyy with `via` = AFP's key, and the reports cite Zelenskyy's key; who
    /// said it is the cited source, who carried it is its `via`. A chain is followed key by key
    /// (the outlet's own Source may have a `via`). `None`: the source's words reached the report
    /// directly.
    ///
    /// Validation sees one record, so it rejects only a source that is its own `via`
    /// (`Invalid(Via, SelfReference)`); a cycle over several sources (A via B, B via A) cannot
    /// be seen in one record and is not rejected.
    pub via: Option<u32>,
}

impl Source {
    /// A first-revision source with no `via`; fails if the name is empty, too long or has
    /// control characters.
    pub fn new(key: u32, kind: SourceKind, name: &str) -> Result<Self, Error> {
        let name = String::try_from(name).map_err(|_| invalid(Field::Name, Reason::TooLong))?;
        let s = Source { key, revision: 0, retracted: false, kind, name, via: None };
        s.validate()?;
        Ok(s)
    }

    /// Checks every invariant; decoders call this on everything they accept.
    pub fn validate(&self) -> Result<(), Error> {
        check_name(&self.name).map_err(|r| invalid(Field::Name, r))?;
        if self.via == Some(self.key) {
            return Err(invalid(Field::Via, Reason::SelfReference));
        }
        Ok(())
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
/// UTF-8 decoding.
///
/// On a host, eight bytes at a time: byte by byte, this check was more than half of a Source's
/// encode (`scripts/instr-table.py`). Bare metal (`target_os = "none"`) keeps the byte scan,
/// which is smaller.
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

    /// The Ukrainian body that announces most exchange figures, by its full English name: 63
    /// bytes, which the 64-byte limit holds without an invented abbreviation.
    const HEADQUARTERS: &str = "Coordination Headquarters for the Treatment of Prisoners of War";

    #[test]
    fn the_coordination_headquarters_fits_by_its_full_name() {
        use crate::{Codec, Error, Field, Record};
        assert_eq!(HEADQUARTERS.len(), 63);
        let s = Source::new(7, SourceKind::Government, HEADQUARTERS).unwrap();
        let mut buf = [0u8; Source::MAX_SIZE];
        let n = s.encode(&mut buf).unwrap();
        // key, revision, flags, the one-byte length, the name.
        assert_eq!(n, 1 + 1 + 1 + 1 + 63);
        assert_eq!(buf[3], 63);
        assert_eq!(Source::decode(&buf[..n]).unwrap(), s);
        let mut buf = [0u8; Record::MAX_SIZE];
        let n = Record::Source(s.clone()).encode(&mut buf).unwrap();
        assert_eq!(Record::decode(&buf[..n]).unwrap(), Record::Source(s));
        // 64 bytes is the limit; 65 is too long, whether built or decoded.
        let at_limit = std::format!("{HEADQUARTERS}.");
        assert_eq!(Source::new(7, SourceKind::Government, &at_limit).unwrap().name.len(), MAX_NAME_LEN);
        let over = std::format!("{HEADQUARTERS}..");
        assert_eq!(Source::new(7, SourceKind::Government, &over), Err(Error::Invalid(Field::Name, Reason::TooLong)));
        let mut wire = std::vec![7, 0, 0, 65];
        wire.extend_from_slice(over.as_bytes());
        assert_eq!(Source::decode(&wire), Err(Error::Invalid(Field::Name, Reason::TooLong)));
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
