//! Many records in one call: for callers where each FFI call costs more than encoding a record
//! (cffi from Python), and for filling a frame with as many records as fit.

use swapwire::{Codec, Kind, Record};

use crate::boundary::{at_index, input_bytes, input_slice, run, MaybeOut, Out, OutBytes, OutSlice};
use crate::codec::encode_core;
use crate::convert::CRecord;
use crate::status::{swapwire_error_detail, swapwire_status, SWAPWIRE_BUFFER_TOO_SMALL};
use crate::types::swapwire_record;

/// Encodes `count` records from `records` back to back into `buf`, each kind byte first as
/// `swapwire_record_encode` writes it, and stores the total number of bytes in `*written`.
///
/// On failure nothing is written to `buf` or `*written`, and `*failed_index` (if not NULL)
/// receives the index of the record that failed: the first invalid one
/// (`SWAPWIRE_INVALID_VALUE`, with `*detail`), or the first that does not fit in `buf_len`
/// bytes (`SWAPWIRE_BUFFER_TOO_SMALL`), so a caller filling frames knows where to split.
/// Host builds only.
///
/// # Safety
/// `records` is NULL or valid for `count` structs; `buf` is NULL or writable for `buf_len`
/// bytes; `written`, `failed_index` and `detail` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn swapwire_records_encode(
    records: *const swapwire_record,
    count: usize,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
    failed_index: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    run(detail, || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
        let (records, out, written, failed_index) = unsafe {
            (
                input_slice(records, count)?,
                OutBytes::new(buf, buf_len)?,
                Out::new(written)?,
                MaybeOut::new(failed_index),
            )
        };
        let mut bytes = Vec::new();
        for (i, r) in records.iter().enumerate() {
            let (scratch, n) = r.to_core().and_then(|r| encode_core(&r)).map_err(|e| at_index(&failed_index, i, e))?;
            if bytes.len() + n > out.len() {
                return Err(at_index(&failed_index, i, SWAPWIRE_BUFFER_TOO_SMALL));
            }
            bytes.extend_from_slice(scratch.get(..n).unwrap_or(&[]));
        }
        written.set(out.write_all(&[&bytes])?);
        Ok(())
    })
}

/// Decodes records from the start of `bytes[0..len]` into `out[0..out_cap]` until the input
/// ends or the array is full, storing how many it decoded in `*count` and how many bytes they
/// took in `*used`; when `*used < len`, call again from `bytes + *used` for the rest.
///
/// On failure nothing is written to `out`, `*count` or `*used`, and `*failed_index` (if not
/// NULL) receives the index, counted from this call's first record, of the record that failed
/// to decode. Host builds only.
///
/// # Safety
/// `bytes` is NULL or valid for `len` bytes; `out` is NULL or writable for `out_cap` structs
/// and does not overlap `bytes`; `count`, `used`, `failed_index` and `detail` are NULL or
/// writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // each buffer with its length, each result its own out-param
pub unsafe extern "C" fn swapwire_records_decode(
    bytes: *const u8,
    len: usize,
    out: *mut swapwire_record,
    out_cap: usize,
    count: *mut usize,
    used: *mut usize,
    failed_index: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    run(detail, || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
        let (bytes, out, count, used, failed_index) = unsafe {
            let bytes = input_bytes(bytes, len)?;
            (bytes, OutSlice::new(out, out_cap)?, Out::new(count)?, Out::new(used)?, MaybeOut::new(failed_index))
        };
        // Two passes instead of a staging vector of C structs: the first checks every record
        // and finds where the call stops, writing nothing; the second decodes again straight
        // into the caller's array. Decoding is cheaper than growing and copying the vector.
        let mut record = Record::blank_of(Kind::Exchange);
        let (mut n, mut at) = (0, 0);
        while at < bytes.len() && n < out.cap() {
            at += Record::decode_prefix_into(bytes.get(at..).unwrap_or(&[]), &mut record)
                .map_err(|e| at_index(&failed_index, n, e))?;
            n += 1;
        }
        let mut from = 0;
        for i in 0..n {
            // The first pass read these bytes as valid records, so this cannot fail.
            if let Ok(len) = Record::decode_prefix_into(bytes.get(from..).unwrap_or(&[]), &mut record) {
                out.fill(i, |c| c.fill_from(&record));
                from += len;
            }
        }
        count.set(n);
        used.set(at);
        Ok(())
    })
}
