//! Stream framing: `0x00 ‖ COBS(varint(len) ‖ frame ‖ CRC-32/ISO-HDLC, little-endian) ‖ 0x00`.
//!
//! The delimiter before the frame ends whatever the line carried before it (noise, or the
//! start of a frame cut short), so that costs only itself and not this frame too; readers skip
//! empty segments, so the extra delimiter is never reported as damage.
//!
//! No serde here: writing arranges `len ‖ frame ‖ crc` at the end of the caller's buffer and
//! COBS-encodes it forward over itself with the `cobs` crate's encoder state machine (the one
//! postcard's `Cobs` flavor drives, so the bytes are the ones that flavor wrote); reading undoes
//! COBS in place with `cobs::decode_in_place` (what postcard's `CobsAccumulator` called) and
//! takes the envelope apart with the frame [`Cursor`].

use cobs::{DecodeResult, DecoderState, EncoderState, PushResult};

use super::Cursor;
use crate::error::Error;
use crate::wire::{varint_len, Sink, Writer};

/// CRC-32 as zlib, Ethernet and Python's `zlib.crc32` compute it, bit by bit.
///
/// Flash on Cortex-M4F (`bash scripts/footprint.sh`, .text + .rodata): with `crc::Crc<u32>`
/// (one 256-entry table) fp-frames 18,776 + 1,612 = 20,388 B and fp-store 23,904 + 1,636 =
/// 25,540 B; with `NoTable` 18,808 + 560 = 19,368 B and 23,936 + 584 = 24,520 B, 1,020 B less
/// each. Without the table a byte takes eight shift-and-xor steps instead of one lookup (an
/// estimated few tens of cycles: well under a millisecond for a 340-byte frame, which a serial
/// link or modem takes tens of milliseconds or more to carry).
///
/// On a host the table is worth its kilobyte: bit by bit, stream framing took twice as long
/// per record (`frame-stream` in `benches/codecs.rs`: 473 ns encode, 445 ns decode, against
/// 217 and 287 with the table). So bare-metal builds (`target_os = "none"`) go bit by bit and
/// hosted builds use the table; both compute the same CRC, and both are tested (host tests here,
/// the QEMU firmware test on Cortex-M).
const CRC: crc::Crc<u32, CrcImpl> = crc::Crc::<u32, CrcImpl>::new(&crc::CRC_32_ISO_HDLC);

#[cfg(target_os = "none")]
type CrcImpl = crc::NoTable;
#[cfg(not(target_os = "none"))]
type CrcImpl = crc::Table<1>;

/// Bytes of CRC after the frame.
const CRC_LEN: usize = 4;

/// The most bytes a frame of `frame_len` bytes takes in stream framing: the length varint, the
/// CRC, COBS's worst-case overhead (one byte per 254 and one more) and the two delimiters.
pub(crate) const fn framed_len(frame_len: usize) -> usize {
    let inner = varint_len(frame_len as u64) + frame_len + CRC_LEN;
    inner + inner / 254 + 1 + 2
}

/// Where the COBS bytes start in a stream frame: after the leading delimiter.
const LEAD: usize = 1;

/// `bytes` after their leading `0x00`s: the empty segments before a frame.
fn skip_delimiters(bytes: &[u8]) -> &[u8] {
    bytes.get(bytes.iter().take_while(|&&b| b == 0).count()..).unwrap_or_default()
}

/// Wraps the frame in `out[..frame_len]` in stream framing, in place: on success `out[..n]`
/// holds `0x00 ‖ COBS(len ‖ frame ‖ crc) ‖ 0x00` and `n` is returned.
///
/// Fails with [`Error::BufferTooSmall`] when `out` cannot hold the result; `out` then holds
/// nothing useful (the frame is overwritten). Callers size `out` with [`framed_len`] first.
///
/// No scratch buffer: `len ‖ frame ‖ crc` (`I` bytes) is laid out at the end of `out`, from
/// `start = out.len() - I`, and COBS-encoded forward from `out[1]`. After reading input byte
/// `k` the encoder has written up to `out[2 + k + e]`, where `e` counts the full 254-byte runs
/// so far, and the result is `I + E + 3` bytes for `E` full runs in all. So when the result
/// fits (`out.len() >= I + E + 3`), every write lands before `start + k`, on a byte already
/// read. When it does not fit, the encoder runs off the end of `out` and fails (unread bytes
/// can be overwritten only then).
pub(crate) fn wrap_in_place(out: &mut [u8], frame_len: usize) -> Result<usize, Error> {
    let len_len = varint_len(frame_len as u64);
    // `len ‖ frame ‖ crc` takes the last bytes of `out`; the shortest COBS of it is one code
    // byte longer, and a delimiter comes before and after, so at least three bytes must
    // precede it.
    let start = frame_len
        .checked_add(len_len + CRC_LEN + 3)
        .and_then(|shortest| out.len().checked_sub(shortest))
        .ok_or(Error::BufferTooSmall)?
        + 3;
    let frame_at = start + len_len;
    // Byte by byte, last first: `copy_within` would link the compiler's `memmove` (1.5 KiB).
    for i in (0..frame_len).rev() {
        let b = *out.get(i).ok_or(Error::BufferTooSmall)?;
        put(out, frame_at + i, b)?;
    }
    Writer::new(out.get_mut(start..frame_at).ok_or(Error::BufferTooSmall)?).varint(frame_len as u64)?;
    let crc_at = frame_at + frame_len;
    let crc = CRC.checksum(out.get(start..crc_at).ok_or(Error::BufferTooSmall)?);
    for (i, b) in crc.to_le_bytes().into_iter().enumerate() {
        put(out, crc_at + i, b)?;
    }

    let mut state = EncoderState::default();
    // The encoder's positions count from the first code byte, which follows the leading
    // delimiter; `at` is after that code byte, which `finalize` or a zero fills in.
    let mut at = LEAD + 1;
    let mut next = start;
    while let Some(&b) = out.get(next) {
        next += 1;
        let (code_at, code, byte) = match state.push(b) {
            PushResult::AddSingle(b) => {
                put(out, at, b)?;
                at += 1;
                continue;
            }
            // A zero: its run's code byte is now known, and the zero's place becomes the next
            // run's code byte.
            PushResult::ModifyFromStartAndSkip((code_at, code)) => (code_at, code, None),
            // 254 non-zero bytes: the run is full; this byte, then a new code byte.
            PushResult::ModifyFromStartAndPushAndSkip((code_at, code, b)) => (code_at, code, Some(b)),
        };
        put(out, LEAD + code_at, code)?;
        if let Some(b) = byte {
            put(out, at, b)?;
            at += 1;
        }
        put(out, at, 0)?; // the next code byte's place
        at += 1;
    }
    let (code_at, code) = state.finalize();
    put(out, LEAD + code_at, code)?;
    put(out, 0, 0)?; // the leading delimiter, over a byte already read
    put(out, at, 0)?; // the closing one
    Ok(at + 1)
}

/// `out[at] = b`, or [`Error::BufferTooSmall`] past the end.
#[inline(always)]
fn put(out: &mut [u8], at: usize, b: u8) -> Result<(), Error> {
    *out.get_mut(at).ok_or(Error::BufferTooSmall)? = b;
    Ok(())
}

/// The frame in a de-COBSed envelope `len ‖ frame ‖ crc`: a minimal varint of at most five
/// bytes (postcard's rule for a `u32`), exactly that many bytes, four bytes of CRC matching
/// `len ‖ frame`, nothing after.
fn open_envelope(inner: &[u8]) -> Option<&[u8]> {
    let (at, len) = frame_span(inner, inner.len())?;
    let (checked, crc) = (inner.get(..at + len)?, inner.get(at + len..)?);
    (CRC.checksum(checked).to_le_bytes() == *crc).then_some(inner.get(at..at + len)?)
}

/// Where the frame lies in a de-COBSed envelope of `n` bytes that starts with `head` (all of it,
/// or at least its first five bytes, all a length varint may take): `(start, len)` when the
/// length is a minimal varint of at most five bytes (postcard's rule for a `u32`) and exactly
/// `len` bytes and the four of the CRC follow it. The one statement of the envelope's layout
/// for both unwrapping forms, [`open_envelope`] and [`check_envelope`].
fn frame_span(head: &[u8], n: usize) -> Option<(usize, usize)> {
    let mut c = Cursor::new(head);
    let len = c.u32().ok()? as usize;
    let at = c.position();
    (at.checked_add(len)?.checked_add(CRC_LEN)? == n).then_some((at, len))
}

/// Takes the frame out of one complete stream frame (COBS bytes, with or without either
/// `0x00` delimiter), decoding in place. Fails with [`Error::BadChecksum`] when the envelope is
/// damaged.
pub fn unwrap_stream_frame(bytes: &mut [u8]) -> Result<&[u8], Error> {
    let lead = bytes.len() - skip_delimiters(bytes).len();
    let bytes = bytes.get_mut(lead..).unwrap_or_default();
    let n = cobs::decode_in_place(bytes).map_err(|_| Error::BadChecksum)?;
    bytes.get(..n).and_then(open_envelope).ok_or(Error::BadChecksum)
}

/// Takes the frame out of one complete stream frame (COBS bytes, with or without either
/// `0x00` delimiter) into `out[..n]` and returns `n`, leaving `bytes` as they are: the frame
/// [`unwrap_stream_frame`] gives for the same bytes, without a buffer for the decoded envelope.
///
/// Fails with [`Error::BadChecksum`] exactly when [`unwrap_stream_frame`] does, and with
/// [`Error::BufferTooSmall`] when the good frame is longer than `out`. On failure `out` is
/// untouched: bytes are written only once the whole envelope is known good.
///
/// Two passes of the `cobs` crate's decoder state machine over `bytes`, up to their first
/// `0x00` (where `cobs::decode_in_place` stops too): the first runs the decoded bytes through
/// the CRC, holding back the last four, keeps the first five for the length varint and counts
/// them all; the second, once length and CRC agree, writes the frame's bytes into `out`.
///
/// ```
/// use swapwire::frame::{self, Profile};
/// use swapwire::{Record, Source, SourceKind};
///
/// let record = Record::Source(Source::new(3, SourceKind::Media, "Suspilne").unwrap());
/// let mut stream = [0u8; 64];
/// let n = frame::write_records(&Profile::SERIAL, 7, [&record], &mut stream).unwrap().len;
///
/// let mut out = [0u8; 64];
/// let len = frame::unwrap_stream_frame_into(&stream[..n], &mut out).unwrap();
/// let header = frame::read_records(&out[..len], None, |r| {
///     assert_eq!(r, record);
///     Ok(())
/// });
/// assert_eq!(header.unwrap().sender, Some(7));
///
/// // The same frame as decoding in place gives; one byte less room is too little.
/// let mut copy = stream;
/// assert_eq!(frame::unwrap_stream_frame(&mut copy[..n]), Ok(&out[..len]));
/// let mut short = [0xa5u8; 64];
/// let too_small = frame::unwrap_stream_frame_into(&stream[..n], &mut short[..len - 1]);
/// assert_eq!(too_small, Err(swapwire::Error::BufferTooSmall));
/// assert_eq!(short, [0xa5; 64]);
/// ```
pub fn unwrap_stream_frame_into(bytes: &[u8], out: &mut [u8]) -> Result<usize, Error> {
    let bytes = skip_delimiters(bytes);
    let (frame_at, len) = check_envelope(bytes)?;
    let out = out.get_mut(..len).ok_or(Error::BufferTooSmall)?;
    // Pass 2: the same bytes again, the frame's into `out`.
    let mut i = 0usize;
    cobs_decoded(bytes, |b| {
        if let Some(o) = i.checked_sub(frame_at).and_then(|at| out.get_mut(at)) {
            *o = b;
        }
        i += 1;
    })?;
    Ok(len)
}

/// The length of the frame in one complete stream frame (COBS bytes, with or without either
/// `0x00` delimiter), read from bytes it does not modify and written nowhere: the size of the `out`
/// that [`unwrap_stream_frame_into`] needs. Fails with [`Error::BadChecksum`] exactly when
/// [`unwrap_stream_frame`] does.
///
/// For a caller that must size or prepare its buffer first (the C API zero-fills the caller's
/// bytes before it lends them to Rust as a slice, and writes nothing when the frame is bad).
///
/// ```
/// use swapwire::frame::{self, Profile};
/// use swapwire::{Record, Source, SourceKind};
///
/// let record = Record::Source(Source::new(3, SourceKind::Media, "Suspilne").unwrap());
/// let mut stream = [0u8; 64];
/// let n = frame::write_records(&Profile::SERIAL, 7, [&record], &mut stream).unwrap().len;
/// let len = frame::stream_frame_len(&stream[..n]).unwrap();
/// assert_eq!(frame::unwrap_stream_frame_into(&stream[..n], &mut [0u8; 64]), Ok(len));
/// stream[3] ^= 0x40;
/// assert_eq!(frame::stream_frame_len(&stream[..n]), Err(swapwire::Error::BadChecksum));
/// ```
pub fn stream_frame_len(bytes: &[u8]) -> Result<usize, Error> {
    check_envelope(skip_delimiters(bytes)).map(|(_, len)| len)
}

/// Pass 1 over the COBS bytes of a stream frame: the decoded envelope's bytes run through the
/// CRC, holding back the last four (the CRC sent, little-endian), with the first five kept for
/// the length varint and all of them counted. Where the frame starts in the envelope and its
/// length once the envelope is good, by [`frame_span`] and the CRC, as [`open_envelope`] has it.
fn check_envelope(bytes: &[u8]) -> Result<(usize, usize), Error> {
    let mut digest = CRC.digest();
    let (mut n, mut head, mut tail) = (0usize, [0u8; 5], 0u32);
    cobs_decoded(bytes, |b| {
        if let Some(h) = head.get_mut(n) {
            *h = b;
        }
        if n >= CRC_LEN {
            digest.update(&[tail as u8]); // the byte leaving the last four
        }
        tail = tail >> 8 | u32::from(b) << 24; // the newest byte on top
        n += 1;
    })?;
    let span = head.get(..n.min(head.len())).and_then(|head| frame_span(head, n));
    span.filter(|_| digest.finalize() == tail).ok_or(Error::BadChecksum)
}

/// Feeds `bytes` up to their first `0x00` (all of them if there is none), then a `0x00`, to
/// the `cobs` crate's decoder state machine, calling `each` with every decoded byte. Fails with
/// [`Error::BadChecksum`] unless they end a COBS frame there: what `cobs::decode_in_place`
/// accepts, byte for byte, except that it takes empty input as an empty frame (which no
/// envelope is).
fn cobs_decoded(bytes: &[u8], mut each: impl FnMut(u8)) -> Result<(), Error> {
    let mut state = DecoderState::Idle;
    let encoded = bytes.iter().take_while(|&&b| b != 0);
    for &b in encoded.chain(&[0]) {
        match state.feed(b) {
            Ok(DecodeResult::DataContinue(d)) => each(d),
            Ok(DecodeResult::NoData) => {}
            Ok(DecodeResult::DataComplete) => return Ok(()),
            Err(_) => break,
        }
    }
    Err(Error::BadChecksum)
}

/// What feeding bytes to a [`StreamDecoder`] produced.
#[derive(Debug, PartialEq, Eq)]
pub enum Feed<'i, 'f> {
    /// All input was buffered; no delimiter yet.
    Consumed,
    /// A frame whose CRC matched, ready for [`read_records`](super::read_records) or a store;
    /// feed `remaining` next.
    Frame {
        /// The frame, borrowed from the decoder's buffer.
        frame: &'f [u8],
        /// Input after the frame's delimiter.
        remaining: &'i [u8],
    },
    /// Bytes up to a delimiter that are not a good frame: damaged, truncated, the tail of a
    /// frame joined mid-way, or longer than the decoder's buffer. Feed `remaining` next.
    Rejected {
        /// [`Error::BadChecksum`] for damaged bytes, [`Error::BufferTooSmall`] for an over-long frame.
        error: Error,
        /// Input after the bad bytes.
        remaining: &'i [u8],
    },
}

/// Cuts a byte stream into frames with a buffer of `N` bytes (the largest stream frame it
/// accepts, delimiter included), resynchronising at each `0x00`.
///
/// ```
/// use swapwire::frame::{self, Feed, Profile, StreamDecoder};
/// use swapwire::{Record, Source, SourceKind};
///
/// let record = Record::Source(Source::new(3, SourceKind::Media, "Suspilne").unwrap());
/// let mut stream = [0u8; 64];
/// stream[..3].copy_from_slice(&[0x42, 0x17, 0x00]); // the tail of some earlier frame
/// let n = frame::write_records(&Profile::SERIAL, 7, [&record], &mut stream[3..]).unwrap().len;
///
/// let mut decoder = StreamDecoder::<256>::new();
/// let mut input = &stream[..3 + n];
/// let mut frames = 0;
/// while !input.is_empty() {
///     input = match decoder.feed(input) {
///         Feed::Consumed => &[],
///         Feed::Rejected { remaining, .. } => remaining,
///         Feed::Frame { frame, remaining } => {
///             let header = frame::read_records(frame, None, |r| {
///                 assert_eq!(r, record);
///                 Ok(())
///             });
///             assert_eq!(header.unwrap().sender, Some(7));
///             frames += 1;
///             remaining
///         }
///     };
/// }
/// assert_eq!(frames, 1);
/// ```
pub struct StreamDecoder<const N: usize> {
    buf: [u8; N],
    /// Bytes of the current segment in `buf`.
    len: usize,
}

impl<const N: usize> Default for StreamDecoder<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> StreamDecoder<N> {
    /// An empty decoder.
    pub const fn new() -> Self {
        StreamDecoder { buf: [0; N], len: 0 }
    }

    /// How many bytes of an unfinished segment the decoder holds: 0 between frames (and right
    /// after [`feed`](Self::feed) reported a frame or a rejection).
    pub const fn buffered(&self) -> usize {
        self.len
    }

    /// Buffers `input` up to the next delimiter and reports what it completed.
    ///
    /// Empty segments (a `0x00` right after another, or at the start of the stream, as before
    /// every frame) are skipped: they are not frames and not damage.
    ///
    /// A segment (delimiter included) longer than `N` is rejected: at the delimiter if it is
    /// in `input`, else as soon as the buffer overflows, with `remaining` the input that did
    /// not fit (the rest of that segment is then read as a new one, and rejected in turn).
    pub fn feed<'i, 'f>(&'f mut self, input: &'i [u8]) -> Feed<'i, 'f> {
        let start = core::mem::take(&mut self.len);
        let input = if start == 0 { skip_delimiters(input) } else { input };
        if input.is_empty() {
            self.len = start;
            return Feed::Consumed;
        }
        let Some(zero) = input.iter().position(|&b| b == 0) else {
            let end = start + input.len();
            return match self.buf.get_mut(start..end) {
                Some(room) => {
                    room.copy_from_slice(input);
                    self.len = end;
                    Feed::Consumed
                }
                None => {
                    let remaining = input.get(N - start..).unwrap_or_default();
                    Feed::Rejected { error: Error::BufferTooSmall, remaining }
                }
            };
        };
        let (segment, remaining) = input.split_at(zero + 1);
        let Some(filled) = self.buf.get_mut(..start + segment.len()) else {
            return Feed::Rejected { error: Error::BufferTooSmall, remaining };
        };
        if let Some(room) = filled.get_mut(start..) {
            room.copy_from_slice(segment);
        }
        match unwrap_stream_frame(filled) {
            Ok(frame) => Feed::Frame { frame, remaining },
            Err(error) => Feed::Rejected { error, remaining },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use postcard::ser_flavors::crc::CrcModifier;
    use postcard::ser_flavors::{Cobs, Slice};

    /// The count update of docs/wire-format.md ("Framing"), and its stream form after the
    /// leading delimiter (the segment a decoder buffers).
    const FRAME: [u8; 12] = [0x29, 0x01, 0x09, 0x02, 0x0b, 0xec, 0x47, 0x12, 0x83, 0xe8, 0x07, 0x4f];
    const GOLDEN: [u8; 19] = [
        0x12, 0x0c, 0x29, 0x01, 0x09, 0x02, 0x0b, 0xec, 0x47, 0x12, 0x83, 0xe8, 0x07, 0x4f, 0x94, 0xbe, 0x13, 0x63,
        0x00,
    ];

    /// Big enough for any frame the tests wrap, and then some.
    const ROOM: usize = 1100;

    /// Stream framing as `write` produced it before `wrap_in_place`: the frame as a postcard
    /// byte sequence (length varint, bytes) through postcard's CRC and COBS flavors, with the
    /// table-driven CRC.
    fn old_write(frame: &[u8], out: &mut [u8]) -> Result<usize, Error> {
        const TABLE_CRC: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);
        let cobs = Cobs::try_new(Slice::new(out))?;
        Ok(postcard::serialize_with_flavor(frame, CrcModifier::new(cobs, TABLE_CRC.digest()))?.len())
    }

    /// `frame` wrapped in place in a buffer of `room` bytes (the buffer's first bytes on success).
    fn wrap(frame: &[u8], room: usize) -> Result<([u8; ROOM], usize), Error> {
        let mut buf = [0x5a; ROOM];
        buf[..frame.len()].copy_from_slice(frame);
        let n = wrap_in_place(&mut buf[..room], frame.len())?;
        Ok((buf, n))
    }

    /// Checks `wrap_in_place` against the old writer for `frame`: a `0x00`, then the same bytes,
    /// in a buffer of exactly that size (the tightest overlap), of `framed_len`, and of more; one
    /// byte short fails. Unwrapping takes the frame out with or without the leading `0x00`.
    fn check_like_old(frame: &[u8]) {
        let mut old = [0u8; ROOM];
        let n = old_write(frame, &mut old).unwrap();
        assert!(n < framed_len(frame.len()), "len {}", frame.len());
        for room in [n + 1, framed_len(frame.len()), framed_len(frame.len()) + 7] {
            let (buf, m) = wrap(frame, room).unwrap();
            assert_eq!((buf[0], &buf[1..m]), (0, &old[..n]), "len {} in {room}", frame.len());
        }
        assert_eq!(wrap(frame, n).err(), Some(Error::BufferTooSmall), "len {}", frame.len());
        let mut copy = old;
        assert_eq!(unwrap_stream_frame(&mut copy[..n]), Ok(frame));
        let (mut led, m) = wrap(frame, n + 1).unwrap();
        assert_eq!(unwrap_stream_frame(&mut led[..m]), Ok(frame));
    }

    /// xorshift32: deterministic test bytes.
    fn random_bytes(seed: u32, out: &mut [u8]) {
        let mut x = seed | 1;
        for b in out {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            *b = x as u8;
        }
    }

    #[test]
    fn the_documented_count_update() {
        // Written: a leading delimiter, then the segment.
        let (buf, n) = wrap(&FRAME, GOLDEN.len() + 1).unwrap();
        assert_eq!((buf[0], &buf[1..n]), (0, &GOLDEN[..]));
        assert_eq!(framed_len(FRAME.len()), GOLDEN.len() + 1);
        assert_eq!(wrap(&FRAME, GOLDEN.len()).err(), Some(Error::BufferTooSmall));
        let mut led = buf;
        assert_eq!(unwrap_stream_frame(&mut led[..n]), Ok(&FRAME[..]));
        assert_eq!(unwrap_stream_frame_into(&buf[..n], &mut [0; 12]), Ok(12));
        assert_eq!(stream_frame_len(&buf[..n]), Ok(12));
        // Without either delimiter, or with several before it.
        let mut copy = GOLDEN;
        assert_eq!(unwrap_stream_frame(&mut copy), Ok(&FRAME[..]));
        let mut copy = GOLDEN;
        assert_eq!(unwrap_stream_frame(&mut copy[..18]), Ok(&FRAME[..])); // without the delimiter
        let mut zeros = [0u8; 3 + 19];
        zeros[3..].copy_from_slice(&GOLDEN);
        assert_eq!(stream_frame_len(&zeros), Ok(12));
        assert_eq!(unwrap_stream_frame(&mut zeros), Ok(&FRAME[..]));
        // Delimiters alone are no frame.
        assert_eq!(unwrap_stream_frame(&mut [0, 0]), Err(Error::BadChecksum));
        assert_eq!(stream_frame_len(&[0]), Err(Error::BadChecksum));
    }

    #[test]
    fn like_the_old_writer_at_every_length() {
        let mut frame = [0u8; 512];
        for len in 0..=340 {
            for seed in 1..=4 {
                random_bytes(seed * 1000 + len as u32, &mut frame[..len]);
                check_like_old(&frame[..len]);
            }
            // Runs as long as COBS allows: no zero anywhere but maybe the CRC.
            frame[..len].fill(0xa7);
            check_like_old(&frame[..len]);
            frame[..len].fill(0);
            check_like_old(&frame[..len]);
        }
    }

    #[test]
    fn like_the_old_writer_at_254_and_255_byte_runs() {
        // Non-zero frames whose envelope (1 or 2 length bytes, the frame, 4 CRC bytes) ends
        // around one and two full COBS runs, with a zero moved through every position so that
        // a run of exactly 253, 254 or 255 bytes falls everywhere, the end included.
        let mut frame = [0u8; 520];
        for len in (240..=262).chain(495..=515) {
            for zero in 0..=len {
                frame[..len].fill(0x11);
                if let Some(b) = frame[..len].get_mut(zero) {
                    *b = 0;
                }
                check_like_old(&frame[..len]);
            }
        }
    }

    #[test]
    fn too_small_buffers() {
        for room in 0..GOLDEN.len() {
            let mut buf = [0u8; 32];
            buf[..FRAME.len()].copy_from_slice(&FRAME);
            let frame_len = FRAME.len().min(room);
            assert_eq!(wrap_in_place(&mut buf[..room], frame_len).map(|_| ()).err(), Some(Error::BufferTooSmall));
        }
        assert_eq!(wrap_in_place(&mut [0u8; 8], usize::MAX), Err(Error::BufferTooSmall));
        assert_eq!(wrap_in_place(&mut [0u8; 8], 9), Err(Error::BufferTooSmall));
    }

    /// `len ‖ frame ‖ crc` from raw parts, COBS-encoded with its delimiter, for decoder tests.
    fn envelope(len: &[u8], frame: &[u8], crc_of_len: &[u8], extra: &[u8], out: &mut [u8; 64]) -> usize {
        let mut digest = CRC.digest();
        digest.update(crc_of_len);
        digest.update(frame);
        let mut inner = [0u8; 48];
        let mut n = 0;
        for part in [len, frame, &digest.finalize().to_le_bytes()[..], extra] {
            inner[n..n + part.len()].copy_from_slice(part);
            n += part.len();
        }
        let m = cobs::encode(&inner[..n], out);
        out[m] = 0;
        m + 1
    }

    #[test]
    fn bad_envelopes_are_bad_checksums() {
        let mut buf = [0u8; 64];
        // Good, as a check of the helper.
        let n = envelope(&[12], &FRAME, &[12], &[], &mut buf);
        assert_eq!(buf[..n], GOLDEN);
        let bad = |buf: &mut [u8]| assert_eq!(unwrap_stream_frame(buf), Err(Error::BadChecksum));
        // Every single-bit flip, every cut.
        for i in 0..GOLDEN.len() - 1 {
            for bit in 0..8 {
                let mut copy = GOLDEN;
                copy[i] ^= 1 << bit;
                bad(&mut copy);
            }
            let mut copy = GOLDEN;
            bad(&mut copy[..i]);
        }
        // A byte after the CRC, CRC and all consistent.
        let n = envelope(&[12], &FRAME, &[12], &[0x01], &mut buf);
        bad(&mut buf[..n]);
        // A padded length varint, the CRC over the padded or over the minimal form.
        let n = envelope(&[0x8c, 0x00], &FRAME, &[0x8c, 0x00], &[], &mut buf);
        bad(&mut buf[..n]);
        let n = envelope(&[0x8c, 0x00], &FRAME, &[12], &[], &mut buf);
        bad(&mut buf[..n]);
        // Lengths past what is there, longer than five bytes, or past u32.
        let n = envelope(&[13], &FRAME, &[13], &[], &mut buf);
        bad(&mut buf[..n]);
        let n = envelope(&[0x8c, 0x80, 0x80, 0x80, 0x80, 0x00], &[], &[], &[], &mut buf);
        bad(&mut buf[..n]);
        let n = envelope(&[0x80, 0x80, 0x80, 0x80, 0x10], &[], &[], &[], &mut buf);
        bad(&mut buf[..n]);
        // Empty, a lone delimiter, a code byte pointing past the end.
        bad(&mut []);
        bad(&mut [0]);
        bad(&mut [0x05, 0x01, 0x00]);
        // The empty frame is a frame (the frame reader rejects it).
        let n = envelope(&[0], &[], &[0], &[], &mut buf);
        assert_eq!(unwrap_stream_frame(&mut buf[..n]), Ok(&[][..]));
    }

    #[test]
    fn decoder_buffers_cuts_and_resynchronises() {
        let mut d = StreamDecoder::<19>::new();
        // Byte by byte.
        for &b in &GOLDEN[..18] {
            assert_eq!(d.feed(&[b]), Feed::Consumed);
        }
        assert_eq!(d.feed(&[0, 7]), Feed::Frame { frame: &FRAME, remaining: &[7] });
        // Garbage, then a frame, then its first half.
        let mut stream = [0u8; 4 + 19 + 9];
        stream[..4].copy_from_slice(&[0x13, 0x37, 0xff, 0x00]);
        stream[4..23].copy_from_slice(&GOLDEN);
        stream[23..].copy_from_slice(&GOLDEN[..9]);
        let Feed::Rejected { error: Error::BadChecksum, remaining } = d.feed(&stream) else { panic!() };
        assert_eq!(d.feed(remaining), Feed::Frame { frame: &FRAME, remaining: &GOLDEN[..9] });
        assert_eq!(d.feed(&GOLDEN[..9]), Feed::Consumed);
        assert_eq!(d.feed(&GOLDEN[9..]), Feed::Frame { frame: &FRAME, remaining: &[] });
        assert_eq!(d.feed(&[]), Feed::Consumed);
        // Empty segments are skipped, in one input or across several, and the frame after them
        // reads; within a frame a 0x00 still ends it.
        assert_eq!(d.feed(&[0, 0]), Feed::Consumed);
        assert_eq!(d.feed(&[0]), Feed::Consumed);
        let mut led = [0u8; 3 + 19];
        led[3..].copy_from_slice(&GOLDEN);
        assert_eq!(d.feed(&led), Feed::Frame { frame: &FRAME, remaining: &[] });
        assert_eq!(d.feed(&GOLDEN[..5]), Feed::Consumed);
        assert_eq!(d.feed(&[0, 0]), Feed::Rejected { error: Error::BadChecksum, remaining: &[0] });
    }

    #[test]
    fn decoder_rejects_what_overflows_its_buffer() {
        // One byte short of the 19-byte stream frame, the delimiter in the same input: the
        // whole segment goes, and reading resumes after it.
        let mut d = StreamDecoder::<18>::new();
        let mut two = [0u8; 38];
        two[..19].copy_from_slice(&GOLDEN);
        two[19..].copy_from_slice(&GOLDEN);
        assert_eq!(d.feed(&two), Feed::Rejected { error: Error::BufferTooSmall, remaining: &GOLDEN });
        // Without the delimiter: rejected when the buffer overflows, with what did not fit.
        assert_eq!(d.feed(&GOLDEN[..10]), Feed::Consumed);
        assert_eq!(d.feed(&GOLDEN[10..18]), Feed::Consumed);
        assert_eq!(d.feed(&GOLDEN[..5]), Feed::Rejected { error: Error::BufferTooSmall, remaining: &GOLDEN[..5] });
        assert_eq!(d.feed(&GOLDEN[..12]), Feed::Consumed);
        assert_eq!(d.feed(&GOLDEN[..9]), Feed::Rejected { error: Error::BufferTooSmall, remaining: &GOLDEN[6..9] });
        // A delimiter after the buffer filled: the segment's bytes up to it go too.
        assert_eq!(d.feed(&two[..18]), Feed::Consumed);
        assert_eq!(d.feed(&two[18..30]), Feed::Rejected { error: Error::BufferTooSmall, remaining: &GOLDEN[..11] });
        let mut d = StreamDecoder::<18>::new();
        assert_eq!(d.feed(&GOLDEN[..10]), Feed::Consumed);
        assert_eq!(d.feed(&GOLDEN[10..]), Feed::Rejected { error: Error::BufferTooSmall, remaining: &[] });
        // The decoder is empty again: the next frame reads (in a buffer that fits it).
        let mut d = StreamDecoder::<19>::new();
        assert_eq!(d.feed(&GOLDEN[..18]), Feed::Consumed);
        assert_eq!(d.feed(&GOLDEN[..2]), Feed::Rejected { error: Error::BufferTooSmall, remaining: &GOLDEN[1..2] });
        assert_eq!(d.feed(&GOLDEN), Feed::Frame { frame: &FRAME, remaining: &[] });
    }

    /// Cuts streams as postcard's `CobsAccumulator` (which the decoder used before) does: the
    /// same segments, overflows and remaining input, for random bytes fed in random pieces,
    /// except that empty segments, which the accumulator rejects, are skipped.
    #[test]
    fn decoder_cuts_like_postcards_accumulator() {
        use postcard::accumulator::{CobsAccumulator, FeedResult};
        fn same<const N: usize>(stream: &[u8], pieces: &[u8]) {
            let (mut ours, mut theirs) = (StreamDecoder::<N>::new(), CobsAccumulator::<N>::new());
            let mut between = true; // no segment begun: a 0x00 now ends an empty one
            for (chunk, &cut) in stream.chunks(40).zip(pieces.iter().cycle()) {
                let (a, b) = chunk.split_at(usize::from(cut) % (chunk.len() + 1));
                for mut input in [a, b] {
                    while !input.is_empty() {
                        if between && input[0] == 0 {
                            let theirs_too = theirs.feed::<()>(&input[..1]); // an empty segment
                            assert!(matches!(
                                theirs_too,
                                FeedResult::DeserError(&[]) | FeedResult::Success { remaining: &[], .. }
                            ));
                            let skipped = ours.feed(&input[..1]);
                            assert_eq!(skipped, Feed::Consumed, "an empty segment is skipped, N = {N}");
                            input = &input[1..];
                            continue;
                        }
                        let expected = theirs.feed::<()>(input);
                        let got = ours.feed(input);
                        between = !matches!(got, Feed::Consumed);
                        input = match (got, expected) {
                            (Feed::Consumed, FeedResult::Consumed) => &[],
                            (Feed::Rejected { error: Error::BufferTooSmall, remaining }, FeedResult::OverFull(r))
                            | (Feed::Rejected { error: Error::BadChecksum, remaining }, FeedResult::DeserError(r))
                            | (
                                Feed::Rejected { error: Error::BadChecksum, remaining },
                                FeedResult::Success { remaining: r, .. },
                            )
                            | (Feed::Frame { remaining, .. }, FeedResult::Success { remaining: r, .. })
                                if remaining == r =>
                            {
                                remaining
                            }
                            _ => panic!("differs from the accumulator, N = {N}"),
                        };
                    }
                }
            }
        }
        let mut stream = [0u8; 600];
        let mut pieces = [0u8; 16];
        for seed in 1..200 {
            random_bytes(seed, &mut stream);
            random_bytes(seed + 7, &mut pieces);
            for (i, b) in stream.iter_mut().enumerate() {
                if *b % (seed as u8 % 23 + 2) == 0 || i % 97 == 19 {
                    *b = 0;
                }
            }
            same::<8>(&stream, &pieces);
            same::<19>(&stream, &pieces);
            same::<64>(&stream, &pieces);
        }
    }
}
