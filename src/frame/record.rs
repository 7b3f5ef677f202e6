//! One record inside a frame: the core's fields, minus what the frame header and the records
//! before it in the same frame already say.
//!
//! Every record starts with a tag byte: the record kind in bits 0–1 and one bit per elision
//! (see the constants below). The rest follows the core's field order and encodings — flags
//! byte, folded quantities, party indexes, grade byte — so a reader of `docs/wire-format.md`
//! meets nothing new but the elisions. The context a frame carries from record to record is
//! [`Context`]; the writer and the reader update it with the same function.

use crate::codes::{Category, Grade, Handover, Population, SourceKind, Status};
use crate::composition::{Composition, Part, MAX_PARTS};
use crate::count::Count;
use crate::date::{Date, Precision};
use crate::error::{invalid, Error, Field, Reason};
use crate::exchange::{Exchange, RecordId, MAX_MEDIATORS};
use crate::frame::cursor::{unzigzag, zigzag, Cursor};
use crate::party::{Party, PARTY_SPACE};
use crate::quantity::Quantity;
use crate::record::{Kind, Record};
use crate::source::{check_name, Source};
use crate::wire::{count_flags, emit_exchange_tail, emit_quantity, exchange_flags, Sink};

/// Tag bits 0–1: the record kind, as [`Kind`] numbers it (3 is not a kind).
const KIND_BITS: u8 = 0b11;
/// The record's origin is not the previous record's (the sender's, for the first): it follows.
const ORIGIN: u8 = 1 << 2;
/// The sequence number is not the previous one plus one: a zigzag delta from that follows.
const SEQ_JUMP: u8 = 1 << 3;
/// The revision is not 0: it follows.
const REVISED: u8 = 1 << 4;
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
/// Exchange party values below this are two table positions; at and above, the core's value.
const SHORT_PAIRS: u32 = SHORT * SHORT;
/// Count party values below this are a table holder (or none) and a table people.
const SHORT_HELD: u32 = (SHORT + 1) * SHORT;

fn short(p: Party) -> Option<u32> {
    SHORT_PARTIES.iter().position(|c| *c == p.code()).map(|i| i as u32)
}

fn from_short(i: u32) -> Result<Party, Reason> {
    let code = SHORT_PARTIES.get(i as usize).ok_or(Reason::OutOfRange)?;
    Party::new(*code)
}

/// What the records already read tell about the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Context {
    /// The origin of the previous report (at the start, the sender, if known).
    origin: Option<u32>,
    /// The sequence number of the previous report of that origin (0 at the start).
    seq: u32,
    exchange_parties: Option<(Party, Party)>,
    count_parties: Option<(Option<Party>, Party)>,
    source: Option<(u32, Grade)>,
    /// The date of the last report with a known date.
    date: Option<Date>,
}

impl Context {
    pub(crate) const fn new(sender: Option<u32>) -> Self {
        Context { origin: sender, seq: 0, exchange_parties: None, count_parties: None, source: None, date: None }
    }

    /// Moves past `record`; the writer calls this after writing it, the reader after reading it.
    fn after(&mut self, record: &Record) {
        let (origin, seq, date, source, grade) = match record {
            Record::Exchange(x) => {
                self.exchange_parties = Some((x.side_a, x.side_b));
                (x.origin, x.seq, x.date, x.source, x.grade)
            }
            Record::Count(c) => {
                self.count_parties = Some((c.holder, c.people));
                (c.origin, c.seq, c.date, c.source, c.grade)
            }
            Record::Source(_) => return,
        };
        self.origin = Some(origin);
        self.seq = seq;
        self.source = Some((source, grade));
        if date != Date::Unknown {
            self.date = Some(date);
        }
    }

    /// The previous report's date when `precision` matches it, the base of a date delta.
    fn date_base(&self, precision: Precision) -> Option<u32> {
        self.date.filter(|d| d.precision() == precision).and_then(|d| d.wire_value())
    }
}

/// The fields Exchange and Count share, gathered to plan the tag.
struct Report {
    kind: Kind,
    origin: u32,
    seq: u32,
    revision: u32,
    flags: u8,
    date: Date,
    same_parties: bool,
    source: u32,
    grade: Grade,
}

impl Report {
    fn tag(&self, ctx: &Context) -> u8 {
        let mut tag = self.kind as u8;
        if ctx.origin != Some(self.origin) {
            tag |= ORIGIN;
        }
        if self.seq_delta(ctx) != 0 {
            tag |= SEQ_JUMP;
        }
        if self.revision != 0 {
            tag |= REVISED;
        }
        if self.same_parties {
            tag |= SAME_PARTIES;
        }
        if ctx.source == Some((self.source, self.grade)) {
            tag |= SAME_SOURCE;
        }
        if self.date != Date::Unknown && ctx.date == Some(self.date) {
            tag |= SAME_DATE;
        }
        tag
    }

    fn seq_delta(&self, ctx: &Context) -> u64 {
        let last = if ctx.origin == Some(self.origin) { ctx.seq } else { 0 };
        zigzag(i64::from(self.seq) - (i64::from(last) + 1))
    }

    /// Writes everything up to and including the date; the caller writes parties onwards.
    fn emit_head<S: Sink>(&self, tag: u8, ctx: &Context, s: &mut S) -> Result<(), S::Error> {
        s.byte(tag)?;
        if tag & ORIGIN != 0 {
            s.varint(self.origin.into())?;
        }
        if tag & SEQ_JUMP != 0 {
            s.varint(self.seq_delta(ctx))?;
        }
        if tag & REVISED != 0 {
            s.varint(self.revision.into())?;
        }
        s.byte(self.flags)?;
        if tag & SAME_DATE == 0 {
            if let Some(v) = self.date.wire_value() {
                match ctx.date_base(self.date.precision()) {
                    Some(base) => s.varint(zigzag(i64::from(v) - i64::from(base)))?,
                    None => s.varint(v.into())?,
                }
            }
        }
        Ok(())
    }

    fn emit_source<S: Sink>(&self, tag: u8, s: &mut S) -> Result<(), S::Error> {
        if tag & SAME_SOURCE == 0 {
            s.varint(u64::from(self.source) * GRADES + u64::from(self.grade.wire()))?;
        }
        Ok(())
    }
}

/// Grades on the wire are 0..36; source key and grade share one varint.
const GRADES: u64 = 36;

fn exchange_parties(a: Party, b: Party) -> u64 {
    match (short(a), short(b)) {
        (Some(i), Some(j)) => (i * SHORT + j).into(),
        _ => u64::from(SHORT_PAIRS) + u64::from(a.index() * PARTY_SPACE + b.index()),
    }
}

fn count_parties(holder: Option<Party>, people: Party) -> u64 {
    let table_holder = match holder {
        None => Some(0),
        Some(h) => short(h).map(|i| i + 1),
    };
    match (table_holder, short(people)) {
        (Some(h), Some(p)) => (h * SHORT + p).into(),
        _ => u64::from(SHORT_HELD) + u64::from(holder.map_or(0, |h| h.index() + 1) * PARTY_SPACE + people.index()),
    }
}

/// Writes `record` in its in-frame form and moves `ctx` past it.
pub(crate) fn emit<S: Sink>(record: &Record, ctx: &mut Context, s: &mut S) -> Result<(), S::Error> {
    match record {
        Record::Exchange(x) => {
            let (flags, details) = exchange_flags(x);
            let head = Report {
                kind: Kind::Exchange,
                origin: x.origin,
                seq: x.seq,
                revision: x.revision,
                flags,
                date: x.date,
                same_parties: ctx.exchange_parties == Some((x.side_a, x.side_b)),
                source: x.source,
                grade: x.grade,
            };
            let tag = head.tag(ctx);
            head.emit_head(tag, ctx, s)?;
            if tag & SAME_PARTIES == 0 {
                s.varint(exchange_parties(x.side_a, x.side_b))?;
            }
            emit_quantity(&x.total, s)?;
            emit_quantity(&x.to_a, s)?;
            emit_quantity(&x.to_b, s)?;
            head.emit_source(tag, s)?;
            emit_exchange_tail(x, details, s)?;
        }
        Record::Count(c) => {
            let flags = count_flags(c);
            let head = Report {
                kind: Kind::Count,
                origin: c.origin,
                seq: c.seq,
                revision: c.revision,
                flags,
                date: c.date,
                same_parties: ctx.count_parties == Some((c.holder, c.people)),
                source: c.source,
                grade: c.grade,
            };
            let tag = head.tag(ctx);
            head.emit_head(tag, ctx, s)?;
            if tag & SAME_PARTIES == 0 {
                s.varint(count_parties(c.holder, c.people))?;
            }
            emit_quantity(&c.quantity, s)?;
            head.emit_source(tag, s)?;
        }
        Record::Source(src) => {
            s.byte(Kind::Source as u8 | if src.revision != 0 { REVISED } else { 0 })?;
            s.varint(src.key.into())?;
            if src.revision != 0 {
                s.varint(src.revision.into())?;
            }
            s.byte(src.kind as u8 | (src.retracted as u8) << 3)?;
            s.text(&src.name)?;
        }
    }
    ctx.after(record);
    Ok(())
}

fn read_quantity(c: &mut Cursor<'_>, field: Field) -> Result<Quantity, Error> {
    let head = c.u64()?;
    let delta = if Quantity::head_is_range(head) { c.u32()? } else { 0 };
    Quantity::unfold(head, delta).map_err(|r| invalid(field, r))
}

fn read_composition(c: &mut Cursor<'_>, field: Field, out: &mut Composition) -> Result<(), Error> {
    out.clear();
    let mask = c.byte()?;
    if mask >> MAX_PARTS != 0 {
        return Err(invalid(field, Reason::UnknownCode));
    }
    for &category in Category::ALL {
        if mask & (1 << category as u8) != 0 {
            let quantity = read_quantity(c, field)?;
            out.push_ordered(Part { category, quantity }).map_err(|r| invalid(field, r))?;
        }
    }
    Ok(())
}

/// The head fields of a report, as read.
struct Head {
    origin: u32,
    seq: u32,
    revision: u32,
    flags: u8,
}

fn read_head(tag: u8, ctx: &Context, c: &mut Cursor<'_>) -> Result<Head, Error> {
    let (origin, last) =
        if tag & ORIGIN != 0 { (c.u32()?, 0) } else { (ctx.origin.ok_or(Error::UnknownSender)?, ctx.seq) };
    let delta = if tag & SEQ_JUMP != 0 { unzigzag(c.u64()?) } else { 0 };
    let seq = i64::from(last).checked_add(1).and_then(|s| s.checked_add(delta)).and_then(|s| u32::try_from(s).ok());
    let seq = seq.ok_or(Error::Malformed)?;
    let revision = if tag & REVISED != 0 { c.u32()? } else { 0 };
    Ok(Head { origin, seq, revision, flags: c.byte()? })
}

fn read_date(tag: u8, precision: Precision, ctx: &Context, c: &mut Cursor<'_>) -> Result<Date, Error> {
    if precision == Precision::Unknown {
        return if tag & SAME_DATE != 0 { Err(Error::Malformed) } else { Ok(Date::Unknown) };
    }
    if tag & SAME_DATE != 0 {
        return ctx.date.filter(|d| d.precision() == precision).ok_or(Error::Malformed);
    }
    let value = match ctx.date_base(precision) {
        Some(base) => {
            let v = i64::from(base).checked_add(unzigzag(c.u64()?));
            v.and_then(|v| u32::try_from(v).ok()).ok_or(invalid(Field::Date, Reason::OutOfRange))?
        }
        None => c.u32()?,
    };
    Date::from_wire(precision, value).map_err(|r| invalid(Field::Date, r))
}

fn read_source(tag: u8, ctx: &Context, c: &mut Cursor<'_>) -> Result<(u32, Grade), Error> {
    if tag & SAME_SOURCE != 0 {
        return ctx.source.ok_or(Error::Malformed);
    }
    let v = c.u64()?;
    let source = u32::try_from(v / GRADES).map_err(|_| Error::Malformed)?;
    let grade = Grade::from_wire((v % GRADES) as u8).map_err(|r| invalid(Field::Grade, r))?;
    Ok((source, grade))
}

fn party(index: u32, field: Field) -> Result<Party, Error> {
    Party::from_index(index).map_err(|r| invalid(field, r))
}

fn read_exchange(tag: u8, ctx: &Context, c: &mut Cursor<'_>, x: &mut Exchange) -> Result<(), Error> {
    let h = read_head(tag, ctx, c)?;
    let flags = h.flags;
    let status = Status::from_code(flags & 0b11).ok_or(invalid(Field::Status, Reason::UnknownCode))?;
    let precision = Precision::from_code(flags >> 2 & 0b11).unwrap_or(Precision::Unknown);
    let date = read_date(tag, precision, ctx, c)?;
    let handover = Handover::from_code(flags >> 4 & 1).ok_or(invalid(Field::Handover, Reason::UnknownCode))?;
    let (side_a, side_b) = if tag & SAME_PARTIES != 0 {
        ctx.exchange_parties.ok_or(Error::Malformed)?
    } else {
        let v = c.u32()?;
        if v < SHORT_PAIRS {
            let a = from_short(v / SHORT).map_err(|r| invalid(Field::SideA, r))?;
            (a, from_short(v % SHORT).map_err(|r| invalid(Field::SideB, r))?)
        } else {
            let v = v - SHORT_PAIRS;
            (party(v / PARTY_SPACE, Field::SideA)?, party(v % PARTY_SPACE, Field::SideB)?)
        }
    };
    let total = read_quantity(c, Field::Total)?;
    let to_a = read_quantity(c, Field::ToA)?;
    let to_b = read_quantity(c, Field::ToB)?;
    let (source, grade) = read_source(tag, ctx, c)?;
    let part_of = if flags & 1 << 6 != 0 { Some(RecordId { origin: c.u32()?, seq: c.u32()? }) } else { None };
    (x.origin, x.seq, x.side_a, x.side_b) = (h.origin, h.seq, side_a, side_b);
    x.revision = h.revision;
    x.retracted = flags & 1 << 5 != 0;
    x.status = status;
    x.date = date;
    x.handover = handover;
    (x.total, x.to_a, x.to_b) = (total, to_a, to_b);
    x.part_of = part_of;
    (x.source, x.grade) = (source, grade);
    x.mediators.clear();
    x.composition_a.clear();
    x.composition_b.clear();
    if flags & 1 << 7 != 0 {
        let n = c.byte()?;
        if usize::from(n) > MAX_MEDIATORS {
            return Err(invalid(Field::Mediators, Reason::TooLong));
        }
        for _ in 0..n {
            let m = party(c.u32()?, Field::Mediators)?;
            x.mediators.push(m).map_err(|_| invalid(Field::Mediators, Reason::TooLong))?;
        }
        read_composition(c, Field::CompositionA, &mut x.composition_a)?;
        read_composition(c, Field::CompositionB, &mut x.composition_b)?;
    }
    Ok(())
}

fn read_count(tag: u8, ctx: &Context, c: &mut Cursor<'_>, out: &mut Count) -> Result<(), Error> {
    let h = read_head(tag, ctx, c)?;
    let flags = h.flags;
    if flags >> 6 != 0 {
        return Err(invalid(Field::Flags, Reason::UnknownCode));
    }
    let precision = Precision::from_code(flags & 0b11).unwrap_or(Precision::Unknown);
    let date = read_date(tag, precision, ctx, c)?;
    let population =
        Population::from_code(flags >> 3 & 0b111).ok_or(invalid(Field::Population, Reason::UnknownCode))?;
    let (holder, people) = if tag & SAME_PARTIES != 0 {
        ctx.count_parties.ok_or(Error::Malformed)?
    } else {
        let v = c.u32()?;
        if v < SHORT_HELD {
            let holder = match v / SHORT {
                0 => None,
                i => Some(from_short(i - 1).map_err(|r| invalid(Field::Holder, r))?),
            };
            (holder, from_short(v % SHORT).map_err(|r| invalid(Field::People, r))?)
        } else {
            let v = v - SHORT_HELD;
            let holder = match v / PARTY_SPACE {
                0 => None,
                i => Some(party(i - 1, Field::Holder)?),
            };
            (holder, party(v % PARTY_SPACE, Field::People)?)
        }
    };
    let quantity = read_quantity(c, Field::Quantity)?;
    let (source, grade) = read_source(tag, ctx, c)?;
    (out.origin, out.seq, out.population, out.people) = (h.origin, h.seq, population, people);
    out.revision = h.revision;
    out.retracted = flags & 1 << 2 != 0;
    out.date = date;
    out.holder = holder;
    out.quantity = quantity;
    (out.source, out.grade) = (source, grade);
    Ok(())
}

fn read_source_record(tag: u8, c: &mut Cursor<'_>, out: &mut Source) -> Result<(), Error> {
    if tag & !(KIND_BITS | REVISED) != 0 {
        return Err(Error::Malformed);
    }
    let key = c.u32()?;
    let revision = if tag & REVISED != 0 { c.u32()? } else { 0 };
    let flags = c.byte()?;
    if flags >> 4 != 0 {
        return Err(invalid(Field::Flags, Reason::UnknownCode));
    }
    let kind = SourceKind::from_code(flags & 0b111).ok_or(invalid(Field::Kind, Reason::UnknownCode))?;
    let len = c.u32()?;
    let bytes = c.take(len as usize)?;
    let name = core::str::from_utf8(bytes).map_err(|_| Error::BadUtf8)?;
    check_name(name).map_err(|r| invalid(Field::Name, r))?;
    out.name.clear();
    out.name.push_str(name).map_err(|_| invalid(Field::Name, Reason::TooLong))?;
    (out.key, out.revision, out.retracted, out.kind) = (key, revision, flags & 1 << 3 != 0, kind);
    Ok(())
}

/// Reads one in-frame record into `out` (in place when it is of the same kind, so no record
/// is moved), validates it and moves `ctx` past it.
pub(crate) fn read(ctx: &mut Context, c: &mut Cursor<'_>, out: &mut Record) -> Result<(), Error> {
    let tag = c.byte()?;
    let kind = Kind::from_code(tag & KIND_BITS).ok_or(Error::UnknownKind)?;
    if out.kind() != kind {
        *out = Record::blank_of(kind);
    }
    match out {
        Record::Exchange(x) => read_exchange(tag, ctx, c, x)?,
        Record::Count(n) => read_count(tag, ctx, c, n)?,
        Record::Source(s) => read_source_record(tag, c, s)?,
    }
    out.validate()?;
    ctx.after(out);
    Ok(())
}
