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
use crate::source::{check_name, Source, MAX_NAME_LEN};

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
        let out = buf.get_mut(..len).ok_or(Error::BufferTooSmall)?;
        Ok(postcard::to_slice(self, out)?.len())
    }

    /// Decodes one value from the start of `bytes`, returning it and the number of bytes it
    /// took, so that several records can be read from one buffer.
    fn decode_prefix(bytes: &[u8]) -> Result<(Self, usize), Error> {
        let mut de = postcard::Deserializer::from_bytes(bytes);
        let value = Deserializer::deserialize_tuple(&mut de, usize::MAX, WireVisitor::<Self>(PhantomData))??;
        let used = bytes.len() - de.finalize()?.len();
        value.validate()?;
        if value.encoded_len() != used {
            return Err(Error::NonCanonical);
        }
        Ok((value, used))
    }

    /// Decodes a value that fills `bytes` exactly.
    fn decode(bytes: &[u8]) -> Result<Self, Error> {
        match Self::decode_prefix(bytes)? {
            (value, used) if used == bytes.len() => Ok(value),
            _ => Err(Error::TrailingBytes),
        }
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

pub(crate) mod sealed {
    use super::{Reader, Sink};
    use crate::error::Error;
    use serde::de::SeqAccess;

    /// The wire walk of one record kind.
    pub trait Wire: Sized {
        /// Walks the fields in wire order into `sink`.
        fn emit<S: Sink>(&self, sink: &mut S) -> Result<(), S::Error>;
        /// Reads the fields in wire order. Structural failures (running out of bytes, bad
        /// varints) are the outer error; broken invariants the inner one.
        fn read<'de, A: SeqAccess<'de>>(r: &mut Reader<'de, A>) -> Result<Result<Self, Error>, A::Error>;
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
struct Counter(usize);

/// The length of `v` as a LEB128 varint.
const fn varint_len(v: u64) -> usize {
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

/// Writes through a serde tuple (postcard writes tuples as their elements, back to back).
struct Tuple<T>(T);

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

/// Reads wire elements from a serde sequence.
#[doc(hidden)]
pub struct Reader<'de, A: SeqAccess<'de>> {
    seq: A,
    _de: PhantomData<&'de ()>,
}

impl<'de, A: SeqAccess<'de>> Reader<'de, A> {
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
        Ok(check_name(v).and_then(|()| String::try_from(v).map_err(|_| Reason::TooLong)))
    }
}

/// Turns a [`Wire::read`] into a serde visitor.
struct WireVisitor<T>(PhantomData<T>);

impl<'de, T: Wire> Visitor<'de> for WireVisitor<T> {
    type Value = Result<T, Error>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a swapwire record")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::read(&mut Reader { seq, _de: PhantomData })
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

fn emit_quantity<S: Sink>(q: &Quantity, s: &mut S) -> Result<(), S::Error> {
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

fn read_composition<'de, A: SeqAccess<'de>>(r: &mut Reader<'de, A>) -> Result<Result<Composition, Reason>, A::Error> {
    let mask = r.u8()?;
    if mask >> MAX_PARTS != 0 {
        return Ok(Err(Reason::UnknownCode));
    }
    let mut c = Composition::new();
    for &category in Category::ALL {
        if mask & (1 << category as u8) != 0 {
            let quantity = check!(r.quantity()?);
            check!(c.push_ordered(Part { category, quantity }));
        }
    }
    Ok(Ok(c))
}

fn emit_date<S: Sink>(d: &Date, s: &mut S) -> Result<(), S::Error> {
    match d.wire_value() {
        Some(v) => s.varint(v.into()),
        None => Ok(()),
    }
}

fn read_date<'de, A: SeqAccess<'de>>(precision: u8, r: &mut Reader<'de, A>) -> Result<Result<Date, Reason>, A::Error> {
    // Two bits always name a defined precision.
    let precision = Precision::from_code(precision & 0b11).unwrap_or(Precision::Unknown);
    if precision == Precision::Unknown {
        return Ok(Ok(Date::Unknown));
    }
    Ok(Date::from_wire(precision, r.u32()?))
}

impl Wire for Exchange {
    fn emit<S: Sink>(&self, s: &mut S) -> Result<(), S::Error> {
        let details = !self.mediators.is_empty() || !self.composition_a.is_empty() || !self.composition_b.is_empty();
        let flags = self.status as u8
            | (self.date.precision() as u8) << 2
            | (self.handover as u8) << 4
            | (self.retracted as u8) << 5
            | (self.part_of.is_some() as u8) << 6
            | (details as u8) << 7;
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
        if let Some(p) = self.part_of {
            s.varint(p.origin.into())?;
            s.varint(p.seq.into())?;
        }
        if details {
            s.byte(self.mediators.len() as u8)?;
            for m in &self.mediators {
                s.varint(m.index().into())?;
            }
            emit_composition(&self.composition_a, s)?;
            emit_composition(&self.composition_b, s)?;
        }
        Ok(())
    }

    fn read<'de, A: SeqAccess<'de>>(r: &mut Reader<'de, A>) -> Result<Result<Self, Error>, A::Error> {
        let origin = r.u32()?;
        let seq = r.u32()?;
        let revision = r.u32()?;
        let flags = r.u8()?;
        let status = check!(Status::from_code(flags & 0b11).ok_or(Reason::UnknownCode), Field::Status);
        let date = check!(read_date(flags >> 2, r)?, Field::Date);
        let handover = check!(Handover::from_code(flags >> 4 & 1).ok_or(Reason::UnknownCode), Field::Handover);
        let parties = r.u32()?;
        let side_a = check!(Party::from_index(parties / PARTY_SPACE), Field::SideA);
        let side_b = check!(Party::from_index(parties % PARTY_SPACE), Field::SideB);
        let total = check!(r.quantity()?, Field::Total);
        let to_a = check!(r.quantity()?, Field::ToA);
        let to_b = check!(r.quantity()?, Field::ToB);
        let source = r.u32()?;
        let grade = check!(Grade::from_wire(r.u8()?), Field::Grade);
        let part_of = if flags & 1 << 6 != 0 { Some(RecordId { origin: r.u32()?, seq: r.u32()? }) } else { None };
        let mut x = Exchange {
            origin,
            seq,
            revision,
            retracted: flags & 1 << 5 != 0,
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
        if flags & 1 << 7 != 0 {
            let n = r.u8()?;
            if usize::from(n) > MAX_MEDIATORS {
                return Ok(Err(invalid(Field::Mediators, Reason::TooLong)));
            }
            for _ in 0..n {
                let m = check!(Party::from_index(r.u32()?), Field::Mediators);
                check!(x.mediators.push(m).map_err(|_| Reason::TooLong), Field::Mediators);
            }
            x.composition_a = check!(read_composition(r)?, Field::CompositionA);
            x.composition_b = check!(read_composition(r)?, Field::CompositionB);
        }
        Ok(Ok(x))
    }
}

impl Wire for Count {
    fn emit<S: Sink>(&self, s: &mut S) -> Result<(), S::Error> {
        let flags = self.date.precision() as u8 | (self.retracted as u8) << 2 | (self.population as u8) << 3;
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

    fn read<'de, A: SeqAccess<'de>>(r: &mut Reader<'de, A>) -> Result<Result<Self, Error>, A::Error> {
        let origin = r.u32()?;
        let seq = r.u32()?;
        let revision = r.u32()?;
        let flags = r.u8()?;
        if flags >> 6 != 0 {
            return Ok(Err(invalid(Field::Flags, Reason::UnknownCode)));
        }
        let date = check!(read_date(flags, r)?, Field::Date);
        let population =
            check!(Population::from_code(flags >> 3 & 0b111).ok_or(Reason::UnknownCode), Field::Population);
        let parties = r.u32()?;
        let holder = match parties / PARTY_SPACE {
            0 => None,
            h => Some(check!(Party::from_index(h - 1), Field::Holder)),
        };
        let people = check!(Party::from_index(parties % PARTY_SPACE), Field::People);
        let quantity = check!(r.quantity()?, Field::Quantity);
        let source = r.u32()?;
        let grade = check!(Grade::from_wire(r.u8()?), Field::Grade);
        Ok(Ok(Count {
            origin,
            seq,
            revision,
            retracted: flags & 1 << 2 != 0,
            population,
            date,
            holder,
            people,
            quantity,
            source,
            grade,
        }))
    }
}

impl Wire for Source {
    fn emit<S: Sink>(&self, s: &mut S) -> Result<(), S::Error> {
        s.varint(self.key.into())?;
        s.varint(self.revision.into())?;
        s.byte(self.kind as u8 | (self.retracted as u8) << 3)?;
        s.text(&self.name)
    }

    fn read<'de, A: SeqAccess<'de>>(r: &mut Reader<'de, A>) -> Result<Result<Self, Error>, A::Error> {
        let key = r.u32()?;
        let revision = r.u32()?;
        let flags = r.u8()?;
        if flags >> 4 != 0 {
            return Ok(Err(invalid(Field::Flags, Reason::UnknownCode)));
        }
        let kind = check!(SourceKind::from_code(flags & 0b111).ok_or(Reason::UnknownCode), Field::Kind);
        let name = check!(r.name()?, Field::Name);
        Ok(Ok(Source { key, revision, retracted: flags & 1 << 3 != 0, kind, name }))
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

    fn read<'de, A: SeqAccess<'de>>(r: &mut Reader<'de, A>) -> Result<Result<Self, Error>, A::Error> {
        let kind = u8::try_from(r.u32()?).ok().and_then(Kind::from_code);
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
                        .deserialize_tuple(usize::MAX, WireVisitor::<$ty>(PhantomData))?
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
    fn varint_lengths_match_postcard() {
        for v in [0u64, 1, 127, 128, 16_383, 16_384, (1 << 21) - 1, 1 << 21, u32::MAX as u64, u64::MAX] {
            let mut buf = [0u8; 10];
            assert_eq!(varint_len(v), postcard::to_slice(&v, &mut buf).unwrap().len(), "{v}");
        }
    }
}
