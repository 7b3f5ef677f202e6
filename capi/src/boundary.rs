//! The edge between C and Rust: the panic boundary, and the only places that turn C pointers
//! into Rust values or write through them.
//!
//! Inputs become references only after a NULL check. Outputs are written only at the very end,
//! after every check has passed, so a failed call writes nothing; and they become references
//! only once zero-filled (a C buffer may be uninitialised), for the record structs, which are
//! filled in place ([`Out::fill`]) rather than built aside and copied, to keep the stack small.

use core::ptr;

use swapwire::Error;

use crate::status::{from_error, swapwire_error_detail, swapwire_status, SWAPWIRE_NULL_ARGUMENT, SWAPWIRE_OK};

/// Why a call failed: its status and, for an invalid value, which field and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Failure {
    pub status: swapwire_status,
    pub detail: Option<swapwire_error_detail>,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let (status, detail) = from_error(e);
        Failure { status, detail }
    }
}

impl From<swapwire_status> for Failure {
    fn from(status: swapwire_status) -> Self {
        Failure { status, detail: None }
    }
}

/// Runs the body of an exported function behind the panic boundary and reports its outcome:
/// the status, and on an invalid value the detail, if the caller asked for it.
pub(crate) fn run(detail: *mut swapwire_error_detail, body: impl FnOnce() -> Result<(), Failure>) -> swapwire_status {
    guard(|| match body() {
        Ok(()) => SWAPWIRE_OK,
        Err(failure) => {
            if let Some(d) = failure.detail {
                // SAFETY: `detail` is NULL or points to a writable `swapwire_error_detail`, as the
                // header asks of every caller.
                unsafe { write_optional(detail, d) };
            }
            failure.status
        }
    })
}

/// Catches a panic (a bug: the core returns errors for every input) before it reaches C.
#[cfg(not(target_os = "none"))]
pub(crate) fn guard(body: impl FnOnce() -> swapwire_status) -> swapwire_status {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).unwrap_or(crate::status::SWAPWIRE_INTERNAL)
}

/// Bare-metal targets abort on panic; there is nothing to catch.
#[cfg(target_os = "none")]
pub(crate) fn guard(body: impl FnOnce() -> swapwire_status) -> swapwire_status {
    body()
}

/// A required input struct.
///
/// # Safety
/// `p` is NULL or points to a valid, initialised `T` that outlives the call.
pub(crate) unsafe fn input<'a, T>(p: *const T) -> Result<&'a T, Failure> {
    // SAFETY: per the contract, non-NULL means valid for reads of a `T`.
    unsafe { p.as_ref() }.ok_or(Failure::from(SWAPWIRE_NULL_ARGUMENT))
}

/// A required input byte buffer.
///
/// # Safety
/// `p` is NULL or points to `len` initialised bytes that outlive the call.
pub(crate) unsafe fn input_bytes<'a>(p: *const u8, len: usize) -> Result<&'a [u8], Failure> {
    if p.is_null() {
        return Err(SWAPWIRE_NULL_ARGUMENT.into());
    }
    fits_address_space::<u8>(len)?;
    // SAFETY: non-NULL, and per the contract valid for `len` bytes of reads.
    Ok(unsafe { core::slice::from_raw_parts(p, len) })
}

/// A required input array of `len` structs.
///
/// # Safety
/// `p` is NULL or points to `len` valid, initialised `T`s that outlive the call.
pub(crate) unsafe fn input_slice<'a, T>(p: *const T, len: usize) -> Result<&'a [T], Failure> {
    if p.is_null() {
        return Err(SWAPWIRE_NULL_ARGUMENT.into());
    }
    fits_address_space::<T>(len)?;
    // SAFETY: non-NULL, valid for `len` elements per the contract, and no larger than a Rust
    // slice may be.
    Ok(unsafe { core::slice::from_raw_parts(p, len) })
}

/// A count of `T`s no array in memory can hold is a caller's mistake, not a reason for UB.
fn fits_address_space<T>(len: usize) -> Result<(), Failure> {
    match len.checked_mul(core::mem::size_of::<T>()) {
        Some(bytes) if bytes <= isize::MAX as usize => Ok(()),
        _ => Err(crate::status::SWAPWIRE_INVALID_ARGUMENT.into()),
    }
}

/// A required output array of `cap` structs, written only by [`OutSlice::fill`].
pub(crate) struct OutSlice<T> {
    ptr: *mut T,
    cap: usize,
}

impl<T: Copy> OutSlice<T> {
    /// # Safety
    /// `p` is NULL or points to `cap` `T`s' worth of writable memory that no input overlaps.
    pub(crate) unsafe fn new(p: *mut T, cap: usize) -> Result<Self, Failure> {
        if p.is_null() {
            return Err(SWAPWIRE_NULL_ARGUMENT.into());
        }
        fits_address_space::<T>(cap)?;
        Ok(OutSlice { ptr: p, cap })
    }

    /// Where the array starts, for overlap checks.
    pub(crate) fn as_ptr(&self) -> *const T {
        self.ptr
    }

    /// The array's capacity.
    pub(crate) fn cap(&self) -> usize {
        self.cap
    }

    /// Zero-fills element `i` and lets `f` fill it in place, or does nothing past the end;
    /// called only once the call has succeeded.
    pub(crate) fn fill(&self, i: usize, f: impl FnOnce(&mut T))
    where
        T: ZeroValid,
    {
        if i < self.cap {
            // SAFETY: `i < cap`, so the element lies in the caller's array (see `new`), which
            // no input overlaps.
            unsafe { fill_in_place(self.ptr.add(i), f) }
        }
    }
}

/// C structs of plain integers and arrays of them, for which all-zero bytes are a valid value,
/// as C's `= {0}` makes them.
///
/// # Safety
/// Implement only for `#[repr(C)]` types whose fields (and union members) are all integers or
/// arrays and structs of them.
pub(crate) unsafe trait ZeroValid {}

// SAFETY: each is `#[repr(C)]` of integers and arrays and structs of them (see `types.rs`).
unsafe impl ZeroValid for crate::types::swapwire_record {}
// SAFETY: as above.
unsafe impl ZeroValid for crate::types::swapwire_exchange {}
// SAFETY: as above.
unsafe impl ZeroValid for crate::types::swapwire_count {}
// SAFETY: as above.
unsafe impl ZeroValid for crate::types::swapwire_source {}

/// Zero-fills `*p` and lets `f` fill it in place.
///
/// # Safety
/// `p` is non-NULL, aligned and writable as a `T`, and no reference of the call points into it.
unsafe fn fill_in_place<T: ZeroValid>(p: *mut T, f: impl FnOnce(&mut T)) {
    // SAFETY: writable per the contract; zero bytes are a valid `T` (`ZeroValid`), so after
    // this `*p` is initialised and a unique reference to it is sound.
    unsafe {
        ptr::write_bytes(p, 0, 1);
        f(&mut *p);
    }
}

/// A required out-param, checked for NULL up front and written only by [`Out::set`] or
/// [`Out::fill`].
pub(crate) struct Out<T>(*mut T);

impl<T> Out<T> {
    /// Where the result goes, for overlap checks.
    pub(crate) fn as_ptr(&self) -> *const T {
        self.0
    }
}

impl<T: ZeroValid> Out<T> {
    /// Zero-fills the result and lets `f` fill it in place; called only once the call has
    /// succeeded, with a filler that cannot fail.
    pub(crate) fn fill(self, f: impl FnOnce(&mut T)) {
        // SAFETY: non-NULL and writable, per `new`'s contract; an out-param overlaps no input.
        unsafe { fill_in_place(self.0, f) }
    }
}

impl<T> Out<T> {
    /// # Safety
    /// `p` is NULL or points to memory writable as a `T`.
    pub(crate) unsafe fn new(p: *mut T) -> Result<Self, Failure> {
        if p.is_null() {
            Err(SWAPWIRE_NULL_ARGUMENT.into())
        } else {
            Ok(Out(p))
        }
    }

    /// Writes the result; called only once the call has succeeded.
    pub(crate) fn set(self, value: T) {
        // SAFETY: non-NULL and writable, per `new`'s contract; `ptr::write` reads nothing there,
        // so the old contents may be uninitialised.
        unsafe { ptr::write(self.0, value) }
    }
}

/// A required output byte buffer: a pointer and its length.
pub(crate) struct OutBytes {
    ptr: *mut u8,
    len: usize,
}

impl OutBytes {
    /// # Safety
    /// `p` is NULL or points to `len` writable bytes that no input of the call overlaps.
    pub(crate) unsafe fn new(p: *mut u8, len: usize) -> Result<Self, Failure> {
        if p.is_null() {
            Err(SWAPWIRE_NULL_ARGUMENT.into())
        } else {
            Ok(OutBytes { ptr: p, len })
        }
    }

    /// The buffer's length.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Where the buffer starts, for overlap checks.
    pub(crate) fn as_ptr(&self) -> *const u8 {
        self.ptr
    }

    /// Zero-fills the first `len` bytes and lends them as a slice: for writers that cannot
    /// fail once the length is known, so that a failed call still writes nothing.
    /// `BUFFER_TOO_SMALL` (and nothing written) when `len` is over the buffer's length.
    pub(crate) fn zeroed(&mut self, len: usize) -> Result<&mut [u8], Failure> {
        if len > self.len {
            return Err(crate::status::SWAPWIRE_BUFFER_TOO_SMALL.into());
        }
        // SAFETY: `len <= self.len` bytes of the caller's buffer, which no Rust value aliases
        // (see `new`) and which `&mut self` lends once at a time; zero-filled first, so the
        // slice holds initialised bytes.
        unsafe {
            ptr::write_bytes(self.ptr, 0, len);
            Ok(core::slice::from_raw_parts_mut(self.ptr, len))
        }
    }

    /// Copies `parts` one after another to the start of the buffer, or writes nothing if they
    /// do not all fit.
    #[cfg(not(target_os = "none"))] // the host-only calls use it
    pub(crate) fn write_all(&self, parts: &[&[u8]]) -> Result<usize, Failure> {
        let total = parts.iter().map(|p| p.len()).sum();
        if total > self.len {
            return Err(crate::status::SWAPWIRE_BUFFER_TOO_SMALL.into());
        }
        let mut at = 0;
        for p in parts {
            // SAFETY: `at + p.len() <= total <= self.len`, so the destination lies in the
            // caller's buffer, which no Rust value aliases (see `new`).
            unsafe { ptr::copy_nonoverlapping(p.as_ptr(), self.ptr.add(at), p.len()) };
            at += p.len();
        }
        Ok(total)
    }
}

/// An optional out-param (NULL means the caller does not want it), written by [`MaybeOut::set`].
pub(crate) struct MaybeOut<T>(*mut T);

impl<T> MaybeOut<T> {
    /// # Safety
    /// `p` is NULL or points to memory writable as a `T` for the whole call.
    pub(crate) unsafe fn new(p: *mut T) -> Self {
        MaybeOut(p)
    }

    /// Writes the value if the caller asked for it.
    pub(crate) fn set(&self, value: T) {
        // SAFETY: NULL or writable, per `new`'s contract.
        unsafe { write_optional(self.0, value) }
    }
}

/// Reports which record of an array a failure belongs to, through the optional `failed_index`
/// out-param of the batch and frame functions.
pub(crate) fn at_index(failed_index: &MaybeOut<usize>, index: usize, failure: impl Into<Failure>) -> Failure {
    failed_index.set(index);
    failure.into()
}

/// Writes an optional out-param.
///
/// # Safety
/// `p` is NULL or points to memory writable as a `T`.
pub(crate) unsafe fn write_optional<T>(p: *mut T, value: T) {
    if !p.is_null() {
        // SAFETY: non-NULL and writable per the contract.
        unsafe { ptr::write(p, value) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{SWAPWIRE_INTERNAL, SWAPWIRE_INVALID_VALUE};
    use swapwire::{Field, Reason};

    #[test]
    fn a_panic_becomes_internal_and_writes_nothing() {
        let mut detail = swapwire_error_detail { field: 7, reason: 7 };
        let status = run(&mut detail, || -> Result<(), Failure> { panic!("a bug in a body") });
        assert_eq!(status, SWAPWIRE_INTERNAL);
        assert_eq!(detail, swapwire_error_detail { field: 7, reason: 7 });
    }

    #[test]
    fn detail_is_written_for_invalid_values_only() {
        let mut detail = swapwire_error_detail::default();
        let invalid = Error::Invalid(Field::Holder, Reason::UnknownCountry);
        assert_eq!(run(&mut detail, || Err(invalid.into())), SWAPWIRE_INVALID_VALUE);
        assert_eq!(detail, swapwire_error_detail { field: Field::Holder as u8, reason: Reason::UnknownCountry as u8 });
        let mut untouched = swapwire_error_detail { field: 9, reason: 9 };
        assert_eq!(run(&mut untouched, || Err(Error::Truncated.into())), crate::status::SWAPWIRE_TRUNCATED);
        assert_eq!(run(&mut untouched, || Ok(())), SWAPWIRE_OK);
        assert_eq!(untouched, swapwire_error_detail { field: 9, reason: 9 });
        assert_eq!(run(core::ptr::null_mut(), || Err(invalid.into())), SWAPWIRE_INVALID_VALUE);
    }

    #[test]
    fn counts_no_array_can_hold_are_refused() {
        assert!(fits_address_space::<u8>(isize::MAX as usize).is_ok());
        assert!(fits_address_space::<u8>(isize::MAX as usize + 1).is_err());
        assert!(fits_address_space::<u32>(usize::MAX / 2).is_err());
    }
}
