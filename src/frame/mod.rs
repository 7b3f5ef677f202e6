//! Frames: as many records as fit one message of a link, and the framing each link needs.
//!
//! A frame is a header byte (format version, frame kind, whether the sender follows, a record
//! count), the sender's origin when the link does not imply it, then records in their in-frame
//! form: the core's fields without what the header and the earlier records of the frame already
//! say (see `docs/wire-format.md`, "Frames and summaries"). Standalone record bytes are not
//! touched by any of this.
//!
//! Two framings carry frames:
//! - [`Framing::Message`] for links that deliver whole, checked messages and know who sent
//!   them (LoRaWAN, Meshtastic): the frame as is, the sender left to the link;
//! - [`Framing::Stream`] for byte streams (serial, raw LoRa, a satellite modem on a UART): the
//!   frame with its sender, length-prefixed, followed by a CRC-32 and COBS-encoded up to a
//!   `0x00` delimiter, so a reader joining mid-stream resynchronises at the next delimiter.
//!
//! ```
//! use swapwire::frame::{self, Profile};
//! use swapwire::{Count, Date, Party, Population, Quantity, Record};
//!
//! // "over 16,000 civilians held, as of 2025-03-06" on the smallest LoRaWAN payload
//! let mut c = Count::new(1, 2, Population::CiviliansHeld, Party::UA);
//! c.holder = Some(Party::RU);
//! c.quantity = Quantity::AtLeast(16_000);
//! c.date = Date::Day(2025, 3, 6);
//! c.source = 2;
//! c.grade = "B2".parse().unwrap();
//! let record = Record::Count(c);
//!
//! let mut buf = [0xA5u8; 11];
//! let out = frame::write_records(&Profile::LORAWAN_US915_DR0, 1, [&record], &mut buf).unwrap();
//! assert_eq!((out.len, out.records), (11, 1));
//!
//! // The gateway knows the device by its link address: origin 1.
//! let mut got = Vec::new();
//! frame::read_records(&buf[..out.len], Some(1), |r| {
//!     got.push(r);
//!     Ok(())
//! })
//! .unwrap();
//! assert_eq!(got, [record]);
//! ```

mod cursor;
pub(crate) mod record;
mod stream;

use core::borrow::Borrow;

use crate::error::Error;
use crate::record::{Kind, Record};
use crate::wire::{varint_len, writing, Reader, Silent, Sink, Writer};

pub(crate) use cursor::Cursor;
pub use record::SHORT_PARTIES;
pub use stream::{stream_frame_len, unwrap_stream_frame, unwrap_stream_frame_into, Feed, StreamDecoder};

/// The frame format version this crate writes and reads (the top three bits of a frame's
/// first byte). Independent of [`FORMAT_VERSION`](crate::FORMAT_VERSION) of the records.
pub const FRAME_VERSION: u8 = 1;

/// How a link carries frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Framing {
    /// Whole messages, checked and attributed by the link: no CRC, no sender in the frame.
    Message,
    /// A byte stream: COBS-delimited, length-prefixed, CRC-32 checked, sender in the frame.
    Stream,
}

/// A link's payload limit and framing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Profile {
    /// A short name for reports.
    pub name: &'static str,
    /// The most bytes one message may carry, framing included.
    pub payload: usize,
    /// How frames travel on this link.
    pub framing: Framing,
}

impl Profile {
    /// LoRaWAN US915 DR0: 11 bytes.
    pub const LORAWAN_US915_DR0: Profile = Profile::message("LoRaWAN US915 DR0", 11);
    /// LoRaWAN EU868 DR0–DR2: 51 bytes.
    pub const LORAWAN_EU868_DR0: Profile = Profile::message("LoRaWAN EU868 DR0-DR2", 51);
    /// LoRaWAN EU868 DR3: 115 bytes.
    pub const LORAWAN_EU868_DR3: Profile = Profile::message("LoRaWAN EU868 DR3", 115);
    /// LoRaWAN EU868 DR4 and up, repeater-safe: 222 bytes.
    pub const LORAWAN_EU868_DR4: Profile = Profile::message("LoRaWAN EU868 DR4+", 222);
    /// A Meshtastic data payload: 233 bytes.
    pub const MESHTASTIC: Profile = Profile::message("Meshtastic", 233);
    /// An Iridium SBD mobile-originated message written through the modem's serial port:
    /// 340 bytes of stream framing.
    pub const IRIDIUM_SBD_MO: Profile = Profile::stream("Iridium SBD MO", 340);
    /// A serial line or raw LoRa point-to-point link, frames of up to 255 bytes (an SX127x
    /// packet).
    pub const SERIAL: Profile = Profile::stream("serial / raw LoRa", 255);

    /// A link that delivers whole checked messages of up to `payload` bytes.
    pub const fn message(name: &'static str, payload: usize) -> Self {
        Profile { name, payload, framing: Framing::Message }
    }

    /// A byte stream cut into frames of up to `payload` bytes, delimiters included.
    pub const fn stream(name: &'static str, payload: usize) -> Self {
        Profile { name, payload, framing: Framing::Stream }
    }

    /// The bytes a frame of `frame_len` bytes takes on this link (an upper bound for streams,
    /// whose COBS overhead depends on the bytes).
    pub const fn framed_len(&self, frame_len: usize) -> usize {
        match self.framing {
            Framing::Message => frame_len,
            Framing::Stream => stream::framed_len(frame_len),
        }
    }

    /// The sender as the frame header states it on this link.
    pub(crate) const fn header_sender(&self, sender: u32) -> Option<u32> {
        match self.framing {
            Framing::Message => None,
            Framing::Stream => Some(sender),
        }
    }
}

/// What a frame carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FrameKind {
    /// Records.
    #[default]
    Records = 0,
    /// A summary of what the sender holds (see [`crate::summary`]).
    Summary = 1,
}

/// Header bit 4: the frame kind.
const KIND_BIT: u8 = 1 << 4;
/// Header bit 3: the sender's origin follows the header byte.
const SENDER_BIT: u8 = 1 << 3;
/// Header bits 0–2: the item count, or this value when a varint count follows.
const COUNT_ESCAPE: u8 = 0b111;

/// A parsed frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Header {
    /// What the frame carries.
    pub kind: FrameKind,
    /// The sender: from the frame when it names one, else from the link.
    pub sender: Option<u32>,
    /// How many records (or summary entries) follow.
    pub count: u32,
}

impl Header {
    /// Reads the header at the start of a frame, to tell records from summaries. `link_sender`
    /// is who the link says sent the frame, if it does.
    pub fn parse(frame: &[u8], link_sender: Option<u32>) -> Result<Header, Error> {
        Self::read(&mut Cursor::new(frame), link_sender)
    }

    /// Reads a header in its one canonical form; the sender falls back to `link_sender`.
    pub(crate) fn read(c: &mut Cursor<'_>, link_sender: Option<u32>) -> Result<Header, Error> {
        let start = c.position();
        let b = c.byte()?;
        if b >> 5 != FRAME_VERSION {
            return Err(Error::UnknownVersion);
        }
        let kind = if b & KIND_BIT == 0 { FrameKind::Records } else { FrameKind::Summary };
        let named = if b & SENDER_BIT != 0 { Some(c.u32()?) } else { None };
        let count = match b & COUNT_ESCAPE {
            COUNT_ESCAPE => c.u32()?,
            n => n.into(),
        };
        if (Header { kind, sender: named, count }).len() != c.position() - start {
            return Err(Error::NonCanonical); // a small count behind the escape
        }
        Ok(Header { kind, sender: named.or(link_sender), count })
    }

    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), S::Error> {
        let inline = if self.count < COUNT_ESCAPE.into() { self.count as u8 } else { COUNT_ESCAPE };
        let kind = match self.kind {
            FrameKind::Records => 0,
            FrameKind::Summary => KIND_BIT,
        };
        let sender_bit = if self.sender.is_some() { SENDER_BIT } else { 0 };
        s.byte(FRAME_VERSION << 5 | kind | sender_bit | inline)?;
        if let Some(sender) = self.sender {
            s.varint(sender.into())?;
        }
        if inline == COUNT_ESCAPE {
            s.varint(self.count.into())?;
        }
        Ok(())
    }

    /// The bytes [`emit`](Self::emit) writes, worked out rather than counted by a writer: a
    /// frame being laid out asks for it with each record it takes.
    pub(crate) fn len(&self) -> usize {
        let count = if self.count < COUNT_ESCAPE.into() { 0 } else { varint_len(self.count.into()) };
        1 + self.sender.map_or(0, |s| varint_len(s.into())) + count
    }
}

/// The result of writing a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Written {
    /// Bytes written to the output buffer.
    pub len: usize,
    /// How many of the offered items the frame carries (a prefix of them).
    pub records: usize,
}

/// Starts writing a laid-out frame into `out` with the link's framing: `header`, then `body`
/// bytes of items, which the caller writes through the returned [`Writer`] and hands to
/// [`end`].
///
/// The frame goes straight into `out` through the same [`Writer`] that encodes records, so
/// each field walk exists once in a firmware image; a stream frame is then wrapped in place.
/// Not generic: records and summaries share this one copy. The items are written by the
/// caller between the two calls, not by a callback of one: a callback ran two frames deeper
/// (160 bytes of stack on Cortex-M under `swapwire_frame_write`).
#[inline(never)]
pub(crate) fn begin<'o>(
    profile: &Profile,
    header: &Header,
    body: usize,
    out: &'o mut [u8],
) -> Result<Writer<'o>, Error> {
    if profile.framed_len(header.len() + body) > out.len() {
        return Err(Error::BufferTooSmall); // checked first: nothing is written
    }
    let mut w = Writer::new(out);
    header.emit(&mut w)?;
    Ok(w)
}

/// Ends a frame [`begin`] started: wraps it in stream framing, in place, on a stream link.
#[inline(never)]
pub(crate) fn end(profile: &Profile, header: &Header, w: Writer<'_>) -> Result<Written, Error> {
    let written = w.len();
    let out = w.into_buf();
    let len = match profile.framing {
        Framing::Message => written,
        Framing::Stream => stream::wrap_in_place(out, written)?,
    };
    Ok(Written { len, records: header.count as usize })
}

/// What [`begin`] and [`end`] write for `header` and `body` bytes of items, without writing
/// it: the answer of the `measure_*` functions.
pub(crate) fn planned(profile: &Profile, header: &Header, body: usize) -> Written {
    Written { len: profile.framed_len(header.len() + body), records: header.count as usize }
}

/// A records frame as laid out: how many records it takes and the bytes of their in-frame
/// forms. Its header follows from the link, the sender and the count; kept apart, the layout's
/// result is half the size of a `(Header, usize)`, a copy that each writer held on its stack.
#[derive(Debug, Clone, Copy)]
struct LaidOut {
    count: u32,
    body: usize,
}

impl LaidOut {
    fn header(self, profile: &Profile, sender: u32) -> Header {
        Header { kind: FrameKind::Records, sender: profile.header_sender(sender), count: self.count }
    }
}

/// A records frame being laid out: the header, the context after the records taken so far and
/// the bytes they take. Not generic, so one copy serves every kind of record iterator.
struct Layout {
    /// The sender as the header states it, and the records taken: the frame's header, held
    /// without its kind so that the payload below costs the layout no room.
    sender: Option<u32>,
    count: u32,
    ctx: record::Context,
    body: usize,
    limit: usize,
    /// The profile's payload: a first record over `limit` and over this is too large for the
    /// link, not only for the buffer.
    payload: usize,
}

impl Layout {
    fn new(profile: &Profile, sender: u32, out_len: usize) -> Self {
        Layout {
            sender: profile.header_sender(sender),
            count: 0,
            ctx: record::Context::new(Some(sender)),
            body: 0,
            limit: profile.payload.min(out_len),
            payload: profile.payload,
        }
    }

    /// Validates `r` and takes it into the frame if it fits; `false` when it does not. The
    /// first record must fit: see [`refuse`](Self::refuse).
    #[inline(never)]
    fn take(&mut self, profile: &Profile, r: &Record) -> Result<bool, Error> {
        r.validate()?;
        let len = record::len(r, &self.ctx);
        let grown = Header { kind: FrameKind::Records, sender: self.sender, count: self.count + 1 };
        let framed = profile.framed_len(grown.len() + self.body + len);
        if framed > self.limit {
            return self.refuse(framed);
        }
        (self.count, self.body) = (grown.count, self.body + len);
        self.ctx.after(r);
        Ok(true)
    }

    /// [`take`](Self::take)'s answer for a record whose frame would be `framed` bytes, over the
    /// limit: the frame is full (`false`); or the record is the first, alone in the frame, and
    /// [`Error::TooLargeForLink`] when it is over the payload too, else
    /// [`Error::BufferTooSmall`] (it fits the link, not the buffer). Out of line, and with the
    /// payload kept in the layout rather than read from the profile: either way in `take`, its
    /// frame grew by 8 bytes on Cortex-M.
    #[cold]
    #[inline(never)]
    fn refuse(&self, framed: usize) -> Result<bool, Error> {
        match self.count {
            0 if framed > self.payload => Err(Error::TooLargeForLink),
            0 => Err(Error::BufferTooSmall),
            _ => Ok(false),
        }
    }

    /// The header and body length laid out (no records when none were offered).
    fn done(self) -> LaidOut {
        LaidOut { count: self.count, body: self.body }
    }
}

/// Writes a records frame from `sender` into `out`: as many of `records`, in order, as fit the
/// profile's payload (and `out`). Each record is validated first.
///
/// Returns the bytes written and how many records the frame carries. When not even the first
/// record fits, fails with [`Error::TooLargeForLink`] if it does not fit a frame of the
/// profile's payload even alone (no frame of this link can carry it: skip it and write from
/// the next), else with [`Error::BufferTooSmall`] (it fits the link but not `out`). Fails with
/// the record's error when one of those looked at is invalid (the ones that fit and the one
/// after them); `out` then holds nothing useful.
///
/// The records may be borrowed or owned (an iterator that builds each record as it goes, as
/// the C API does from C structs); the iterator is walked twice, to measure and to write.
#[inline(always)] // two calls, the layout and the write: no frame of its own under them
pub fn write_records<I>(profile: &Profile, sender: u32, records: I, out: &mut [u8]) -> Result<Written, Error>
where
    I: IntoIterator,
    I::IntoIter: Clone,
    I::Item: Borrow<Record>,
{
    let records = records.into_iter();
    let laid_out = lay_out(profile, sender, records.clone(), out.len())?;
    write_laid_out(profile, sender, laid_out, records, out)
}

/// Writes the records frame [`lay_out`] laid out: called next to the layout, not around it, so
/// that neither frame stacks under the other.
#[inline(never)]
fn write_laid_out<I>(
    profile: &Profile,
    sender: u32,
    laid_out: LaidOut,
    records: I,
    out: &mut [u8],
) -> Result<Written, Error>
where
    I: Iterator,
    I::Item: Borrow<Record>,
{
    let header = laid_out.header(profile, sender);
    let mut w = begin(profile, &header, laid_out.body, out)?;
    let mut ctx = record::Context::new(Some(sender));
    writing!(w, s => {
        for r in records.take(header.count as usize) {
            record::emit(r.borrow(), &mut ctx, s)?;
        }
        Ok::<_, Error>(())
    })?;
    end(profile, &header, w)
}

/// What [`write_records`] would write into a buffer of `out_len` bytes, without writing: how
/// many records the frame carries and its length — exact in message framing, an upper bound in
/// stream framing, where COBS may take a byte less — or the error it would fail with. For
/// sizing a buffer, or for writing only once the frame is known to fit: [`write_records`] into
/// a buffer of that `len` writes a frame of the same records.
///
/// ```
/// use swapwire::frame::{measure_records, write_records, Profile};
/// use swapwire::{Count, Party, Population, Quantity, Record};
/// let mut c = Count::new(1, 0, Population::PrisonersOfWar, Party::UA);
/// c.quantity = Quantity::AtLeast(16_000);
/// let records = [Record::Count(c)];
/// let planned = measure_records(&Profile::MESHTASTIC, 1, &records, 512).unwrap();
/// let mut buf = [0u8; 512];
/// let buf = &mut buf[..planned.len];
/// assert_eq!(write_records(&Profile::MESHTASTIC, 1, &records, buf), Ok(planned));
/// ```
pub fn measure_records<I>(profile: &Profile, sender: u32, records: I, out_len: usize) -> Result<Written, Error>
where
    I: IntoIterator,
    I::Item: Borrow<Record>,
{
    let laid_out = lay_out(profile, sender, records.into_iter(), out_len)?;
    Ok(planned(profile, &laid_out.header(profile, sender), laid_out.body))
}

/// [`write_records`] of `count` records that `fill` writes, one at a time and in order, into
/// `slot`, a record the caller keeps: for records held in another form (C structs, a log in
/// flash) and converted as the frame is built, with no record on this function's stack. `fill`
/// is called for `0..` while the frame is laid out and again while it is written, and must give
/// the same record for an index both times; its error fails the call before anything is
/// written.
///
/// ```
/// use swapwire::frame::{self, Profile};
/// use swapwire::{Count, Kind, Party, Population, Quantity, Record};
/// let tallies = [16_000, 19_500]; // a device's log, say
/// let mut slot = Record::blank_of(Kind::Count);
/// let mut buf = [0u8; 64];
/// let fill = |i: usize, slot: &mut Record| {
///     let mut c = Count::new(1, i as u32, Population::PrisonersOfWar, Party::UA);
///     c.quantity = Quantity::AtLeast(tallies[i]);
///     *slot = Record::Count(c);
///     Ok(())
/// };
/// let w = frame::write_records_with(&Profile::MESHTASTIC, 1, 2, &mut slot, fill, &mut buf).unwrap();
/// assert_eq!(w.records, 2);
/// ```
#[inline(always)] // two calls, the layout and the write: no frame of its own under them
pub fn write_records_with<F>(
    profile: &Profile,
    sender: u32,
    count: usize,
    slot: &mut Record,
    mut fill: F,
    out: &mut [u8],
) -> Result<Written, Error>
where
    F: FnMut(usize, &mut Record) -> Result<(), Error>,
{
    let laid_out = lay_out_filled(profile, sender, count, slot, &mut fill, out.len())?;
    write_filled(profile, sender, laid_out, slot, &mut fill, out)
}

/// [`write_records_with`] into a buffer asked for only once the frame is laid out: the frame
/// is laid out for at most `limit` bytes, then `lend` is called with its length (what
/// [`measure_records_with`] gives for `limit`) and the frame is written into the bytes it
/// returns. For storage that must not be touched before the frame is known, or that hands out
/// exactly the bytes asked for: the C API zeroes the caller's memory before writing into it,
/// and a queue may grant a frame's bytes (`bbqueue`'s `grant_exact`). Each record is laid out
/// and converted once less than with [`measure_records_with`] and then
/// [`write_records_with`].
///
/// `lend` is not called when the layout fails; its error fails the call. It may return more
/// bytes than asked for; fewer fail the write with [`Error::BufferTooSmall`]. As with
/// [`write_records_with`], `fill` must give the same record for an index each time.
///
/// ```
/// use swapwire::frame::{self, Profile};
/// use swapwire::{Count, Error, Kind, Party, Population, Quantity, Record};
/// let tallies = [16_000, 19_500];
/// let mut slot = Record::blank_of(Kind::Count);
/// let fill = |i: usize, slot: &mut Record| {
///     let mut c = Count::new(1, i as u32, Population::PrisonersOfWar, Party::UA);
///     c.quantity = Quantity::AtLeast(tallies[i]);
///     *slot = Record::Count(c);
///     Ok(())
/// };
/// let mut queue = [0xA5u8; 64];
/// // Written in the call: a closure that lends what it captures must be `FnOnce`.
/// let w = frame::write_records_with_lent(&Profile::MESHTASTIC, 1, 2, &mut slot, fill, 64, |n| {
///     queue.get_mut(..n).ok_or(Error::BufferTooSmall)
/// })
/// .unwrap();
/// assert_eq!(w.records, 2);
/// assert_eq!(queue[w.len], 0xA5); // nothing past the frame
/// ```
#[inline(always)] // two calls, the layout and the write: no frame of its own under them
pub fn write_records_with_lent<'o, F, L>(
    profile: &Profile,
    sender: u32,
    count: usize,
    slot: &mut Record,
    mut fill: F,
    limit: usize,
    lend: L,
) -> Result<Written, Error>
where
    F: FnMut(usize, &mut Record) -> Result<(), Error>,
    L: FnOnce(usize) -> Result<&'o mut [u8], Error>,
{
    let laid_out = lay_out_filled(profile, sender, count, slot, &mut fill, limit)?;
    let out = lend(planned(profile, &laid_out.header(profile, sender), laid_out.body).len)?;
    write_filled(profile, sender, laid_out, slot, &mut fill, out)
}

/// [`measure_records`] of the records [`write_records_with`] takes from `fill`.
#[inline(always)] // one call: no frame of its own under the layout
pub fn measure_records_with<F>(
    profile: &Profile,
    sender: u32,
    count: usize,
    slot: &mut Record,
    mut fill: F,
    out_len: usize,
) -> Result<Written, Error>
where
    F: FnMut(usize, &mut Record) -> Result<(), Error>,
{
    let laid_out = lay_out_filled(profile, sender, count, slot, &mut fill, out_len)?;
    Ok(planned(profile, &laid_out.header(profile, sender), laid_out.body))
}

/// A record-filling callback of [`write_records_with`], not generic so that one copy of the
/// loops serves every caller.
type Fill<'f> = &'f mut dyn FnMut(usize, &mut Record) -> Result<(), Error>;

/// Writes the records frame [`lay_out_filled`] laid out. Called by the generic
/// [`write_records_with`] next to the layout, not under it: a function doing both stacked its
/// own frame under the layout's (96 bytes on Cortex-M).
#[inline(never)]
fn write_filled(
    profile: &Profile,
    sender: u32,
    laid_out: LaidOut,
    slot: &mut Record,
    fill: Fill<'_>,
    out: &mut [u8],
) -> Result<Written, Error> {
    let header = laid_out.header(profile, sender);
    let mut w = begin(profile, &header, laid_out.body, out)?;
    let mut ctx = record::Context::new(Some(sender));
    writing!(w, s => {
        for i in 0..header.count as usize {
            fill(i, slot)?;
            record::emit(slot, &mut ctx, s)?;
        }
        Ok::<_, Error>(())
    })?;
    end(profile, &header, w)
}

/// [`lay_out`] of the records `fill` writes into `slot`.
#[inline(never)]
fn lay_out_filled(
    profile: &Profile,
    sender: u32,
    count: usize,
    slot: &mut Record,
    fill: Fill<'_>,
    out_len: usize,
) -> Result<LaidOut, Error> {
    let mut layout = Layout::new(profile, sender, out_len);
    for i in 0..count {
        fill(i, slot)?;
        if !layout.take(profile, slot)? {
            break;
        }
    }
    Ok(layout.done())
}

/// The header and body length of the records frame that fits `out_len` bytes: as many of
/// `records` as fit, each validated; when not even the first does, [`Error::TooLargeForLink`]
/// or [`Error::BufferTooSmall`] as [`Layout::refuse`] tells them apart.
#[inline(never)]
fn lay_out<I>(profile: &Profile, sender: u32, records: I, out_len: usize) -> Result<LaidOut, Error>
where
    I: Iterator,
    I::Item: Borrow<Record>,
{
    let mut layout = Layout::new(profile, sender, out_len);
    for r in records {
        if !layout.take(profile, r.borrow())? {
            break;
        }
    }
    Ok(layout.done())
}

/// Reads a records frame (a message frame, or what [`StreamDecoder`], [`unwrap_stream_frame`]
/// or [`unwrap_stream_frame_into`] took out of stream framing), calling `each` with every
/// record in order. `link_sender` is the origin the link attributes the frame to, if it does.
///
/// Every record is validated. The frame must be canonical: exactly the bytes
/// [`write_records`] writes for those records. Any failure — a bad header, an unknown version,
/// a truncated or invalid record, trailing bytes — returns an error; `each` may have seen some
/// records by then, so callers that must not act on a bad frame read it twice (as
/// [`Store::apply_frame`](crate::store::Store::apply_frame) does), or collect first.
pub fn read_records<F>(frame: &[u8], link_sender: Option<u32>, mut each: F) -> Result<Header, Error>
where
    F: FnMut(Record) -> Result<(), Error>,
{
    let mut records = RecordsIn::new(frame);
    records.open(link_sender)?;
    loop {
        // A fresh record each time, moved into `each`: no second copy on the stack, as a clone
        // of a lent record would be.
        let mut record = Record::blank_of(Kind::Source);
        if !records.next(&mut record)? {
            return Ok(records.header);
        }
        each(record)?;
    }
}

/// [`read_records`] lending each record instead of giving it: every record is decoded into one
/// reused slot, so a reader that only looks (counts keys, merges a copy) moves no records.
pub fn read_records_ref<F>(frame: &[u8], link_sender: Option<u32>, mut each: F) -> Result<Header, Error>
where
    F: FnMut(&Record) -> Result<(), Error>,
{
    let mut slot = Record::blank_of(Kind::Source);
    read_lent(frame, link_sender, &mut slot, &mut each)
}

/// [`read_records_ref`] decoding into `slot`, a record the caller keeps (a `static`, or a
/// buffer it already has), instead of one on this function's stack: a `Record` is 200 bytes,
/// which firmware with a tight stack may rather keep elsewhere. On return `slot` holds the last
/// record read, or some valid record of no meaning after an error.
///
/// ```
/// # use swapwire::{frame::{self, Profile}, Kind, Record, Source, SourceKind};
/// let records = [Record::from(Source::new(1, SourceKind::Media, "AFP").unwrap())];
/// let mut buf = [0u8; 64];
/// let w = frame::write_records(&Profile::MESHTASTIC, 7, &records, &mut buf).unwrap();
/// let mut slot = Record::blank_of(Kind::Source);
/// let mut seen = 0;
/// frame::read_records_with(&buf[..w.len], Some(7), &mut slot, |r| {
///     seen += usize::from(*r == records[0]);
///     Ok(())
/// })
/// .unwrap();
/// assert_eq!(seen, 1);
/// ```
pub fn read_records_with<F>(
    frame: &[u8],
    link_sender: Option<u32>,
    slot: &mut Record,
    mut each: F,
) -> Result<Header, Error>
where
    F: FnMut(&Record) -> Result<(), Error>,
{
    read_lent(frame, link_sender, slot, &mut each)
}

/// The loop of [`read_records_ref`] and [`read_records_with`] for any callback: one copy.
#[inline(never)]
pub(crate) fn read_lent(
    frame: &[u8],
    link_sender: Option<u32>,
    record: &mut Record,
    each: &mut dyn FnMut(&Record) -> Result<(), Error>,
) -> Result<Header, Error> {
    let mut records = RecordsIn::new(frame);
    records.open(link_sender)?;
    while records.next(record)? {
        each(record)?;
    }
    Ok(records.header)
}

/// A records frame being read, record by record.
pub(crate) struct RecordsIn<'a> {
    /// The reader the standalone decoder uses, so that one copy of the field walks serves both.
    r: Reader<Cursor<'a>, Silent>,
    ctx: record::Context,
    header: Header,
    /// Records still to read.
    left: u32,
}

impl<'a> RecordsIn<'a> {
    pub(crate) fn new(frame: &'a [u8]) -> Self {
        RecordsIn {
            r: Reader { input: Cursor::new(frame), observer: Silent },
            ctx: record::Context::new(None),
            header: Header { kind: FrameKind::Records, sender: None, count: 0 },
            left: 0,
        }
    }

    /// Reads the header, which must be a records frame's.
    #[inline(never)]
    pub(crate) fn open(&mut self, link_sender: Option<u32>) -> Result<(), Error> {
        let header = Header::read(&mut self.r.input, link_sender)?;
        if header.kind != FrameKind::Records {
            return Err(Error::Malformed);
        }
        (self.ctx, self.header, self.left) = (record::Context::new(header.sender), header, header.count);
        Ok(())
    }

    /// Reads the next record into `out`; `false` after the last, when nothing may follow it.
    #[inline(never)]
    pub(crate) fn next(&mut self, out: &mut Record) -> Result<bool, Error> {
        let Some(left) = self.left.checked_sub(1) else {
            return if self.r.input.is_empty() { Ok(false) } else { Err(Error::TrailingBytes) };
        };
        self.left = left;
        record::read(&mut self.ctx, &mut self.r, out)?;
        Ok(true)
    }
}
