//! The compact postcard form of the records.
//!
//! Each record kind has one `emit` function that walks its fields in wire order into a
//! [`Sink`]. The same walk serializes through postcard and counts the encoded length, so the
//! two cannot drift apart. Decoding walks the same order straight over the byte slice with the
//! frames' [`Cursor`], writing into the caller's record and returning a typed [`Error`] that
//! names the offending field; serde's `SeqAccess` feeds the same walk for generic serde users.
//! The byte-by-byte layout is in `docs/wire-format.md`.

use core::cmp::Ordering;
use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, DeserializeSeed, SeqAccess, Visitor};
use serde::ser::{self, SerializeTuple};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::codes::{Population, SourceKind};
use crate::count::Count;
use crate::error::{invalid, Error, Field, Reason};
use crate::exchange::Exchange;
use crate::frame::Cursor;
use crate::name::Name;
use crate::party::Party;
use crate::quantity::Quantity;
use crate::record::{Kind, Record};
use crate::source::Source;

pub(crate) mod walk;

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

    /// The exact number of bytes [`encode`](Self::encode) writes for this value. For a value
    /// that fails [`validate`](Self::validate), which `encode` refuses, the number means
    /// nothing, but measuring it never panics.
    fn encoded_len(&self) -> usize {
        counted!(s => self.emit(s))
    }

    /// Validates the value and writes its encoding to the start of `buf`, returning the number
    /// of bytes written. On error nothing has been written.
    fn encode(&self, buf: &mut [u8]) -> Result<usize, Error> {
        self.validate()?;
        // A buffer that holds the largest value needs no count first, and then nothing can fail.
        if buf.len() < Self::MAX_SIZE && self.encoded_len() > buf.len() {
            return Err(Error::BufferTooSmall);
        }
        // A host writes through a sink with no error path; bare metal through the one
        // `Writer` (one copy of each walk in flash).
        #[cfg(not(target_os = "none"))]
        return Ok(Direct::write(self, buf));
        #[cfg(target_os = "none")]
        {
            let mut out = Writer::new(buf);
            self.emit(&mut out)?;
            Ok(out.len)
        }
    }

    /// Decodes one value from the start of `bytes`, returning it and the number of bytes it
    /// took, so that several records can be read from one buffer.
    fn decode_prefix(bytes: &[u8]) -> Result<(Self, usize), Error> {
        let mut out = Ok((Self::blank(bytes.first().copied()), 0));
        if let Ok((value, used)) = &mut out {
            match Self::decode_prefix_into(bytes, value) {
                Ok(n) => *used = n,
                Err(e) => out = Err(e),
            }
        }
        out
    }

    /// Decodes one value from the start of `bytes` into `out`, returning the number of bytes it
    /// took. The in-place form of [`decode_prefix`](Self::decode_prefix), for loops and for
    /// callers that keep one record and reuse it: nothing is returned through nested results,
    /// and an `out` already of the right kind is overwritten field by field.
    ///
    /// On error, `out` holds some valid value of its type (partly decoded fields, or what it
    /// held before); take nothing from it.
    ///
    /// ```
    /// use swapwire::{Codec, Kind, Record};
    /// let bytes = [0x02, 0x03, 0x00, 0x03, 0x03, b'A', b'F', b'P', 0x02, 0x04, 0x00, 0x03, 0x03, b'B', b'B', b'C'];
    /// let mut record = Record::blank_of(Kind::Source);
    /// let first = Record::decode_prefix_into(&bytes, &mut record).unwrap();
    /// assert_eq!(first, 8);
    /// let second = Record::decode_prefix_into(&bytes[first..], &mut record).unwrap();
    /// assert_eq!((second, record.kind()), (8, Kind::Source));
    /// ```
    fn decode_prefix_into(bytes: &[u8], out: &mut Self) -> Result<usize, Error> {
        let mut r = Reader { input: Cursor::noting_non_canonical(bytes), observer: Silent };
        Self::read(&mut r, out)?;
        out.validate()?;
        // Checked last, as the re-count after validation used to be: a non-canonical record
        // with a broken invariant reports the invariant.
        if r.input.saw_non_canonical() {
            return Err(Error::NonCanonical);
        }
        Ok(r.input.position())
    }

    /// Decodes a value that fills `bytes` exactly.
    fn decode(bytes: &[u8]) -> Result<Self, Error> {
        // One record-sized local: decoded in place, then moved out once. (Wrapped in the
        // `Result` from the start, the blank was built aside and moved in: two locals.)
        let mut value = Self::blank(bytes.first().copied());
        Self::decode_into(bytes, &mut value)?;
        Ok(value)
    }

    /// Decodes a value that fills `bytes` exactly into `out`: the in-place form of
    /// [`decode`](Self::decode), with the same caveat as
    /// [`decode_prefix_into`](Self::decode_prefix_into) on error.
    fn decode_into(bytes: &[u8], out: &mut Self) -> Result<(), Error> {
        if Self::decode_prefix_into(bytes, out)? != bytes.len() {
            return Err(Error::TrailingBytes);
        }
        Ok(())
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
    use super::{Input, Observer, Reader, Sink};
    use crate::error::Error;

    /// The wire walk of one record kind.
    pub trait Wire: Sized {
        /// Walks the fields in wire order into `sink`.
        fn emit<S: Sink>(&self, sink: &mut S) -> Result<(), S::Error>;
        /// Reads the fields in wire order into `out`, overwriting every field.
        fn read<I: Input, O: Observer>(r: &mut Reader<I, O>, out: &mut Self) -> Result<(), Error>;
        /// A value to decode into (for a [`Record`](crate::Record), see its impl); the read
        /// walk makes it the kind the input names if it is not.
        fn blank(first: Option<u8>) -> Self;
    }
}
use sealed::Wire;

/// Where a wire walk writes: a postcard tuple, or a byte counter.
#[doc(hidden)]
pub trait Sink {
    /// The sink's failure.
    type Error;
    /// An unsigned LEB128 varint (postcard encodes `u32` and `u64` the same way); by default
    /// byte by byte.
    fn varint(&mut self, mut v: u64) -> Result<(), Self::Error> {
        while v >= 0x80 {
            self.byte(v as u8 | 0x80)?;
            v >>= 7;
        }
        self.byte(v as u8)
    }
    /// One raw byte.
    fn byte(&mut self, b: u8) -> Result<(), Self::Error>;
    /// A varint length followed by UTF-8 bytes; by default byte by byte.
    fn text(&mut self, s: &str) -> Result<(), Self::Error> {
        self.varint(s.len() as u64)?;
        s.bytes().try_for_each(|b| self.byte(b))
    }
}

/// The length of `v` as a LEB128 varint.
pub(crate) const fn varint_len(v: u64) -> usize {
    let bits = 64 - (v | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// The number of bytes an emit walk writes, with the sink bound to `$s` in `$walk`: on a host
/// through a [`Counter`], on bare metal through the one [`Writer`] (one copy of each walk in
/// flash).
macro_rules! counted {
    ($s:ident => $walk:expr) => {{
        #[cfg(not(target_os = "none"))]
        let len = {
            let mut counter = $crate::wire::Counter::default();
            let $s = &mut counter;
            let Ok(()) = $walk;
            counter.len
        };
        #[cfg(target_os = "none")]
        let len = $crate::wire::Writer::count(|$s| $walk);
        len
    }};
}
pub(crate) use counted;

/// Runs `$body` with `$s` bound to a sink that writes on from where `$w`, a [`Writer`] into
/// bytes a layout has measured, stands: on a host the infallible [`Direct`] sink (see
/// [`Writer::direct`]), on bare metal `$w` itself (one copy of each walk in flash). `$body`
/// gives a `Result<(), Error>`.
macro_rules! writing {
    ($w:ident, $s:ident => $body:expr) => {{
        #[cfg(not(target_os = "none"))]
        let done = $w.direct(|$s| $body);
        #[cfg(target_os = "none")]
        let done = {
            let $s = &mut $w;
            $body
        };
        done
    }};
}
pub(crate) use writing;

/// The host's counting sink: each byte adds one and each varint its length, where counting
/// through [`Writer`] took a window check, a failed bounds check and a mode check per byte.
/// Frames count every record they lay out and every record they read: with it, the batch in
/// Meshtastic frames took 1,306 instructions per record to write instead of 1,539, and 1,652
/// to read instead of 1,859 (`scripts/instr-table.py`).
#[cfg(not(target_os = "none"))]
#[derive(Default)]
pub(crate) struct Counter {
    pub(crate) len: usize,
}

#[cfg(not(target_os = "none"))]
impl Sink for Counter {
    type Error = core::convert::Infallible;
    #[inline]
    fn varint(&mut self, v: u64) -> Result<(), Self::Error> {
        self.len += varint_len(v);
        Ok(())
    }
    #[inline]
    fn byte(&mut self, _: u8) -> Result<(), Self::Error> {
        self.len += 1;
        Ok(())
    }
    #[inline]
    fn text(&mut self, s: &str) -> Result<(), Self::Error> {
        self.len += varint_len(s.len() as u64) + s.len();
        Ok(())
    }
}

/// Writes postcard's bytes straight into a slice, or counts them. `encode` uses it rather than
/// going through serde, which copied every varint through a scratch buffer and took twice as
/// long; the `Serialize` impls still use [`Tuple`], and a test keeps the two byte-identical.
///
/// One writer type for writing, counting ([`Writer::count`]) and windows (`skip`), so that
/// each walk exists once in a firmware image: a separate counting sink was a second copy of
/// every walk (about 1 KiB on a Cortex-M).
///
/// With `skip`, the first `skip` bytes of the walk are dropped, so one window of an encoding
/// can be written into a small buffer (see [`cmp_encodings`]).
pub(crate) struct Writer<'a> {
    buf: &'a mut [u8],
    len: usize,
    skip: usize,
    /// Bytes past the end of `buf` are counted, not refused.
    counting: bool,
}

impl<'a> Writer<'a> {
    /// A writer into `buf` from its start.
    pub(crate) fn new(buf: &'a mut [u8]) -> Self {
        Writer { buf, len: 0, skip: 0, counting: false }
    }

    /// The number of bytes `emit` writes, counted without writing them.
    pub(crate) fn count(emit: impl FnOnce(&mut Writer<'static>) -> Result<(), Error>) -> usize {
        let mut w = Writer { buf: &mut [], len: 0, skip: 0, counting: true };
        let _ = emit(&mut w); // a counting writer refuses nothing
        w.len
    }

    /// The bytes written (or counted) so far.
    pub(crate) const fn len(&self) -> usize {
        self.len
    }

    /// The buffer back, all of it: to work on what was written.
    pub(crate) fn into_buf(self) -> &'a mut [u8] {
        self.buf
    }
}

impl Writer<'_> {
    /// Runs `write` on a [`Direct`] sink that goes on from here (in a writer from
    /// [`Writer::new`]), for items a layout has measured to fit: the records of a frame, after
    /// its header. Through `Writer`, whose every byte checks a window, a counting mode and the
    /// bounds, writing the batch in Meshtastic frames took 1,306 instructions per record;
    /// through `Direct`, 1,165 (`scripts/instr-table.py`). Bytes past the end are dropped and
    /// counted, as `Direct` does, so if `write` went past it (items other than those laid out)
    /// the answer is [`Error::BufferTooSmall`] and the buffer holds nothing useful.
    #[cfg(not(target_os = "none"))]
    pub(crate) fn direct(&mut self, write: impl FnOnce(&mut Direct<'_>) -> Result<(), Error>) -> Result<(), Error> {
        let mut sink = Direct { buf: &mut *self.buf, len: self.len };
        write(&mut sink)?;
        if sink.len > sink.buf.len() {
            return Err(Error::BufferTooSmall);
        }
        self.len = sink.len;
        Ok(())
    }

    /// [`Sink::varint`] past its one-byte case.
    #[inline(never)]
    fn varint_long(&mut self, mut v: u64) -> Result<(), Error> {
        if self.counting && self.skip == 0 {
            self.len += varint_len(v);
            return Ok(());
        }
        // On a host, varints of up to five bytes (quantities, dates, ids; the quantity's head
        // has 35 bits) are written directly: byte by byte through `byte`, each with its window and bounds
        // checks, long varints were two fifths of an Exchange's encode
        // (`scripts/instr-table.py`). Bare metal keeps the one loop (flash).
        #[cfg(not(target_os = "none"))]
        if self.skip == 0 {
            let n = match self.buf.get_mut(self.len..) {
                Some([b0, b1, ..]) if v < 1 << 14 => {
                    (*b0, *b1) = (v as u8 | 0x80, (v >> 7) as u8);
                    2
                }
                Some([b0, b1, b2, ..]) if v < 1 << 21 => {
                    (*b0, *b1, *b2) = (v as u8 | 0x80, (v >> 7) as u8 | 0x80, (v >> 14) as u8);
                    3
                }
                Some([b0, b1, b2, b3, ..]) if v < 1 << 28 => {
                    (*b0, *b1, *b2) = (v as u8 | 0x80, (v >> 7) as u8 | 0x80, (v >> 14) as u8 | 0x80);
                    *b3 = (v >> 21) as u8;
                    4
                }
                Some([b0, b1, b2, b3, b4, ..]) if v < 1 << 35 => {
                    (*b0, *b1, *b2) = (v as u8 | 0x80, (v >> 7) as u8 | 0x80, (v >> 14) as u8 | 0x80);
                    (*b3, *b4) = ((v >> 21) as u8 | 0x80, (v >> 28) as u8);
                    5
                }
                _ => 0,
            };
            if n > 0 {
                self.len += n;
                return Ok(());
            }
        }
        while v >= 0x80 {
            self.byte(v as u8 | 0x80)?;
            v >>= 7;
        }
        self.byte(v as u8)
    }
}

impl Sink for Writer<'_> {
    type Error = Error;
    /// Most varints are one byte (flags-sized numbers, unknown quantities, small ids): that
    /// case is inlined, the rest is one shared call. It was a third of the encode time.
    #[inline]
    fn varint(&mut self, v: u64) -> Result<(), Error> {
        if let (true, 0, Some(slot)) = (v < 0x80, self.skip, self.buf.get_mut(self.len)) {
            *slot = v as u8;
            self.len += 1;
            return Ok(());
        }
        self.varint_long(v)
    }
    #[inline]
    fn byte(&mut self, b: u8) -> Result<(), Error> {
        if self.skip > 0 {
            self.skip -= 1;
            return Ok(());
        }
        match self.buf.get_mut(self.len) {
            Some(slot) => *slot = b,
            None if self.counting => {}
            None => return Err(Error::BufferTooSmall),
        }
        self.len += 1;
        Ok(())
    }
    fn text(&mut self, s: &str) -> Result<(), Error> {
        self.varint(s.len() as u64)?;
        let skipped = self.skip.min(s.len());
        self.skip -= skipped;
        let rest = s.as_bytes().get(skipped..).unwrap_or_default();
        let end = self.len + rest.len();
        match self.buf.get_mut(self.len..end) {
            Some(out) => out.copy_from_slice(rest),
            None if self.counting => {}
            None => return Err(Error::BufferTooSmall),
        }
        self.len = end;
        Ok(())
    }
}

/// The host's encode sink, for a value known to fit: a write past the end of the buffer is
/// dropped rather than refused, so `Error = Infallible` removes every `?` from the walk, and no
/// byte checks a window or a counting mode. Through [`Writer`] a validated Exchange took 1.6×
/// bincode's instructions to encode (`scripts/instr-table.py`).
///
/// (A 256-byte scratch array indexed by a `u8`, with no bounds checks at all, then copied out,
/// took fewer instructions but more time: the copy read back bytes just stored, and a Source
/// took 46 ns to encode against 25 through this sink, by `scripts/wall-time.py`. A varint
/// written with one bounds check for two or three bytes took more instructions in every
/// workload, batch 504 against 514: the larger sink changed what the walks inline.)
#[cfg(not(target_os = "none"))]
pub(crate) struct Direct<'a> {
    buf: &'a mut [u8],
    len: usize,
}

#[cfg(not(target_os = "none"))]
impl<'a> Direct<'a> {
    /// Writes a validated `value` that fits `buf` (checked by the caller), returning its length.
    fn write<T: Wire>(value: &T, buf: &'a mut [u8]) -> usize {
        let mut out = Direct { buf, len: 0 };
        let Ok(()) = value.emit(&mut out);
        out.len
    }
}

#[cfg(not(target_os = "none"))]
impl Sink for Direct<'_> {
    type Error = core::convert::Infallible;
    #[inline]
    fn byte(&mut self, b: u8) -> Result<(), Self::Error> {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
        }
        self.len += 1;
        Ok(())
    }
    // `varint` is the trait's byte loop: with an `Infallible` error its `?`s cost nothing.
    fn text(&mut self, s: &str) -> Result<(), Self::Error> {
        self.varint(s.len() as u64)?;
        let end = self.len + s.len();
        if let Some(out) = self.buf.get_mut(self.len..end) {
            out.copy_from_slice(s.as_bytes());
        }
        self.len = end;
        Ok(())
    }
}

/// Orders two values by their standalone encodings, lexicographically; a value that does not
/// validate counts as the empty encoding, as a failed `encode` would leave it.
///
/// Both encodings are walked in lockstep windows of 16 bytes rather than into two
/// `MAX_SIZE` buffers: ordering equal revisions in a store then takes 32 bytes of stack, not
/// 396 (Cortex-M, `firmware/src/bin/vectors.rs`; 32-byte windows left `Store::merge` at 552
/// bytes, 16-byte ones at 512). A window re-walks the value from its start, which costs little
/// next to a record's size (equal revisions are rare), and the walk stops as soon as the window
/// is full.
pub(crate) fn cmp_encodings<T: Codec>(a: &T, b: &T) -> Ordering {
    const WINDOW: usize = 16;
    let (a_ok, b_ok) = (a.validate().is_ok(), b.validate().is_ok());
    let mut at = 0;
    loop {
        let (mut x, mut y) = ([0u8; WINDOW], [0u8; WINDOW]);
        let nx = if a_ok { window(a, at, &mut x) } else { 0 };
        let ny = if b_ok { window(b, at, &mut y) } else { 0 };
        match x.get(..nx).cmp(&y.get(..ny)) {
            Ordering::Equal if nx == WINDOW => at += WINDOW,
            order => return order,
        }
    }
}

/// Writes the bytes of `value`'s encoding from `skip` on into `buf`, as many as fit.
fn window<T: Wire>(value: &T, skip: usize, buf: &mut [u8]) -> usize {
    let mut w = Writer { skip, ..Writer::new(buf) };
    // A full window ends the walk with BufferTooSmall: the bytes after it are not needed.
    let _ = value.emit(&mut w);
    w.len
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

/// Hears each element of a read walk right after it is read and decoded: where it ends, a label,
/// the fields it carries and its value. [`crate::annotate`] turns this into labelled byte
/// ranges; plain decoding uses [`Silent`], so the labels cannot drift from the walk that decodes.
#[doc(hidden)]
pub trait Observer {
    /// Hears one element, which ends at byte `end`.
    fn note(&mut self, end: usize, label: &'static str, fields: &[Field], value: &dyn fmt::Display);
}

/// The observer of plain decoding. A type rather than a `None`, so that the notes compile to
/// nothing: a runtime `Option` kept every value's `Display` code (core::fmt, 6 KiB on
/// Cortex-M) in every firmware that decodes.
#[doc(hidden)]
pub struct Silent;

impl Observer for Silent {
    #[inline(always)]
    fn note(&mut self, _: usize, _: &'static str, _: &[Field], _: &dyn fmt::Display) {}
}

impl<O: Observer + ?Sized> Observer for &mut O {
    fn note(&mut self, end: usize, label: &'static str, fields: &[Field], value: &dyn fmt::Display) {
        (**self).note(end, label, fields, value);
    }
}

/// Where a read walk takes its elements from: the byte [`Cursor`] (decoding, annotating), or a
/// serde sequence (the `Deserialize` impls).
#[doc(hidden)]
pub trait Input {
    /// One raw byte.
    fn byte(&mut self) -> Result<u8, Error>;
    /// A varint that must fit a `u32`.
    fn u32(&mut self) -> Result<u32, Error>;
    /// A varint that must fit a `u64`.
    fn u64(&mut self) -> Result<u64, Error>;
    /// A source name: a varint length and that many bytes of UTF-8, at most
    /// [`MAX_NAME_LEN`](crate::MAX_NAME_LEN) and without control characters, written into `out`
    /// (in place: a name returned by value was copied twice on the stack).
    fn name(&mut self, out: &mut Name) -> Result<(), Error>;
    /// How many bytes have been read.
    fn position(&self) -> usize;
    /// Marks the input as not written the canonical way (reported after validation).
    fn non_canonical(&mut self);
}

impl Input for Cursor<'_> {
    #[inline]
    fn byte(&mut self) -> Result<u8, Error> {
        Cursor::byte(self)
    }
    #[inline]
    fn u32(&mut self) -> Result<u32, Error> {
        Cursor::u32(self)
    }
    // Inlined: its one frame was the deepest link of every record read (the quantities).
    #[inline(always)]
    fn u64(&mut self) -> Result<u64, Error> {
        Cursor::u64(self)
    }
    fn name(&mut self, out: &mut Name) -> Result<(), Error> {
        // Postcard's order: the length, all its bytes, UTF-8; only then the name rules.
        let text = self.text()?;
        out.set(text)
    }
    #[inline]
    fn position(&self) -> usize {
        Cursor::position(self)
    }
    fn non_canonical(&mut self) {
        self.mark_non_canonical();
    }
}

/// A serde sequence as an [`Input`]. The walk speaks [`Error`]; a deserializer's own error is
/// kept aside and handed back as it came.
struct SeqInput<'de, A: SeqAccess<'de>> {
    seq: A,
    failure: Option<A::Error>,
    _de: PhantomData<&'de ()>,
}

impl<'de, A: SeqAccess<'de>> SeqInput<'de, A> {
    fn next<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        match self.seq.next_element_seed(seed) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err(Error::Truncated),
            Err(e) => {
                self.failure = Some(e);
                Err(Error::Malformed)
            }
        }
    }
}

impl<'de, A: SeqAccess<'de>> Input for SeqInput<'de, A> {
    fn byte(&mut self) -> Result<u8, Error> {
        self.next(PhantomData)
    }
    fn u32(&mut self) -> Result<u32, Error> {
        self.next(PhantomData)
    }
    fn u64(&mut self) -> Result<u64, Error> {
        self.next(PhantomData)
    }
    fn name(&mut self, out: &mut Name) -> Result<(), Error> {
        *out = self.next(NameSeed)?.map_err(|r| invalid(Field::Name, r))?;
        Ok(())
    }
    fn position(&self) -> usize {
        0
    }
    fn non_canonical(&mut self) {}
}

/// Reads a source name from a serde deserializer without a heap, reporting a name that breaks
/// the rules as a [`Reason`] (the deserializer's own errors are for bytes that are no string).
struct NameSeed;

impl<'de> DeserializeSeed<'de> for NameSeed {
    type Value = Result<Name, Reason>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for NameSeed {
    type Value = Result<Name, Reason>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a source name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        // An empty name is a Name; `validate`, which every decoder runs, rejects it for a Source.
        Ok(Name::checked(v))
    }
}

/// Reads wire elements from an [`Input`], telling an [`Observer`] about each.
#[doc(hidden)]
pub struct Reader<I: Input, O: Observer> {
    pub(crate) input: I,
    pub(crate) observer: O,
}

impl<I: Input, O: Observer> Reader<I, O> {
    /// Reports the element(s) read since the last note.
    #[inline(always)]
    fn note(&mut self, label: &'static str, fields: &[Field], value: &dyn fmt::Display) {
        self.observer.note(self.input.position(), label, fields, value);
    }
    /// Reads a varint that carries a plain number and notes it.
    #[inline]
    fn number(&mut self, label: &'static str) -> Result<u32, Error> {
        let n = self.input.u32()?;
        self.note(label, &[], &n);
        Ok(n)
    }
    /// Reads a quantity and notes it under its field's name.
    #[inline]
    fn noted_quantity(&mut self, field: Field, out: &mut Quantity) -> Result<(), Error> {
        // Written through `out` rather than returned: a returned quantity went through a stack
        // slot and was copied field by field by every caller (flash and stack on Cortex-M).
        *out = self.quantity().of(field)?;
        self.note(field.name(), &[field], out);
        Ok(())
    }
    /// A quantity; structural errors are the outer error, a bad value the inner reason.
    #[inline]
    fn quantity(&mut self) -> Result<Result<Quantity, Reason>, Error> {
        let head = self.input.u64()?;
        let delta = if Quantity::head_is_range(head) { self.input.u32()? } else { 0 };
        Ok(Quantity::unfold(head, delta))
    }
}

/// Names the field a broken invariant belongs to.
trait Of<T> {
    fn of(self, field: Field) -> Result<T, Error>;
}

impl<T> Of<T> for Result<T, Reason> {
    #[inline(always)]
    fn of(self, field: Field) -> Result<T, Error> {
        self.map_err(|r| invalid(field, r))
    }
}

impl<T> Of<T> for Result<Result<T, Reason>, Error> {
    #[inline(always)]
    fn of(self, field: Field) -> Result<T, Error> {
        self?.of(field)
    }
}

/// Turns a [`Wire::read`] into a serde visitor.
struct WireVisitor<T>(PhantomData<T>);

impl<'de, T: Wire> Visitor<'de> for WireVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a swapwire record")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        let mut r = Reader { input: SeqInput { seq, failure: None, _de: PhantomData }, observer: Silent };
        let mut value = T::blank(None);
        let read = T::read(&mut r, &mut value);
        match (r.input.failure, read) {
            (Some(e), _) => Err(e),
            (None, Err(e)) => Err(de::Error::custom(e)),
            (None, Ok(())) => Ok(value),
        }
    }
}

impl Wire for Exchange {
    fn emit<S: Sink>(&self, s: &mut S) -> Result<(), S::Error> {
        walk::emit_exchange(self, None, s)
    }
    fn read<I: Input, O: Observer>(r: &mut Reader<I, O>, out: &mut Self) -> Result<(), Error> {
        walk::read_exchange(r, out, None)
    }
    #[inline]
    fn blank(_: Option<u8>) -> Self {
        Exchange::new(0, 0, Party::UA, Party::RU)
    }
}

impl Wire for Count {
    fn emit<S: Sink>(&self, s: &mut S) -> Result<(), S::Error> {
        walk::emit_count(self, None, s)
    }
    fn read<I: Input, O: Observer>(r: &mut Reader<I, O>, out: &mut Self) -> Result<(), Error> {
        walk::read_count(r, out, None)
    }
    #[inline]
    fn blank(_: Option<u8>) -> Self {
        Count::new(0, 0, Population::PrisonersOfWar, Party::UA)
    }
}

impl Wire for Source {
    fn emit<S: Sink>(&self, s: &mut S) -> Result<(), S::Error> {
        walk::emit_source(self, false, s)
    }
    fn read<I: Input, O: Observer>(r: &mut Reader<I, O>, out: &mut Self) -> Result<(), Error> {
        walk::read_source(r, out, None)
    }
    #[inline]
    fn blank(_: Option<u8>) -> Self {
        Source { key: 0, revision: 0, retracted: false, kind: SourceKind::Media, name: Name::empty(), via: None }
    }
}

impl Wire for Record {
    fn emit<S: Sink>(&self, s: &mut S) -> Result<(), S::Error> {
        s.varint(self.kind() as u64)?;
        walk::emit_record_body(self, None, s)
    }
    fn read<I: Input, O: Observer>(r: &mut Reader<I, O>, out: &mut Self) -> Result<(), Error> {
        let kind = u8::try_from(r.input.u32()?).ok().and_then(Kind::from_code).ok_or(Error::UnknownKind)?;
        r.note("record", &[], &kind.name());
        walk::read_record_body(kind, r, out, None)
    }
    /// On a host, the blank of the kind the first byte names, so that decoding writes one
    /// record (a Count blank reset to an Exchange made `decode-batch` about a fifth slower). On
    /// bare metal (`target_os = "none"`), the smallest blank, a Count, which the read walk makes
    /// the kind it reads with the one shared [`Record::reset_to`]: the three blanks inlined
    /// into each decode call cost about 150 bytes of flash.
    #[inline]
    fn blank(first: Option<u8>) -> Self {
        #[cfg(not(target_os = "none"))]
        let blank = Record::blank_of(first.and_then(Kind::from_code).unwrap_or(Kind::Exchange));
        #[cfg(target_os = "none")]
        let blank = {
            let _ = first;
            Record::Count(Count::blank(None))
        };
        blank
    }
}

impl Record {
    /// A record of the given kind with every field at its default, to decode into with
    /// [`Codec::decode_prefix_into`]: decoding a record of the same kind then overwrites it in
    /// place.
    #[inline]
    pub fn blank_of(kind: Kind) -> Self {
        match kind {
            Kind::Exchange => Record::Exchange(Exchange::blank(None)),
            Kind::Count => Record::Count(Count::blank(None)),
            Kind::Source => Record::Source(Source::blank(None)),
        }
    }

    /// Makes `self` a blank of `kind`, in place: one shared copy of the three blanks for the
    /// decoders (a by-value `blank_of` kept out of line would cost its callers a temporary).
    #[inline(never)]
    pub(crate) fn reset_to(&mut self, kind: Kind) {
        *self = Record::blank_of(kind);
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
                // As `encode`: an invalid value has no encoding (its bytes would not decode).
                self.validate().map_err(ser::Error::custom)?;
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
                    deserializer.deserialize_tuple(usize::MAX, WireVisitor::<$ty>(PhantomData))?
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
        // Each side of every length boundary, and some values between: the host writes up to
        // five bytes directly, the rest byte by byte.
        let edges = (1..10).flat_map(|k| [(1u64 << (7 * k)) - 1, 1 << (7 * k), (1 << (7 * k)) + 0x55]);
        let values = [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX].into_iter().chain(edges);
        for v in values {
            let (mut ours, mut theirs) = ([0xA5u8; 12], [0xA5u8; 12]);
            let mut w = Writer::new(&mut ours);
            w.varint(v).unwrap();
            let n = w.len;
            assert_eq!(&ours[..n], postcard::to_slice(&v, &mut theirs).unwrap(), "{v}");
            assert!(ours[n..].iter().all(|&b| b == 0xA5), "{v}: wrote past its end");
            // In a buffer one byte short it fails, and in one of its exact size it fits.
            let mut exact = [0xA5u8; 10];
            assert_eq!(Writer::new(&mut exact[..n - 1]).varint(v), Err(Error::BufferTooSmall), "{v}");
            let mut w = Writer::new(&mut exact[..n]);
            assert_eq!((w.varint(v), w.len), (Ok(()), n), "{v}");
            assert_eq!(&exact[..n], &ours[..n], "{v}");
        }
        for text in ["", "AFP", "Ombudsman Dmytro Lubinets", "Суспільне"] {
            let (mut ours, mut theirs) = ([0xA5u8; 64], [0xA5u8; 64]);
            let mut w = Writer::new(&mut ours);
            w.text(text).unwrap();
            let n = w.len;
            assert_eq!(&ours[..n], postcard::to_slice(text, &mut theirs).unwrap(), "{text}");
        }
        let mut short = [0u8; 1];
        assert_eq!(Writer::new(&mut short).varint(128), Err(Error::BufferTooSmall));
    }

    #[test]
    fn varint_lengths_match_postcard() {
        for v in [0u64, 1, 127, 128, 16_383, 16_384, (1 << 21) - 1, 1 << 21, u32::MAX as u64, u64::MAX] {
            let mut buf = [0u8; 10];
            assert_eq!(varint_len(v), postcard::to_slice(&v, &mut buf).unwrap().len(), "{v}");
        }
    }
}
