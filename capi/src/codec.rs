//! Encode, decode, validate and size one record, per kind and for any record.
//!
//! Each kind has the same five functions; the exported ones are thin so that cbindgen (which
//! does not expand macros) sees each signature, and they share one generic body each.

use swapwire::Codec;
#[cfg(not(target_os = "none"))]
use swapwire::RECORD_MAX_SIZE;

use crate::boundary::{input, input_bytes, run, Out, OutBytes, ZeroValid};
use crate::convert::CRecord;
use crate::status::{swapwire_error_detail, swapwire_status};
use crate::types::{swapwire_count, swapwire_exchange, swapwire_record, swapwire_source};

/// Encodes a checked core value into a stack buffer as large as any record (host-only batch
/// functions).
#[cfg(not(target_os = "none"))]
pub(crate) fn encode_core<T: Codec>(value: &T) -> Result<([u8; RECORD_MAX_SIZE], usize), swapwire::Error> {
    let mut scratch = [0u8; RECORD_MAX_SIZE];
    let n = value.encode(&mut scratch)?;
    Ok((scratch, n))
}

unsafe fn encode<T: CRecord>(
    value: *const T,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    run(detail, || {
        #[cfg_attr(not(target_os = "none"), allow(unused_mut))] // `zeroed` lends mutably
        // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
        let (value, mut out, written) = unsafe { (input(value)?, OutBytes::new(buf, buf_len)?, Out::new(written)?) };
        let mut core = value.blank_core();
        // Each field checked here, the rules across fields by `encode`: once.
        value.convert_into(&mut core)?;
        // A host's `encode` writes nothing on failure: into a local array, copied once. Bare
        // metal writes straight into the caller's buffer once the length is known to fit (a
        // valid value cannot fail to encode into a buffer of its length): no second record
        // buffer on a 512-byte stack.
        #[cfg(not(target_os = "none"))]
        {
            let mut local = [0u8; RECORD_MAX_SIZE];
            let n = core.encode(&mut local)?;
            written.set(out.write_all(&[local.get(..n).unwrap_or_default()])?);
        }
        #[cfg(target_os = "none")]
        {
            core.validate()?;
            written.set(core.encode(out.zeroed(core.encoded_len())?)?);
        }
        Ok(())
    })
}

unsafe fn decode<T: CRecord + ZeroValid>(
    bytes: *const u8,
    len: usize,
    out: *mut T,
    used: *mut usize,
    exact: bool,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    run(detail, || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
        let (bytes, out) = unsafe { (input_bytes(bytes, len)?, Out::new(out)?) };
        // SAFETY: as above; `used` is required only by the prefix decoders.
        let used = if exact { None } else { Some(unsafe { Out::new(used)? }) };
        let mut value = T::core_blank(bytes.first().copied().unwrap_or(u8::MAX));
        // One decoder for both forms, the trailing bytes checked here as `decode_into` checks
        // them (last): on a Cortex-M, the two linked side by side kept a deeper frame.
        let n = T::Core::decode_prefix_into(bytes, &mut value)?;
        if exact && n != len {
            return Err(swapwire::Error::TrailingBytes.into());
        }
        out.fill(|c| c.fill_from(&value));
        if let Some(used) = used {
            used.set(n);
        }
        Ok(())
    })
}

unsafe fn validate<T: CRecord>(value: *const T, detail: *mut swapwire_error_detail) -> swapwire_status {
    run(detail, || {
        // SAFETY: the header's contract: `value` is NULL or points to a valid struct.
        let value = unsafe { input(value)? };
        let mut core = value.blank_core();
        value.to_core_into(&mut core)?;
        Ok(())
    })
}

unsafe fn encoded_len<T: CRecord>(
    value: *const T,
    len: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    run(detail, || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type.
        let (value, len) = unsafe { (input(value)?, Out::new(len)?) };
        let mut core = value.blank_core();
        value.to_core_into(&mut core)?;
        len.set(core.encoded_len());
        Ok(())
    })
}

/// Encodes an Exchange into `buf` (at most `SWAPWIRE_EXCHANGE_MAX_SIZE` bytes) and stores the
/// number of bytes written in `*written`.
///
/// Statuses: `SWAPWIRE_OK`; `SWAPWIRE_NULL_ARGUMENT` when `value`, `buf` or `written` is
/// NULL; `SWAPWIRE_INVALID_VALUE` (and `*detail`, if `detail` is not NULL) when a field is out
/// of range or breaks a rule; `SWAPWIRE_BAD_UTF8` when a Source's `name` is not UTF-8;
/// `SWAPWIRE_UNKNOWN_KIND` (`swapwire_record_encode` only) for an unknown `kind`;
/// `SWAPWIRE_BUFFER_TOO_SMALL` when `buf_len` is shorter than the encoding
/// (`*_encoded_len` gives it); `SWAPWIRE_INTERNAL` for a bug. On failure nothing is written to
/// `buf` or `*written` (`*detail` only on `SWAPWIRE_INVALID_VALUE`).
///
/// # Safety
/// Each pointer is NULL or valid for its type (`buf` for `buf_len` bytes); `buf` overlaps no
/// other argument.
#[no_mangle]
pub unsafe extern "C" fn swapwire_exchange_encode(
    value: *const swapwire_exchange,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `encode`'s.
    unsafe { encode(value, buf, buf_len, written, detail) }
}

/// Decodes an Exchange that fills `bytes[0..len]` exactly into `*out`.
///
/// Statuses: `SWAPWIRE_OK`; `SWAPWIRE_NULL_ARGUMENT` when `bytes` (even with `len` 0) or `out`
/// is NULL; `SWAPWIRE_TRUNCATED` when the bytes end before the record does (`len` 0
/// included); `SWAPWIRE_TRAILING_BYTES` when bytes follow a complete, valid record (use
/// `swapwire_exchange_decode_prefix` to read several records from one buffer);
/// `SWAPWIRE_BAD_VARINT` for a varint longer than its type allows; `SWAPWIRE_INVALID_VALUE`
/// (and `*detail`) for a code or value the format does not allow or a broken rule;
/// `SWAPWIRE_NON_CANONICAL` for a valid record in other than its one canonical encoding (a
/// record that is both invalid and non-canonical reports `SWAPWIRE_INVALID_VALUE`);
/// `SWAPWIRE_BAD_UTF8` (Sources, and records holding one) for a name that is not UTF-8;
/// `SWAPWIRE_UNKNOWN_KIND` (`swapwire_record_decode*` only) for an unknown kind byte;
/// `SWAPWIRE_INVALID_ARGUMENT` for a `len` over `PTRDIFF_MAX`; `SWAPWIRE_INTERNAL` for a bug.
/// `*out` is written only on success, `*detail` only on `SWAPWIRE_INVALID_VALUE`.
///
/// # Safety
/// `bytes` is NULL or valid for `len` bytes; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn swapwire_exchange_decode(
    bytes: *const u8,
    len: usize,
    out: *mut swapwire_exchange,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `decode`'s.
    unsafe { decode(bytes, len, out, core::ptr::null_mut(), true, detail) }
}

/// Decodes one Exchange from the start of `bytes[0..len]` into `*out` and stores the number of
/// bytes it took in `*used`, so that the next record starts at `bytes + *used`.
///
/// Statuses: as `swapwire_exchange_decode`, except that bytes after the record are no error
/// (never `SWAPWIRE_TRAILING_BYTES`), and `used` NULL is `SWAPWIRE_NULL_ARGUMENT`. `*out` and
/// `*used` are written only on success, `*detail` only on `SWAPWIRE_INVALID_VALUE`.
///
/// # Safety
/// `bytes` is NULL or valid for `len` bytes; `out` and `used` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn swapwire_exchange_decode_prefix(
    bytes: *const u8,
    len: usize,
    out: *mut swapwire_exchange,
    used: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `decode`'s.
    unsafe { decode(bytes, len, out, used, false, detail) }
}

/// Checks every field and rule of an Exchange without encoding it.
///
/// Statuses: `SWAPWIRE_OK` when `swapwire_exchange_encode` would accept it;
/// `SWAPWIRE_NULL_ARGUMENT` when `value` is NULL; `SWAPWIRE_INVALID_VALUE` (and `*detail`, if
/// not NULL) naming the first field found out of range or breaking a rule; `SWAPWIRE_BAD_UTF8`
/// (Sources, and records holding one) for a `name` that is not UTF-8; `SWAPWIRE_UNKNOWN_KIND`
/// (`swapwire_record_validate` only) for an unknown `kind`; `SWAPWIRE_INTERNAL` for a bug.
/// `*detail` is written only on `SWAPWIRE_INVALID_VALUE`.
///
/// # Safety
/// `value` is NULL or points to a valid struct; `detail` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn swapwire_exchange_validate(
    value: *const swapwire_exchange,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `validate`'s.
    unsafe { validate(value, detail) }
}

/// Stores in `*len` the exact number of bytes `swapwire_exchange_encode` writes for `*value`.
///
/// Statuses: `SWAPWIRE_OK`; `SWAPWIRE_NULL_ARGUMENT` when `value` or `len` is NULL; otherwise
/// those of `swapwire_exchange_validate` for an invalid value (`SWAPWIRE_INVALID_VALUE` with
/// `*detail`, `SWAPWIRE_BAD_UTF8`, `SWAPWIRE_UNKNOWN_KIND`); `SWAPWIRE_INTERNAL` for a bug.
/// Never `SWAPWIRE_BUFFER_TOO_SMALL`: there is no buffer. `*len` is written only on success,
/// `*detail` only on `SWAPWIRE_INVALID_VALUE`.
///
/// # Safety
/// `value` is NULL or points to a valid struct; `len` and `detail` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn swapwire_exchange_encoded_len(
    value: *const swapwire_exchange,
    len: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `encoded_len`'s.
    unsafe { encoded_len(value, len, detail) }
}

/// Encodes a Count into `buf` (at most `SWAPWIRE_COUNT_MAX_SIZE` bytes); as
/// `swapwire_exchange_encode`.
///
/// # Safety
/// As `swapwire_exchange_encode`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_count_encode(
    value: *const swapwire_count,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `encode`'s.
    unsafe { encode(value, buf, buf_len, written, detail) }
}

/// Decodes a Count that fills `bytes[0..len]` exactly; as `swapwire_exchange_decode`.
///
/// # Safety
/// As `swapwire_exchange_decode`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_count_decode(
    bytes: *const u8,
    len: usize,
    out: *mut swapwire_count,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `decode`'s.
    unsafe { decode(bytes, len, out, core::ptr::null_mut(), true, detail) }
}

/// Decodes one Count from the start of `bytes`; as `swapwire_exchange_decode_prefix`.
///
/// # Safety
/// As `swapwire_exchange_decode_prefix`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_count_decode_prefix(
    bytes: *const u8,
    len: usize,
    out: *mut swapwire_count,
    used: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `decode`'s.
    unsafe { decode(bytes, len, out, used, false, detail) }
}

/// Checks every field and rule of a Count; as `swapwire_exchange_validate`.
///
/// # Safety
/// As `swapwire_exchange_validate`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_count_validate(
    value: *const swapwire_count,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `validate`'s.
    unsafe { validate(value, detail) }
}

/// The exact encoded size of a Count; as `swapwire_exchange_encoded_len`.
///
/// # Safety
/// As `swapwire_exchange_encoded_len`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_count_encoded_len(
    value: *const swapwire_count,
    len: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `encoded_len`'s.
    unsafe { encoded_len(value, len, detail) }
}

/// Encodes a Source into `buf` (at most `SWAPWIRE_SOURCE_MAX_SIZE` bytes); as
/// `swapwire_exchange_encode`.
///
/// # Safety
/// As `swapwire_exchange_encode`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_source_encode(
    value: *const swapwire_source,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `encode`'s.
    unsafe { encode(value, buf, buf_len, written, detail) }
}

/// Decodes a Source that fills `bytes[0..len]` exactly; as `swapwire_exchange_decode`.
///
/// # Safety
/// As `swapwire_exchange_decode`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_source_decode(
    bytes: *const u8,
    len: usize,
    out: *mut swapwire_source,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `decode`'s.
    unsafe { decode(bytes, len, out, core::ptr::null_mut(), true, detail) }
}

/// Decodes one Source from the start of `bytes`; as `swapwire_exchange_decode_prefix`.
///
/// # Safety
/// As `swapwire_exchange_decode_prefix`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_source_decode_prefix(
    bytes: *const u8,
    len: usize,
    out: *mut swapwire_source,
    used: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `decode`'s.
    unsafe { decode(bytes, len, out, used, false, detail) }
}

/// Checks every field and rule of a Source; as `swapwire_exchange_validate`.
///
/// # Safety
/// As `swapwire_exchange_validate`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_source_validate(
    value: *const swapwire_source,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `validate`'s.
    unsafe { validate(value, detail) }
}

/// The exact encoded size of a Source; as `swapwire_exchange_encoded_len`.
///
/// # Safety
/// As `swapwire_exchange_encoded_len`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_source_encoded_len(
    value: *const swapwire_source,
    len: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `encoded_len`'s.
    unsafe { encoded_len(value, len, detail) }
}

/// Encodes any record, kind byte first, into `buf` (at most `SWAPWIRE_RECORD_MAX_SIZE` bytes);
/// as `swapwire_exchange_encode`, and `SWAPWIRE_UNKNOWN_KIND` for an unknown `kind`. These are
/// the bytes of mixed streams and of the golden vectors.
///
/// # Safety
/// As `swapwire_exchange_encode`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_record_encode(
    value: *const swapwire_record,
    buf: *mut u8,
    buf_len: usize,
    written: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `encode`'s.
    unsafe { encode(value, buf, buf_len, written, detail) }
}

/// Decodes any record that fills `bytes[0..len]` exactly; as `swapwire_exchange_decode`.
///
/// # Safety
/// As `swapwire_exchange_decode`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_record_decode(
    bytes: *const u8,
    len: usize,
    out: *mut swapwire_record,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `decode`'s.
    unsafe { decode(bytes, len, out, core::ptr::null_mut(), true, detail) }
}

/// Decodes one record of any kind from the start of `bytes`, so a loop reads a mixed stream;
/// as `swapwire_exchange_decode_prefix`.
///
/// # Safety
/// As `swapwire_exchange_decode_prefix`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_record_decode_prefix(
    bytes: *const u8,
    len: usize,
    out: *mut swapwire_record,
    used: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `decode`'s.
    unsafe { decode(bytes, len, out, used, false, detail) }
}

/// Checks every field and rule of any record; as `swapwire_exchange_validate`.
///
/// # Safety
/// As `swapwire_exchange_validate`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_record_validate(
    value: *const swapwire_record,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `validate`'s.
    unsafe { validate(value, detail) }
}

/// The exact encoded size of any record, kind byte included; as
/// `swapwire_exchange_encoded_len`.
///
/// # Safety
/// As `swapwire_exchange_encoded_len`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_record_encoded_len(
    value: *const swapwire_record,
    len: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the caller upholds this function's contract, which is `encoded_len`'s.
    unsafe { encoded_len(value, len, detail) }
}
