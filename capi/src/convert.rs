//! Between the C structs and the core model. From C, every code is checked and anything out of
//! range becomes the core's `Error::Invalid(field, reason)`; to C, every field is written,
//! unused slots zeroed, so the struct a decoder fills compares equal to a freshly filled one.

use core::ffi::c_char;

use swapwire::{
    Category, Codec, Composition, Count, Date, Error, Exchange, Field, Grade, Handover, Kind, Party, Population,
    Quantity, Reason, Record, RecordId, Source, SourceKind, Status,
};

use crate::types::{
    swapwire_composition, swapwire_count, swapwire_date, swapwire_exchange, swapwire_part, swapwire_party,
    swapwire_quantity, swapwire_record, swapwire_source, SWAPWIRE_KIND_COUNT, SWAPWIRE_KIND_EXCHANGE,
    SWAPWIRE_KIND_SOURCE,
};

/// A C struct that stands for one core record type.
///
/// Conversions work in place, into a core value or a C struct the caller holds: returned by
/// value, each step of a conversion built its result in its own frame and copied it out, and
/// on a Cortex-M `swapwire_record_encode` took 1,756 bytes of stack (`-stack` firmwares of
/// `scripts/steps/30-c.sh`).
pub(crate) trait CRecord: Copy {
    /// The core type.
    type Core: Codec;
    /// A core value to convert or decode into, of the record kind `kind` codes for
    /// `swapwire_record` (any other code gives a Count), so that
    /// [`to_core_into`](Self::to_core_into) and the decoders fill it field by field.
    fn core_blank(kind: u8) -> Self::Core;
    /// The record kind code of `self`, for [`core_blank`](Self::core_blank).
    fn kind_code(&self) -> u8 {
        0
    }
    /// [`core_blank`](Self::core_blank) of `self`'s kind.
    fn blank_core(&self) -> Self::Core {
        Self::core_blank(self.kind_code())
    }
    /// Checks every field and writes the core value into `out`; on error `out` holds some valid
    /// value, to be discarded.
    #[inline(always)] // out of line, a frame more under `swapwire_*_encoded_len` on Cortex-M
    fn to_core_into(&self, out: &mut Self::Core) -> Result<(), Error> {
        self.convert_into(out)?;
        out.validate()
    }
    /// [`to_core_into`](Self::to_core_into) without the core's rules across fields: each code
    /// and each field's range checked, for a caller that validates next anyway (`encode`), so
    /// that the rules run once.
    fn convert_into(&self, out: &mut Self::Core) -> Result<(), Error>;
    /// Fills `self` from a valid core value. `self` is all zero on entry (see
    /// [`crate::boundary::Out::fill`]), so unused slots stay zero.
    fn fill_from(&mut self, value: &Self::Core);

    /// The core value, built aside: for host-only code, where stack is plentiful.
    #[cfg(not(target_os = "none"))]
    fn to_core(&self) -> Result<Self::Core, Error> {
        let mut core = self.blank_core();
        self.to_core_into(&mut core)?;
        Ok(core)
    }

    /// A C struct filled from a valid core value, built aside: for host-only code.
    #[cfg(not(target_os = "none"))]
    fn from_core(value: &Self::Core) -> Self
    where
        Self: crate::boundary::ZeroValid,
    {
        // Zeroed bytes, not `Default`: a default record's union is written through its largest
        // member, whose padding bytes stay undefined and would show through a Source's name.
        // SAFETY: all-zero bytes are a valid value of a `ZeroValid` type.
        let mut out: Self = unsafe { core::mem::zeroed() };
        out.fill_from(value);
        out
    }
}

fn invalid(field: Field, reason: Reason) -> Error {
    Error::Invalid(field, reason)
}

/// A C flag byte: 0 or 1, nothing else.
fn flag(byte: u8, field: Field) -> Result<bool, Error> {
    match byte {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(invalid(field, Reason::OutOfRange)),
    }
}

fn code<T>(parsed: Option<T>, field: Field) -> Result<T, Error> {
    parsed.ok_or(invalid(field, Reason::UnknownCode))
}

/// `c_char` is `i8` on x86 and `u8` on ARM; the bytes are what matter.
#[allow(clippy::unnecessary_cast)]
fn byte(c: c_char) -> u8 {
    c as u8
}

/// C characters as the bytes they hold, in place: a copy into a local array sat in the frame
/// of every record conversion and put `swapwire_record_encode` over 512 bytes of stack on
/// Cortex-M.
fn bytes_of(chars: &[c_char]) -> &[u8] {
    // SAFETY: `c_char` is `i8` or `u8`, of the size and alignment of `u8`, and every bit pattern
    // of either is a valid `u8`; the result borrows `chars` for its lifetime and its length.
    unsafe { core::slice::from_raw_parts(chars.as_ptr().cast::<u8>(), chars.len()) }
}

/// The inverse of [`byte`].
#[allow(clippy::unnecessary_cast)]
fn c_char_of(b: u8) -> c_char {
    b as c_char
}

fn bytes3(text: &[c_char; 3]) -> [u8; 3] {
    text.map(byte)
}

fn chars3(bytes: [u8; 2]) -> [c_char; 3] {
    [c_char_of(bytes[0]), c_char_of(bytes[1]), 0]
}

fn party(p: &swapwire_party, field: Field) -> Result<Party, Error> {
    match bytes3(p) {
        [a, b, 0] => Party::new([a, b]).map_err(|r| invalid(field, r)),
        _ => Err(invalid(field, Reason::UnknownCountry)),
    }
}

fn holder(p: &swapwire_party) -> Result<Option<Party>, Error> {
    if bytes3(p) == [0; 3] {
        return Ok(None);
    }
    party(p, Field::Holder).map(Some)
}

fn grade(g: &[c_char; 3]) -> Result<Grade, Error> {
    match bytes3(g) {
        [r, c, 0] => Grade::from_ascii([r, c]),
        _ => Err(Reason::UnknownCode),
    }
    .map_err(|r| invalid(Field::Grade, r))
}

fn grade_chars(g: Grade) -> [c_char; 3] {
    let r = g.reliability.name().as_bytes().first().copied().unwrap_or(b'?');
    let c = g.credibility.name().as_bytes().first().copied().unwrap_or(b'?');
    chars3([r, c])
}

fn quantity(q: &swapwire_quantity, field: Field) -> Result<Quantity, Error> {
    Quantity::from_parts(q.qualifier, q.value, q.high).map_err(|r| invalid(field, r))
}

fn c_quantity(q: &Quantity) -> swapwire_quantity {
    swapwire_quantity { qualifier: q.qualifier() as u8, value: q.value(), high: q.high() }
}

fn date(d: &swapwire_date) -> Result<Date, Error> {
    Date::from_parts(d.precision, d.year, d.month, d.day).map_err(|r| invalid(Field::Date, r))
}

fn c_date(d: &Date) -> swapwire_date {
    let (year, month, day) = d.parts();
    swapwire_date { year, month, day, precision: d.precision() as u8 }
}

/// Converts a C composition into `out`, in place. A category given twice is
/// [`Reason::Duplicate`], reported only once every part's codes have been checked, so that a
/// bad code anywhere is named first.
fn composition(c: &swapwire_composition, field: Field, out: &mut Composition) -> Result<(), Error> {
    let used = c.parts.get(..usize::from(c.count)).ok_or(invalid(field, Reason::TooLong))?;
    *out = Composition::new();
    let mut duplicate = false;
    for p in used {
        let (category, quantity) = (code(Category::from_code(p.category), field)?, quantity(&p.quantity, field)?);
        duplicate |= out.get(category).is_some();
        out.set(category, quantity);
    }
    if duplicate {
        return Err(invalid(field, Reason::Duplicate));
    }
    Ok(())
}

/// Fills a zeroed C composition.
fn fill_composition(out: &mut swapwire_composition, c: &Composition) {
    for (slot, p) in out.parts.iter_mut().zip(c.parts()) {
        *slot = swapwire_part { category: p.category as u8, quantity: c_quantity(&p.quantity) };
    }
    out.count = c.parts().len() as u8;
}

/// An optional record id (`part_of`, `same_as`) from its flag and its two numbers.
fn record_id(has: u8, origin: u32, seq: u32, field: Field) -> Result<Option<RecordId>, Error> {
    match flag(has, field)? {
        true => Ok(Some(RecordId { origin, seq })),
        false if origin == 0 && seq == 0 => Ok(None),
        false => Err(invalid(field, Reason::NonCanonical)),
    }
}

impl CRecord for swapwire_exchange {
    type Core = Exchange;

    fn core_blank(_: u8) -> Exchange {
        Exchange::new(0, 0, Party::UA, Party::RU)
    }

    fn convert_into(&self, x: &mut Exchange) -> Result<(), Error> {
        (x.origin, x.seq, x.revision, x.source) = (self.origin, self.seq, self.revision, self.source);
        x.side_a = party(&self.side_a, Field::SideA)?;
        x.side_b = party(&self.side_b, Field::SideB)?;
        x.retracted = flag(self.retracted, Field::Flags)?;
        x.status = code(Status::from_code(self.status), Field::Status)?;
        x.handover = code(Handover::from_code(self.handover), Field::Handover)?;
        x.date = date(&self.date)?;
        x.total = quantity(&self.total, Field::Total)?;
        x.to_a = quantity(&self.to_a, Field::ToA)?;
        x.to_b = quantity(&self.to_b, Field::ToB)?;
        composition(&self.composition_a, Field::CompositionA, &mut x.composition_a)?;
        composition(&self.composition_b, Field::CompositionB, &mut x.composition_b)?;
        let mediators =
            self.mediators.get(..usize::from(self.mediator_count)).ok_or(invalid(Field::Mediators, Reason::TooLong))?;
        x.mediators.clear();
        for m in mediators {
            x.mediators.push(party(m, Field::Mediators)?).map_err(|_| invalid(Field::Mediators, Reason::TooLong))?;
        }
        x.part_of = record_id(self.has_part_of, self.part_of_origin, self.part_of_seq, Field::PartOf)?;
        x.same_as = record_id(self.has_same_as, self.same_as_origin, self.same_as_seq, Field::SameAs)?;
        x.grade = grade(&self.grade)?;
        Ok(())
    }

    fn fill_from(&mut self, x: &Exchange) {
        (self.origin, self.seq, self.revision, self.source) = (x.origin, x.seq, x.revision, x.source);
        (self.retracted, self.status, self.handover) = (x.retracted.into(), x.status as u8, x.handover as u8);
        self.date = c_date(&x.date);
        (self.side_a, self.side_b) = (chars3(x.side_a.code()), chars3(x.side_b.code()));
        (self.total, self.to_a, self.to_b) = (c_quantity(&x.total), c_quantity(&x.to_a), c_quantity(&x.to_b));
        fill_composition(&mut self.composition_a, &x.composition_a);
        fill_composition(&mut self.composition_b, &x.composition_b);
        for (slot, m) in self.mediators.iter_mut().zip(&x.mediators) {
            *slot = chars3(m.code());
        }
        self.mediator_count = x.mediators.len() as u8;
        if let Some(id) = x.part_of {
            (self.has_part_of, self.part_of_origin, self.part_of_seq) = (1, id.origin, id.seq);
        }
        if let Some(id) = x.same_as {
            (self.has_same_as, self.same_as_origin, self.same_as_seq) = (1, id.origin, id.seq);
        }
        self.grade = grade_chars(x.grade);
    }
}

impl CRecord for swapwire_count {
    type Core = Count;

    fn core_blank(_: u8) -> Count {
        Count::new(0, 0, Population::PrisonersOfWar, Party::UA)
    }

    fn convert_into(&self, c: &mut Count) -> Result<(), Error> {
        (c.origin, c.seq, c.revision, c.source) = (self.origin, self.seq, self.revision, self.source);
        c.population = code(Population::from_code(self.population), Field::Population)?;
        c.people = party(&self.people, Field::People)?;
        c.retracted = flag(self.retracted, Field::Flags)?;
        c.date = date(&self.date)?;
        c.holder = holder(&self.holder)?;
        c.quantity = quantity(&self.quantity, Field::Quantity)?;
        c.grade = grade(&self.grade)?;
        Ok(())
    }

    fn fill_from(&mut self, c: &Count) {
        (self.origin, self.seq, self.revision, self.source) = (c.origin, c.seq, c.revision, c.source);
        (self.retracted, self.population) = (c.retracted.into(), c.population as u8);
        self.date = c_date(&c.date);
        self.holder = c.holder.map_or([0; 3], |h| chars3(h.code()));
        self.people = chars3(c.people.code());
        self.quantity = c_quantity(&c.quantity);
        self.grade = grade_chars(c.grade);
    }
}

impl CRecord for swapwire_source {
    type Core = Source;

    fn core_blank(_: u8) -> Source {
        Source { key: 0, revision: 0, retracted: false, kind: SourceKind::Media, name: Default::default(), via: None }
    }

    fn convert_into(&self, s: &mut Source) -> Result<(), Error> {
        s.kind = code(SourceKind::from_code(self.kind), Field::Kind)?;
        s.retracted = flag(self.retracted, Field::Flags)?;
        (s.key, s.revision) = (self.key, self.revision);
        // The array holds one byte more than the longest name, for the decoder's NUL.
        let name = self
            .name
            .get(..usize::from(self.name_len))
            .filter(|b| b.len() <= swapwire::MAX_NAME_LEN)
            .ok_or(invalid(Field::Name, Reason::TooLong))?;
        let text = core::str::from_utf8(bytes_of(name)).map_err(|_| Error::BadUtf8)?;
        // The name's rules are checked here, once: `Source::validate` trusts a `Name`.
        s.name.set(text)?;
        s.via = match flag(self.has_via, Field::Via)? {
            true => Some(self.via),
            false if self.via == 0 => None,
            false => return Err(invalid(Field::Via, Reason::NonCanonical)),
        };
        Ok(())
    }

    fn fill_from(&mut self, s: &Source) {
        (self.key, self.revision) = (s.key, s.revision);
        (self.retracted, self.kind, self.name_len) = (s.retracted.into(), s.kind as u8, s.name.len() as u8);
        for (slot, b) in self.name.iter_mut().zip(s.name.as_bytes()) {
            *slot = c_char_of(*b);
        }
        if let Some(key) = s.via {
            (self.has_via, self.via) = (1, key);
        }
    }
}

impl CRecord for swapwire_record {
    type Core = Record;

    fn core_blank(kind: u8) -> Record {
        Record::blank_of(Kind::from_code(kind).unwrap_or(Kind::Count))
    }

    fn kind_code(&self) -> u8 {
        self.kind
    }

    fn convert_into(&self, out: &mut Record) -> Result<(), Error> {
        if !matches!(self.kind, SWAPWIRE_KIND_EXCHANGE | SWAPWIRE_KIND_COUNT | SWAPWIRE_KIND_SOURCE) {
            return Err(Error::UnknownKind);
        }
        if out.kind() as u8 != self.kind {
            *out = self.blank_core();
        }
        // SAFETY: every member is plain integers and arrays, valid for any bit pattern; `kind`
        // names the member the writer filled.
        unsafe {
            match out {
                Record::Exchange(x) => self.body.exchange.convert_into(x),
                Record::Count(c) => self.body.count.convert_into(c),
                Record::Source(s) => self.body.source.convert_into(s),
            }
        }
    }

    fn fill_from(&mut self, r: &Record) {
        self.kind = r.kind() as u8;
        // SAFETY: every member is plain integers and arrays, valid for any bit pattern, and the
        // body is all zero on entry: a reference to any member is to a valid value.
        unsafe {
            match r {
                Record::Exchange(x) => self.body.exchange.fill_from(x),
                Record::Count(c) => self.body.count.fill_from(c),
                Record::Source(s) => self.body.source.fill_from(s),
            }
        }
    }
}
