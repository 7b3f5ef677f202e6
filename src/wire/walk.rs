//! The field walks of the record kinds: one `emit` and one `read` per kind, in wire order.
//!
//! Each walk serves a record standing alone and a record inside a frame. A frame says less in
//! four places — the ids, the date, the parties, source with grade — and there the walk hands
//! over to the frame's context ([`crate::frame::record`]); everything else (flags, quantities,
//! `part_of`, the details section with `same_as`, a source's name) is written and read here, once. On a
//! microcontroller this is one copy of each walk for records, frames, counting and comparing.
//!
//! On bare metal the walks are `#[inline(never)]`: inlined into their callers, LLVM kept parts
//! of them twice and stacked their temporaries in the caller's frame (276 B more .text in
//! `fp-codec`). A host lets LLVM inline the emit walks into the encoder (an Exchange's encode
//! went from 816 to 778 instructions when that was measured, by `scripts/instr-table.py`).

use core::fmt;

use crate::codes::{Category, Grade, Handover, Population, SourceKind, Status};
use crate::composition::{Composition, Part, MAX_PARTS};
use crate::count::Count;
use crate::date::{Date, Precision};
use crate::error::{invalid, Error, Field, Reason};
use crate::exchange::{Exchange, RecordId, MAX_MEDIATORS};
use crate::frame::record::{Context, Framed, REVISED};
use crate::party::{Party, PARTY_SPACE};
use crate::quantity::{Qualifier, Quantity};
use crate::record::{Kind, Record};
use crate::source::Source;

use super::{Input, Observer, Of, Reader, Sink};

/// The fields a report (Exchange or Count) starts with and ends its main part with, which a
/// frame may elide.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Head {
    pub(crate) kind: Kind,
    pub(crate) origin: u32,
    pub(crate) seq: u32,
    pub(crate) revision: u32,
    pub(crate) date: Date,
    /// Both parties in one number, as the standalone wire writes them.
    pub(crate) parties: u32,
    pub(crate) source: u32,
    pub(crate) grade: Grade,
}

impl Head {
    /// The head of a report; `None` for a Source.
    pub(crate) fn of(record: &Record) -> Option<Head> {
        match record {
            Record::Exchange(x) => Some(exchange_head(x)),
            Record::Count(c) => Some(count_head(c)),
            Record::Source(_) => None,
        }
    }

    /// Ids, flags, date and parties.
    #[cfg_attr(not(target_os = "none"), inline(always))]
    fn emit_front<S: Sink>(&self, flags: u8, frame: Option<&Context>, s: &mut S) -> Result<(), S::Error> {
        if let Some(ctx) = frame {
            return ctx.emit_front(self, flags, s);
        }
        s.varint(self.origin.into())?;
        s.varint(self.seq.into())?;
        s.varint(self.revision.into())?;
        s.byte(flags)?;
        if let Some(v) = self.date.wire_value() {
            s.varint(v.into())?;
        }
        s.varint(self.parties.into())
    }

    /// Source and grade.
    #[cfg_attr(not(target_os = "none"), inline(always))]
    fn emit_source<S: Sink>(&self, frame: Option<&Context>, s: &mut S) -> Result<(), S::Error> {
        if let Some(ctx) = frame {
            return ctx.emit_source(self, s);
        }
        s.varint(self.source.into())?;
        s.byte(self.grade.wire())
    }
}

#[cfg_attr(not(target_os = "none"), inline(always))]
fn exchange_head(x: &Exchange) -> Head {
    Head {
        kind: Kind::Exchange,
        origin: x.origin,
        seq: x.seq,
        revision: x.revision,
        date: x.date,
        parties: x.side_a.index() * PARTY_SPACE + x.side_b.index(),
        source: x.source,
        grade: x.grade,
    }
}

#[cfg_attr(not(target_os = "none"), inline(always))]
fn count_head(c: &Count) -> Head {
    Head {
        kind: Kind::Count,
        origin: c.origin,
        seq: c.seq,
        revision: c.revision,
        date: c.date,
        parties: c.holder.map_or(0, |h| h.index() + 1) * PARTY_SPACE + c.people.index(),
        source: c.source,
        grade: c.grade,
    }
}

/// Bit 7 of the details section's first byte (beside the mediator count, 0 to 3): the status is
/// [`Status::Refused`]. The flags byte has no room for a fifth status, so a refused exchange
/// writes status bits 0 (as proposed) and always has a details section.
const REFUSED: u8 = 0x80;

/// Bit 6 of the details section's first byte: `same_as` follows the mediators (origin and seq,
/// two varints). An exchange with a `same_as` always has a details section.
const SAME_AS: u8 = 0x40;

/// Bit 5 of the details section's first byte: the status is [`Status::Demanded`], written like
/// refused as status bits 0, so a demanded exchange always has a details section too.
const DEMANDED: u8 = 0x20;

/// Bit 4 of a Source's flags byte: `via` follows the name (one varint, the key of the Source
/// that carried this source's words). Bits 5-7 stay reserved.
const VIA: u8 = 0x10;

/// The mediator count's bits in the details section's first byte.
const MEDIATOR_COUNT: u8 = 0x1f;

/// The details byte's bits that refine status bits 0, for each status (none for 0 to 3).
const fn status_bits(status: Status) -> u8 {
    match status {
        Status::Refused => REFUSED,
        Status::Demanded => DEMANDED,
        _ => 0,
    }
}

/// The Exchange flags byte, and whether the details section (mediators, `same_as`,
/// compositions, the refused or demanded bit) follows.
pub(crate) fn exchange_flags(x: &Exchange) -> (u8, bool) {
    let refined = status_bits(x.status) != 0;
    let details = refined
        || x.same_as.is_some()
        || !x.mediators.is_empty()
        || !x.composition_a.is_empty()
        || !x.composition_b.is_empty();
    // Codes 0 to 3 are their own two bits; Refused (4) and Demanded (5) write 0 there.
    let status = if refined { 0 } else { x.status as u8 & 0b11 };
    let flags = status
        | (x.date.precision() as u8) << 2
        | (x.handover as u8) << 4
        | (x.retracted as u8) << 5
        | (x.part_of.is_some() as u8) << 6
        | (details as u8) << 7;
    (flags, details)
}

/// The Count flags byte.
pub(crate) fn count_flags(c: &Count) -> u8 {
    c.date.precision() as u8 | (c.retracted as u8) << 2 | (c.population as u8) << 3
}

/// Writes an Exchange; in a frame when `frame` is the frame's context.
#[cfg_attr(target_os = "none", inline(never))]
pub(crate) fn emit_exchange<S: Sink>(x: &Exchange, frame: Option<&Context>, s: &mut S) -> Result<(), S::Error> {
    let (flags, details) = exchange_flags(x);
    let head = exchange_head(x);
    head.emit_front(flags, frame, s)?;
    emit_quantity(&x.total, s)?;
    emit_quantity(&x.to_a, s)?;
    emit_quantity(&x.to_b, s)?;
    head.emit_source(frame, s)?;
    if let Some(p) = x.part_of {
        s.varint(p.origin.into())?;
        s.varint(p.seq.into())?;
    }
    if details {
        let same_as = if x.same_as.is_some() { SAME_AS } else { 0 };
        s.byte(x.mediators.len() as u8 | status_bits(x.status) | same_as)?;
        for m in &x.mediators {
            s.varint(m.index().into())?;
        }
        if let Some(id) = x.same_as {
            s.varint(id.origin.into())?;
            s.varint(id.seq.into())?;
        }
        emit_composition(&x.composition_a, s)?;
        emit_composition(&x.composition_b, s)?;
    }
    Ok(())
}

/// Writes a Count; in a frame when `frame` is the frame's context.
#[cfg_attr(target_os = "none", inline(never))]
pub(crate) fn emit_count<S: Sink>(c: &Count, frame: Option<&Context>, s: &mut S) -> Result<(), S::Error> {
    let head = count_head(c);
    head.emit_front(count_flags(c), frame, s)?;
    emit_quantity(&c.quantity, s)?;
    head.emit_source(frame, s)
}

/// Writes a Source. In a frame it starts with its tag, and a revision of 0 is left out.
#[cfg_attr(target_os = "none", inline(never))]
pub(crate) fn emit_source<S: Sink>(src: &Source, frame: bool, s: &mut S) -> Result<(), S::Error> {
    let revised = src.revision != 0;
    if frame {
        s.byte(Kind::Source as u8 | if revised { REVISED } else { 0 })?;
    }
    s.varint(src.key.into())?;
    if revised || !frame {
        s.varint(src.revision.into())?;
    }
    let via = if src.via.is_some() { VIA } else { 0 };
    s.byte(src.kind as u8 | (src.retracted as u8) << 3 | via)?;
    s.text(&src.name)?;
    match src.via {
        Some(key) => s.varint(key.into()),
        None => Ok(()),
    }
}

/// Writes a record without its kind (a standalone Record writes the kind first, a frame's
/// records carry it in their tag).
#[cfg_attr(target_os = "none", inline(never))]
pub(crate) fn emit_record_body<S: Sink>(record: &Record, frame: Option<&Context>, s: &mut S) -> Result<(), S::Error> {
    match record {
        Record::Exchange(x) => emit_exchange(x, frame, s),
        Record::Count(c) => emit_count(c, frame, s),
        Record::Source(src) => emit_source(src, frame.is_some(), s),
    }
}

pub(crate) fn emit_quantity<S: Sink>(q: &Quantity, s: &mut S) -> Result<(), S::Error> {
    emit_folded(q.qualifier(), q.value(), q.high(), s)
}

/// A quantity in its wire form ([`Quantity::fold`]) from its three parts, as a composition
/// keeps them: one copy for the reports' quantities and the compositions' slots, which no
/// longer rebuild a `Quantity` each (24 B less stack under `Record::encode` on Cortex-M).
#[cfg_attr(target_os = "none", inline(never))]
fn emit_folded<S: Sink>(qualifier: Qualifier, value: u32, high: u32, s: &mut S) -> Result<(), S::Error> {
    let (head, delta) = Quantity::fold(qualifier, value, high);
    s.varint(head)?;
    match delta {
        Some(d) => s.varint(d.into()),
        None => Ok(()),
    }
}

fn emit_composition<S: Sink>(c: &Composition, s: &mut S) -> Result<(), S::Error> {
    s.byte(c.mask())?;
    c.folded().try_for_each(|(qualifier, value, high)| emit_folded(qualifier, value, high, s))
}

impl<I: Input, O: Observer> Reader<I, O> {
    /// Origin, seq and revision.
    fn ids(&mut self, frame: Option<Framed<'_>>) -> Result<(u32, u32, u32), Error> {
        match frame {
            Some(f) => f.read_ids(&mut self.input),
            None => Ok((self.number("origin")?, self.number("seq")?, self.number("revision")?)),
        }
    }

    /// The date, of the precision the flags gave, into `out`. (Like the quantities, written
    /// in place: a returned value went through a stack slot and was copied by each caller.)
    fn date(&mut self, precision: Precision, frame: Option<Framed<'_>>, out: &mut Date) -> Result<(), Error> {
        if let Some(f) = frame {
            *out = f.read_date(precision, &mut self.input)?;
            return Ok(());
        }
        if precision == Precision::Unknown {
            *out = Date::Unknown;
            return Ok(());
        }
        *out = Date::from_wire(precision, self.input.u32()?).of(Field::Date)?;
        self.note("date", &[Field::Date], out);
        Ok(())
    }

    /// The parties value, in its standalone form.
    fn parties(&mut self, kind: Kind, frame: Option<Framed<'_>>) -> Result<u32, Error> {
        match frame {
            Some(f) => f.read_parties(kind, &mut self.input),
            None => self.input.u32(),
        }
    }

    /// Source key and grade, into `source` and `grade`.
    fn source_grade(&mut self, frame: Option<Framed<'_>>, source: &mut u32, grade: &mut Grade) -> Result<(), Error> {
        if let Some(f) = frame {
            (*source, *grade) = f.read_source(&mut self.input)?;
            return Ok(());
        }
        *source = self.number("source")?;
        *grade = Grade::from_wire(self.input.byte()?).of(Field::Grade)?;
        self.note("grade", &[Field::Grade], grade);
        Ok(())
    }

    fn composition(&mut self, field: Field, c: &mut Composition) -> Result<(), Error> {
        c.clear();
        let mask = self.input.byte()?;
        if mask >> MAX_PARTS != 0 {
            return Err(invalid(field, Reason::UnknownCode));
        }
        self.note(field.name(), &[field], &CategoryMask(mask));
        for &category in Category::ALL {
            if mask & (1 << category as u8) != 0 {
                let quantity = self.quantity().of(field)?;
                c.push_ordered(Part { category, quantity }).of(field)?;
                self.note(field.name(), &[field], &format_args!("{category} {quantity}"));
            }
        }
        Ok(())
    }
}

/// Reads an Exchange into `x`, overwriting every field; in a frame when `frame` is given.
#[inline(never)]
pub(crate) fn read_exchange<I: Input, O: Observer>(
    r: &mut Reader<I, O>,
    x: &mut Exchange,
    frame: Option<Framed<'_>>,
) -> Result<(), Error> {
    (x.origin, x.seq, x.revision) = r.ids(frame)?;
    let flags = r.input.byte()?;
    x.status = Status::from_code(flags & 0b11).ok_or(Reason::UnknownCode).of(Field::Status)?;
    x.handover = Handover::from_code(flags >> 4 & 1).ok_or(Reason::UnknownCode).of(Field::Handover)?;
    let precision = precision_of(flags >> 2);
    let (has_part_of, details) = (flags & 1 << 6 != 0, flags & 1 << 7 != 0);
    x.retracted = flags & 1 << 5 != 0;
    r.note(
        "flags",
        &[Field::Flags, Field::Status, Field::Handover],
        &format_args!(
            "{}{}, {}, {}{}{}{}",
            x.status,
            // Refused and demanded share status bits 0 with proposed; the details section says which.
            IfSet(x.status == Status::Proposed && details, " (or refused or demanded)"),
            x.handover,
            precision_words(precision),
            IfSet(x.retracted, ", retracted"),
            IfSet(has_part_of, ", part_of follows"),
            IfSet(details, ", details follow")
        ),
    );
    r.date(precision, frame, &mut x.date)?;
    let parties = r.parties(Kind::Exchange, frame)?;
    x.side_a = Party::from_index(parties / PARTY_SPACE).of(Field::SideA)?;
    x.side_b = Party::from_index(parties % PARTY_SPACE).of(Field::SideB)?;
    r.note("parties", &[Field::SideA, Field::SideB], &format_args!("side_a {}, side_b {}", x.side_a, x.side_b));
    r.noted_quantity(Field::Total, &mut x.total)?;
    r.noted_quantity(Field::ToA, &mut x.to_a)?;
    r.noted_quantity(Field::ToB, &mut x.to_b)?;
    r.source_grade(frame, &mut x.source, &mut x.grade)?;
    x.part_of = None;
    if has_part_of {
        let id = RecordId { origin: r.input.u32()?, seq: r.input.u32()? };
        r.note("part_of", &[Field::PartOf], &format_args!("origin {}, seq {}", id.origin, id.seq));
        x.part_of = Some(id);
    }
    x.mediators.clear();
    x.same_as = None;
    x.composition_a.clear();
    x.composition_b.clear();
    if details {
        let first = r.input.byte()?;
        let refined = first & (REFUSED | DEMANDED);
        if refined != 0 {
            // Only status bits 0 can be refined, to refused or to demanded, not both.
            if x.status != Status::Proposed || refined == REFUSED | DEMANDED {
                return Err(invalid(Field::Status, Reason::UnknownCode));
            }
            x.status = if refined == REFUSED { Status::Refused } else { Status::Demanded };
        }
        let has_same_as = first & SAME_AS != 0;
        let n = first & MEDIATOR_COUNT;
        if usize::from(n) > MAX_MEDIATORS {
            return Err(invalid(Field::Mediators, Reason::TooLong));
        }
        r.note(
            "mediators",
            &[Field::Mediators, Field::Status],
            &format_args!(
                "{}{}{n} listed{}",
                IfSet(x.status == Status::Refused, "status refused, "),
                IfSet(x.status == Status::Demanded, "status demanded, "),
                IfSet(has_same_as, ", same_as follows")
            ),
        );
        for _ in 0..n {
            let m = Party::from_index(r.input.u32()?).of(Field::Mediators)?;
            x.mediators.push(m).map_err(|_| invalid(Field::Mediators, Reason::TooLong))?;
            r.note("mediators", &[Field::Mediators], &m);
        }
        if has_same_as {
            let id = RecordId { origin: r.input.u32()?, seq: r.input.u32()? };
            r.note("same_as", &[Field::SameAs], &format_args!("origin {}, seq {}", id.origin, id.seq));
            x.same_as = Some(id);
        }
        r.composition(Field::CompositionA, &mut x.composition_a)?;
        r.composition(Field::CompositionB, &mut x.composition_b)?;
        if refined == 0 && !has_same_as && n == 0 && x.composition_a.is_empty() && x.composition_b.is_empty() {
            // The flag promised details and none came: the canonical form has no section.
            r.input.non_canonical();
        }
    }
    Ok(())
}

/// Reads a Count into `c`, overwriting every field; in a frame when `frame` is given.
#[inline(never)]
pub(crate) fn read_count<I: Input, O: Observer>(
    r: &mut Reader<I, O>,
    c: &mut Count,
    frame: Option<Framed<'_>>,
) -> Result<(), Error> {
    (c.origin, c.seq, c.revision) = r.ids(frame)?;
    let flags = r.input.byte()?;
    if flags >> 6 != 0 {
        return Err(invalid(Field::Flags, Reason::UnknownCode));
    }
    c.population = Population::from_code(flags >> 3 & 0b111).ok_or(Reason::UnknownCode).of(Field::Population)?;
    let precision = precision_of(flags);
    c.retracted = flags & 1 << 2 != 0;
    r.note(
        "flags",
        &[Field::Flags, Field::Population],
        &format_args!("{}, {}{}", c.population, precision_words(precision), IfSet(c.retracted, ", retracted")),
    );
    r.date(precision, frame, &mut c.date)?;
    let parties = r.parties(Kind::Count, frame)?;
    c.holder = match parties / PARTY_SPACE {
        0 => None,
        h => Some(Party::from_index(h - 1).of(Field::Holder)?),
    };
    c.people = Party::from_index(parties % PARTY_SPACE).of(Field::People)?;
    match c.holder {
        Some(h) => r.note("parties", &[Field::Holder, Field::People], &format_args!("holder {h}, people {}", c.people)),
        None => r.note("parties", &[Field::Holder, Field::People], &format_args!("no holder, people {}", c.people)),
    }
    r.noted_quantity(Field::Quantity, &mut c.quantity)?;
    r.source_grade(frame, &mut c.source, &mut c.grade)?;
    Ok(())
}

/// Reads a Source into `s`, overwriting every field; in a frame when `frame` is given (whose
/// tag says whether a revision follows).
#[inline(never)]
pub(crate) fn read_source<I: Input, O: Observer>(
    r: &mut Reader<I, O>,
    s: &mut Source,
    frame: Option<Framed<'_>>,
) -> Result<(), Error> {
    s.key = r.number("key")?;
    s.revision = match frame {
        Some(f) if f.tag & REVISED == 0 => 0,
        _ => r.number("revision")?,
    };
    let flags = r.input.byte()?;
    if flags >> 5 != 0 {
        return Err(invalid(Field::Flags, Reason::UnknownCode));
    }
    s.kind = SourceKind::from_code(flags & 0b111).ok_or(Reason::UnknownCode).of(Field::Kind)?;
    s.retracted = flags & 1 << 3 != 0;
    let has_via = flags & VIA != 0;
    r.note(
        "flags",
        &[Field::Flags, Field::Kind],
        &format_args!("{}{}{}", s.kind, IfSet(s.retracted, ", retracted"), IfSet(has_via, ", via follows")),
    );
    r.input.name(&mut s.name)?;
    r.note("name", &[Field::Name], &format_args!("{:?}", s.name.as_str()));
    s.via = None;
    if has_via {
        let key = r.input.u32()?;
        r.note("via", &[Field::Via], &format_args!("source {key}"));
        s.via = Some(key);
    }
    Ok(())
}

/// Reads a record of `kind` (already read) into `out`, in place when `out` is of that kind.
#[inline(never)]
pub(crate) fn read_record_body<I: Input, O: Observer>(
    kind: Kind,
    r: &mut Reader<I, O>,
    out: &mut Record,
    frame: Option<Framed<'_>>,
) -> Result<(), Error> {
    if out.kind() != kind {
        out.reset_to(kind);
    }
    match out {
        Record::Exchange(x) => read_exchange(r, x, frame),
        Record::Count(c) => read_count(r, c, frame),
        Record::Source(s) => read_source(r, s, frame),
    }
}

/// The categories a composition mask announces, for annotations.
struct CategoryMask(u8);

impl fmt::Display for CategoryMask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut present = Category::ALL.iter().filter(|&&c| self.0 & (1 << c as u8) != 0).peekable();
        if present.peek().is_none() {
            return f.write_str("none reported");
        }
        f.write_str("parts: ")?;
        for (i, c) in present.enumerate() {
            write!(f, "{}{c}", if i == 0 { "" } else { ", " })?;
        }
        Ok(())
    }
}

/// The date precision held in the low two bits of `bits`.
fn precision_of(bits: u8) -> Precision {
    // Two bits always name a defined precision.
    Precision::from_code(bits & 0b11).unwrap_or(Precision::Unknown)
}

/// How a flags byte's precision reads in an annotation.
const fn precision_words(p: Precision) -> &'static str {
    match p {
        Precision::Unknown => "no date",
        Precision::Year => "date to the year",
        Precision::Month => "date to the month",
        Precision::Day => "date to the day",
    }
}

/// The text when a condition holds, else nothing, for annotations.
struct IfSet(bool, &'static str);

impl fmt::Display for IfSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 {
            f.write_str(self.1)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{self, Profile};
    use crate::{Codec, Quantity};
    use std::vec::Vec;

    /// A seed all-for-all exchange between Ukraine and Russia, graded B2.
    fn all_for_all(seq: u32, status: Status, date: Date, source: u32) -> Exchange {
        let mut x = Exchange::new(1, seq, Party::UA, Party::RU);
        (x.status, x.date, x.source) = (status, date, source);
        (x.to_a, x.to_b) = (Quantity::All, Quantity::All);
        x.grade = "B2".parse().unwrap();
        x
    }

    /// Seed exchange 1/5: Kyiv's all-for-all proposal of 2024, refused by Moscow.
    fn refused() -> Exchange {
        all_for_all(5, Status::Refused, Date::Year(2024), 1)
    }

    #[test]
    fn refused_is_status_bits_zero_and_the_details_bit() {
        let x = refused();
        let bytes = x.to_vec().unwrap();
        // Flags 0x84: status bits 0, year precision, details follow; then 0x80, no parts.
        assert_eq!(bytes, [0x01, 0x05, 0x00, 0x84, 0x18, 0xee, 0xbd, 0x15, 0x00, 0x07, 0x07, 0x01, 0x07, 0x80, 0, 0]);
        assert_eq!(Exchange::decode(&bytes), Ok(x.clone()));
        // The same record proposed has no details section, and the bytes it always had.
        let proposed = Exchange { status: Status::Proposed, ..x.clone() };
        assert_eq!(
            proposed.to_vec().unwrap(),
            [0x01, 0x05, 0x00, 0x04, 0x18, 0xee, 0xbd, 0x15, 0x00, 0x07, 0x07, 0x01, 0x07]
        );
        // With a mediator, the count shares the byte with the refused bit.
        let mut mediated = x;
        mediated.mediators.push("TR".parse().unwrap()).unwrap();
        let bytes = mediated.to_vec().unwrap();
        assert_eq!(bytes[13], 0x81);
        assert_eq!(Exchange::decode(&bytes), Ok(mediated));
    }

    #[test]
    fn the_refused_bit_rejects_other_statuses_and_keeps_the_count_check() {
        let bytes = refused().to_vec().unwrap();
        for status_bits in 1..=3u8 {
            let mut bad = bytes.clone();
            bad[3] |= status_bits;
            assert_eq!(Exchange::decode(&bad), Err(invalid(Field::Status, Reason::UnknownCode)));
        }
        let mut four = bytes.clone();
        four[13] = 0x84;
        assert_eq!(Exchange::decode(&four), Err(invalid(Field::Mediators, Reason::TooLong)));
        // Without the refused bit an empty section is still not canonical.
        let mut empty = bytes;
        empty[13] = 0x00;
        assert_eq!(Exchange::decode(&empty), Err(Error::NonCanonical));
    }

    /// `records` come back equal from one message frame and one stream frame.
    fn assert_round_trip_in_frames(records: &[Record]) {
        for profile in [Profile::LORAWAN_EU868_DR0, Profile::SERIAL] {
            let mut buf = [0u8; 128];
            let w = frame::write_records(&profile, 1, records, &mut buf).unwrap();
            assert_eq!(w.records, records.len(), "{profile:?}: all in one frame");
            let mut inner = buf[..w.len].to_vec();
            let frame = match profile.framing {
                frame::Framing::Message => &inner[..],
                frame::Framing::Stream => frame::unwrap_stream_frame(&mut inner).unwrap(),
            };
            let mut got = Vec::new();
            frame::read_records(frame, Some(1), |r| {
                got.push(r);
                Ok(())
            })
            .unwrap();
            assert_eq!(got, records);
        }
    }

    #[test]
    fn a_refused_exchange_round_trips_through_a_frame() {
        let first = refused();
        let mut second = Exchange { seq: 6, status: Status::Proposed, ..first.clone() };
        second.date = Date::Day(2025, 2, 24);
        let third = Exchange { seq: 7, ..first.clone() };
        let records = [Record::Exchange(first), Record::Exchange(second), Record::Exchange(third)];
        assert_round_trip_in_frames(&records);
        // In a frame, too, the refused bit with status bits 1 is an invalid status.
        let mut buf = [0u8; 64];
        let w = frame::write_records(&Profile::LORAWAN_EU868_DR0, 1, &records[..1], &mut buf).unwrap();
        let mut bad = buf[..w.len].to_vec();
        let flags = bad.iter().position(|&b| b == 0x84).unwrap();
        bad[flags] |= 1;
        let got = frame::read_records(&bad, Some(1), |_| Ok(()));
        assert_eq!(got.map(|_| ()), Err(invalid(Field::Status, Reason::UnknownCode)));
    }

    /// Seed exchange 1/8: the 314 agreement as the Kyiv Independent reported it, another report
    /// of exchange 1/7.
    fn second_report() -> Exchange {
        let mut x = Exchange::new(1, 8, Party::UA, Party::RU);
        x.status = Status::Agreed;
        x.total = Quantity::Exact(314);
        (x.to_a, x.to_b) = (Quantity::Undisclosed, Quantity::Undisclosed);
        x.mediators.push("US".parse().unwrap()).unwrap();
        x.same_as = Some(RecordId { origin: 1, seq: 7 });
        x.source = 6;
        x.grade = "B2".parse().unwrap();
        x
    }

    #[test]
    fn same_as_is_bit_6_of_the_details_byte_and_follows_the_mediators() {
        let x = second_report();
        let bytes = x.to_vec().unwrap();
        // Details byte 0x41 (same_as, one mediator), US, then 1/7, then no composition.
        assert_eq!(&bytes[bytes.len() - 7..], [0x41, 0x9a, 0x04, 0x01, 0x07, 0x00, 0x00]);
        assert_eq!(Exchange::decode(&bytes), Ok(x.clone()));
        // Alone, a same_as makes the details section: 0x40 and nothing else in it is canonical.
        let mut bare = x.clone();
        bare.mediators.clear();
        let bytes = bare.to_vec().unwrap();
        assert_eq!(bytes[3] & 0x80, 0x80);
        assert_eq!(&bytes[bytes.len() - 5..], [0x40, 0x01, 0x07, 0x00, 0x00]);
        assert_eq!(Exchange::decode(&bytes), Ok(bare));
        // With the refused bit too.
        let mut refused = x;
        refused.status = Status::Refused;
        let bytes = refused.to_vec().unwrap();
        assert_eq!(bytes[bytes.len() - 7], 0xc1);
        assert_eq!(Exchange::decode(&bytes), Ok(refused));
    }

    #[test]
    fn the_same_as_bit_keeps_the_count_check_and_the_invariants() {
        let bytes = second_report().to_vec().unwrap();
        let at = bytes.len() - 7;
        let mut four = bytes.clone();
        four[at] = 0x44;
        assert_eq!(Exchange::decode(&four), Err(invalid(Field::Mediators, Reason::TooLong)));
        // A reader before same_as saw 0x41 as 65 mediators: rejected, never misread.
        assert!(usize::from(bytes[at]) > MAX_MEDIATORS);
        let mut itself = second_report();
        itself.same_as = Some(itself.id());
        assert_eq!(itself.validate(), Err(invalid(Field::SameAs, Reason::SelfReference)));
        let mut stage = second_report();
        stage.part_of = stage.same_as;
        assert_eq!(stage.validate(), Err(invalid(Field::SameAs, Reason::Duplicate)));
        let mut cut = bytes;
        cut.truncate(at + 2);
        assert_eq!(Exchange::decode(&cut), Err(Error::Truncated));
    }

    #[test]
    fn a_same_as_exchange_round_trips_through_a_frame() {
        let first = Exchange { seq: 7, same_as: None, source: 5, ..second_report() };
        let second = second_report();
        let mut third = Exchange { seq: 9, ..second_report() };
        third.mediators.clear();
        third.part_of = Some(RecordId { origin: 1, seq: 5 });
        let records = [Record::Exchange(first), Record::Exchange(second), Record::Exchange(third)];
        assert_round_trip_in_frames(&records);
    }

    /// Seed exchange 1/9: the all-for-all exchange the POW families demanded at their Kyiv rally.
    fn demanded() -> Exchange {
        all_for_all(9, Status::Demanded, Date::Day(2025, 3, 6), 8)
    }

    #[test]
    fn demanded_is_status_bits_zero_and_bit_5_of_the_details_byte() {
        let x = demanded();
        let bytes = x.to_vec().unwrap();
        // Flags 0x8c: status bits 0, day precision, details follow; then 0x20, no parts.
        let expected = [0x01, 0x09, 0x00, 0x8c, 0xec, 0x47, 0xee, 0xbd, 0x15, 0x00, 0x07, 0x07, 0x08, 0x07, 0x20, 0, 0];
        assert_eq!(bytes, expected);
        assert_eq!(Exchange::decode(&bytes), Ok(x.clone()));
        // The same record proposed has no details section, and flags without bit 7.
        let proposed = Exchange { status: Status::Proposed, ..x.clone() };
        let mut without = bytes[..14].to_vec();
        without[3] = 0x0c;
        assert_eq!(proposed.to_vec().unwrap(), without);
        // With a mediator and a same_as the byte holds all three: 0x20 | 0x40 | 1.
        let mut mediated = x;
        mediated.mediators.push("US".parse().unwrap()).unwrap();
        mediated.same_as = Some(RecordId { origin: 1, seq: 6 });
        let bytes = mediated.to_vec().unwrap();
        assert_eq!(&bytes[14..], [0x61, 0x9a, 0x04, 0x01, 0x06, 0x00, 0x00]);
        assert_eq!(Exchange::decode(&bytes), Ok(mediated));
    }

    #[test]
    fn the_demanded_bit_rejects_other_statuses_the_refused_bit_and_keeps_the_count_check() {
        let bytes = demanded().to_vec().unwrap();
        let at = 14;
        for status_bits in 1..=3u8 {
            let mut bad = bytes.clone();
            bad[3] |= status_bits;
            assert_eq!(Exchange::decode(&bad), Err(invalid(Field::Status, Reason::UnknownCode)));
        }
        // Refused and demanded at once: neither.
        for first in [0xa0, 0xa1, 0xe0] {
            let mut both = bytes.clone();
            both[at] = first;
            assert_eq!(Exchange::decode(&both), Err(invalid(Field::Status, Reason::UnknownCode)), "{first:#x}");
        }
        // The count is 5 bits now, and more than 3 is still too many.
        for first in [0x24, 0x3f, 0x64] {
            let mut many = bytes.clone();
            many[at] = first;
            assert_eq!(Exchange::decode(&many), Err(invalid(Field::Mediators, Reason::TooLong)), "{first:#x}");
        }
        // A reader before this bit took 0x20 as 32 mediators: rejected, never misread.
        assert!(usize::from(bytes[at]) > MAX_MEDIATORS);
        // A demanded exchange may say nothing else in its details; without the bit, that is not canonical.
        let mut empty = bytes;
        empty[at] = 0x00;
        assert_eq!(Exchange::decode(&empty), Err(Error::NonCanonical));
    }

    #[test]
    fn a_demanded_exchange_round_trips_through_a_frame() {
        let first = demanded();
        let second = Exchange { seq: 10, status: Status::Refused, ..first.clone() };
        let mut third = Exchange { seq: 11, same_as: Some(first.id()), ..first.clone() };
        third.mediators.push("US".parse().unwrap()).unwrap();
        let fourth = Exchange { seq: 12, status: Status::Proposed, ..first.clone() };
        let records = [first, second, third, fourth].map(Record::Exchange);
        assert_round_trip_in_frames(&records);
    }

    /// Seed source 7: Zelenskyy, whose words reached the reports through AFP (source 4).
    fn zelenskyy() -> Source {
        let mut s = Source::new(7, SourceKind::Government, "Volodymyr Zelenskyy").unwrap();
        s.via = Some(4);
        s
    }

    #[test]
    fn via_is_bit_4_of_the_source_flags_and_follows_the_name() {
        let s = zelenskyy();
        let bytes = s.to_vec().unwrap();
        // Key 7, revision 0, flags 0x10 (government, via follows), the name, then via 4.
        assert_eq!(&bytes[..4], [0x07, 0x00, 0x10, 19]);
        assert_eq!(&bytes[4..23], b"Volodymyr Zelenskyy");
        assert_eq!(&bytes[23..], [0x04]);
        assert_eq!(Source::decode(&bytes), Ok(s.clone()));
        // Without via, the bytes a source always had.
        let direct = Source { via: None, ..s.clone() };
        let old = direct.to_vec().unwrap();
        assert_eq!((old[2], old.len()), (0x00, bytes.len() - 1));
        assert_eq!(Source::decode(&old), Ok(direct));
        // A five-byte key, and retracted alongside via.
        let far = Source { via: Some(u32::MAX), retracted: true, ..s };
        let bytes = far.to_vec().unwrap();
        assert_eq!((bytes[2], &bytes[bytes.len() - 5..]), (0x18, &[0xff, 0xff, 0xff, 0xff, 0x0f][..]));
        assert_eq!(Source::decode(&bytes), Ok(far));
    }

    #[test]
    fn via_is_checked_and_the_bits_above_it_stay_reserved() {
        let bytes = zelenskyy().to_vec().unwrap();
        // A source cannot speak through itself; a chain of several is not seen in one record.
        let itself = Source { via: Some(7), ..zelenskyy() };
        assert_eq!(itself.validate(), Err(invalid(Field::Via, Reason::SelfReference)));
        let mut own = bytes.clone();
        *own.last_mut().unwrap() = 0x07;
        assert_eq!(Source::decode(&own), Err(invalid(Field::Via, Reason::SelfReference)));
        // The flag promises a varint: cut, it is truncated; padded, it is not canonical.
        assert_eq!(Source::decode(&bytes[..bytes.len() - 1]), Err(Error::Truncated));
        let mut padded = bytes.clone();
        padded.extend_from_slice(&[0x00]);
        *padded.get_mut(bytes.len() - 1).unwrap() = 0x84;
        assert_eq!(Source::decode(&padded), Err(Error::NonCanonical));
        for bit in 5..8 {
            let mut reserved = bytes.clone();
            reserved[2] |= 1 << bit;
            assert_eq!(Source::decode(&reserved), Err(invalid(Field::Flags, Reason::UnknownCode)));
        }
    }

    #[test]
    fn a_via_source_round_trips_through_a_frame() {
        let afp = Source::new(4, SourceKind::Media, "AFP").unwrap();
        let mut revised = Source::new(2, SourceKind::Ombudsman, "Lubinets").unwrap();
        (revised.revision, revised.via) = (2, Some(1));
        let records = [Record::Source(afp), Record::Source(zelenskyy()), Record::Source(revised)];
        assert_round_trip_in_frames(&records);
        // In a frame the via varint follows the name too: tag, key, flags, name, via.
        let mut buf = [0u8; 64];
        let w = frame::write_records(&Profile::LORAWAN_EU868_DR0, 1, &records[1..2], &mut buf).unwrap();
        let standalone = zelenskyy().to_vec().unwrap();
        assert_eq!(&buf[1..w.len], [&[Kind::Source as u8, 0x07][..], &standalone[2..]].concat());
    }
}
