//! The one error type of the crate.
//!
//! Byte-level problems (truncation, bad varints, trailing bytes) are separate variants; every
//! broken invariant is [`Error::Invalid`], which names the field and the reason so that a person
//! (or a C status message) can point at what is wrong.

use core::fmt;

/// Everything that can go wrong while validating, encoding or decoding a record.
///
/// The enum is flat and `#[non_exhaustive]`: new failure modes may be added in minor releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// The input ended before the record or frame did (a cut record, or a cut frame header or body).
    Truncated,
    /// The input holds more bytes after a complete record (from the exact `decode` functions).
    TrailingBytes,
    /// A varint is longer than its type allows.
    BadVarint,
    /// A text field is not valid UTF-8.
    BadUtf8,
    /// The first byte of a [`Record`](crate::Record) names no record kind this version knows.
    UnknownKind,
    /// The bytes decode to a valid record but are not its one canonical encoding (for example a
    /// varint padded with `0x80` bytes, or a flag announcing an empty section). Canonical bytes
    /// make equal records byte-equal, which stores and golden vectors rely on.
    NonCanonical,
    /// The bytes do not follow the format in a way none of the other variants names.
    Malformed,
    /// The output buffer cannot hold the encoded record; nothing useful was written.
    BufferTooSmall,
    /// A value breaks an invariant of the model.
    Invalid(Field, Reason),
    /// A frame names a frame format version this crate does not read.
    UnknownVersion,
    /// A stream frame whose CRC-32 does not match, or whose envelope does not parse: the bytes
    /// were damaged on the way.
    BadChecksum,
    /// A frame whose records leave the sender to the link, read without a sender from the link.
    UnknownSender,
    /// A store has no free slot for a new record; it is unchanged.
    StoreFull,
    /// The first record offered to a frame writer does not fit a frame of the link's payload
    /// even alone: no frame of that link can ever carry it (a Source with a long name on an
    /// 11-byte link, say). The caller's buffer is not at fault ([`Error::BufferTooSmall`] says
    /// that); skip the record and send the ones after it.
    TooLargeForLink,
}

/// The field an [`Error::Invalid`] is about.
///
/// The numbers are part of the C API and are never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
#[non_exhaustive]
#[allow(missing_docs)] // each name says which field it is; `name()` gives the JSON spelling
pub enum Field {
    Flags = 1,
    Status = 2,
    Date = 3,
    Handover = 4,
    SideA = 5,
    SideB = 6,
    Total = 7,
    ToA = 8,
    ToB = 9,
    CompositionA = 10,
    CompositionB = 11,
    Mediators = 12,
    PartOf = 13,
    Grade = 14,
    Population = 15,
    Holder = 16,
    People = 17,
    Quantity = 18,
    Kind = 19,
    Name = 20,
    SameAs = 21,
    Via = 22,
}

/// Why a field is invalid.
///
/// The numbers are part of the C API and are never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
#[non_exhaustive]
pub enum Reason {
    /// A code outside the values this format version defines.
    UnknownCode = 1,
    /// A number outside the range the format allows.
    OutOfRange = 2,
    /// A calendar date that does not exist (month 13, 30 February).
    NoSuchDate = 3,
    /// A range whose low end exceeds its high end.
    RangeInverted = 4,
    /// Parts whose lower bounds add up to more than the whole can hold.
    PartsExceedTotal = 5,
    /// Both sides together are fewer than the stated total.
    SidesBelowTotal = 6,
    /// The same item appears twice (a composition category, a mediator, one id as both `part_of`
    /// and `same_as`).
    Duplicate = 7,
    /// Both parties of an exchange are the same country, or a mediator is a party.
    SameParty = 8,
    /// The qualifier is not allowed in this field (e.g. "all" for a tally).
    NotAllowed = 9,
    /// An empty text.
    Empty = 10,
    /// A text or list longer than its capacity.
    TooLong = 11,
    /// A text with control characters.
    ControlChar = 12,
    /// Not an assigned or user-assigned ISO 3166-1 alpha-2 code.
    UnknownCountry = 13,
    /// The bytes decode to a valid value but are not its one canonical encoding
    /// (over-long varints, reserved bits set, a value under a qualifier that carries none).
    NonCanonical = 14,
    /// A record that refers to itself.
    SelfReference = 15,
    /// Composition parts listed out of category order.
    Unordered = 16,
}

impl Field {
    /// The field's name as spelled in the JSON form.
    pub const fn name(self) -> &'static str {
        match self {
            Field::Flags => "flags",
            Field::Status => "status",
            Field::Date => "date",
            Field::Handover => "handover",
            Field::SideA => "side_a",
            Field::SideB => "side_b",
            Field::Total => "total",
            Field::ToA => "to_a",
            Field::ToB => "to_b",
            Field::CompositionA => "composition_a",
            Field::CompositionB => "composition_b",
            Field::Mediators => "mediators",
            Field::PartOf => "part_of",
            Field::Grade => "grade",
            Field::Population => "population",
            Field::Holder => "holder",
            Field::People => "people",
            Field::Quantity => "quantity",
            Field::Kind => "kind",
            Field::Name => "name",
            Field::SameAs => "same_as",
            Field::Via => "via",
        }
    }
}

impl Reason {
    /// A short English explanation.
    pub const fn message(self) -> &'static str {
        match self {
            Reason::UnknownCode => "unknown code",
            Reason::OutOfRange => "value out of range",
            Reason::NoSuchDate => "no such calendar date",
            Reason::RangeInverted => "range low end exceeds its high end",
            Reason::PartsExceedTotal => "parts add up to more than the total",
            Reason::SidesBelowTotal => "both sides together are fewer than the total",
            Reason::Duplicate => "duplicate entry",
            Reason::SameParty => "the same party appears twice",
            Reason::NotAllowed => "qualifier not allowed here",
            Reason::Empty => "empty",
            Reason::TooLong => "too long",
            Reason::ControlChar => "contains a control character",
            Reason::UnknownCountry => "not an ISO 3166-1 alpha-2 code",
            Reason::NonCanonical => "not the canonical encoding",
            Reason::SelfReference => "refers to the record itself",
            Reason::Unordered => "parts not in category order",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Truncated => f.write_str("input ends before the record or frame is complete"),
            Error::TrailingBytes => f.write_str("trailing bytes after the record"),
            Error::BadVarint => f.write_str("varint longer than its type allows"),
            Error::BadUtf8 => f.write_str("text is not valid UTF-8"),
            Error::UnknownKind => f.write_str("unknown record kind"),
            Error::NonCanonical => f.write_str("not the canonical encoding of the record"),
            Error::Malformed => f.write_str("malformed input"),
            Error::BufferTooSmall => f.write_str("output buffer too small"),
            Error::Invalid(field, reason) => write!(f, "{}: {}", field.name(), reason.message()),
            Error::UnknownVersion => f.write_str("unknown frame format version"),
            Error::BadChecksum => f.write_str("frame checksum does not match"),
            Error::UnknownSender => f.write_str("frame without a sender read from a link that names none"),
            Error::StoreFull => f.write_str("store full"),
            Error::TooLargeForLink => f.write_str("record too large for the link's frames"),
        }
    }
}

// `core::error::Error`: so with or without `std`, `?` turns these into `Box<dyn Error>` and
// similar, and no_std error types can wrap them.
impl core::error::Error for Error {}

impl core::error::Error for Reason {}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// For sinks that cannot fail: their `Result<(), Infallible>` joins the walks that can.
impl From<core::convert::Infallible> for Error {
    fn from(never: core::convert::Infallible) -> Self {
        match never {}
    }
}

impl From<postcard::Error> for Error {
    fn from(e: postcard::Error) -> Self {
        use postcard::Error as P;
        match e {
            P::SerializeBufferFull => Error::BufferTooSmall,
            P::DeserializeBadVarint => Error::BadVarint,
            P::DeserializeBadUtf8 | P::DeserializeBadChar => Error::BadUtf8,
            P::DeserializeUnexpectedEnd => Error::Truncated,
            _ => Error::Malformed,
        }
    }
}

/// Shorthand used by the validators.
pub(crate) const fn invalid(field: Field, reason: Reason) -> Error {
    Error::Invalid(field, reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{self, Profile};
    use crate::{Codec, Record, Source, SourceKind};
    use std::string::ToString;

    /// `Truncated` comes from a cut record and from a cut frame (header or body); its text fits both.
    #[test]
    fn truncated_reads_true_for_a_cut_record_and_a_cut_frame() {
        let record = Record::Source(Source::new(3, SourceKind::Media, "Suspilne").unwrap());
        let mut buf = [0u8; Record::MAX_SIZE];
        let n = record.encode(&mut buf).unwrap();
        assert_eq!(Record::decode(&buf[..n - 1]), Err(Error::Truncated));
        let w = frame::write_records(&Profile::LORAWAN_EU868_DR0, 1, [&record], &mut buf).unwrap();
        for cut in [0, 1, w.len - 1] {
            let read = frame::read_records(&buf[..cut], Some(1), |_| Ok(()));
            assert_eq!(read.map(|_| ()), Err(Error::Truncated), "frame cut to {cut} bytes");
        }
        let text = Error::Truncated.to_string();
        assert_eq!(text, "input ends before the record or frame is complete");
    }
}
