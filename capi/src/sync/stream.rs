//! Stream framing from C: take one frame out of its COBS + CRC-32 envelope, or cut a byte
//! stream into frames with a decoder in caller memory that resynchronises after garbage.
//!
//! Writing a stream frame is `swapwire_frame_write` (or `swapwire_summary_write`) with a
//! `SWAPWIRE_FRAMING_STREAM` link.

use core::mem::{align_of, size_of};

use swapwire::frame::{stream_frame_len, unwrap_stream_frame_into, Feed, StreamDecoder};

use crate::boundary::{input_bytes, run, Failure, Out, OutBytes};
use crate::status::{from_error, swapwire_status, SWAPWIRE_INVALID_ARGUMENT, SWAPWIRE_NULL_ARGUMENT, SWAPWIRE_OK};
use crate::sync::SWAPWIRE_FRAME_MAX_SIZE;

/// The decoder behind a `swapwire_stream_decoder`: frames of up to the largest frame size.
type Decoder = StreamDecoder<SWAPWIRE_FRAME_MAX_SIZE>;

/// Marks a `swapwire_stream_decoder` that `swapwire_stream_decoder_init` set up ("SWSD").
const DECODER_MAGIC: u32 = 0x5357_5344;

/// A stream decoder in caller memory (about `SWAPWIRE_FRAME_MAX_SIZE` bytes): it buffers bytes
/// up to each `0x00` delimiter and yields the frames whose CRC-32 matches (empty segments, as
/// before every frame, are skipped). Opaque: set it up
/// with `swapwire_stream_decoder_init`, then only `swapwire_stream_feed` may touch it.
#[repr(C)]
pub struct swapwire_stream_decoder {
    /// `DECODER_MAGIC` once initialised.
    magic: u32,
    /// Storage for the library's decoder; 8-byte aligned.
    _opaque: [u64; 65],
}

const _: () = assert!(size_of::<Decoder>() <= size_of::<[u64; 65]>());
const _: () = assert!(align_of::<Decoder>() <= align_of::<u64>());

/// What one `swapwire_stream_feed` call did.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct swapwire_stream_event {
    /// Input bytes used: feed `input + consumed` next. Less than the input's length only when
    /// the call stopped at a delimiter.
    pub consumed: usize,
    /// A frame whose CRC-32 matched, or NULL. It lies in the decoder's buffer and stays valid
    /// until the decoder is next fed or initialised; read it with `swapwire_frame_read`,
    /// `swapwire_store_apply_frame` or `swapwire_summary_missing_*` (link_sender NULL: stream
    /// frames name their sender).
    pub frame: *const u8,
    /// The frame's length in bytes, 0 when `frame` is NULL.
    pub frame_len: usize,
    /// `SWAPWIRE_OK`, or why the bytes up to the delimiter just reached were thrown away:
    /// `SWAPWIRE_BAD_CHECKSUM` (damaged, truncated, garbage, or the tail of a frame the decoder
    /// joined mid-way), `SWAPWIRE_BUFFER_TOO_SMALL` (longer than `SWAPWIRE_FRAME_MAX_SIZE`).
    pub rejected: swapwire_status,
}

/// Sets up `*decoder` empty, whatever it held before.
///
/// # Safety
/// `decoder` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn swapwire_stream_decoder_init(decoder: *mut swapwire_stream_decoder) -> swapwire_status {
    run(core::ptr::null_mut(), || {
        if decoder.is_null() {
            return Err(SWAPWIRE_NULL_ARGUMENT.into());
        }
        // SAFETY: non-NULL and writable per the contract; the storage is large and aligned
        // enough for a `Decoder` (checked above), and `write` reads nothing that was there.
        unsafe {
            core::ptr::write(core::ptr::addr_of_mut!((*decoder)._opaque).cast::<Decoder>(), Decoder::new());
            core::ptr::write(core::ptr::addr_of_mut!((*decoder).magic), DECODER_MAGIC);
        }
        Ok(())
    })
}

/// Feeds stream bytes to the decoder until they run out or a delimiter completes a frame, and
/// stores in `*event` how many bytes it used and the frame it completed, if any, or why it
/// threw bytes away. Loop while bytes remain:
///
/// ```c
/// while (len > 0) {
///     swapwire_stream_event ev;
///     if (swapwire_stream_feed(&decoder, input, len, &ev) != SWAPWIRE_OK) break;
///     if (ev.frame != NULL) handle(ev.frame, ev.frame_len);
///     input += ev.consumed;
///     len -= ev.consumed;
/// }
/// ```
///
/// A stream that starts mid-frame or holds garbage costs at most the bytes up to the next
/// delimiter; random bytes never yield a frame unless their CRC-32 matches by chance (one in
/// 2^32), and then the frame reader still checks every record. Fails only for NULL pointers
/// or a decoder never initialised (`SWAPWIRE_INVALID_ARGUMENT`), changing nothing.
///
/// # Safety
/// `decoder` is NULL or initialised, and not used by another thread during the call; `input`
/// is NULL or valid for `len` bytes and does not overlap the decoder; `event` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn swapwire_stream_feed(
    decoder: *mut swapwire_stream_decoder,
    input: *const u8,
    len: usize,
    event: *mut swapwire_stream_event,
) -> swapwire_status {
    run(core::ptr::null_mut(), || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
        let (input, event) = unsafe { (input_bytes(input, len)?, Out::new(event)?) };
        // SAFETY: the header's contract: NULL or a readable decoder.
        let handle = unsafe { decoder.as_mut() }.ok_or(Failure::from(SWAPWIRE_NULL_ARGUMENT))?;
        if handle.magic != DECODER_MAGIC {
            return Err(SWAPWIRE_INVALID_ARGUMENT.into());
        }
        // SAFETY: init wrote a `Decoder` into this storage (size and alignment checked above),
        // and the caller lends it to this call alone.
        let inner = unsafe { &mut *core::ptr::addr_of_mut!(handle._opaque).cast::<Decoder>() };
        let consumed = |remaining: &[u8]| len - remaining.len();
        event.set(match inner.feed(input) {
            Feed::Consumed => {
                swapwire_stream_event { consumed: len, frame: core::ptr::null(), frame_len: 0, rejected: SWAPWIRE_OK }
            }
            Feed::Frame { frame, remaining } => swapwire_stream_event {
                consumed: consumed(remaining),
                frame: frame.as_ptr(),
                frame_len: frame.len(),
                rejected: SWAPWIRE_OK,
            },
            Feed::Rejected { error, remaining } => swapwire_stream_event {
                consumed: consumed(remaining),
                frame: core::ptr::null(),
                frame_len: 0,
                rejected: from_error(error).0,
            },
        });
        Ok(())
    })
}

/// Takes the frame out of one complete stream frame (`bytes[0..len]`, COBS-encoded, with or
/// without its delimiters: leading `0x00` bytes are skipped and decoding stops at the next
/// `0x00`) into `frame`, and stores its
/// length in `*frame_len`. `bytes` are only read, whatever their length: no copy is made.
/// `SWAPWIRE_BAD_CHECKSUM` when the bytes were damaged; `SWAPWIRE_BUFFER_TOO_SMALL` when the
/// frame is over `frame_cap` bytes. On failure nothing is written.
///
/// # Safety
/// `bytes` is NULL or valid for `len` bytes; `frame` is NULL or writable for `frame_cap` bytes;
/// `frame_len` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn swapwire_stream_unwrap(
    bytes: *const u8,
    len: usize,
    frame: *mut u8,
    frame_cap: usize,
    frame_len: *mut usize,
) -> swapwire_status {
    run(core::ptr::null_mut(), || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
        let (bytes, mut out, frame_len) =
            unsafe { (input_bytes(bytes, len)?, OutBytes::new(frame, frame_cap)?, Out::new(frame_len)?) };
        // The length first, so that only a good frame's bytes are lent to Rust (zero-filled,
        // as a C buffer may be uninitialised) and written; `zeroed` refuses one over `frame_cap`.
        let n = stream_frame_len(bytes)?;
        frame_len.set(unwrap_stream_frame_into(bytes, out.zeroed(n)?)?);
        Ok(())
    })
}
