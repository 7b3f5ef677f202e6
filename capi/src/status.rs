//! Status codes, the detail of an invalid value, and their readable messages.
//!
//! Every fallible function returns a [`swapwire_status`]. The numbers are part of the ABI: a
//! number is never reused or renumbered, new failures get new numbers. They are plain integer
//! constants rather than a Rust enum so that a code C hands back (to [`swapwire_status_str`])
//! can never be an invalid enum value, and so that cffi can read the header.

use core::ffi::{c_char, CStr};

use swapwire::Error;

/// The result of every fallible swapwire function: `SWAPWIRE_OK` or one of the `SWAPWIRE_*`
/// error codes below. Pass it to `swapwire_status_str()` for a readable message.
pub type swapwire_status = i32;

/// Success.
pub const SWAPWIRE_OK: swapwire_status = 0;
/// A required pointer argument was NULL.
pub const SWAPWIRE_NULL_ARGUMENT: swapwire_status = 1;
/// The output buffer cannot hold the result; nothing was written.
pub const SWAPWIRE_BUFFER_TOO_SMALL: swapwire_status = 2;
/// The input ended before the record or frame did.
pub const SWAPWIRE_TRUNCATED: swapwire_status = 3;
/// The input holds more bytes after a complete record (from the exact `*_decode` functions).
pub const SWAPWIRE_TRAILING_BYTES: swapwire_status = 4;
/// A varint in the input is longer than its type allows.
pub const SWAPWIRE_BAD_VARINT: swapwire_status = 5;
/// A text (a source name) is not valid UTF-8.
pub const SWAPWIRE_BAD_UTF8: swapwire_status = 6;
/// The bytes decode to a valid record but are not its one canonical encoding.
pub const SWAPWIRE_NON_CANONICAL: swapwire_status = 7;
/// The record kind (the first byte of a record, or `swapwire_record.kind`) is not one this
/// version knows.
pub const SWAPWIRE_UNKNOWN_KIND: swapwire_status = 8;
/// A value breaks a rule of the model, or a code in a C struct is out of range; the optional
/// `swapwire_error_detail` out-param says which field and why.
pub const SWAPWIRE_INVALID_VALUE: swapwire_status = 9;
/// The input does not follow the format in a way no other status names.
pub const SWAPWIRE_MALFORMED: swapwire_status = 10;
/// A JSON text is not a valid record (host-only functions); the optional message buffer says
/// where and why.
pub const SWAPWIRE_BAD_JSON: swapwire_status = 11;
/// An argument that is not a record is out of range (an unknown option flag).
pub const SWAPWIRE_INVALID_ARGUMENT: swapwire_status = 12;
/// A bug in swapwire (a caught panic, or a failure this version of the C API cannot name).
/// Out-params are unchanged. Please report it.
pub const SWAPWIRE_INTERNAL: swapwire_status = 13;
/// A frame names a frame format version this library does not read.
pub const SWAPWIRE_UNKNOWN_VERSION: swapwire_status = 14;
/// A stream frame whose CRC-32 does not match, or whose envelope does not parse: the bytes
/// were damaged on the way.
pub const SWAPWIRE_BAD_CHECKSUM: swapwire_status = 15;
/// A frame that leaves its sender to the link, read without a sender from the link.
pub const SWAPWIRE_UNKNOWN_SENDER: swapwire_status = 16;
/// A store has no free slot for a new record (or for all the new records of a frame); it is
/// unchanged.
pub const SWAPWIRE_STORE_FULL: swapwire_status = 17;
/// A store holds no record under that key, or has no record at that index.
pub const SWAPWIRE_NOT_FOUND: swapwire_status = 18;
/// The first record offered to a frame writer does not fit one frame of the link even alone:
/// no frame of that link can ever carry it. The caller's buffer is not at fault
/// (`SWAPWIRE_BUFFER_TOO_SMALL` says that). Skip the record and carry on with the next.
pub const SWAPWIRE_TOO_LARGE_FOR_LINK: swapwire_status = 19;

/// The highest status number this version defines.
#[cfg(test)]
const LAST_STATUS: swapwire_status = SWAPWIRE_TOO_LARGE_FOR_LINK;

/// Which field of a record is invalid and why, for `SWAPWIRE_INVALID_VALUE`.
///
/// `field` is one of the `SWAPWIRE_FIELD_*` codes and `reason` one of the `SWAPWIRE_REASON_*`
/// codes; `swapwire_field_name()` and `swapwire_reason_str()` spell them out.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct swapwire_error_detail {
    /// A `SWAPWIRE_FIELD_*` code.
    pub field: u8,
    /// A `SWAPWIRE_REASON_*` code.
    pub reason: u8,
}

/// Field code: the flag bits (`retracted`, or reserved bits in the input).
pub const SWAPWIRE_FIELD_FLAGS: u8 = 1;
/// Field code: `status`.
pub const SWAPWIRE_FIELD_STATUS: u8 = 2;
/// Field code: `date`.
pub const SWAPWIRE_FIELD_DATE: u8 = 3;
/// Field code: `handover`.
pub const SWAPWIRE_FIELD_HANDOVER: u8 = 4;
/// Field code: `side_a`.
pub const SWAPWIRE_FIELD_SIDE_A: u8 = 5;
/// Field code: `side_b`.
pub const SWAPWIRE_FIELD_SIDE_B: u8 = 6;
/// Field code: `total`.
pub const SWAPWIRE_FIELD_TOTAL: u8 = 7;
/// Field code: `to_a`.
pub const SWAPWIRE_FIELD_TO_A: u8 = 8;
/// Field code: `to_b`.
pub const SWAPWIRE_FIELD_TO_B: u8 = 9;
/// Field code: `composition_a`.
pub const SWAPWIRE_FIELD_COMPOSITION_A: u8 = 10;
/// Field code: `composition_b`.
pub const SWAPWIRE_FIELD_COMPOSITION_B: u8 = 11;
/// Field code: `mediators`.
pub const SWAPWIRE_FIELD_MEDIATORS: u8 = 12;
/// Field code: `part_of`.
pub const SWAPWIRE_FIELD_PART_OF: u8 = 13;
/// Field code: `grade`.
pub const SWAPWIRE_FIELD_GRADE: u8 = 14;
/// Field code: `population`.
pub const SWAPWIRE_FIELD_POPULATION: u8 = 15;
/// Field code: `holder`.
pub const SWAPWIRE_FIELD_HOLDER: u8 = 16;
/// Field code: `people`.
pub const SWAPWIRE_FIELD_PEOPLE: u8 = 17;
/// Field code: `quantity`.
pub const SWAPWIRE_FIELD_QUANTITY: u8 = 18;
/// Field code: a source's `kind`.
pub const SWAPWIRE_FIELD_KIND: u8 = 19;
/// Field code: a source's `name`.
pub const SWAPWIRE_FIELD_NAME: u8 = 20;
/// Field code: `same_as`.
pub const SWAPWIRE_FIELD_SAME_AS: u8 = 21;
/// Field code: a source's `via`.
pub const SWAPWIRE_FIELD_VIA: u8 = 22;

/// Reason code: a code outside the values this format version defines.
pub const SWAPWIRE_REASON_UNKNOWN_CODE: u8 = 1;
/// Reason code: a number outside the range the format allows (also a flag other than 0 or 1).
pub const SWAPWIRE_REASON_OUT_OF_RANGE: u8 = 2;
/// Reason code: a calendar date that does not exist.
pub const SWAPWIRE_REASON_NO_SUCH_DATE: u8 = 3;
/// Reason code: a range whose low end exceeds its high end.
pub const SWAPWIRE_REASON_RANGE_INVERTED: u8 = 4;
/// Reason code: parts whose lower bounds add up to more than the whole can hold.
pub const SWAPWIRE_REASON_PARTS_EXCEED_TOTAL: u8 = 5;
/// Reason code: both sides together are fewer than the stated total.
pub const SWAPWIRE_REASON_SIDES_BELOW_TOTAL: u8 = 6;
/// Reason code: the same item appears twice (a composition category, a mediator, one id as
/// both `part_of` and `same_as`).
pub const SWAPWIRE_REASON_DUPLICATE: u8 = 7;
/// Reason code: both parties are the same country, or a mediator is a party.
pub const SWAPWIRE_REASON_SAME_PARTY: u8 = 8;
/// Reason code: the qualifier is not allowed in this field.
pub const SWAPWIRE_REASON_NOT_ALLOWED: u8 = 9;
/// Reason code: an empty text.
pub const SWAPWIRE_REASON_EMPTY: u8 = 10;
/// Reason code: a text or list longer than its capacity.
pub const SWAPWIRE_REASON_TOO_LONG: u8 = 11;
/// Reason code: a text with control characters.
pub const SWAPWIRE_REASON_CONTROL_CHAR: u8 = 12;
/// Reason code: not an assigned or user-assigned ISO 3166-1 alpha-2 code.
pub const SWAPWIRE_REASON_UNKNOWN_COUNTRY: u8 = 13;
/// Reason code: not the canonical form (a value under a qualifier or precision that carries
/// none, or a field set that a flag says is absent).
pub const SWAPWIRE_REASON_NON_CANONICAL: u8 = 14;
/// Reason code: a record that refers to itself.
pub const SWAPWIRE_REASON_SELF_REFERENCE: u8 = 15;
/// Reason code: composition parts listed out of category order.
pub const SWAPWIRE_REASON_UNORDERED: u8 = 16;

/// The status for a core error, and the detail for an invalid value.
pub(crate) fn from_error(e: Error) -> (swapwire_status, Option<swapwire_error_detail>) {
    let status = match e {
        Error::Truncated => SWAPWIRE_TRUNCATED,
        Error::TrailingBytes => SWAPWIRE_TRAILING_BYTES,
        Error::BadVarint => SWAPWIRE_BAD_VARINT,
        Error::BadUtf8 => SWAPWIRE_BAD_UTF8,
        Error::UnknownKind => SWAPWIRE_UNKNOWN_KIND,
        Error::NonCanonical => SWAPWIRE_NON_CANONICAL,
        Error::Malformed => SWAPWIRE_MALFORMED,
        Error::BufferTooSmall => SWAPWIRE_BUFFER_TOO_SMALL,
        Error::Invalid(field, reason) => {
            return (SWAPWIRE_INVALID_VALUE, Some(swapwire_error_detail { field: field as u8, reason: reason as u8 }))
        }
        Error::UnknownVersion => SWAPWIRE_UNKNOWN_VERSION,
        Error::BadChecksum => SWAPWIRE_BAD_CHECKSUM,
        Error::UnknownSender => SWAPWIRE_UNKNOWN_SENDER,
        Error::StoreFull => SWAPWIRE_STORE_FULL,
        Error::TooLargeForLink => SWAPWIRE_TOO_LARGE_FOR_LINK,
        // A failure added to the core after this C API was written.
        _ => SWAPWIRE_INTERNAL,
    };
    (status, None)
}

/// The readable message for a status.
pub(crate) fn message(status: swapwire_status) -> &'static CStr {
    match status {
        SWAPWIRE_OK => c"ok",
        SWAPWIRE_NULL_ARGUMENT => c"a required pointer argument is NULL",
        SWAPWIRE_BUFFER_TOO_SMALL => c"output buffer too small",
        SWAPWIRE_TRUNCATED => c"input ends before the record or frame is complete",
        SWAPWIRE_TRAILING_BYTES => c"trailing bytes after the record",
        SWAPWIRE_BAD_VARINT => c"varint longer than its type allows",
        SWAPWIRE_BAD_UTF8 => c"text is not valid UTF-8",
        SWAPWIRE_NON_CANONICAL => c"not the canonical encoding of the record",
        SWAPWIRE_UNKNOWN_KIND => c"unknown record kind",
        SWAPWIRE_INVALID_VALUE => c"invalid value (the error detail names the field and reason)",
        SWAPWIRE_MALFORMED => c"malformed input",
        SWAPWIRE_BAD_JSON => c"JSON text is not a valid record (the message buffer says where and why)",
        SWAPWIRE_INVALID_ARGUMENT => c"argument out of range",
        SWAPWIRE_INTERNAL => c"internal error in swapwire (please report it)",
        SWAPWIRE_UNKNOWN_VERSION => c"unknown frame format version",
        SWAPWIRE_BAD_CHECKSUM => c"stream frame damaged: bad CRC-32 or envelope",
        SWAPWIRE_UNKNOWN_SENDER => c"the frame leaves its sender to the link, and the link named none",
        SWAPWIRE_STORE_FULL => c"the store is full; nothing was changed",
        SWAPWIRE_NOT_FOUND => c"no such record in the store",
        SWAPWIRE_TOO_LARGE_FOR_LINK => c"record too large for the link's frames; skip it",
        _ => c"unknown status code",
    }
}

/// The field code's name as the JSON form spells it (`"side_a"`), or `"unknown field"`.
pub(crate) fn field_name(code: u8) -> &'static CStr {
    match code {
        SWAPWIRE_FIELD_FLAGS => c"flags",
        SWAPWIRE_FIELD_STATUS => c"status",
        SWAPWIRE_FIELD_DATE => c"date",
        SWAPWIRE_FIELD_HANDOVER => c"handover",
        SWAPWIRE_FIELD_SIDE_A => c"side_a",
        SWAPWIRE_FIELD_SIDE_B => c"side_b",
        SWAPWIRE_FIELD_TOTAL => c"total",
        SWAPWIRE_FIELD_TO_A => c"to_a",
        SWAPWIRE_FIELD_TO_B => c"to_b",
        SWAPWIRE_FIELD_COMPOSITION_A => c"composition_a",
        SWAPWIRE_FIELD_COMPOSITION_B => c"composition_b",
        SWAPWIRE_FIELD_MEDIATORS => c"mediators",
        SWAPWIRE_FIELD_PART_OF => c"part_of",
        SWAPWIRE_FIELD_GRADE => c"grade",
        SWAPWIRE_FIELD_POPULATION => c"population",
        SWAPWIRE_FIELD_HOLDER => c"holder",
        SWAPWIRE_FIELD_PEOPLE => c"people",
        SWAPWIRE_FIELD_QUANTITY => c"quantity",
        SWAPWIRE_FIELD_KIND => c"kind",
        SWAPWIRE_FIELD_NAME => c"name",
        SWAPWIRE_FIELD_SAME_AS => c"same_as",
        SWAPWIRE_FIELD_VIA => c"via",
        _ => c"unknown field",
    }
}

/// The reason code's explanation, or `"unknown reason"`.
pub(crate) fn reason_message(code: u8) -> &'static CStr {
    match code {
        SWAPWIRE_REASON_UNKNOWN_CODE => c"unknown code",
        SWAPWIRE_REASON_OUT_OF_RANGE => c"value out of range",
        SWAPWIRE_REASON_NO_SUCH_DATE => c"no such calendar date",
        SWAPWIRE_REASON_RANGE_INVERTED => c"range low end exceeds its high end",
        SWAPWIRE_REASON_PARTS_EXCEED_TOTAL => c"parts add up to more than the total",
        SWAPWIRE_REASON_SIDES_BELOW_TOTAL => c"both sides together are fewer than the total",
        SWAPWIRE_REASON_DUPLICATE => c"duplicate entry",
        SWAPWIRE_REASON_SAME_PARTY => c"the same party appears twice",
        SWAPWIRE_REASON_NOT_ALLOWED => c"qualifier not allowed here",
        SWAPWIRE_REASON_EMPTY => c"empty",
        SWAPWIRE_REASON_TOO_LONG => c"too long",
        SWAPWIRE_REASON_CONTROL_CHAR => c"contains a control character",
        SWAPWIRE_REASON_UNKNOWN_COUNTRY => c"not an ISO 3166-1 alpha-2 code",
        SWAPWIRE_REASON_NON_CANONICAL => c"not the canonical encoding",
        SWAPWIRE_REASON_SELF_REFERENCE => c"refers to the record itself",
        SWAPWIRE_REASON_UNORDERED => c"parts not in category order",
        _ => c"unknown reason",
    }
}

/// A readable, NUL-terminated English message for a status code (`"unknown status code"` for
/// a number this version does not define); never NULL. The text is static: do not free it.
#[no_mangle]
pub extern "C" fn swapwire_status_str(status: swapwire_status) -> *const c_char {
    message(status).as_ptr()
}

/// The name of a `SWAPWIRE_FIELD_*` code as the JSON form spells it (`"side_a"`), or
/// `"unknown field"`; never NULL, static.
#[no_mangle]
pub extern "C" fn swapwire_field_name(field: u8) -> *const c_char {
    field_name(field).as_ptr()
}

/// A readable explanation of a `SWAPWIRE_REASON_*` code, or `"unknown reason"`; never NULL,
/// static.
#[no_mangle]
pub extern "C" fn swapwire_reason_str(reason: u8) -> *const c_char {
    reason_message(reason).as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;
    use swapwire::{Field, Reason};

    /// The C codes are the core's `#[repr(u8)]` numbers, and the names and messages agree.
    #[test]
    fn field_and_reason_codes_match_the_core() {
        for f in FIELDS {
            assert_eq!(field_name(*f as u8).to_str(), Ok(f.name()));
        }
        for r in REASONS {
            assert_eq!(reason_message(*r as u8).to_str(), Ok(r.message()));
        }
        let named = |code: u8| field_name(code) != c"unknown field";
        assert_eq!((0..=u8::MAX).filter(|c| named(*c)).count(), FIELDS.len());
        let explained = |code: u8| reason_message(code) != c"unknown reason";
        assert_eq!((0..=u8::MAX).filter(|c| explained(*c)).count(), REASONS.len());
    }

    const FIELDS: &[Field] = &[
        Field::Flags,
        Field::Status,
        Field::Date,
        Field::Handover,
        Field::SideA,
        Field::SideB,
        Field::Total,
        Field::ToA,
        Field::ToB,
        Field::CompositionA,
        Field::CompositionB,
        Field::Mediators,
        Field::PartOf,
        Field::Grade,
        Field::Population,
        Field::Holder,
        Field::People,
        Field::Quantity,
        Field::Kind,
        Field::Name,
        Field::SameAs,
        Field::Via,
    ];

    const REASONS: &[Reason] = &[
        Reason::UnknownCode,
        Reason::OutOfRange,
        Reason::NoSuchDate,
        Reason::RangeInverted,
        Reason::PartsExceedTotal,
        Reason::SidesBelowTotal,
        Reason::Duplicate,
        Reason::SameParty,
        Reason::NotAllowed,
        Reason::Empty,
        Reason::TooLong,
        Reason::ControlChar,
        Reason::UnknownCountry,
        Reason::NonCanonical,
        Reason::SelfReference,
        Reason::Unordered,
    ];

    /// Every core error has a status of its own: none falls back to `SWAPWIRE_INTERNAL`.
    #[test]
    fn every_core_error_has_its_own_status() {
        let errors = [
            Error::Truncated,
            Error::TrailingBytes,
            Error::BadVarint,
            Error::BadUtf8,
            Error::UnknownKind,
            Error::NonCanonical,
            Error::Malformed,
            Error::BufferTooSmall,
            Error::Invalid(Field::Date, Reason::NoSuchDate),
            Error::UnknownVersion,
            Error::BadChecksum,
            Error::UnknownSender,
            Error::StoreFull,
            Error::TooLargeForLink,
        ];
        let statuses: std::collections::BTreeSet<_> = errors.iter().map(|e| from_error(*e).0).collect();
        assert_eq!(statuses.len(), errors.len());
        assert!(!statuses.contains(&SWAPWIRE_INTERNAL));
    }

    /// C's message for a cut input is the core's, true of a cut record and of a cut frame.
    #[test]
    fn truncated_says_what_the_core_says() {
        use std::string::ToString;
        assert_eq!(message(SWAPWIRE_TRUNCATED).to_str(), Ok(Error::Truncated.to_string().as_str()));
        assert_eq!(message(SWAPWIRE_TRUNCATED).to_str(), Ok("input ends before the record or frame is complete"));
    }

    #[test]
    fn every_status_has_its_own_message() {
        let mut seen = std::collections::BTreeSet::new();
        for status in SWAPWIRE_OK..=LAST_STATUS {
            let text = message(status).to_str().unwrap();
            assert_ne!(text, "unknown status code", "{status}");
            assert!(seen.insert(text), "{status} repeats a message");
        }
        assert_eq!(message(LAST_STATUS + 1).to_str(), Ok("unknown status code"));
        assert_eq!(message(-1).to_str(), Ok("unknown status code"));
    }
}
