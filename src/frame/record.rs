//! One record inside a frame: the core's fields, minus what the frame header and the records
//! before it in the same frame already say.
//!
//! Every record starts with a tag byte: the record kind in bits 0–1 and one bit per elision
//! (see the constants below). The rest is the core's own walk (`crate::wire::walk`) in the core's
//! field order, which asks the frame's [`Context`] how to write or read the four places where a
//! frame says less: the ids, the date, the parties, and source with grade. So a record's fields
//! are written and read by one piece of code whether it stands alone or sits in a frame, and a
//! reader of `docs/wire-format.md` meets nothing new but the elisions.

use crate::codes::Grade;
use crate::date::{Date, Precision};
use crate::error::{invalid, Error, Field, Reason};
use crate::frame::cursor::{unzigzag, zigzag};
use crate::frame::Cursor;
use crate::party::PARTY_SPACE;
use crate::record::{Kind, Record};
use crate::wire::walk::{self, Head};
use crate::wire::{Input, Reader, Silent, Sink};

/// Tag bits 0–1: the record kind, as [`Kind`] numbers it (3 is not a kind).
const KIND_BITS: u8 = 0b11;
/// The record's origin is not the previous record's (the sender's, for the first): it follows.
const ORIGIN: u8 = 1 << 2;
/// The sequence number is not the previous one plus one: a zigzag delta from that follows.
const SEQ_JUMP: u8 = 1 << 3;
/// The revision is not 0: it follows.
pub(crate) const REVISED: u8 = 1 << 4;
/// The parties are those of the previous record of the same kind in this frame.
const SAME_PARTIES: u8 = 1 << 5;
/// Source key and grade are the previous report's in this frame.
const SAME_SOURCE: u8 = 1 << 6;
/// The date is the previous report's (same precision, same value).
const SAME_DATE: u8 = 1 << 7;

/// The parties a frame can name in one byte, by their position here. They are the sides and
/// mediators of the exchanges this crate was built for; any other party is written in full.
/// The table is part of frame version 1 and never changes within it.
pub const SHORT_PARTIES: [[u8; 2]; 9] = [*b"UA", *b"RU", *b"BY", *b"AE", *b"TR", *b"SA", *b"QA", *b"VA", *b"US"];
const SHORT: u32 = SHORT_PARTIES.len() as u32;
/// [`SHORT_PARTIES`] as party indexes (`Party::index`), the form the walk carries parties in
/// (a test checks the two tables agree).
const SHORT_INDEXES: [u16; 9] = [520, 462, 50, 4, 511, 468, 416, 546, 538];
/// Exchange party values below this are two table positions; at and above, the core's value.
const SHORT_PAIRS: u32 = SHORT * SHORT;
/// Count party values below this are a table holder (or none) and a table people.
const SHORT_HELD: u32 = (SHORT + 1) * SHORT;

/// The table position of the party with this index.
fn short(index: u32) -> Option<u32> {
    SHORT_INDEXES.iter().position(|&i| u32::from(i) == index).map(|i| i as u32)
}

/// The party index at a table position below [`SHORT`].
fn short_index(position: u32) -> u32 {
    SHORT_INDEXES.get(position as usize).map_or(0, |&i| i.into())
}

/// Grades on the wire are 0..36; source key and grade share one varint in a frame.
const GRADES: u32 = 36;

/// No parties seen yet for a kind: no parties value is this large.
const NO_PARTIES: u32 = u32::MAX;
/// No report seen yet: no grade's wire value is this large.
const NO_GRADE: u8 = u8::MAX;

/// What the records already read tell about the next one, in wire values: plain numbers
/// compare and copy in a few instructions where `Option`s of dates and grades did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Context {
    /// The origin of the previous report (at the start, the sender, if known).
    origin: Option<u32>,
    /// The sequence number of the previous report of that origin (0 at the start).
    seq: u32,
    /// The parties value (the standalone form) of the previous Exchange and the previous Count,
    /// or [`NO_PARTIES`].
    parties: [u32; 2],
    /// Source key and grade (its wire value, or [`NO_GRADE`]) of the previous report.
    source: u32,
    grade: u8,
    /// The precision and wire value of the date of the last report with a known date
    /// ([`Precision::Unknown`] before that).
    precision: Precision,
    date: u32,
}

/// A record being read from a frame: its tag and the frame's context before it.
#[derive(Clone, Copy)]
pub(crate) struct Framed<'c> {
    pub(crate) tag: u8,
    pub(crate) ctx: &'c Context,
}

impl Context {
    pub(crate) const fn new(sender: Option<u32>) -> Self {
        Context {
            origin: sender,
            seq: 0,
            parties: [NO_PARTIES; 2],
            source: 0,
            grade: NO_GRADE,
            precision: Precision::Unknown,
            date: 0,
        }
    }

    /// Moves past `record`; the writer calls this after writing it, the reader after reading it.
    pub(super) fn after(&mut self, record: &Record) {
        let Some(head) = Head::of(record) else { return };
        if let Some(slot) = self.parties.get_mut(head.kind as usize) {
            *slot = head.parties;
        }
        self.origin = Some(head.origin);
        self.seq = head.seq;
        (self.source, self.grade) = (head.source, head.grade.wire());
        if let Some(v) = head.date.wire_value() {
            (self.precision, self.date) = (head.date.precision(), v);
        }
    }

    /// The previous report's date value when `precision` matches it, the base of a date delta.
    fn date_base(&self, precision: Precision) -> Option<u32> {
        (precision != Precision::Unknown && precision == self.precision).then_some(self.date)
    }

    fn seq_delta(&self, head: &Head) -> u64 {
        let last = if self.origin == Some(head.origin) { self.seq } else { 0 };
        zigzag(i64::from(head.seq) - (i64::from(last) + 1))
    }

    /// Whether a report cites the previous report's source and grade.
    fn same_source(&self, head: &Head) -> bool {
        self.grade == head.grade.wire() && self.source == head.source
    }

    /// The tag of a report: its kind and which of its fields the context already says.
    fn tag(&self, head: &Head) -> u8 {
        let mut tag = head.kind as u8;
        if self.origin != Some(head.origin) {
            tag |= ORIGIN;
        }
        if self.seq_delta(head) != 0 {
            tag |= SEQ_JUMP;
        }
        if head.revision != 0 {
            tag |= REVISED;
        }
        if self.parties.get(head.kind as usize) == Some(&head.parties) {
            tag |= SAME_PARTIES;
        }
        if self.same_source(head) {
            tag |= SAME_SOURCE;
        }
        if head.date.wire_value().is_some_and(|v| self.date_base(head.date.precision()) == Some(v)) {
            tag |= SAME_DATE;
        }
        tag
    }

    /// Writes a report's tag and ids, its flags byte, date and parties, as far as they are not
    /// elided; the walk writes the quantities next, then calls [`emit_source`](Self::emit_source).
    pub(crate) fn emit_front<S: Sink>(&self, head: &Head, flags: u8, s: &mut S) -> Result<(), S::Error> {
        let tag = self.tag(head);
        s.byte(tag)?;
        if tag & ORIGIN != 0 {
            s.varint(head.origin.into())?;
        }
        if tag & SEQ_JUMP != 0 {
            s.varint(self.seq_delta(head))?;
        }
        if tag & REVISED != 0 {
            s.varint(head.revision.into())?;
        }
        s.byte(flags)?;
        if tag & SAME_DATE == 0 {
            if let Some(v) = head.date.wire_value() {
                match self.date_base(head.date.precision()) {
                    Some(base) => s.varint(zigzag(i64::from(v) - i64::from(base)))?,
                    None => s.varint(v.into())?,
                }
            }
        }
        if tag & SAME_PARTIES == 0 {
            s.varint(short_parties(head.kind, head.parties).into())?;
        }
        Ok(())
    }

    /// Writes source and grade as one varint, unless they are the previous report's.
    pub(crate) fn emit_source<S: Sink>(&self, head: &Head, s: &mut S) -> Result<(), S::Error> {
        if self.same_source(head) {
            return Ok(());
        }
        s.varint(u64::from(head.source) * u64::from(GRADES) + u64::from(head.grade.wire()))
    }
}

/// The frame's parties value for the standalone `parties` of a report of `kind`.
fn short_parties(kind: Kind, parties: u32) -> u32 {
    let (first, second) = (parties / PARTY_SPACE, parties % PARTY_SPACE);
    let short_second = short(second);
    match kind {
        // first: side A; second: side B.
        Kind::Exchange => match (short(first), short_second) {
            (Some(i), Some(j)) => i * SHORT + j,
            _ => SHORT_PAIRS + parties,
        },
        // first: 0 for no holder, else the holder's index + 1; second: the people.
        _ => {
            let holder = if first == 0 { Some(0) } else { short(first - 1).map(|i| i + 1) };
            match (holder, short_second) {
                (Some(h), Some(p)) => h * SHORT + p,
                _ => SHORT_HELD + parties,
            }
        }
    }
}

/// The standalone parties value of a frame's parties value `v` for a report of `kind`.
fn long_parties(kind: Kind, v: u32) -> Result<u32, Error> {
    let (limit, first) = match kind {
        Kind::Exchange => (SHORT_PAIRS, short_index(v / SHORT)),
        _ => (SHORT_HELD, if v / SHORT == 0 { 0 } else { short_index(v / SHORT - 1) + 1 }),
    };
    if v < limit {
        return Ok(first * PARTY_SPACE + short_index(v % SHORT));
    }
    // Out of the party space: the walk reports the field it lands in.
    Ok(v - limit)
}

impl Framed<'_> {
    /// Reads origin, seq and revision as the tag says.
    pub(crate) fn read_ids<I: Input>(self, input: &mut I) -> Result<(u32, u32, u32), Error> {
        let (tag, ctx) = (self.tag, self.ctx);
        let (origin, last) =
            if tag & ORIGIN != 0 { (input.u32()?, 0) } else { (ctx.origin.ok_or(Error::UnknownSender)?, ctx.seq) };
        let delta = if tag & SEQ_JUMP != 0 { unzigzag(input.u64()?) } else { 0 };
        let seq = i64::from(last).checked_add(1).and_then(|s| s.checked_add(delta)).and_then(|s| u32::try_from(s).ok());
        let seq = seq.ok_or(Error::Malformed)?;
        let revision = if tag & REVISED != 0 { input.u32()? } else { 0 };
        Ok((origin, seq, revision))
    }

    /// Reads a date of `precision` as the tag says.
    pub(crate) fn read_date<I: Input>(self, precision: Precision, input: &mut I) -> Result<Date, Error> {
        let (tag, ctx) = (self.tag, self.ctx);
        if precision == Precision::Unknown {
            return if tag & SAME_DATE != 0 { Err(Error::Malformed) } else { Ok(Date::Unknown) };
        }
        let base = ctx.date_base(precision);
        let value = if tag & SAME_DATE != 0 {
            base.ok_or(Error::Malformed)?
        } else if let Some(base) = base {
            let v = i64::from(base).checked_add(unzigzag(input.u64()?));
            v.and_then(|v| u32::try_from(v).ok()).ok_or(invalid(Field::Date, Reason::OutOfRange))?
        } else {
            input.u32()?
        };
        Date::from_wire(precision, value).map_err(|r| invalid(Field::Date, r))
    }

    /// Reads the parties of a report of `kind` and returns their standalone value.
    pub(crate) fn read_parties<I: Input>(self, kind: Kind, input: &mut I) -> Result<u32, Error> {
        if self.tag & SAME_PARTIES != 0 {
            return self.ctx.parties.get(kind as usize).copied().filter(|&p| p != NO_PARTIES).ok_or(Error::Malformed);
        }
        long_parties(kind, input.u32()?)
    }

    /// Reads source key and grade as the tag says.
    pub(crate) fn read_source<I: Input>(self, input: &mut I) -> Result<(u32, Grade), Error> {
        let (source, grade) = if self.tag & SAME_SOURCE == 0 {
            div_grades(input.u64()?).ok_or(Error::Malformed)?
        } else if self.ctx.grade != NO_GRADE {
            (self.ctx.source, self.ctx.grade)
        } else {
            return Err(Error::Malformed);
        };
        Ok((source, Grade::from_wire(grade).map_err(|r| invalid(Field::Grade, r))?))
    }
}

/// `v / 36` and `v % 36`, or `None` when the quotient does not fit a `u32`. In two 32-bit
/// steps: a 64-bit division is a library routine of most of a kilobyte on a Cortex-M.
fn div_grades(v: u64) -> Option<(u32, u8)> {
    // v < 36 << 32 exactly when the quotient fits 32 bits; then v >> 16 fits 32 bits too.
    if v >= u64::from(GRADES) << 32 {
        return None;
    }
    let high = (v >> 16) as u32;
    let low = (high % GRADES) << 16 | (v & 0xffff) as u32;
    Some((((high / GRADES) << 16) | (low / GRADES), (low % GRADES) as u8))
}

/// Writes `record` in its in-frame form and moves `ctx` past it.
pub(crate) fn emit<S: Sink>(record: &Record, ctx: &mut Context, s: &mut S) -> Result<(), S::Error> {
    walk::emit_record_body(record, Some(ctx), s)?;
    ctx.after(record);
    Ok(())
}

/// The bytes `record` takes in its in-frame form after `ctx`, which is left as it was: a frame
/// being laid out moves its context only past the records it takes.
pub(crate) fn len(record: &Record, ctx: &Context) -> usize {
    crate::wire::counted!(s => walk::emit_record_body(record, Some(ctx), s))
}

/// Reads one in-frame record into `out` (in place when it is of the same kind, so no record
/// is moved), validates it, checks it was written the canonical way and moves `ctx` past it.
pub(crate) fn read(ctx: &mut Context, r: &mut Reader<Cursor<'_>, Silent>, out: &mut Record) -> Result<(), Error> {
    let start = r.input.position();
    let tag = r.input.byte()?;
    let kind = Kind::from_code(tag & KIND_BITS).ok_or(Error::UnknownKind)?;
    if kind == Kind::Source && tag & !(KIND_BITS | REVISED) != 0 {
        return Err(Error::Malformed); // a Source elides nothing but a zero revision
    }
    walk::read_record_body(kind, r, out, Some(Framed { tag, ctx }))?;
    out.validate()?;
    // One list of records has one frame: the writer's bytes for this record, in this context,
    // must be exactly the bytes read (a "same" bit left clear, a zero revision written out).
    if len(out, ctx) != r.input.position() - start {
        return Err(Error::NonCanonical);
    }
    ctx.after(out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::party::Party;

    #[test]
    fn grades_divide_as_u64_does() {
        for v in [0u64, 1, 35, 36, 37, 65_535, 65_536, 1 << 31, u32::MAX as u64, (36 << 32) - 1, 123_456_789_012] {
            let expected = (u32::try_from(v / 36).ok(), (v % 36) as u8);
            assert_eq!(div_grades(v), expected.0.map(|q| (q, expected.1)), "{v}");
        }
        assert_eq!(div_grades(36 << 32), None);
        assert_eq!(div_grades(u64::MAX), None);
    }

    #[test]
    fn short_parties_round_trip() {
        for kind in [Kind::Exchange, Kind::Count] {
            for first in [0, 1, 463, 521, 675] {
                for second in [0, 462, 520, 675] {
                    let v = first * PARTY_SPACE + second;
                    assert_eq!(long_parties(kind, short_parties(kind, v)), Ok(v), "{kind:?} {v}");
                }
            }
        }
        for (code, index) in SHORT_PARTIES.iter().zip(SHORT_INDEXES) {
            assert_eq!(Party::new(*code).map(|p| p.index()), Ok(index.into()));
        }
        assert_eq!(short_parties(Kind::Exchange, Party::UA.index() * PARTY_SPACE + Party::RU.index()), 1);
    }
}
