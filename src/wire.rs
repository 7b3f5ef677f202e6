//! The compact postcard form of the records.
//!
//! Each record kind has one `emit` function that walks its fields in wire order into a
//! [`Sink`]. The same walk serializes through postcard and counts the encoded length, so the
//! two cannot drift apart. Decoding walks the same order through serde's `SeqAccess` and returns
//! the model type or a typed [`Error`] that names the offending field. The byte-by-byte layout is
//! in `docs/wire-format.md`.

use core::convert::Infallible;
use core::fmt;
use core::marker::PhantomData;

use heapless::String;
use serde::de::{self, DeserializeSeed, SeqAccess, Visitor};
use serde::ser::SerializeTuple;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::codes::{Category, Grade, Handover, Population, SourceKind, Status};
use crate::composition::{Composition, Part, MAX_PARTS};
use crate::count::Count;
use crate::date::{Date, Precision};
use crate::error::{invalid, Error, Field, Reason};
use crate::exchange::{Exchange, RecordId, MAX_MEDIATORS};
use crate::party::{Party, PARTY_SPACE};
use crate::quantity::Quantity;
use crate::record::{Kind, Record};
use crate::source::{Source, MAX_NAME_LEN};

/// Encoding, decoding and validation of one record kind.
///
/// Implemented by [`Exchange`], [`Count`], [`Source`] and [`Record`]. The trait is sealed: the
/// format is defined by this crate.
///
/// ```
/// use swapwire::{Codec, Error, Source, SourceKind};
/// let s = Source::new(3, SourceKind::Media, "Suspilne").unwrap();
/// let mut buf = [0xA5u8; Source::MAX_SIZE];
/// let n = s.encode(&mut buf).unwrap();
/// assert_eq!(&buf[..n], &[0x03, 0x00, 0x03, 0x08, b'S', b'u', b's', b'p', b'i', b'l', b'n', b'e']);
/// assert_eq!(Source::decode(&buf[..n - 1]), Err(Error::Truncated));
/// let (again, used) = Source::decode_prefix(&buf).unwrap(); // reads one record, reports bytes used
/// assert_eq!((again, used), (s, n));
/// ```
pub trait Codec: Sized + Serialize + sealed::Wire {
    /// The largest encoded size of any valid value of this kind, in bytes.
    const MAX_SIZE: usize;

    /// Checks every invariant of the value.
    fn validate(&self) -> Result<(), Error>;

    /// The exact number of bytes [`encode`](Self::encode) writes for this value.
    fn encoded_len(&self) -> usize {
        let mut counter = Counter(0);
        let Ok(()) = self.emit(&mut counter);
        counter.0
    }

    /// Validates the value and writes its encoding to the start of `buf`, returning the number
    /// of bytes written. On error nothing has been written.
    fn encode(&self, buf: &mut [u8]) -> Result<usize, Error> {
        self.validate()?;
        let len = self.encoded_len();
        let mut out = Writer { buf: buf.get_mut(..len).ok_or(Error::BufferTooSmall)?, len: 0 };
        self.emit(&mut out)?;
        Ok(out.len)
    }

    /// Decodes one value from the start of `bytes`, returning it and the number of bytes it
    /// took, so that several records can be read from one buffer.
    fn decode_prefix(bytes: &[u8]) -> Result<(Self, usize), Error> {
        let mut used = 0;
        let value = decode_checked(bytes, &mut used)?;
        Ok((value, used))
    }

    /// Decodes a value that fills `bytes` exactly.
    fn decode(bytes: &[u8]) -> Result<Self, Error> {
        let mut used = 0;
        let decoded = decode_checked(bytes, &mut used);
        if decoded.is_ok() && used != bytes.len() {
            return Err(Error::TrailingBytes);
        }
        // Returned as it came: the record is written once, in the caller's slot (a record is
        // ~300 bytes, and each move was a memcpy: a fifth of decoding time).
        decoded
    }

    /// The encoding as a vector (with the `std` feature).
    #[cfg(feature = "std")]
    fn to_vec(&self) -> Result<std::vec::Vec<u8>, Error> {
        let mut buf = std::vec![0; self.encoded_len()];
        let n = self.encode(&mut buf)?;
        buf.truncate(n);
        Ok(buf)
    }
}

/// Reads one value from the start of `bytes`, validates it and checks its encoding is the
/// canonical one, setting `used` to the bytes it took. Shared by both decoders.
fn decode_checked<T: Codec>(bytes: &[u8], used: &mut usize) -> Result<T, Error> {
    let mut de = postcard::Deserializer::from_bytes(bytes);
    let value = match Deserializer::deserialize_tuple(&mut de, usize::MAX, WireVisitor::<T, _>(Silent, PhantomData)) {
        Ok(value) => value,
        Err(e) => Err(e.into()),
    };
    if let Ok(v) = &value {
        *used = bytes.len() - de.finalize()?.len();
        v.validate()?;
        if v.encoded_len() != *used {
            return Err(Error::NonCanonical);
        }
    }
    value
}

pub(crate) mod sealed {
    use super::{Observer, Reader, Sink};
    use crate::error::Error;
    use serde::de::SeqAccess;

    /// The wire walk of one record kind.
    pub trait Wire: Sized {
        /// Walks the fields in wire order into `sink`.
        fn emit<S: Sink>(&self, sink: &mut S) -> Result<(), S::Error>;
        /// Reads the fields in wire order. Structural failures (running out of bytes, bad
        /// varints) are the outer error; broken invariants the inner one.
        fn read<'de, A: SeqAccess<'de>, O: Observer>(
            r: &mut Reader<'de, A, O>,
        ) -> Result<Result<Self, Error>, A::Error>;
    }
}
use sealed::Wire;

/// Where a wire walk writes: a postcard tuple, or a byte counter.
#[doc(hidden)]
pub trait Sink {
    /// The sink's failure.
    type Error;
    /// An unsigned LEB128 varint (postcard encodes `u32` and `u64` the same way).
    fn varint(&mut self, v: u64) -> Result<(), Self::Error>;
    /// One raw byte.
    fn byte(&mut self, b: u8) -> Result<(), Self::Error>;
    /// A varint length followed by UTF-8 bytes.
    fn text(&mut self, s: &str) -> Result<(), Self::Error>;
}

/// Counts bytes; the arithmetic mirror of postcard's encoding.
pub(crate) struct Counter(pub(crate) usize);

/// The length of `v` as a LEB128 varint.
pub(crate) const fn varint_len(v: u64) -> usize {
    let bits = 64 - (v | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

impl Sink for Counter {
    type Error = Infallible;
    fn varint(&mut self, v: u64) -> Result<(), Infallible> {
        self.0 += varint_len(v);
        Ok(())
    }
    fn byte(&mut self, _: u8) -> Result<(), Infallible> {
        self.0 += 1;
        Ok(())
    }
    fn text(&mut self, s: &str) -> Result<(), Infallible> {
        self.0 += varint_len(s.len() as u64) + s.len();
        Ok(())
    }
}

/// Writes postcard's bytes straight into a slice. `encode` uses it rather than going through
/// serde, which copied every varint through a scratch buffer and took twice as long; the
/// `Serialize` impls still use [`Tuple`], and a test keeps the two byte-identical.
struct Writer<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl Sink for Writer<'_> {
    type Error = Error;
    fn varint(&mut self, mut v: u64) -> Result<(), Error> {
        while v >= 0x80 {
            self.byte(v as u8 | 0x80)?;
            v >>= 7;
        }
        self.byte(v as u8)
    }
    fn byte(&mut self, b: u8) -> Result<(), Error> {
        *self.buf.get_mut(self.len).ok_or(Error::BufferTooSmall)? = b;
        self.len += 1;
        Ok(())
    }
    fn text(&mut self, s: &str) -> Result<(), Error> {
        self.varint(s.len() as u64)?;
        let end = self.len + s.len();
        self.buf.get_mut(self.len..end).ok_or(Error::BufferTooSmall)?.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Writes through a serde tuple (postcard writes tuples as their elements, back to back).
pub(crate) struct Tuple<T>(pub(crate) T);

impl<T: SerializeTuple> Sink for Tuple<T> {
    type Error = T::Error;
    fn varint(&mut self, v: u64) -> Result<(), T::Error> {
        self.0.serialize_element(&v)
    }
    fn byte(&mut self, b: u8) -> Result<(), T::Error> {
        self.0.serialize_element(&b)
    }
    fn text(&mut self, s: &str) -> Result<(), T::Error> {
        self.0.serialize_element(s)
    }
}

/// Hears each element of a read walk right after it is read and decoded: a label, the fields it
/// carries and its value. [`crate::annotate`] turns this into labelled byte ranges; plain
/// decoding uses [`Silent`], so the labels cannot drift from the walk that decodes.
#[doc(hidden)]
pub trait Observer {
    /// Hears one element.
    fn note(&mut self, label: &'static str, fields: &[Field], value: &dyn fmt::Display);
}

/// The observer of plain decoding. A type rather than a `None`, so that the notes compile to
/// nothing: a runtime `Option` kept every value's `Display` code (core::fmt, 6 KiB on
/// Cortex-M) in every firmware that decodes.
#[doc(hidden)]
pub struct Silent;

impl Observer for Silent {
    #[inline(always)]
    fn note(&mut self, _: &'static str, _: &[Field], _: &dyn fmt::Display) {}
}

impl<O: Observer + ?Sized> Observer for &mut O {
    fn note(&mut self, label: &'static str, fields: &[Field], value: &dyn fmt::Display) {
        (**self).note(label, fields, value);
    }
}

/// Reads wire elements from a serde sequence.
#[doc(hidden)]
pub struct Reader<'de, A: SeqAccess<'de>, O: Observer> {
    seq: A,
    observer: O,
    _de: PhantomData<&'de ()>,
}

impl<'de, A: SeqAccess<'de>, O: Observer> Reader<'de, A, O> {
    /// Reports the element(s) read since the last note.
    #[inline(always)]
    fn note(&mut self, label: &'static str, fields: &[Field], value: &dyn fmt::Display) {
        self.observer.note(label, fields, value);
    }
    /// Reads a varint that carries a plain number and notes it.
    fn number(&mut self, label: &'static str) -> Result<u32, A::Error> {
        let n = self.u32()?;
        self.note(label, &[], &n);
        Ok(n)
    }
    /// Reads a quantity and notes it under its field's name.
    fn noted_quantity(&mut self, field: Field) -> Result<Result<Quantity, Error>, A::Error> {
        let q = self.quantity()?.map_err(|r| invalid(field, r));
        if let Ok(q) = &q {
            self.note(field.name(), &[field], q);
        }
        Ok(q)
    }
    fn next<T: Deserialize<'de>>(&mut self) -> Result<T, A::Error> {
        self.seq.next_element()?.ok_or_else(|| de::Error::custom("record ends early"))
    }
    fn u32(&mut self) -> Result<u32, A::Error> {
        self.next()
    }
    fn u8(&mut self) -> Result<u8, A::Error> {
        self.next()
    }
    fn quantity(&mut self) -> Result<Result<Quantity, Reason>, A::Error> {
        let head: u64 = self.next()?;
        let delta = if Quantity::head_is_range(head) { self.u32()? } else { 0 };
        Ok(Quantity::unfold(head, delta))
    }
    fn name(&mut self) -> Result<Result<String<MAX_NAME_LEN, u8>, Reason>, A::Error> {
        self.seq.next_element_seed(NameSeed)?.ok_or_else(|| de::Error::custom("record ends early"))
    }
}

/// Reads a source name without a heap, reporting an over-long one as a [`Reason`].
struct NameSeed;

impl<'de> DeserializeSeed<'de> for NameSeed {
    type Value = Result<String<MAX_NAME_LEN, u8>, Reason>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for NameSeed {
    type Value = Result<String<MAX_NAME_LEN, u8>, Reason>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a source name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        // Only what the buffer needs: the name rules (empty, control characters) are checked once,
        // by `validate`, which every decoder runs and which names the same field.
        Ok(String::try_from(v).map_err(|_| Reason::TooLong))
    }
}

/// Turns a [`Wire::read`] into a serde visitor, with an observer when annotating.
pub(crate) struct WireVisitor<T, O>(pub(crate) O, pub(crate) PhantomData<T>);

impl<'de, T: Wire, O: Observer> Visitor<'de> for WireVisitor<T, O> {
    type Value = Result<T, Error>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a swapwire record")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::read(&mut Reader { seq, observer: self.0, _de: PhantomData })
    }
}

/// Unwraps a model-level result inside a `read`, handing a broken invariant back as the inner
/// error while structural errors keep flowing through `?`.
macro_rules! check {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return Ok(Err(e)),
        }
    };
    ($e:expr, $field:expr) => {
        check!($e.map_err(|r| invalid($field, r)))
    };
}

/// The Exchange flags byte, and whether the details section (mediators, compositions) follows.
pub(crate) fn exchange_flags(x: &Exchange) -> (u8, bool) {
    let details = !x.mediators.is_empty() || !x.composition_a.is_empty() || !x.composition_b.is_empty();
    let flags = x.status as u8
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

/// The end of an Exchange, after its grade: `part_of` and the details section, as its flags say.
pub(crate) fn emit_exchange_tail<S: Sink>(x: &Exchange, details: bool, s: &mut S) -> Result<(), S::Error> {
    if let Some(p) = x.part_of {
        s.varint(p.origin.into())?;
        s.varint(p.seq.into())?;
    }
    if details {
        s.byte(x.mediators.len() as u8)?;
        for m in &x.mediators {
            s.varint(m.index().into())?;
        }
        emit_composition(&x.composition_a, s)?;
        emit_composition(&x.composition_b, s)?;
    }
    Ok(())
}

pub(crate) fn emit_quantity<S: Sink>(q: &Quantity, s: &mut S) -> Result<(), S::Error> {
    let (head, delta) = q.fold();
    s.varint(head)?;
    match delta {
        Some(d) => s.varint(d.into()),
        None => Ok(()),
    }
}

fn emit_composition<S: Sink>(c: &Composition, s: &mut S) -> Result<(), S::Error> {
    s.byte(c.mask())?;
    c.parts().iter().try_for_each(|p| emit_quantity(&p.quantity, s))
}

fn read_composition<'de, A: SeqAccess<'de>, O: Observer>(
    field: Field,
    r: &mut Reader<'de, A, O>,
) -> Result<Result<Composition, Reason>, A::Error> {
    let mask = r.u8()?;
    if mask >> MAX_PARTS != 0 {
        return Ok(Err(Reason::UnknownCode));
    }
    r.note(field.name(), &[field], &CategoryMask(mask));
    let mut c = Composition::new();
    for &category in Category::ALL {
        if mask & (1 << category as u8) != 0 {
            let quantity = check!(r.quantity()?);
            check!(c.push_ordered(Part { category, quantity }));
            r.note(field.name(), &[field], &format_args!("{category} {quantity}"));
        }
    }
    Ok(Ok(c))
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

fn emit_date<S: Sink>(d: &Date, s: &mut S) -> Result<(), S::Error> {
    match d.wire_value() {
        Some(v) => s.varint(v.into()),
        None => Ok(()),
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

/// `", {word}"` when a flag is set, for annotations.
struct IfSet(bool, &'static str);

impl fmt::Display for IfSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 {
            write!(f, ", {}", self.1)
        } else {
            Ok(())
        }
    }
}

fn read_date<'de, A: SeqAccess<'de>, O: Observer>(
    precision: Precision,
    r: &mut Reader<'de, A, O>,
) -> Result<Result<Date, Reason>, A::Error> {
    if precision == Precision::Unknown {
        return Ok(Ok(Date::Unknown));
    }
    let date = Date::from_wire(precision, r.u32()?);
    if let Ok(d) = &date {
        r.note("date", &[Field::Date], d);
    }
    Ok(date)
}

impl Wire for Exchange {
    fn emit<S: Sink>(&self, s: &mut S) -> Result<(), S::Error> {
        let (flags, details) = exchange_flags(self);
        s.varint(self.origin.into())?;
        s.varint(self.seq.into())?;
        s.varint(self.revision.into())?;
        s.byte(flags)?;
        emit_date(&self.date, s)?;
        s.varint((self.side_a.index() * PARTY_SPACE + self.side_b.index()).into())?;
        emit_quantity(&self.total, s)?;
        emit_quantity(&self.to_a, s)?;
        emit_quantity(&self.to_b, s)?;
        s.varint(self.source.into())?;
        s.byte(self.grade.wire())?;
        emit_exchange_tail(self, details, s)
    }

    fn read<'de, A: SeqAccess<'de>, O: Observer>(r: &mut Reader<'de, A, O>) -> Result<Result<Self, Error>, A::Error> {
        let origin = r.number("origin")?;
        let seq = r.number("seq")?;
        let revision = r.number("revision")?;
        let flags = r.u8()?;
        let status = check!(Status::from_code(flags & 0b11).ok_or(Reason::UnknownCode), Field::Status);
        let handover = check!(Handover::from_code(flags >> 4 & 1).ok_or(Reason::UnknownCode), Field::Handover);
        let precision = precision_of(flags >> 2);
        let (retracted, has_part_of, details) = (flags & 1 << 5 != 0, flags & 1 << 6 != 0, flags & 1 << 7 != 0);
        r.note(
            "flags",
            &[Field::Flags, Field::Status, Field::Handover],
            &format_args!(
                "{status}, {handover}, {}{}{}{}",
                precision_words(precision),
                IfSet(retracted, "retracted"),
                IfSet(has_part_of, "part_of follows"),
                IfSet(details, "details follow")
            ),
        );
        let date = check!(read_date(precision, r)?, Field::Date);
        let parties = r.u32()?;
        let side_a = check!(Party::from_index(parties / PARTY_SPACE), Field::SideA);
        let side_b = check!(Party::from_index(parties % PARTY_SPACE), Field::SideB);
        r.note("parties", &[Field::SideA, Field::SideB], &format_args!("side_a {side_a}, side_b {side_b}"));
        let total = check!(r.noted_quantity(Field::Total)?);
        let to_a = check!(r.noted_quantity(Field::ToA)?);
        let to_b = check!(r.noted_quantity(Field::ToB)?);
        let source = r.number("source")?;
        let grade = check!(Grade::from_wire(r.u8()?), Field::Grade);
        r.note("grade", &[Field::Grade], &grade);
        let part_of = if has_part_of {
            let id = RecordId { origin: r.u32()?, seq: r.u32()? };
            r.note("part_of", &[Field::PartOf], &format_args!("origin {}, seq {}", id.origin, id.seq));
            Some(id)
        } else {
            None
        };
        let mut x = Exchange {
            origin,
            seq,
            revision,
            retracted,
            status,
            date,
            handover,
            side_a,
            side_b,
            total,
            to_a,
            to_b,
            composition_a: Composition::new(),
            composition_b: Composition::new(),
            mediators: heapless::Vec::new(),
            part_of,
            source,
            grade,
        };
        if details {
            let n = r.u8()?;
            if usize::from(n) > MAX_MEDIATORS {
                return Ok(Err(invalid(Field::Mediators, Reason::TooLong)));
            }
            r.note("mediators", &[Field::Mediators], &format_args!("{n} listed"));
            for _ in 0..n {
                let m = check!(Party::from_index(r.u32()?), Field::Mediators);
                check!(x.mediators.push(m).map_err(|_| Reason::TooLong), Field::Mediators);
                r.note("mediators", &[Field::Mediators], &m);
            }
            x.composition_a = check!(read_composition(Field::CompositionA, r)?, Field::CompositionA);
            x.composition_b = check!(read_composition(Field::CompositionB, r)?, Field::CompositionB);
        }
        Ok(Ok(x))
    }
}

impl Wire for Count {
    fn emit<S: Sink>(&self, s: &mut S) -> Result<(), S::Error> {
        let flags = count_flags(self);
        let holder = self.holder.map_or(0, |h| h.index() + 1);
        s.varint(self.origin.into())?;
        s.varint(self.seq.into())?;
        s.varint(self.revision.into())?;
        s.byte(flags)?;
        emit_date(&self.date, s)?;
        s.varint((holder * PARTY_SPACE + self.people.index()).into())?;
        emit_quantity(&self.quantity, s)?;
        s.varint(self.source.into())?;
        s.byte(self.grade.wire())
    }

    fn read<'de, A: SeqAccess<'de>, O: Observer>(r: &mut Reader<'de, A, O>) -> Result<Result<Self, Error>, A::Error> {
        let origin = r.number("origin")?;
        let seq = r.number("seq")?;
        let revision = r.number("revision")?;
        let flags = r.u8()?;
        if flags >> 6 != 0 {
            return Ok(Err(invalid(Field::Flags, Reason::UnknownCode)));
        }
        let population =
            check!(Population::from_code(flags >> 3 & 0b111).ok_or(Reason::UnknownCode), Field::Population);
        let (precision, retracted) = (precision_of(flags), flags & 1 << 2 != 0);
        r.note(
            "flags",
            &[Field::Flags, Field::Population],
            &format_args!("{population}, {}{}", precision_words(precision), IfSet(retracted, "retracted")),
        );
        let date = check!(read_date(precision, r)?, Field::Date);
        let parties = r.u32()?;
        let holder = match parties / PARTY_SPACE {
            0 => None,
            h => Some(check!(Party::from_index(h - 1), Field::Holder)),
        };
        let people = check!(Party::from_index(parties % PARTY_SPACE), Field::People);
        match holder {
            Some(h) => r.note("parties", &[Field::Holder, Field::People], &format_args!("holder {h}, people {people}")),
            None => r.note("parties", &[Field::Holder, Field::People], &format_args!("no holder, people {people}")),
        }
        let quantity = check!(r.noted_quantity(Field::Quantity)?);
        let source = r.number("source")?;
        let grade = check!(Grade::from_wire(r.u8()?), Field::Grade);
        r.note("grade", &[Field::Grade], &grade);
        Ok(Ok(Count { origin, seq, revision, retracted, population, date, holder, people, quantity, source, grade }))
    }
}

impl Wire for Source {
    fn emit<S: Sink>(&self, s: &mut S) -> Result<(), S::Error> {
        s.varint(self.key.into())?;
        s.varint(self.revision.into())?;
        s.byte(self.kind as u8 | (self.retracted as u8) << 3)?;
        s.text(&self.name)
    }

    fn read<'de, A: SeqAccess<'de>, O: Observer>(r: &mut Reader<'de, A, O>) -> Result<Result<Self, Error>, A::Error> {
        let key = r.number("key")?;
        let revision = r.number("revision")?;
        let flags = r.u8()?;
        if flags >> 4 != 0 {
            return Ok(Err(invalid(Field::Flags, Reason::UnknownCode)));
        }
        let kind = check!(SourceKind::from_code(flags & 0b111).ok_or(Reason::UnknownCode), Field::Kind);
        let retracted = flags & 1 << 3 != 0;
        r.note("flags", &[Field::Flags, Field::Kind], &format_args!("{kind}{}", IfSet(retracted, "retracted")));
        let name = check!(r.name()?, Field::Name);
        r.note("name", &[Field::Name], &format_args!("{:?}", name.as_str()));
        Ok(Ok(Source { key, revision, retracted, kind, name }))
    }
}

impl Wire for Record {
    fn emit<S: Sink>(&self, s: &mut S) -> Result<(), S::Error> {
        s.varint(self.kind() as u64)?;
        match self {
            Record::Exchange(x) => x.emit(s),
            Record::Count(c) => c.emit(s),
            Record::Source(src) => src.emit(s),
        }
    }

    fn read<'de, A: SeqAccess<'de>, O: Observer>(r: &mut Reader<'de, A, O>) -> Result<Result<Self, Error>, A::Error> {
        let kind = u8::try_from(r.u32()?).ok().and_then(Kind::from_code);
        if let Some(k) = kind {
            r.note("record", &[], &k.name());
        }
        Ok(match kind {
            Some(Kind::Exchange) => Exchange::read(r)?.map(Record::Exchange),
            Some(Kind::Count) => Count::read(r)?.map(Record::Count),
            Some(Kind::Source) => Source::read(r)?.map(Record::Source),
            None => Err(Error::UnknownKind),
        })
    }
}

/// Implements [`Codec`] and the serde traits for a record kind: the compact wire walk for
/// binary formats, the named-field form of [`crate::human`] for human-readable ones.
macro_rules! record_codec {
    ($ty:ty, $max:expr, $human:path) => {
        impl Codec for $ty {
            const MAX_SIZE: usize = $max;
            fn validate(&self) -> Result<(), Error> {
                <$ty>::validate(self)
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                if serializer.is_human_readable() {
                    return <$human>::serialize(self, serializer);
                }
                let mut tuple = Tuple(serializer.serialize_tuple(usize::MAX)?);
                self.emit(&mut tuple)?;
                tuple.0.end()
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = if deserializer.is_human_readable() {
                    <$human>::deserialize(deserializer)?
                } else {
                    deserializer
                        .deserialize_tuple(usize::MAX, WireVisitor::<$ty, _>(Silent, PhantomData))?
                        .map_err(de::Error::custom)?
                };
                value.validate().map_err(de::Error::custom)?;
                Ok(value)
            }
        }
    };
}

record_codec!(Exchange, crate::EXCHANGE_MAX_SIZE, crate::human::ExchangeForm);
record_codec!(Count, crate::COUNT_MAX_SIZE, crate::human::CountForm);
record_codec!(Source, crate::SOURCE_MAX_SIZE, crate::human::SourceForm);
record_codec!(Record, crate::RECORD_MAX_SIZE, crate::human::RecordForm);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_matches_postcard() {
        let values = [0u64, 1, 127, 128, 300, 16_383, 16_384, (1 << 21) - 1, 1 << 21, u32::MAX as u64, u64::MAX];
        for v in values {
            let (mut ours, mut theirs) = ([0xA5u8; 10], [0xA5u8; 10]);
            let mut w = Writer { buf: &mut ours, len: 0 };
            w.varint(v).unwrap();
            let n = w.len;
            assert_eq!(&ours[..n], postcard::to_slice(&v, &mut theirs).unwrap(), "{v}");
        }
        for text in ["", "AFP", "Ombudsman Dmytro Lubinets", "Суспільне"] {
            let (mut ours, mut theirs) = ([0xA5u8; 64], [0xA5u8; 64]);
            let mut w = Writer { buf: &mut ours, len: 0 };
            w.text(text).unwrap();
            let n = w.len;
            assert_eq!(&ours[..n], postcard::to_slice(text, &mut theirs).unwrap(), "{text}");
        }
        let mut short = [0u8; 1];
        assert_eq!(Writer { buf: &mut short, len: 0 }.varint(128), Err(Error::BufferTooSmall));
    }

    #[test]
    fn varint_lengths_match_postcard() {
        for v in [0u64, 1, 127, 128, 16_383, 16_384, (1 << 21) - 1, 1 << 21, u32::MAX as u64, u64::MAX] {
            let mut buf = [0u8; 10];
            assert_eq!(varint_len(v), postcard::to_slice(&v, &mut buf).unwrap().len(), "{v}");
        }
    }
}
