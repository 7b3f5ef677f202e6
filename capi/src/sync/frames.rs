//! Frames from C: pack records into one frame for a link, read a frame's header and records.

use core::cell::Cell;

use swapwire::frame::{self, FrameKind, Header};
use swapwire::{Error, Record};

use crate::boundary::{at_index, input_bytes, input_slice, run, Failure, MaybeOut, Out, OutBytes, OutSlice};
use crate::convert::CRecord;
use crate::status::{swapwire_error_detail, swapwire_status, SWAPWIRE_BUFFER_TOO_SMALL, SWAPWIRE_INTERNAL};
use crate::sync::store::{scratch_at, swapwire_slot};
use crate::sync::{swapwire_link, SWAPWIRE_FRAME_MAX_SIZE};
use crate::types::swapwire_record;
use swapwire::store::Slot;

/// Frame kind code: a frame of records.
pub const SWAPWIRE_FRAME_RECORDS: u8 = 0;
/// Frame kind code: a summary of what the sender holds.
pub const SWAPWIRE_FRAME_SUMMARY: u8 = 1;

/// What a frame's header says.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct swapwire_frame_info {
    /// A `SWAPWIRE_FRAME_*` code.
    pub kind: u8,
    /// 1 if the sender is known (from the frame, or from the link), else 0.
    pub has_sender: u8,
    /// The sender's origin when `has_sender` is 1, else 0.
    pub sender: u32,
    /// How many records (or summary spaces) the frame carries.
    pub count: u32,
}

/// The most bytes of `buf` a frame may take: what the frame writers lay a frame out for.
pub(crate) fn frame_limit(buf: &OutBytes) -> usize {
    buf.len().min(SWAPWIRE_FRAME_MAX_SIZE)
}

/// Reports a frame written to the caller's buffer: its length in `*written` and how many
/// items it carries in `*taken`. The frame writers lay a frame out first (a `measure_*`
/// function, for [`frame_limit`] bytes: `planned`), then write it straight into the first
/// `planned.len` bytes of the buffer ([`OutBytes::zeroed`]; the frame's length at most, as
/// stream framing may take a byte less), so a failed layout writes nothing and a laid-out frame
/// cannot fail to write. (Through a scratch buffer the size of the largest frame, this took 512
/// bytes more stack on a Cortex-M.) Both calls are made by the writer itself, not through a
/// closure: a closure called for the write stayed a function of its own on Cortex-M, its frame
/// stacked under the writer's (120 bytes).
pub(crate) fn report_frame(
    planned: frame::Written,
    w: frame::Written,
    written: Out<usize>,
    taken: Out<usize>,
) -> Result<(), Failure> {
    if w.records != planned.records || w.len > planned.len {
        return Err(SWAPWIRE_INTERNAL.into()); // the layout and the write disagree: a bug
    }
    written.set(w.len);
    taken.set(w.records);
    Ok(())
}

/// Packs as many of `records[0..count]` as fit one message of `link` into `buf` (a frame from
/// `sender`, with the link's framing) and stores its length in `*written` and how many
/// records it carries — always the first `*taken` — in `*taken`. Send it, then call again
/// from `records + *taken`. On a stream link (`SWAPWIRE_FRAMING_STREAM`) the bytes written are
/// the stream framing (COBS, length, CRC-32, delimiter) around the frame, ready for the UART;
/// on a message link, the bare frame. `count` 0 is `SWAPWIRE_OK` with a frame of no records.
///
/// Each record is checked as the frame is laid out: those the frame takes, and the one after
/// them, which is converted to see whether it fits. Records past that one are not looked at,
/// so a loop over a large array handles each record a bounded number of times (checking all
/// `count` in every call made such a loop quadratic).
///
/// Statuses: `SWAPWIRE_OK`; `SWAPWIRE_NULL_ARGUMENT` when `records` (even with `count` 0),
/// `buf`, `written` or `taken` is NULL; `SWAPWIRE_INVALID_ARGUMENT` for an unknown framing, a
/// payload of 0 or over `SWAPWIRE_FRAME_MAX_SIZE`, or a `count` no array can hold;
/// `SWAPWIRE_INVALID_VALUE` (and `*detail`), `SWAPWIRE_BAD_UTF8` or `SWAPWIRE_UNKNOWN_KIND` for
/// an invalid record among those looked at, which `*failed_index` (may be NULL) names;
/// `SWAPWIRE_TOO_LARGE_FOR_LINK` when `records[0]` does not fit one frame of the link even
/// alone: it can never travel over this link — skip it (call again from `records + 1`) and
/// carry on; `*failed_index` is then 0; `SWAPWIRE_BUFFER_TOO_SMALL` when `records[0]` fits the
/// link but not `buf_len` (a buffer of `link.payload` bytes always suffices);
/// `SWAPWIRE_INTERNAL` for a bug. On failure nothing is written to `buf`, `*written` or
/// `*taken`; `*failed_index` only as said, `*detail` only on `SWAPWIRE_INVALID_VALUE`.
///
/// The call converts each struct into a record on its own stack (`SWAPWIRE_SLOT_SIZE` bytes);
/// firmware with a tight stack calls `swapwire_frame_write_with` and keeps that slot itself.
///
/// # Safety
/// `records` is NULL or valid for `count` structs; `buf` is NULL or writable for `buf_len`
/// bytes; `written`, `taken`, `failed_index` and `detail` are NULL or writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // each buffer with its length, each result its own out-param
pub unsafe extern "C" fn swapwire_frame_write(
    link: swapwire_link,
    sender: u32,
    records: *const swapwire_record,
    count: usize,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
    taken: *mut usize,
    failed_index: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    let mut own = Slot::EMPTY;
    // SAFETY: the header's contract, which is `write_records_frame`'s.
    unsafe {
        write_records_frame(link, sender, records, count, buf, buf_len, written, taken, failed_index, detail, |_, _| {
            Ok(own.record_mut())
        })
    }
}

/// `swapwire_frame_write`, converting each record into `scratch`, a slot the caller keeps (a
/// `static`, say), instead of into a record on the call's stack, as `swapwire_frame_read_with`
/// does. `scratch` may hold anything (the call overwrites it) but must not overlap `records`
/// or `buf` (`SWAPWIRE_INVALID_ARGUMENT`); NULL is `SWAPWIRE_NULL_ARGUMENT`. Its content
/// afterwards has no meaning.
///
/// # Safety
/// As `swapwire_frame_write`; `scratch` is NULL or valid for writing one `swapwire_slot`, and
/// nothing else uses it during the call.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // each buffer with its length, each result its own out-param
pub unsafe extern "C" fn swapwire_frame_write_with(
    link: swapwire_link,
    sender: u32,
    scratch: *mut swapwire_slot,
    records: *const swapwire_record,
    count: usize,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
    taken: *mut usize,
    failed_index: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the header's contract, which is `write_records_frame`'s.
    unsafe {
        write_records_frame(
            link,
            sender,
            records,
            count,
            buf,
            buf_len,
            written,
            taken,
            failed_index,
            detail,
            |r, out| {
                let records = (r.as_ptr() as usize, size_of_val(r));
                // SAFETY: the header's contract for `scratch`; the spans it must miss are the
                // records it reads and the buffer it writes.
                scratch_at(scratch, &[records, (out.as_ptr() as usize, out.len())]).map(Slot::record_mut)
            },
        )
    }
}

/// The body of the two `swapwire_frame_write` calls: generic over where each C struct is
/// converted (`slot` gives it, once the records and `buf` are checked), so that a firmware
/// linking one gets only its own path.
///
/// # Safety
/// As `swapwire_frame_write`; `slot` keeps its own contract.
#[allow(clippy::too_many_arguments)]
unsafe fn write_records_frame<'s>(
    link: swapwire_link,
    sender: u32,
    records: *const swapwire_record,
    count: usize,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
    taken: *mut usize,
    failed_index: *mut usize,
    detail: *mut swapwire_error_detail,
    slot: impl FnOnce(&[swapwire_record], &OutBytes) -> Result<&'s mut Record, Failure>,
) -> swapwire_status {
    run(detail, || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
        let (records, mut out, written, taken, failed_index) = unsafe {
            (
                input_slice(records, count)?,
                OutBytes::new(buf, buf_len)?,
                Out::new(written)?,
                Out::new(taken)?,
                MaybeOut::new(failed_index),
            )
        };
        let profile = link.profile()?;
        // One record, reused: each C struct is converted into it as the frame is laid out and
        // written, rather than into a record apiece, and the layout validates it. A struct that
        // does not convert or validate fails the layout, and `current` says which it was.
        let slot = slot(records, &out)?;
        let current = Cell::new(0);
        let fill = |i: usize, slot: &mut Record| {
            current.set(i);
            records.get(i).map_or(Err(Error::Malformed), |r| r.convert_into(slot))
        };
        // The caller's buffer is zeroed and lent only once the layout has succeeded, for the
        // frame's length: a failed call writes nothing. (A layout, then a second layout and the
        // write, converted each record three times and validated it five.)
        let limit = frame_limit(&out);
        let w = frame::write_records_with_lent(&profile, sender, count, slot, fill, limit, |n| {
            out.zeroed(n).map_err(|_| Error::BufferTooSmall)
        })
        .map_err(|e| name_failure(&failed_index, current.get(), e))?;
        written.set(w.len);
        taken.set(w.records);
        Ok(())
    })
}

/// The failure of a frame write, naming in `*failed_index` the record that was being laid out:
/// the one that did not convert or validate, or the first, alone in the frame, for
/// `SWAPWIRE_TOO_LARGE_FOR_LINK`. `SWAPWIRE_BUFFER_TOO_SMALL` names none: the buffer is short,
/// not the record. Out of line and cold: inline, it grew `swapwire_frame_write`'s frame by 8
/// bytes on Cortex-M.
#[cold]
#[inline(never)]
fn name_failure(failed_index: &MaybeOut<usize>, current: usize, e: Error) -> Failure {
    match e {
        Error::BufferTooSmall => e.into(),
        _ => at_index(failed_index, current, e),
    }
}

/// Reads the header of a frame into `*info`, to tell records from summaries before reading
/// them. `link_sender` points to the origin the link attributes the frame to, or is NULL. The
/// frame is one as a message link delivers it, or out of stream framing: what
/// `swapwire_stream_feed` yields or `swapwire_stream_unwrap` takes out of the bytes
/// `swapwire_frame_write` wrote for a stream link — not those stream bytes themselves.
///
/// Only the header is read: the rest of the frame is not checked. Statuses: `SWAPWIRE_OK`
/// (`has_sender` 0 when neither the frame nor `link_sender` names a sender: no error here);
/// `SWAPWIRE_NULL_ARGUMENT` when `frame` (even with `len` 0) or `info` is NULL;
/// `SWAPWIRE_TRUNCATED` when the header is cut short (`len` 0 included);
/// `SWAPWIRE_UNKNOWN_VERSION` for a frame format version this library does not read;
/// `SWAPWIRE_BAD_VARINT` for an over-long sender or count; `SWAPWIRE_NON_CANONICAL` for a
/// small count written in the long form; `SWAPWIRE_INVALID_ARGUMENT` for a `len` over
/// `PTRDIFF_MAX`; `SWAPWIRE_INTERNAL` for a bug. `*info` is written only on success.
///
/// # Safety
/// `frame` is NULL or valid for `len` bytes; `link_sender` is NULL or readable; `info` is NULL
/// or writable.
#[no_mangle]
pub unsafe extern "C" fn swapwire_frame_info_read(
    frame: *const u8,
    len: usize,
    link_sender: *const u32,
    info: *mut swapwire_frame_info,
) -> swapwire_status {
    run(core::ptr::null_mut(), || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
        let (frame, sender, info) =
            unsafe { (input_bytes(frame, len)?, crate::sync::link_sender(link_sender), Out::new(info)?) };
        info.set(frame_info(&Header::parse(frame, sender)?));
        Ok(())
    })
}

pub(crate) fn frame_info(h: &Header) -> swapwire_frame_info {
    swapwire_frame_info {
        kind: match h.kind {
            FrameKind::Records => SWAPWIRE_FRAME_RECORDS,
            FrameKind::Summary => SWAPWIRE_FRAME_SUMMARY,
        },
        has_sender: u8::from(h.sender.is_some()),
        sender: h.sender.unwrap_or(0),
        count: h.count,
    }
}

/// Reads every record of a records frame into `out[0..out_cap]` and stores how many in
/// `*count`; `*info` (may be NULL) receives the header. The frame is one as a message link
/// delivers it, or out of stream framing (from `swapwire_stream_feed` or
/// `swapwire_stream_unwrap`), never the stream bytes `swapwire_frame_write` wrote: those
/// fail, usually with `SWAPWIRE_UNKNOWN_VERSION`.
///
/// The whole frame is checked before anything is written: an unknown version
/// (`SWAPWIRE_UNKNOWN_VERSION`), a truncated frame, an invalid record, trailing bytes, a
/// summary frame (`SWAPWIRE_MALFORMED`), a frame without a sender read without `link_sender`
/// (`SWAPWIRE_UNKNOWN_SENDER`), or more records than `out_cap` (`SWAPWIRE_BUFFER_TOO_SMALL`)
/// fail the call and leave `out`, `*count` and `*info` unchanged.
///
/// The call decodes each record into a slot on its own stack (`SWAPWIRE_SLOT_SIZE` bytes);
/// firmware with a tight stack calls `swapwire_frame_read_with` and keeps that slot itself.
///
/// # Safety
/// `frame` is NULL or valid for `len` bytes; `link_sender` is NULL or readable; `out` is NULL
/// or writable for `out_cap` structs; `count`, `info` and `detail` are NULL or writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // each buffer with its length, each result its own out-param
pub unsafe extern "C" fn swapwire_frame_read(
    frame: *const u8,
    len: usize,
    link_sender: *const u32,
    out: *mut swapwire_record,
    out_cap: usize,
    count: *mut usize,
    info: *mut swapwire_frame_info,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    let mut own = Slot::EMPTY;
    // SAFETY: the header's contract, which is `read_frame`'s.
    unsafe { read_frame(frame, len, link_sender, out, out_cap, count, info, detail, |_, _| Ok(own.record_mut())) }
}

/// `swapwire_frame_read`, decoding each record into `scratch`, a slot the caller keeps (a
/// `static`, say), instead of into a record on the call's stack, as
/// `swapwire_store_apply_frame_with` does. `scratch` may hold anything (the call overwrites it)
/// but must not overlap `frame` or `out` (`SWAPWIRE_INVALID_ARGUMENT`); NULL is
/// `SWAPWIRE_NULL_ARGUMENT`. Its content afterwards has no meaning.
///
/// # Safety
/// As `swapwire_frame_read`; `scratch` is NULL or valid for writing one `swapwire_slot`, and
/// nothing else uses it during the call.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // each buffer with its length, each result its own out-param
pub unsafe extern "C" fn swapwire_frame_read_with(
    frame: *const u8,
    len: usize,
    link_sender: *const u32,
    scratch: *mut swapwire_slot,
    out: *mut swapwire_record,
    out_cap: usize,
    count: *mut usize,
    info: *mut swapwire_frame_info,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the header's contract, which is `read_frame`'s.
    unsafe {
        read_frame(frame, len, link_sender, out, out_cap, count, info, detail, |frame, out| {
            let out = (out.as_ptr() as usize, out.cap().saturating_mul(size_of::<swapwire_record>()));
            // SAFETY: the header's contract for `scratch`; the spans it must miss are the
            // frame it reads and the array it writes.
            scratch_at(scratch, &[(frame.as_ptr() as usize, frame.len()), out]).map(Slot::record_mut)
        })
    }
}

/// The body of the two `swapwire_frame_read` calls: generic over where the record is decoded
/// (`slot` gives it, once the frame and `out` are checked), so that a firmware linking one gets
/// only its own path.
///
/// # Safety
/// As `swapwire_frame_read`; `slot` keeps its own contract.
#[allow(clippy::too_many_arguments)]
unsafe fn read_frame<'s>(
    frame: *const u8,
    len: usize,
    link_sender: *const u32,
    out: *mut swapwire_record,
    out_cap: usize,
    count: *mut usize,
    info: *mut swapwire_frame_info,
    detail: *mut swapwire_error_detail,
    slot: impl FnOnce(&[u8], &OutSlice<swapwire_record>) -> Result<&'s mut Record, Failure>,
) -> swapwire_status {
    run(detail, || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
        let (frame, sender, out, count, info) = unsafe {
            let frame = input_bytes(frame, len)?;
            (
                frame,
                crate::sync::link_sender(link_sender),
                OutSlice::new(out, out_cap)?,
                Out::new(count)?,
                MaybeOut::new(info),
            )
        };
        let record = slot(frame, &out)?;
        // Read once to check it all, then again to copy out: no memory for the records. Each
        // is decoded in place into the one slot, and copied only into its C struct.
        let header = frame::read_records_with(frame, sender, record, |_| Ok(()))?;
        if header.count as usize > out.cap() {
            return Err(SWAPWIRE_BUFFER_TOO_SMALL.into());
        }
        let mut i = 0;
        frame::read_records_with(frame, sender, record, |r: &Record| {
            out.fill(i, |c| c.fill_from(r));
            i += 1;
            Ok(())
        })?;
        count.set(i);
        info.set(frame_info(&header));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_info_names_the_kind_and_sender() {
        let h = Header { kind: FrameKind::Summary, sender: Some(9), count: 3 };
        assert_eq!(frame_info(&h), swapwire_frame_info { kind: 1, has_sender: 1, sender: 9, count: 3 });
        let h = Header { kind: FrameKind::Records, sender: None, count: 0 };
        assert_eq!(frame_info(&h), swapwire_frame_info::default());
    }
}
