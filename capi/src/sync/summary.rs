//! Anti-entropy from C: a store's summary as a frame, and what a peer's summary says it lacks,
//! as a list of records or as a frame ready to send.

use swapwire::frame;
use swapwire::store::{Key, SlotView, Store};
use swapwire::summary::{self, missing_for, Summary};
use swapwire::{Record, RecordId};

use crate::boundary::{input_bytes, run, Failure, MaybeOut, Out, OutBytes, OutSlice};
use crate::convert::CRecord;
use crate::status::swapwire_status;
use crate::sync::frames::{frame_limit, report_frame};
use crate::sync::store::{swapwire_store, view_store};
use crate::sync::swapwire_link;
use crate::types::swapwire_record;

/// Writes the summary of `store` (what it holds, per origin, with holes and revisions) as a
/// frame from `sender` with the link's framing into `buf`, and stores its length in
/// `*written` and how many spaces (the shared sources, then one per origin) it covers in
/// `*spaces`. A summary too big for one message (or for `buf_len`) is cut between two runs of
/// ids: the peer then sends back more than needed, never less. A gateway answering one device
/// should use `swapwire_summary_write_from`, which claims that device's reports first. On a
/// stream link the bytes written are the stream framing around the frame; the peer reads the
/// frame out of it (`swapwire_stream_feed` or `swapwire_stream_unwrap`) before passing it to
/// `swapwire_summary_missing_*`.
///
/// The least `buf_len` that succeeds is the frame header alone, which claims nothing (`*spaces`
/// 0: the peer sends everything): 1 byte on a message link; on a stream link the header with
/// the sender's varint (2 to 6 bytes), in stream framing. Give it `link.payload` bytes to
/// summarise as much as the link carries.
///
/// Statuses: `SWAPWIRE_OK`; `SWAPWIRE_NULL_ARGUMENT` when `store`, `buf`, `written` or
/// `spaces` is NULL; `SWAPWIRE_INVALID_ARGUMENT` for an unknown framing, a payload of 0 or over
/// `SWAPWIRE_FRAME_MAX_SIZE`, or a `store` that `swapwire_store_init` never set up;
/// `SWAPWIRE_BUFFER_TOO_SMALL` when `buf_len` (or the link's payload) cannot hold even the
/// header; `SWAPWIRE_INTERNAL` for a bug. On failure nothing is written to `buf`, `*written`
/// or `*spaces`.
///
/// # Safety
/// `store` is NULL or initialised, and no other thread changes it during the call; `buf` is
/// NULL or writable for `buf_len` bytes; `written` and `spaces` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn swapwire_summary_write(
    store: *const swapwire_store,
    link: swapwire_link,
    sender: u32,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
    spaces: *mut usize,
) -> swapwire_status {
    // SAFETY: the caller's contract, which is `summary_from`'s.
    unsafe { summary_from(store, link, sender, Key::Source(0), buf, buf_len, written, spaces) }
}

/// `swapwire_summary_write` from the report `from_origin`/`from_seq` on: the summary starts at
/// origin `from_origin`'s reports, from `from_seq`, and leaves out the sources and every earlier
/// key. A gateway answering one device passes that device's origin and 0, so the device's
/// reports are acknowledged however many other origins the gateway holds (from the start, a
/// full frame leaves later origins out, and their devices would send them again forever). The
/// keys it leaves out a peer sends again; nothing is lost.
///
/// Statuses, out-parameters and the least `buf_len` are those of `swapwire_summary_write`.
///
/// # Safety
/// As for `swapwire_summary_write`.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // the store, the link, the sender, the key, then each buffer with its length
pub unsafe extern "C" fn swapwire_summary_write_from(
    store: *const swapwire_store,
    link: swapwire_link,
    sender: u32,
    from_origin: u32,
    from_seq: u32,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
    spaces: *mut usize,
) -> swapwire_status {
    let from = Key::Report(RecordId { origin: from_origin, seq: from_seq });
    // SAFETY: the caller's contract, which is `summary_from`'s.
    unsafe { summary_from(store, link, sender, from, buf, buf_len, written, spaces) }
}

/// The summary of `store` from `from` on, for both C entry points.
///
/// # Safety
/// As for `swapwire_summary_write`.
#[allow(clippy::too_many_arguments)] // as `swapwire_summary_write_from`
unsafe fn summary_from(
    store: *const swapwire_store,
    link: swapwire_link,
    sender: u32,
    from: Key,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
    spaces: *mut usize,
) -> swapwire_status {
    run(core::ptr::null_mut(), || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
        let (mut out, written, spaces) =
            unsafe { (OutBytes::new(buf, buf_len)?, Out::new(written)?, Out::new(spaces)?) };
        let profile = link.profile()?;
        // SAFETY: the header's contract for `store`.
        unsafe {
            view_store(store, |s| {
                let planned = summary::measure_summary_from(s, &profile, sender, from, frame_limit(&out))?;
                let w = summary::write_summary_from(s, &profile, sender, from, out.zeroed(planned.len)?)?;
                report_frame(planned, w, written, spaces)
            })
        }
    })
}

/// The peer's summary: a checked summary frame, or, for NULL with length 0, a peer that holds
/// nothing.
///
/// # Safety
/// `frame` is NULL or valid for `len` bytes.
unsafe fn peer_summary<'a>(frame: *const u8, len: usize, link_sender: *const u32) -> Result<Summary<'a>, Failure> {
    if frame.is_null() && len == 0 {
        return Ok(Summary::EMPTY);
    }
    // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
    let (frame, sender) = unsafe { (input_bytes(frame, len)?, crate::sync::link_sender(link_sender)) };
    Ok(Summary::parse(frame, sender)?)
}

/// The records of `store` the peer lacks, skipping the first `skip`.
fn missing<'s>(
    store: &'s Store<SlotView<'_>>,
    peer: &'s Summary<'_>,
    skip: usize,
) -> impl Iterator<Item = &'s Record> + Clone + 's {
    // A filter rather than `skip`: `Skip` steps over the first ones through `nth`, one frame
    // more (72 bytes on Cortex-M) under each lookup in the peer's summary.
    let mut left = skip;
    missing_for(store, peer).filter(move |_| match left.checked_sub(1) {
        Some(l) => {
            left = l;
            false
        }
        None => true,
    })
}

/// Lists the records of `store` that a peer's summary does not claim, or claims at an older
/// revision — exactly what to send it — in key order, skipping the first `skip` of them:
/// copies up to `out_cap` into `out` and stores how many in `*count`, and how many are missing
/// in all (before `skip`) in `*total` (may be NULL). Call again with `skip + *count` for more.
///
/// `summary` is a summary frame as a message link delivers it, or out of stream framing (from
/// `swapwire_stream_feed` or `swapwire_stream_unwrap`, not the stream bytes
/// `swapwire_summary_write` wrote), and `link_sender` the origin the link attributes it to, or
/// NULL; `summary` NULL with `summary_len` 0 stands for a peer that holds nothing.
///
/// Statuses: `SWAPWIRE_OK`; `SWAPWIRE_NULL_ARGUMENT` when `store`, `out` or `count` is NULL, or
/// `summary` is NULL with a `summary_len` other than 0; `SWAPWIRE_INVALID_ARGUMENT` for a
/// `store` that `swapwire_store_init` never set up, or a length no buffer can have; for a bad
/// summary frame, `SWAPWIRE_MALFORMED` (a records frame, or numbers out of range),
/// `SWAPWIRE_UNKNOWN_VERSION`, `SWAPWIRE_TRUNCATED`, `SWAPWIRE_BAD_VARINT`,
/// `SWAPWIRE_NON_CANONICAL` (a header) or `SWAPWIRE_TRAILING_BYTES`; `SWAPWIRE_INTERNAL` for a
/// bug. A summary without a sender is no error here. On failure nothing is written to `out`,
/// `*count` or `*total`. `skip` past the end is `SWAPWIRE_OK` with `*count` 0.
///
/// # Safety
/// `store` is NULL or initialised, and no other thread changes it during the call; `summary`
/// is NULL or valid for `summary_len` bytes; `link_sender` is NULL or readable; `out` is NULL
/// or writable for `out_cap` structs; `count` and `total` are NULL or writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // each buffer with its length, each result its own out-param
pub unsafe extern "C" fn swapwire_summary_missing_records(
    store: *const swapwire_store,
    summary: *const u8,
    summary_len: usize,
    link_sender: *const u32,
    skip: usize,
    out: *mut swapwire_record,
    out_cap: usize,
    count: *mut usize,
    total: *mut usize,
) -> swapwire_status {
    run(core::ptr::null_mut(), || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
        let (peer, out, count, total) = unsafe {
            let peer = peer_summary(summary, summary_len, link_sender)?;
            (peer, OutSlice::new(out, out_cap)?, Out::new(count)?, MaybeOut::new(total))
        };
        // SAFETY: the header's contract for `store`.
        unsafe {
            view_store(store, |s| {
                let mut n = 0;
                for (i, r) in missing(s, &peer, skip).take(out.cap()).enumerate() {
                    out.fill(i, |c| c.fill_from(r));
                    n += 1;
                }
                count.set(n);
                total.set(missing_for(s, &peer).count());
                Ok(())
            })
        }
    })
}

/// Packs the records of `store` that a peer's summary says it lacks (as
/// `swapwire_summary_missing_records` chooses them, after skipping `skip`) into one frame
/// from `sender` for `link`, like `swapwire_frame_write`: `*written` bytes, carrying the next
/// `*taken` missing records. `*taken` is 0 (and `*written` 0) when nothing is missing.
/// Call again with `skip + *taken` to fill the next frame. On a stream link the bytes written
/// are the stream framing around the frame; `summary` is read as
/// `swapwire_summary_missing_records` reads it (out of stream framing).
///
/// Statuses: those of `swapwire_summary_missing_records` for `store`, `summary` and
/// `link_sender` (NULL `buf`, `written` or `taken` is `SWAPWIRE_NULL_ARGUMENT`, an unknown
/// framing or a payload of 0 or over `SWAPWIRE_FRAME_MAX_SIZE` `SWAPWIRE_INVALID_ARGUMENT`),
/// and: `SWAPWIRE_TOO_LARGE_FOR_LINK` when the missing record at `skip` does not fit one
/// frame of the link even alone — it can never travel over this link: skip it (call again with
/// `skip + 1`) and carry on, counting it if you like (README, "Field sync from C");
/// `SWAPWIRE_BUFFER_TOO_SMALL` when that record fits the link but not `buf_len` (a buffer of
/// `link.payload` bytes always suffices); `SWAPWIRE_INTERNAL` for a bug. On failure nothing is
/// written to `buf`, `*written` or `*taken`.
///
/// # Safety
/// As `swapwire_summary_missing_records`; `buf` is NULL or writable for `buf_len` bytes;
/// `written` and `taken` are NULL or writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // each buffer with its length, each result its own out-param
pub unsafe extern "C" fn swapwire_summary_missing_frame(
    store: *const swapwire_store,
    summary: *const u8,
    summary_len: usize,
    link_sender: *const u32,
    skip: usize,
    link: swapwire_link,
    sender: u32,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
    taken: *mut usize,
) -> swapwire_status {
    run(core::ptr::null_mut(), || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
        let (peer, mut out, written, taken) = unsafe {
            let peer = peer_summary(summary, summary_len, link_sender)?;
            (peer, OutBytes::new(buf, buf_len)?, Out::new(written)?, Out::new(taken)?)
        };
        let profile = link.profile()?;
        // SAFETY: the header's contract for `store`.
        unsafe {
            view_store(store, |s| {
                let planned = frame::measure_records(&profile, sender, missing(s, &peer, skip), frame_limit(&out))?;
                if planned.records == 0 {
                    // Nothing missing (an empty layout is no error): no frame to send.
                    written.set(0);
                    taken.set(0);
                    return Ok(());
                }
                let w = frame::write_records(&profile, sender, missing(s, &peer, skip), out.zeroed(planned.len)?)?;
                report_frame(planned, w, written, taken)
            })
        }
    })
}
