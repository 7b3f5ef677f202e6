//! Between the C structs and the core model. From C, every code is checked and anything out of
//! range becomes the core's `Error::Invalid(field, reason)`; to C, every field is written,
//! unused slots zeroed, so the struct a decoder fills compares equal to a freshly filled one.

use core::ffi::c_char;

use swapwire::{
    Category, Codec, Composition, Count, Date, Error, Exchange, Field, Grade, Handover, Part, Party, Population,
    Quantity, Reason, Record, RecordId, Source, SourceKind, Status,
};

use crate::types::{
    swapwire_composition, swapwire_count, swapwire_date, swapwire_exchange, swapwire_part, swapwire_party,
    swapwire_quantity, swapwire_record, swapwire_record_body, swapwire_source, SWAPWIRE_KIND_COUNT,
    SWAPWIRE_KIND_EXCHANGE, SWAPWIRE_KIND_SOURCE,
};

/// A C struct that stands for one core record type.
pub(crate) trait CRecord: Copy {
    /// The core type.
    type Core: Codec;
    /// Checks every field and builds the core value.
    fn to_core(&self) -> Result<Self::Core, Error>;
    /// Fills a C struct from a valid core value.
    fn from_core(value: &Self::Core) -> Self;
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
    let bytes = bytes3(g);
    let text = match bytes {
        [_, _, 0] => bytes.get(..2).and_then(|b| core::str::from_utf8(b).ok()),
        _ => None,
    };
    text.ok_or(Reason::UnknownCode).and_then(str::parse).map_err(|r| invalid(Field::Grade, r))
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

fn composition(c: &swapwire_composition, field: Field) -> Result<Composition, Error> {
    let used = c.parts.get(..usize::from(c.count)).ok_or(invalid(field, Reason::TooLong))?;
    let mut parts = [Part { category: Category::Military, quantity: Quantity::Unknown }; 6];
    for (slot, p) in parts.iter_mut().zip(used) {
        let category = code(Category::from_code(p.category), field)?;
        *slot = Part { category, quantity: quantity(&p.quantity, field)? };
    }
    Composition::from_parts(parts.get(..used.len()).unwrap_or(&[])).map_err(|r| invalid(field, r))
}

fn c_composition(c: &Composition) -> swapwire_composition {
    let mut out = swapwire_composition::default();
    for (slot, p) in out.parts.iter_mut().zip(c.parts()) {
        *slot = swapwire_part { category: p.category as u8, quantity: c_quantity(&p.quantity) };
    }
    out.count = c.parts().len() as u8;
    out
}

fn part_of(x: &swapwire_exchange) -> Result<Option<RecordId>, Error> {
    match flag(x.has_part_of, Field::PartOf)? {
        true => Ok(Some(RecordId { origin: x.part_of_origin, seq: x.part_of_seq })),
        false if x.part_of_origin == 0 && x.part_of_seq == 0 => Ok(None),
        false => Err(invalid(Field::PartOf, Reason::NonCanonical)),
    }
}

impl CRecord for swapwire_exchange {
    type Core = Exchange;

    fn to_core(&self) -> Result<Exchange, Error> {
        let mut x = Exchange::new(self.origin, self.seq, party(&self.side_a, Field::SideA)?, Party::UA);
        x.side_b = party(&self.side_b, Field::SideB)?;
        x.revision = self.revision;
        x.retracted = flag(self.retracted, Field::Flags)?;
        x.status = code(Status::from_code(self.status), Field::Status)?;
        x.handover = code(Handover::from_code(self.handover), Field::Handover)?;
        x.date = date(&self.date)?;
        x.total = quantity(&self.total, Field::Total)?;
        x.to_a = quantity(&self.to_a, Field::ToA)?;
        x.to_b = quantity(&self.to_b, Field::ToB)?;
        x.composition_a = composition(&self.composition_a, Field::CompositionA)?;
        x.composition_b = composition(&self.composition_b, Field::CompositionB)?;
        let mediators =
            self.mediators.get(..usize::from(self.mediator_count)).ok_or(invalid(Field::Mediators, Reason::TooLong))?;
        for m in mediators {
            x.mediators.push(party(m, Field::Mediators)?).map_err(|_| invalid(Field::Mediators, Reason::TooLong))?;
        }
        x.part_of = part_of(self)?;
        x.source = self.source;
        x.grade = grade(&self.grade)?;
        x.validate()?;
        Ok(x)
    }

    fn from_core(x: &Exchange) -> Self {
        let mut mediators = [[0; 3]; 3];
        for (slot, m) in mediators.iter_mut().zip(&x.mediators) {
            *slot = chars3(m.code());
        }
        let part_of = x.part_of.unwrap_or(RecordId { origin: 0, seq: 0 });
        swapwire_exchange {
            origin: x.origin,
            seq: x.seq,
            revision: x.revision,
            retracted: x.retracted.into(),
            status: x.status as u8,
            handover: x.handover as u8,
            date: c_date(&x.date),
            side_a: chars3(x.side_a.code()),
            side_b: chars3(x.side_b.code()),
            total: c_quantity(&x.total),
            to_a: c_quantity(&x.to_a),
            to_b: c_quantity(&x.to_b),
            composition_a: c_composition(&x.composition_a),
            composition_b: c_composition(&x.composition_b),
            mediator_count: x.mediators.len() as u8,
            mediators,
            has_part_of: x.part_of.is_some().into(),
            part_of_origin: part_of.origin,
            part_of_seq: part_of.seq,
            source: x.source,
            grade: grade_chars(x.grade),
        }
    }
}

impl CRecord for swapwire_count {
    type Core = Count;

    fn to_core(&self) -> Result<Count, Error> {
        let population = code(Population::from_code(self.population), Field::Population)?;
        let mut c = Count::new(self.origin, self.seq, population, party(&self.people, Field::People)?);
        c.revision = self.revision;
        c.retracted = flag(self.retracted, Field::Flags)?;
        c.date = date(&self.date)?;
        c.holder = holder(&self.holder)?;
        c.quantity = quantity(&self.quantity, Field::Quantity)?;
        c.source = self.source;
        c.grade = grade(&self.grade)?;
        c.validate()?;
        Ok(c)
    }

    fn from_core(c: &Count) -> Self {
        swapwire_count {
            origin: c.origin,
            seq: c.seq,
            revision: c.revision,
            retracted: c.retracted.into(),
            population: c.population as u8,
            date: c_date(&c.date),
            holder: c.holder.map_or([0; 3], |h| chars3(h.code())),
            people: chars3(c.people.code()),
            quantity: c_quantity(&c.quantity),
            source: c.source,
            grade: grade_chars(c.grade),
        }
    }
}

impl CRecord for swapwire_source {
    type Core = Source;

    fn to_core(&self) -> Result<Source, Error> {
        let kind = code(SourceKind::from_code(self.kind), Field::Kind)?;
        let retracted = flag(self.retracted, Field::Flags)?;
        let bytes = self.name.map(byte);
        // The array holds one byte more than the longest name, for the decoder's NUL.
        let name = bytes
            .get(..usize::from(self.name_len))
            .filter(|b| b.len() <= swapwire::MAX_NAME_LEN)
            .ok_or(invalid(Field::Name, Reason::TooLong))?;
        let name = core::str::from_utf8(name).map_err(|_| Error::BadUtf8)?;
        let mut s = Source::new(self.key, kind, name)?;
        s.revision = self.revision;
        s.retracted = retracted;
        Ok(s)
    }

    fn from_core(s: &Source) -> Self {
        let mut out = swapwire_source {
            key: s.key,
            revision: s.revision,
            retracted: s.retracted.into(),
            kind: s.kind as u8,
            name_len: s.name.len() as u8,
            ..swapwire_source::default()
        };
        for (slot, b) in out.name.iter_mut().zip(s.name.as_bytes()) {
            *slot = c_char_of(*b);
        }
        out
    }
}

impl CRecord for swapwire_record {
    type Core = Record;

    fn to_core(&self) -> Result<Record, Error> {
        // SAFETY: every member is plain integers and arrays, valid for any bit pattern; `kind`
        // names the member the writer filled.
        unsafe {
            match self.kind {
                SWAPWIRE_KIND_EXCHANGE => self.body.exchange.to_core().map(Record::Exchange),
                SWAPWIRE_KIND_COUNT => self.body.count.to_core().map(Record::Count),
                SWAPWIRE_KIND_SOURCE => self.body.source.to_core().map(Record::Source),
                _ => Err(Error::UnknownKind),
            }
        }
    }

    fn from_core(r: &Record) -> Self {
        let (kind, body) = match r {
            Record::Exchange(x) => (SWAPWIRE_KIND_EXCHANGE, swapwire_record_body { exchange: CRecord::from_core(x) }),
            Record::Count(c) => (SWAPWIRE_KIND_COUNT, swapwire_record_body { count: CRecord::from_core(c) }),
            Record::Source(s) => (SWAPWIRE_KIND_SOURCE, swapwire_record_body { source: CRecord::from_core(s) }),
        };
        swapwire_record { kind, body }
    }
}
