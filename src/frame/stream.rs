//! Stream framing: `COBS(varint(len) ‖ frame ‖ CRC-32/ISO-HDLC, little-endian) ‖ 0x00`.
//!
//! Writing arranges `len ‖ frame ‖ crc` at the end of the caller's buffer and COBS-encodes it
//! forward over itself with the `cobs` crate's encoder state machine (the one postcard's `Cobs`
//! flavor drives, so the bytes are the ones that flavor wrote), with no serde Serializer.
//! Reading goes through postcard's `CobsAccumulator`, which finds delimiters and undoes COBS in
//! its own buffer. The accumulator checks no CRC, so the envelope it yields is checked here.

use core::fmt;

use cobs::{EncoderState, PushResult};
use postcard::accumulator::{CobsAccumulator, FeedResult};
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::error::Error;
use crate::wire::varint_len;

/// CRC-32 as zlib, Ethernet and Python's `zlib.crc32` compute it.
const CRC: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);

/// Bytes of CRC after the frame.
const CRC_LEN: usize = 4;

/// The most bytes a frame of `frame_len` bytes takes in stream framing: the length varint, the
/// CRC, COBS's worst-case overhead (one byte per 254 and one more) and the delimiter.
pub(crate) const fn framed_len(frame_len: usize) -> usize {
    let inner = varint_len(frame_len as u64) + frame_len + CRC_LEN;
    inner + inner / 254 + 1 + 1
}

/// Wraps the frame in `out[..frame_len]` in stream framing, in place: on success `out[..n]`
/// holds `COBS(len ‖ frame ‖ crc) ‖ 0x00` and `n` is returned.
///
/// Fails with [`Error::BufferTooSmall`] when `out` cannot hold the result; `out` then holds
/// nothing useful (the frame is overwritten). Callers size `out` with [`framed_len`] first.
///
/// No scratch buffer: `len ‖ frame ‖ crc` (`I` bytes) is laid out at the end of `out`, from
/// `start = out.len() - I`, and COBS-encoded forward from `out[0]`. After reading input byte
/// `k` the encoder has written up to `out[1 + k + e]`, where `e` counts the full 254-byte runs
/// so far, and the result is `I + E + 2` bytes for `E` full runs in all. So when the result
/// fits (`out.len() >= I + E + 2`), every write lands at or before `start + k`, on a byte
/// already read. When it does not fit, the encoder runs off the end of `out` and fails
/// (unread bytes can be overwritten only then).
pub(crate) fn wrap_in_place(out: &mut [u8], frame_len: usize) -> Result<usize, Error> {
    let len_len = varint_len(frame_len as u64);
    // `len ‖ frame ‖ crc` takes the last bytes of `out`; the shortest COBS of it is one code
    // byte longer, then comes the delimiter, so at least two bytes must precede it.
    let start = frame_len
        .checked_add(len_len + CRC_LEN + 2)
        .and_then(|shortest| out.len().checked_sub(shortest))
        .ok_or(Error::BufferTooSmall)?
        + 2;
    let frame_at = start + len_len;
    // Byte by byte, last first: `copy_within` would link the compiler's `memmove` (1.5 KiB).
    for i in (0..frame_len).rev() {
        let b = *out.get(i).ok_or(Error::BufferTooSmall)?;
        put(out, frame_at + i, b)?;
    }
    let (mut v, mut i) = (frame_len as u64, start);
    while v >= 0x80 {
        put(out, i, v as u8 | 0x80)?;
        (v, i) = (v >> 7, i + 1);
    }
    put(out, i, v as u8)?;
    let crc_at = frame_at + frame_len;
    let crc = CRC.checksum(out.get(start..crc_at).ok_or(Error::BufferTooSmall)?);
    for (i, b) in crc.to_le_bytes().into_iter().enumerate() {
        put(out, crc_at + i, b)?;
    }

    let mut state = EncoderState::default();
    let mut at = 1; // after the first code byte, which `finalize` or a zero fills in
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
        put(out, code_at, code)?;
        if let Some(b) = byte {
            put(out, at, b)?;
            at += 1;
        }
        put(out, at, 0)?; // the next code byte's place
        at += 1;
    }
    let (code_at, code) = state.finalize();
    put(out, code_at, code)?;
    put(out, at, 0)?; // the delimiter
    Ok(at + 1)
}

/// `out[at] = b`, or [`Error::BufferTooSmall`] past the end.
#[inline(always)]
fn put(out: &mut [u8], at: usize, b: u8) -> Result<(), Error> {
    *out.get_mut(at).ok_or(Error::BufferTooSmall)? = b;
    Ok(())
}

/// The envelope inside the COBS encoding: the frame as a postcard byte string, then the CRC.
struct Envelope<'a> {
    frame: &'a [u8],
    crc: [u8; CRC_LEN],
}

impl<'a> Envelope<'a> {
    fn check(&self) -> Result<&'a [u8], Error> {
        let mut digest = CRC.digest();
        let mut len = [0u8; 5];
        let len = postcard::to_slice(&(self.frame.len() as u32), &mut len)?;
        digest.update(len);
        digest.update(self.frame);
        if digest.finalize().to_le_bytes() == self.crc {
            Ok(self.frame)
        } else {
            Err(Error::BadChecksum)
        }
    }
}

impl<'de> Deserialize<'de> for Envelope<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_tuple(usize::MAX, EnvelopeVisitor)
    }
}

struct EnvelopeVisitor;

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = Envelope<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a swapwire stream frame")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let short = || de::Error::custom("stream frame ends early");
        let frame: &'de [u8] = seq.next_element()?.ok_or_else(short)?;
        let crc: [u8; CRC_LEN] = seq.next_element()?.ok_or_else(short)?;
        // Postcard reports the end of input as an error: only that error means "nothing more".
        match seq.next_element::<u8>() {
            Ok(Some(_)) => Err(de::Error::custom("bytes after the CRC")),
            _ => Ok(Envelope { frame, crc }),
        }
    }
}

/// Takes the frame out of one complete stream frame (COBS bytes, with or without the final
/// `0x00`), decoding in place. Fails with [`Error::BadChecksum`] when the envelope is damaged.
pub fn unwrap_stream_frame(bytes: &mut [u8]) -> Result<&[u8], Error> {
    let envelope: Envelope<'_> = postcard::from_bytes_cobs(bytes).map_err(|_| Error::BadChecksum)?;
    envelope.check()
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
    acc: CobsAccumulator<N>,
}

impl<const N: usize> Default for StreamDecoder<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> StreamDecoder<N> {
    /// An empty decoder.
    pub const fn new() -> Self {
        StreamDecoder { acc: CobsAccumulator::new() }
    }

    /// Buffers `input` up to the next delimiter and reports what it completed.
    pub fn feed<'i, 'f>(&'f mut self, input: &'i [u8]) -> Feed<'i, 'f> {
        match self.acc.feed_ref::<Envelope<'f>>(input) {
            FeedResult::Consumed => Feed::Consumed,
            FeedResult::OverFull(remaining) => Feed::Rejected { error: Error::BufferTooSmall, remaining },
            FeedResult::DeserError(remaining) => Feed::Rejected { error: Error::BadChecksum, remaining },
            FeedResult::Success { data, remaining } => match data.check() {
                Ok(frame) => Feed::Frame { frame, remaining },
                Err(error) => Feed::Rejected { error, remaining },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use postcard::ser_flavors::crc::CrcModifier;
    use postcard::ser_flavors::{Cobs, Slice};

    /// The count update of docs/wire-format.md ("Framing"), and its stream form.
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

    /// Checks `wrap_in_place` against the old writer for `frame`: the same bytes in a buffer of
    /// exactly that size (the tightest overlap), of `framed_len`, and of more; one byte short fails.
    fn check_like_old(frame: &[u8]) {
        let mut old = [0u8; ROOM];
        let n = old_write(frame, &mut old).unwrap();
        assert!(n <= framed_len(frame.len()), "len {}", frame.len());
        for room in [n, framed_len(frame.len()), framed_len(frame.len()) + 7] {
            let (buf, m) = wrap(frame, room).unwrap();
            assert_eq!(buf[..m], old[..n], "len {} in {room}", frame.len());
        }
        assert_eq!(wrap(frame, n - 1).err(), Some(Error::BufferTooSmall), "len {}", frame.len());
        let mut copy = old;
        assert_eq!(unwrap_stream_frame(&mut copy[..n]), Ok(frame));
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
        let (buf, n) = wrap(&FRAME, GOLDEN.len()).unwrap();
        assert_eq!(buf[..n], GOLDEN);
        assert_eq!(framed_len(FRAME.len()), GOLDEN.len());
        assert_eq!(wrap(&FRAME, GOLDEN.len() - 1).err(), Some(Error::BufferTooSmall));
        let mut copy = GOLDEN;
        assert_eq!(unwrap_stream_frame(&mut copy), Ok(&FRAME[..]));
        let mut copy = GOLDEN;
        assert_eq!(unwrap_stream_frame(&mut copy[..18]), Ok(&FRAME[..])); // without the delimiter
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
}
