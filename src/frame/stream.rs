//! Stream framing: `COBS(varint(len) ‖ frame ‖ CRC-32/ISO-HDLC, little-endian) ‖ 0x00`.
//!
//! Writing goes through postcard's flavors (`CrcModifier` over `Cobs` over `Slice`), reading
//! through postcard's `CobsAccumulator`, which finds delimiters and undoes COBS in its own
//! buffer. The accumulator checks no CRC, so the envelope it yields is checked here with the
//! same `crc` algorithm postcard's CRC flavor computed over the same bytes.

use core::fmt;

use postcard::accumulator::{CobsAccumulator, FeedResult};
use postcard::ser_flavors::crc::CrcModifier;
use postcard::ser_flavors::{Cobs, Slice};
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

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

/// Serializes `value` (the length varint and the frame) with CRC and COBS into `out`.
pub(crate) fn write<T: Serialize>(value: &T, out: &mut [u8]) -> Result<usize, Error> {
    let cobs = Cobs::try_new(Slice::new(out))?;
    let written = postcard::serialize_with_flavor(value, CrcModifier::new(cobs, CRC.digest()))?;
    Ok(written.len())
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
