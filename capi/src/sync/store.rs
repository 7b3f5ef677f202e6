//! A record store in memory the caller owns: a `swapwire_store` handle over an array of
//! `swapwire_slot`s, each slot one record.
//!
//! ```c
//! static swapwire_slot slots[64];
//! static swapwire_store store;
//! swapwire_store_init(&store, slots, 64);
//! swapwire_store_merge(&store, &record, NULL, &detail);
//! ```
//!
//! The slots hold Rust values: `swapwire_store_init` writes an empty record into every slot
//! before any is read, and from then on only these functions may touch them.

use core::mem::{align_of, size_of};

use swapwire::store::{Applied, Key, Merged, Slot, SlotSlice, SlotView, Store};
use swapwire::{Record, RecordId};

use crate::boundary::{input, input_bytes, run, Failure, MaybeOut, Out};
use crate::convert::CRecord;
use crate::status::{
    swapwire_error_detail, swapwire_status, SWAPWIRE_INVALID_ARGUMENT, SWAPWIRE_NOT_FOUND, SWAPWIRE_NULL_ARGUMENT,
};
use crate::types::swapwire_record;

/// The bytes one `swapwire_slot` takes: `slots[n]` costs `n * SWAPWIRE_SLOT_SIZE` bytes of RAM.
pub const SWAPWIRE_SLOT_SIZE: usize = 212;

/// Merge result code: the record's key was new to the store.
pub const SWAPWIRE_MERGED_INSERTED: u8 = 1;
/// Merge result code: the record superseded the one held (a higher revision, or at an equal
/// revision the greater encoding).
pub const SWAPWIRE_MERGED_REPLACED: u8 = 2;
/// Merge result code: nothing changed. The store already held this record, a higher revision
/// of its key, or at the same revision a different record of its key with a greater
/// encoding. An origin numbers its Exchanges and Counts in one sequence: an Exchange and a
/// Count with the same `origin`/`seq` are one key, so an Exchange merged over a Count of the
/// same key and revision returns KEPT and the store keeps the Count (a record's encoding
/// starts with its kind, and a Count's is the greater); the Count merged over the Exchange
/// replaces it. Summaries claim only keys and revisions, so such a collision is never
/// resolved between stores: never issue two records under one key and revision.
pub const SWAPWIRE_MERGED_KEPT: u8 = 3;

/// Room for one record of a store. Opaque: declare arrays of it and hand them to
/// `swapwire_store_init`; never read or write one directly.
#[repr(C)]
pub struct swapwire_slot {
    /// Storage for the library's record; 4-byte aligned.
    _opaque: [u32; 53],
}

// The core's slot is exactly a `swapwire_slot` on every target this crate builds for: the
// library indexes the caller's array as `[Slot]`, so the strides must agree (a smaller `Slot`
// once made every slot after the first land in the wrong place).
const _: () = assert!(size_of::<Slot>() == size_of::<swapwire_slot>());
const _: () = assert!(align_of::<Slot>() <= align_of::<swapwire_slot>());
const _: () = assert!(size_of::<swapwire_slot>() == SWAPWIRE_SLOT_SIZE);

/// Marks a `swapwire_store` that `swapwire_store_init` set up ("SWST").
const STORE_MAGIC: u32 = 0x5357_5354;

/// A store of records over caller-provided slots; fill it with `swapwire_store_init`.
/// Opaque: its fields are the library's.
///
/// Records are kept in key order (sources by key, then reports by origin and seq), one per
/// key: the higher revision wins, equal revisions resolve to the greater encoding, and a
/// retraction is a revision like any other, so stores that saw the same records hold the same
/// records whatever the order. A full store refuses a new key with `SWAPWIRE_STORE_FULL` and
/// stays as it was.
#[repr(C)]
pub struct swapwire_store {
    /// The caller's slots.
    slots: *mut swapwire_slot,
    /// How many slots.
    capacity: usize,
    /// `STORE_MAGIC` once initialised.
    magic: u32,
}

/// How many records of a frame went in, and how: as `SWAPWIRE_MERGED_*` says of one record.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct swapwire_applied {
    /// Records whose keys were new.
    pub inserted: usize,
    /// Records that superseded the ones held.
    pub replaced: usize,
    /// Records that changed nothing (`SWAPWIRE_MERGED_KEPT`): held already, held newer, or
    /// losing the tie-break to a different record of the same key and revision.
    pub kept: usize,
}

impl swapwire_store {
    /// The slots, checked to be ones `swapwire_store_init` set up.
    fn slots(&self) -> Result<(*mut Slot, usize), Failure> {
        if self.magic != STORE_MAGIC || self.slots.is_null() {
            return Err(SWAPWIRE_INVALID_ARGUMENT.into());
        }
        Ok((self.slots.cast::<Slot>(), self.capacity))
    }
}

/// Runs `f` on the store `p` may change.
///
/// # Safety
/// `p` is NULL or points to a `swapwire_store` that `swapwire_store_init` set up (or to any
/// other initialised bytes, which the magic number refuses), whose slots nothing else uses
/// during the call.
pub(crate) unsafe fn with_store<R>(
    p: *mut swapwire_store,
    f: impl FnOnce(&mut Store<SlotSlice<'_>>) -> Result<R, Failure>,
) -> Result<R, Failure> {
    // SAFETY: per the contract, non-NULL means a valid handle.
    let (slots, capacity) = unsafe { p.as_ref() }.ok_or(Failure::from(SWAPWIRE_NULL_ARGUMENT))?.slots()?;
    // SAFETY: init wrote a valid `Slot` into each of the `capacity` slots (same size and
    // alignment checked above), and the caller lends them to this call alone.
    let slots = unsafe { core::slice::from_raw_parts_mut(slots, capacity) };
    f(&mut Store::in_slots(slots))
}

/// Runs `f` on the store `p` only reads.
///
/// # Safety
/// As [`with_store`], except that other readers may use the slots at the same time.
pub(crate) unsafe fn view_store<R>(
    p: *const swapwire_store,
    f: impl FnOnce(&Store<SlotView<'_>>) -> Result<R, Failure>,
) -> Result<R, Failure> {
    // SAFETY: per the contract, non-NULL means a valid handle.
    let (slots, capacity) = unsafe { p.as_ref() }.ok_or(Failure::from(SWAPWIRE_NULL_ARGUMENT))?.slots()?;
    // SAFETY: init wrote a valid `Slot` into each slot; nothing writes them during the call.
    let slots = unsafe { core::slice::from_raw_parts(slots.cast_const(), capacity) };
    f(&Store::view_slots(slots))
}

fn merged_code(m: Merged) -> u8 {
    match m {
        Merged::Inserted => SWAPWIRE_MERGED_INSERTED,
        Merged::Replaced => SWAPWIRE_MERGED_REPLACED,
        Merged::Kept => SWAPWIRE_MERGED_KEPT,
    }
}

/// Sets up `*store` as an empty store over `slots[0..capacity]` (`capacity * SWAPWIRE_SLOT_SIZE`
/// bytes), whatever the slots held before. Calling it again empties the store. `capacity` 0
/// is a store that refuses every record with `SWAPWIRE_STORE_FULL`.
///
/// Statuses: `SWAPWIRE_OK`; `SWAPWIRE_NULL_ARGUMENT` when `store` or `slots` is NULL (even with
/// `capacity` 0); `SWAPWIRE_INVALID_ARGUMENT` when `capacity` slots would be over
/// `PTRDIFF_MAX` bytes; `SWAPWIRE_INTERNAL` for a bug. On failure neither `*store` nor the
/// slots are written, and a store that was never initialised stays unusable: every other
/// store function refuses it with `SWAPWIRE_INVALID_ARGUMENT`.
///
/// # Safety
/// `store` is NULL or writable; `slots` is NULL or writable for `capacity` slots, and stays
/// valid, unmoved and otherwise unused for as long as the store is used.
#[no_mangle]
pub unsafe extern "C" fn swapwire_store_init(
    store: *mut swapwire_store,
    slots: *mut swapwire_slot,
    capacity: usize,
) -> swapwire_status {
    run(core::ptr::null_mut(), || {
        // SAFETY: the header's contract: NULL or writable.
        let out = unsafe { Out::new(store)? };
        if slots.is_null() {
            return Err(SWAPWIRE_NULL_ARGUMENT.into());
        }
        if capacity.checked_mul(SWAPWIRE_SLOT_SIZE).is_none_or(|bytes| bytes > isize::MAX as usize) {
            return Err(SWAPWIRE_INVALID_ARGUMENT.into());
        }
        for i in 0..capacity {
            // SAFETY: `i < capacity` slots of the caller's writable array, each large and
            // aligned enough for a `Slot`; `write` reads nothing, so they may be uninitialised.
            unsafe { core::ptr::write(slots.cast::<Slot>().add(i), Slot::EMPTY) };
        }
        out.set(swapwire_store { slots, capacity, magic: STORE_MAGIC });
        Ok(())
    })
}

/// Merges one record into the store after checking it, and stores what happened in `*merged`
/// (a `SWAPWIRE_MERGED_*` code; `merged` may be NULL).
///
/// Fails with `SWAPWIRE_INVALID_VALUE` (and `*detail`) for an invalid record and with
/// `SWAPWIRE_STORE_FULL` when the key is new and every slot is taken; the store is then
/// unchanged. `SWAPWIRE_INVALID_ARGUMENT` means `store` was never initialised.
///
/// # Safety
/// `store` is NULL or initialised by `swapwire_store_init`, and not used by another thread
/// during the call; `record` is NULL or valid; `merged` and `detail` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn swapwire_store_merge(
    store: *mut swapwire_store,
    record: *const swapwire_record,
    merged: *mut u8,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    run(detail, || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type.
        let (record, merged) = unsafe { (input(record)?, MaybeOut::new(merged)) };
        let mut core = record.blank_core();
        record.to_core_into(&mut core)?;
        // SAFETY: the header's contract for `store`.
        let m = unsafe { with_store(store, |s| Ok(s.merge_ref(&core)?))? };
        merged.set(merged_code(m));
        Ok(())
    })
}

/// Merges every record of a records frame into the store, or none: a frame that fails to read
/// (unknown version, truncated, an invalid record, trailing bytes, a summary frame) or brings
/// more new keys than the store has free slots (`SWAPWIRE_STORE_FULL`) changes nothing.
/// `*applied` (may be NULL) counts what the records did.
///
/// `frame` is a message as the link delivered it, or a frame a stream decoder yielded;
/// `link_sender` points to the origin the link attributes it to, or is NULL.
///
/// The call decodes each record into a slot on its own stack (`SWAPWIRE_SLOT_SIZE` bytes);
/// firmware with a tight stack calls `swapwire_store_apply_frame_with` and keeps that slot itself.
///
/// # Safety
/// As `swapwire_store_merge`; `frame` is NULL or valid for `len` bytes; `link_sender` is NULL
/// or readable; `applied` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn swapwire_store_apply_frame(
    store: *mut swapwire_store,
    frame: *const u8,
    len: usize,
    link_sender: *const u32,
    applied: *mut swapwire_applied,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the header's contract for `frame`, `link_sender` and `applied`, which is `apply`'s.
    unsafe {
        apply(frame, len, link_sender, applied, detail, |frame, sender| {
            // SAFETY: the header's contract for `store`.
            with_store(store, |s| Ok(s.apply_frame(frame, sender)?))
        })
    }
}

/// `swapwire_store_apply_frame`, decoding each record into `scratch`, a slot the caller keeps (a
/// `static`, say), instead of into a record on the call's stack: a record is
/// `SWAPWIRE_SLOT_SIZE` bytes, which firmware with a tight stack may rather keep elsewhere.
/// `scratch` may hold anything (the call overwrites it) but must not overlap the store's slots
/// (`SWAPWIRE_INVALID_ARGUMENT`). Its content afterwards has no meaning.
///
/// # Safety
/// As `swapwire_store_apply_frame`; `scratch` is NULL or valid for writing one `swapwire_slot`,
/// and nothing else uses it during the call.
#[no_mangle]
pub unsafe extern "C" fn swapwire_store_apply_frame_with(
    store: *mut swapwire_store,
    frame: *const u8,
    len: usize,
    link_sender: *const u32,
    scratch: *mut swapwire_slot,
    applied: *mut swapwire_applied,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    // SAFETY: the header's contract for `frame`, `link_sender` and `applied`, which is `apply`'s.
    unsafe {
        apply(frame, len, link_sender, applied, detail, |frame, sender| {
            // SAFETY: `scratch` is NULL or valid for writing one slot, and `store` NULL or a handle.
            let scratch = scratch_slot(store, scratch)?;
            // SAFETY: the header's contract for `store`; `scratch` lies outside its slots.
            with_store(store, |s| Ok(s.apply_frame_with(frame, sender, scratch.record_mut())?))
        })
    }
}

/// The two `swapwire_store_apply_frame` calls around `merge`, which applies the frame: generic,
/// so that a firmware linking one of them gets only its own path.
///
/// # Safety
/// `frame` is NULL or valid for `len` bytes; `link_sender` is NULL or readable; `applied` is
/// NULL or writable; `merge` keeps the contract of the store it works on.
unsafe fn apply(
    frame: *const u8,
    len: usize,
    link_sender: *const u32,
    applied: *mut swapwire_applied,
    detail: *mut swapwire_error_detail,
    merge: impl FnOnce(&[u8], Option<u32>) -> Result<Applied, Failure>,
) -> swapwire_status {
    run(detail, || {
        // SAFETY: the function's contract: each pointer is NULL or valid for its type and length.
        let (frame, sender, applied) =
            unsafe { (input_bytes(frame, len)?, crate::sync::link_sender(link_sender), MaybeOut::new(applied)) };
        let a = merge(frame, sender)?;
        applied.set(swapwire_applied { inserted: a.inserted, replaced: a.replaced, kept: a.kept });
        Ok(())
    })
}

/// Refuses (`SWAPWIRE_INVALID_ARGUMENT`) a `T` at `p` that overlaps `store`'s slots: an output
/// written there would overwrite the records it is read from.
///
/// # Safety
/// `store` is NULL or a valid handle; only its fields are read.
unsafe fn outside_slots<T>(store: *const swapwire_store, p: *const T) -> Result<(), Failure> {
    // SAFETY: per the contract.
    let slots = unsafe { slots_span(store)? };
    if overlaps(p as usize, size_of::<T>(), &[slots]) {
        return Err(SWAPWIRE_INVALID_ARGUMENT.into());
    }
    Ok(())
}

/// The memory of `store`'s slots, as `(address, bytes)`.
///
/// # Safety
/// `store` is NULL or a valid handle; only its fields are read.
unsafe fn slots_span(store: *const swapwire_store) -> Result<(usize, usize), Failure> {
    // SAFETY: per the contract.
    let (slots, capacity) = unsafe { store.as_ref() }.ok_or(Failure::from(SWAPWIRE_NULL_ARGUMENT))?.slots()?;
    Ok((slots as usize, capacity * size_of::<Slot>()))
}

/// Whether `bytes` bytes at `at` overlap any `(address, bytes)` span of `spans`.
fn overlaps(at: usize, bytes: usize, spans: &[(usize, usize)]) -> bool {
    let end = at.saturating_add(bytes);
    spans.iter().any(|&(start, len)| at < start.saturating_add(len) && end > start)
}

/// `scratch` as a free `Slot`, once checked to lie outside `store`'s slots and to be aligned.
///
/// # Safety
/// `scratch` is valid for writing one `swapwire_slot` and nothing else uses it while the
/// returned borrow lives; `store` is NULL or a valid handle.
unsafe fn scratch_slot<'a>(store: *const swapwire_store, scratch: *mut swapwire_slot) -> Result<&'a mut Slot, Failure> {
    // Memory of the store's own slots would be lent twice.
    // SAFETY: `store` is NULL or a valid handle; the contract for `scratch`.
    unsafe { scratch_at(scratch, &[slots_span(store)?]) }
}

/// `scratch` as a free `Slot`, once checked to be non-NULL (`SWAPWIRE_NULL_ARGUMENT`), aligned,
/// and outside every `(address, bytes)` span of `taken` — memory the call reads or writes
/// besides (`SWAPWIRE_INVALID_ARGUMENT`); both refused before anything is written.
///
/// # Safety
/// `scratch` is NULL or valid for writing one `swapwire_slot`, and nothing else uses it while
/// the returned borrow lives.
pub(crate) unsafe fn scratch_at<'a>(
    scratch: *mut swapwire_slot,
    taken: &[(usize, usize)],
) -> Result<&'a mut Slot, Failure> {
    if scratch.is_null() {
        return Err(SWAPWIRE_NULL_ARGUMENT.into());
    }
    let at = scratch as usize;
    if overlaps(at, size_of::<swapwire_slot>(), taken) || !at.is_multiple_of(align_of::<swapwire_slot>()) {
        return Err(SWAPWIRE_INVALID_ARGUMENT.into());
    }
    let slot = scratch.cast::<Slot>();
    // SAFETY: `scratch` is valid for writing one `swapwire_slot` (the contract), which has a
    // `Slot`'s size and at least its alignment (checked above); writing a free slot first makes
    // whatever bytes it held a valid `Slot` without reading them.
    unsafe {
        slot.write(Slot::EMPTY);
        Ok(&mut *slot)
    }
}

/// Stores in `*len` how many records the store holds.
///
/// Statuses: `SWAPWIRE_OK`; `SWAPWIRE_NULL_ARGUMENT` when `store` or `len` is NULL;
/// `SWAPWIRE_INVALID_ARGUMENT` for a store `swapwire_store_init` never set up (a zeroed
/// `swapwire_store`, say); `SWAPWIRE_INTERNAL` for a bug. `*len` is written only on success.
///
/// # Safety
/// `store` is NULL or initialised, and no other thread changes it during the call; `len` is
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn swapwire_store_len(store: *const swapwire_store, len: *mut usize) -> swapwire_status {
    run(core::ptr::null_mut(), || {
        // SAFETY: the header's contract.
        let (out, n) = unsafe { (Out::new(len)?, view_store(store, |s| Ok(s.len()))?) };
        out.set(n);
        Ok(())
    })
}

/// Stores in `*capacity` how many records the store can hold (the slots it was given).
///
/// Statuses: as `swapwire_store_len`; `*capacity` is written only on success.
///
/// # Safety
/// As `swapwire_store_len`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_store_capacity(
    store: *const swapwire_store,
    capacity: *mut usize,
) -> swapwire_status {
    run(core::ptr::null_mut(), || {
        // SAFETY: the header's contract.
        let (out, n) = unsafe { (Out::new(capacity)?, view_store(store, |s| Ok(s.capacity()))?) };
        out.set(n);
        Ok(())
    })
}

/// Copies the record at position `index` (0 to len - 1, in key order) into `*out`: a loop
/// over the indices walks the store. `SWAPWIRE_NOT_FOUND` past the end;
/// `SWAPWIRE_INVALID_ARGUMENT` when `out` lies in the store's slots (it is filled in place from
/// the stored record).
///
/// # Safety
/// As `swapwire_store_len`; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn swapwire_store_get(
    store: *const swapwire_store,
    index: usize,
    out: *mut swapwire_record,
) -> swapwire_status {
    // SAFETY: the header's contract.
    unsafe { copy_out(store, out, |s| s.iter().nth(index)) }
}

/// Copies the Exchange or Count report `origin`/`seq` into `*out`, or fails with
/// `SWAPWIRE_NOT_FOUND`.
///
/// # Safety
/// As `swapwire_store_get`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_store_find_report(
    store: *const swapwire_store,
    origin: u32,
    seq: u32,
    out: *mut swapwire_record,
) -> swapwire_status {
    // SAFETY: the header's contract.
    unsafe { copy_out(store, out, |s| s.get(Key::Report(RecordId { origin, seq }))) }
}

/// Copies the Source with key `key` into `*out`, or fails with `SWAPWIRE_NOT_FOUND`.
///
/// # Safety
/// As `swapwire_store_get`.
#[no_mangle]
pub unsafe extern "C" fn swapwire_store_find_source(
    store: *const swapwire_store,
    key: u32,
    out: *mut swapwire_record,
) -> swapwire_status {
    // SAFETY: the header's contract.
    unsafe { copy_out(store, out, |s| s.get(Key::Source(key))) }
}

/// Copies the record `pick` chooses out to C, or fails with `SWAPWIRE_NOT_FOUND`. The C struct
/// is filled in place from the stored record, so `out` must not lie in the store's slots
/// (`SWAPWIRE_INVALID_ARGUMENT`).
///
/// # Safety
/// As `swapwire_store_get`.
unsafe fn copy_out(
    store: *const swapwire_store,
    out: *mut swapwire_record,
    pick: impl for<'a> FnOnce(&'a Store<SlotView<'_>>) -> Option<&'a Record>,
) -> swapwire_status {
    run(core::ptr::null_mut(), || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type.
        let out = unsafe { Out::new(out)? };
        // SAFETY: as above.
        unsafe { outside_slots(store, out.as_ptr())? };
        // SAFETY: as above.
        unsafe {
            view_store(store, |s| {
                let record = pick(s).ok_or(Failure::from(SWAPWIRE_NOT_FOUND))?;
                out.fill(|c| c.fill_from(record));
                Ok(())
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slot_size_is_what_the_header_says() {
        // The assertion above holds on every target built; this checks it on the host too.
        assert_eq!(size_of::<Slot>(), SWAPWIRE_SLOT_SIZE);
        assert_eq!(align_of::<swapwire_slot>(), 4);
    }
}
