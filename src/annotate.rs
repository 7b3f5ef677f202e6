//! Annotated decoding: which bytes of an encoded record hold which field, and what they say.
//!
//! [`annotate`] runs the decoder's own field walk (the one [`Codec::decode_prefix`] uses) with an
//! observer attached, so the labels cannot drift from the format. Every byte of a decoded record
//! belongs to exactly one [`Span`]; when the bytes are bad, the [`Located`] error says which bytes
//! are at fault. Needs no allocator: spans are handed to a callback as they are read.
//!
//! ```
//! use swapwire::annotate::annotate;
//! use swapwire::Record;
//! // The seed's completed exchange of 2025-02-05 (150 POWs returned to Ukraine).
//! let bytes = [0x00, 0x01, 0x01, 0x00, 0x0e, 0xcf, 0x47, 0xee, 0xbd, 0x15, 0x00, 0xb2, 0x09, 0x00, 0x01, 0x07];
//! let mut lines = Vec::new();
//! let used = annotate::<Record>(&bytes, |s| lines.push(format!("{}..{} {}: {}", s.start, s.end, s.label, s.value)))
//!     .unwrap();
//! assert_eq!(used, 16);
//! assert_eq!(lines[4], "4..5 flags: completed, living, date to the day");
//! assert_eq!(lines[5], "5..7 date: 2025-02-05");
//! assert_eq!(lines[8], "11..13 to_a: 150");
//!
//! // A grade byte past F6: the error points at byte 15.
//! let mut bad = bytes;
//! bad[15] = 0x24;
//! let err = annotate::<Record>(&bad, |_| {}).unwrap_err();
//! assert_eq!((err.start, err.end), (15, 16));
//! assert_eq!(err.to_string(), "byte 15: grade: value out of range");
//! ```

use core::fmt;

use crate::error::{Error, Field};
use crate::frame::Cursor;
use crate::wire::{Codec, Observer, Reader};

/// One labelled byte range of an encoded record.
pub struct Span<'a> {
    /// Offset of the first byte, from the start of the record.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
    /// What the bytes hold: a field name as spelled in JSON (`to_a`), or a wire element that
    /// carries several fields (`flags`, `parties`) or the record kind (`record`).
    pub label: &'static str,
    /// The decoded value, in the same text form as JSON where there is one.
    pub value: &'a dyn fmt::Display,
}

/// A decoding error together with the bytes it was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    /// What is wrong, as [`Codec::decode_prefix`] reports it.
    pub error: Error,
    /// Offset of the first byte at fault.
    pub start: usize,
    /// Offset one past the last byte at fault; equal to `start` when the input ended there.
    pub end: usize,
    /// How many bytes the record occupies when it could be read to its end (an invariant broken
    /// between fields, or a non-canonical encoding), so a reader of a stream can skip it.
    pub record_len: Option<usize>,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.end > self.start + 1 {
            write!(f, "bytes {}..{}: {}", self.start, self.end, self.error)
        } else {
            write!(f, "byte {}: {}", self.start, self.error)
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Located {}

/// Walks one record at the start of `bytes`, calling `visit` with each labelled byte range in
/// order, and returns the number of bytes the record took. The ranges tile `0..used` exactly.
///
/// Accepts and rejects exactly what [`Codec::decode_prefix`] does, with the same errors; spans
/// reported before an error describe the bytes that were read correctly.
pub fn annotate<T: Codec>(bytes: &[u8], visit: impl FnMut(&Span<'_>)) -> Result<usize, Located> {
    let notes = Notes { last: 0, fields: [None; FIELD_SLOTS], visit };
    let mut r = Reader { input: Cursor::noting_non_canonical(bytes), observer: notes };
    let mut value = T::blank(bytes.first().copied());
    let walked = T::read(&mut r, &mut value);
    let (notes, used) = (r.observer, r.input.position());
    if let Err(error) = walked {
        return Err(Located { error, start: notes.last, end: used, record_len: None });
    }
    if let Err(error) = value.validate() {
        let (start, end) = match error {
            Error::Invalid(field, _) => notes.span_of(field).unwrap_or((0, used)),
            _ => (0, used),
        };
        return Err(Located { error, start, end, record_len: Some(used) });
    }
    let mut canonical = [0u8; crate::RECORD_MAX_SIZE];
    let n = value.encode(&mut canonical).map_err(|error| Located { error, start: 0, end: used, record_len: None })?;
    let (canonical, given) = (canonical.get(..n).unwrap_or(&[]), bytes.get(..used).unwrap_or(&[]));
    let first_difference = (0..used.max(n)).find(|&i| canonical.get(i) != given.get(i));
    if let Some(i) = first_difference {
        return Err(Located { error: Error::NonCanonical, start: i, end: i + 1, record_len: Some(used) });
    }
    Ok(used)
}

/// One slot per [`Field`] number (they start at 1).
const FIELD_SLOTS: usize = 24;

/// The observer: turns notes into spans.
struct Notes<F> {
    last: usize,
    fields: [Option<(usize, usize)>; FIELD_SLOTS],
    visit: F,
}

impl<F> Notes<F> {
    fn span_of(&self, field: Field) -> Option<(usize, usize)> {
        self.fields.get(field as usize).copied().flatten()
    }
}

impl<F: FnMut(&Span<'_>)> Observer for Notes<F> {
    fn note(&mut self, end: usize, label: &'static str, fields: &[Field], value: &dyn fmt::Display) {
        let start = self.last;
        (self.visit)(&Span { start, end, label, value });
        for &field in fields {
            if let Some(slot) = self.fields.get_mut(field as usize) {
                slot.get_or_insert((start, end));
            }
        }
        self.last = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Count, Exchange, Record, Source, SourceKind};
    use std::string::{String, ToString};
    use std::vec::Vec;

    type Spans = Vec<(usize, usize, String)>;

    fn listing<T: Codec>(bytes: &[u8]) -> (Spans, Result<usize, Located>) {
        let mut spans = Vec::new();
        let r = annotate::<T>(bytes, |s| spans.push((s.start, s.end, std::format!("{}: {}", s.label, s.value))));
        (spans, r)
    }

    #[test]
    fn source_spans_tile_the_bytes() {
        let s = Source::new(3, SourceKind::Media, "Suspilne").unwrap();
        let bytes = s.to_vec().unwrap();
        let (spans, used) = listing::<Source>(&bytes);
        assert_eq!(used, Ok(12));
        let expected = [(0, 1, "key: 3"), (1, 2, "revision: 0"), (2, 3, "flags: media"), (3, 12, "name: \"Suspilne\"")];
        assert_eq!(spans, expected.map(|(a, b, t)| (a, b, t.to_string())));
    }

    #[test]
    fn inner_kinds_annotate_without_a_kind_byte() {
        let mut c = Count::new(1, 2, crate::Population::CiviliansHeld, crate::Party::UA);
        c.quantity = crate::Quantity::Range(150, 189);
        let bytes = c.to_vec().unwrap();
        let (spans, used) = listing::<Count>(&bytes);
        assert_eq!(used, Ok(bytes.len()));
        assert!(spans.iter().any(|s| s.2 == "quantity: 150-189"));
        let x = Exchange::new(1, 1, crate::Party::UA, crate::Party::RU);
        assert_eq!(listing::<Exchange>(&x.to_vec().unwrap()).1, Ok(x.encoded_len()));
    }

    #[test]
    fn errors_point_at_their_bytes() {
        // Seed exchange with origin 1 padded to two bytes: decodes, but is not canonical.
        let padded =
            [0x00, 0x81, 0x00, 0x01, 0x00, 0x0e, 0xcf, 0x47, 0xee, 0xbd, 0x15, 0x00, 0xb2, 0x09, 0x00, 0x01, 0x07];
        let err = listing::<Record>(&padded).1.unwrap_err();
        assert_eq!(err, Located { error: Error::NonCanonical, start: 1, end: 2, record_len: Some(17) });
        // Cut inside the party varint: the partial element is at fault.
        let err = listing::<Record>(&[0x00, 0x01, 0x01, 0x00, 0x0e, 0xcf, 0x47, 0xee]).1.unwrap_err();
        assert_eq!(err, Located { error: Error::Truncated, start: 7, end: 8, record_len: None });
        // An exact total of 100 below the 150 returned: found after the walk, located at total.
        let low =
            [0x00, 0x01, 0x01, 0x00, 0x0e, 0xcf, 0x47, 0xee, 0xbd, 0x15, 0xa2, 0x06, 0xb2, 0x09, 0x00, 0x01, 0x07];
        let (spans, r) = listing::<Record>(&low);
        let err = r.unwrap_err();
        assert_eq!((err.start, err.end, err.record_len), (10, 12, Some(17)));
        assert_eq!(spans.iter().find(|s| s.0 == 10).map(|s| s.2.as_str()), Some("total: 100"));
    }
}
