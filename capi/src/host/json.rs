//! JSON to and from a record, in exactly the form of the Rust `swapwire::json` module (and of
//! the golden vectors' `.json` files), into caller buffers.

use core::ffi::c_char;

use swapwire::{json, Record};

use crate::boundary::{input, input_bytes, run, write_optional, Failure, Out, OutBytes};
use crate::convert::CRecord;
use crate::status::{swapwire_error_detail, swapwire_status, SWAPWIRE_BAD_JSON, SWAPWIRE_INVALID_ARGUMENT};
use crate::types::swapwire_record;

/// Flag for `swapwire_record_to_json`: indent the JSON over several lines (as the golden
/// vectors are) instead of writing it on one line.
pub const SWAPWIRE_JSON_PRETTY: u32 = 1;

/// Copies as much of `text` as fits, cut at a character boundary, and a NUL, into an optional
/// message buffer.
///
/// # Safety
/// `message` is NULL or writable for `message_len` bytes.
unsafe fn write_message(message: *mut c_char, message_len: usize, text: &str) {
    if message.is_null() || message_len == 0 {
        return;
    }
    let mut end = text.len().min(message_len - 1);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let bytes = text.as_bytes().get(..end).unwrap_or(&[]);
    // SAFETY: `end + 1 <= message_len` bytes go to a buffer the caller says is that long.
    unsafe {
        core::ptr::copy_nonoverlapping(bytes.as_ptr(), message.cast::<u8>(), end);
        write_optional(message.add(end), 0);
    }
}

/// Reads one record of any kind from JSON text (`json_len` bytes of UTF-8; no NUL needed) and
/// stores it in `*out`.
///
/// The form is the Rust `swapwire::json` one: `{"record": "count", "origin": 1, ...}` with
/// quantities as `"150"`, `">16000"`, `"150-189"`, dates as `"2025-02-05"`. When the text is
/// not a valid record, returns `SWAPWIRE_BAD_JSON` and, if `message` is not NULL, copies a
/// NUL-terminated explanation that names the field (`to_a: invalid quantity "150 POWs": ...`)
/// into `message`, cut to `message_len` bytes. Host builds only.
///
/// # Safety
/// `json` is NULL or valid for `json_len` bytes; `out` is NULL or writable; `message` is NULL
/// or writable for `message_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn swapwire_record_from_json(
    json: *const c_char,
    json_len: usize,
    out: *mut swapwire_record,
    message: *mut c_char,
    message_len: usize,
) -> swapwire_status {
    let mut error_text = None;
    let status = run(core::ptr::null_mut(), || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
        let (text, out) = unsafe { (input_bytes(json.cast::<u8>(), json_len)?, Out::new(out)?) };
        let parsed = core::str::from_utf8(text)
            .map_err(|e| format!("JSON text is not UTF-8: {e}"))
            .and_then(|text| json::from_str::<Record>(text).map_err(|e| e.to_string()));
        match parsed {
            Ok(record) => {
                out.set(swapwire_record::from_core(&record));
                Ok(())
            }
            Err(text) => {
                error_text = Some(text);
                Err(SWAPWIRE_BAD_JSON.into())
            }
        }
    });
    if let Some(text) = error_text {
        // SAFETY: the header's contract for `message`.
        unsafe { write_message(message, message_len, &text) };
    }
    status
}

/// Writes `*value` as JSON text into `out`, followed by a NUL, and stores the text's length
/// (without the NUL) in `*written`.
///
/// `flags` is 0 for one line or `SWAPWIRE_JSON_PRETTY`; other bits give
/// `SWAPWIRE_INVALID_ARGUMENT`. The record is validated first, as by the encoder. Fails with
/// `SWAPWIRE_BUFFER_TOO_SMALL`, writing nothing, when the text and its NUL do not fit in
/// `out_len` bytes. Host builds only.
///
/// # Safety
/// `value` is NULL or valid; `out` is NULL or writable for `out_len` bytes; `written` and
/// `detail` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn swapwire_record_to_json(
    value: *const swapwire_record,
    flags: u32,
    out: *mut c_char,
    out_len: usize,
    written: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    run(detail, || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
        let (value, out, written) =
            unsafe { (input(value)?, OutBytes::new(out.cast::<u8>(), out_len)?, Out::new(written)?) };
        if flags & !SWAPWIRE_JSON_PRETTY != 0 {
            return Err(SWAPWIRE_INVALID_ARGUMENT.into());
        }
        let record = value.to_core()?;
        let text =
            if flags & SWAPWIRE_JSON_PRETTY != 0 { json::to_string_pretty(&record) } else { json::to_string(&record) }
                // Serialising a valid record cannot fail; if it ever did, it is a bug.
                .map_err(|_| Failure::from(crate::status::SWAPWIRE_INTERNAL))?;
        out.write_all(&[text.as_bytes(), &[0]])?;
        written.set(text.len());
        Ok(())
    })
}
