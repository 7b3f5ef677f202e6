//! A fixed-capacity record store whose copies converge, whatever order records arrive in.
//!
//! Records are kept sorted by [`Key`]: reports ([`Exchange`](crate::Exchange),
//! [`Count`](crate::Count)) by their `(origin, seq)` — the two kinds share one numbering per
//! origin — and [`Source`](crate::Source)s by their `key`, which all devices share. For one key
//! the store keeps one record, chosen by [`supersedes`]: the higher revision, and between equal
//! revisions the greater standalone encoding. A retraction is a revision like any other. That
//! choice is a maximum over a total order, so merging is idempotent, commutative and
//! associative: stores that have seen the same records hold the same records.
//!
//! The logic runs over any [`Slots`]: a [`heapless::Vec`] for Rust ([`FixedStore`]), or a slice
//! of [`Slot`]s in memory the caller owns ([`SlotSlice`], for C). A full store refuses a new
//! key with [`Error::StoreFull`] and stays as it was; it never evicts.
//!
//! ```
//! use swapwire::store::{FixedStore, Merged};
//! use swapwire::{Party, Record, Exchange};
//!
//! let mut store = FixedStore::<4>::new();
//! let mut x = Exchange::new(1, 1, Party::UA, Party::RU);
//! assert_eq!(store.merge(Record::Exchange(x.clone())), Ok(Merged::Inserted));
//! x.revision = 1;
//! x.retracted = true; // withdrawn: a new revision
//! assert_eq!(store.merge(Record::Exchange(x.clone())), Ok(Merged::Replaced));
//! x.revision = 0;
//! assert_eq!(store.merge(Record::Exchange(x)), Ok(Merged::Kept)); // older: ignored
//! assert_eq!(store.len(), 1);
//! ```

use core::cmp::Ordering;

use crate::error::Error;
use crate::exchange::RecordId;
use crate::frame::RecordsIn;
use crate::record::{Kind, Record};
use crate::wire::cmp_encodings;

/// What a store files a record under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// A source, by its shared key. Sorts before every report.
    Source(u32),
    /// An exchange or count report, by origin and sequence number.
    Report(RecordId),
}

impl Record {
    /// The key a [`Store`] files this record under.
    pub const fn key(&self) -> Key {
        match self {
            Record::Exchange(x) => Key::Report(x.id()),
            Record::Count(c) => Key::Report(c.id()),
            Record::Source(s) => Key::Source(s.key),
        }
    }

    /// The record's revision.
    pub const fn revision(&self) -> u32 {
        match self {
            Record::Exchange(x) => x.revision,
            Record::Count(c) => c.revision,
            Record::Source(s) => s.revision,
        }
    }
}

/// Whether `a` replaces `b` when both have the same key: a higher revision wins; at equal
/// revisions the record whose standalone [`Record`] encoding is lexicographically greater
/// wins. Identical records do not supersede each other.
pub fn supersedes(a: &Record, b: &Record) -> bool {
    match a.revision().cmp(&b.revision()) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => cmp_encodings(a, b) == Ordering::Greater,
    }
}

/// Storage a [`Store`] keeps its records in, sorted by key. Implementations only move
/// records; the store decides where.
pub trait Slots {
    /// How many records are held.
    fn len(&self) -> usize;
    /// Whether no record is held.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// How many records fit.
    fn capacity(&self) -> usize;
    /// The record at position `i`.
    fn get(&self, i: usize) -> Option<&Record>;
    /// Replaces the record at position `i` (which exists).
    fn replace(&mut self, i: usize, record: Record);
    /// Inserts at position `i`, moving later records up; [`Error::StoreFull`] when full.
    fn insert(&mut self, i: usize, record: Record) -> Result<(), Error>;
    /// [`replace`](Self::replace) with a copy of `record`. Storage that can copy into the slot
    /// in place overrides this, so no copy is built on the stack.
    fn replace_from(&mut self, i: usize, record: &Record) {
        self.replace(i, record.clone());
    }
    /// [`insert`](Self::insert) of a copy of `record`; overridden like
    /// [`replace_from`](Self::replace_from).
    fn insert_from(&mut self, i: usize, record: &Record) -> Result<(), Error> {
        self.insert(i, record.clone())
    }
}

impl<const N: usize> Slots for heapless::Vec<Record, N> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }
    fn capacity(&self) -> usize {
        N
    }
    fn get(&self, i: usize) -> Option<&Record> {
        self.as_slice().get(i)
    }
    fn replace(&mut self, i: usize, record: Record) {
        if let Some(slot) = self.as_mut_slice().get_mut(i) {
            *slot = record;
        }
    }
    fn insert(&mut self, i: usize, record: Record) -> Result<(), Error> {
        heapless::Vec::insert(self, i, record).map_err(|_| Error::StoreFull)
    }
    fn replace_from(&mut self, i: usize, record: &Record) {
        if let Some(slot) = self.as_mut_slice().get_mut(i) {
            slot.copy_from(record);
        }
    }
    fn insert_from(&mut self, i: usize, record: &Record) -> Result<(), Error> {
        if i > self.len() || self.is_full() {
            return Err(Error::StoreFull);
        }
        // A new last place holding the smallest record there is; `open_at` copies the
        // records from `i` on up into it, field by field, and `record` then goes to `i`.
        let _ = self.push(Record::blank_of(Kind::Source));
        if let Some(slot) = open_at(self.as_mut_slice(), i) {
            slot.copy_from(record);
        }
        Ok(())
    }
}

/// Copies every record of `slice` from `i` on one place up, in place and field by field, the
/// last one over the slice's last record; returns the record at `i`, now a copy of the one
/// after it, for the caller to overwrite.
fn open_at(slice: &mut [Record], i: usize) -> Option<&mut Record> {
    shift_up(slice.get_mut(i..).unwrap_or_default(), |r: &mut Record| Some(r));
    slice.get_mut(i)
}

/// Copies the record in each place of `places` into the place after it, last first, so the
/// first two places hold the same record; `record` finds the record in a place. Neither
/// `rotate_right` nor swaps: both move whole records through a record-sized temporary on the
/// stack.
fn shift_up<T>(places: &mut [T], record: impl Fn(&mut T) -> Option<&mut Record>) {
    for j in (1..places.len()).rev() {
        if let Some((below, [to, ..])) = places.split_at_mut_checked(j) {
            if let (Some(from), Some(to)) = (below.last_mut().and_then(&record), record(to)) {
                to.copy_from(from);
            }
        }
    }
}

/// One place for a record in caller-provided memory.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Slot(Option<Record>);

impl Slot {
    /// A free slot.
    pub const EMPTY: Slot = Slot(None);

    /// The slot's record, made a blank record first if the slot is free: a slot used as the
    /// record a `_with` reader decodes into ([`Store::apply_frame_with`]) rather than as part
    /// of a store.
    pub fn record_mut(&mut self) -> &mut Record {
        self.0.get_or_insert_with(|| Record::blank_of(Kind::Source))
    }
}

/// Slots in memory the caller owns. Held records fill a prefix of the slice; the rest are
/// [`Slot::EMPTY`].
#[derive(Debug)]
pub struct SlotSlice<'a> {
    slots: &'a mut [Slot],
    len: usize,
}

impl<'a> SlotSlice<'a> {
    /// Takes over `slots`: either all [`Slot::EMPTY`], or slots a [`Store`] over them left.
    pub fn new(slots: &'a mut [Slot]) -> Self {
        let len = SlotView::new(slots).len;
        SlotSlice { slots, len }
    }
}

impl Slots for SlotSlice<'_> {
    fn len(&self) -> usize {
        self.len
    }
    fn capacity(&self) -> usize {
        self.slots.len()
    }
    fn get(&self, i: usize) -> Option<&Record> {
        SlotView { slots: self.slots, len: self.len }.at(i)
    }
    fn replace(&mut self, i: usize, record: Record) {
        if let Some(slot) = self.slots.get_mut(..self.len).and_then(|held| held.get_mut(i)) {
            slot.0 = Some(record);
        }
    }
    fn insert(&mut self, i: usize, record: Record) -> Result<(), Error> {
        *self.open(i)? = record;
        Ok(())
    }
    fn replace_from(&mut self, i: usize, record: &Record) {
        if let Some(Slot(Some(held))) = self.slots.get_mut(..self.len).and_then(|held| held.get_mut(i)) {
            held.copy_from(record);
        }
    }
    fn insert_from(&mut self, i: usize, record: &Record) -> Result<(), Error> {
        let slot = self.open(i)?;
        slot.copy_from(record);
        Ok(())
    }
}

impl SlotSlice<'_> {
    /// Moves the records from `i` on up by one and returns the place now at `i`, counted as
    /// held and holding some record to overwrite; [`Error::StoreFull`] when there is no free
    /// slot. Records are copied field by field (see [`open_at`]), never moved whole.
    fn open(&mut self, i: usize) -> Result<&mut Record, Error> {
        if i > self.len {
            return Err(Error::StoreFull);
        }
        let free = self.slots.get_mut(self.len).ok_or(Error::StoreFull)?;
        free.0 = Some(Record::blank_of(Kind::Source));
        self.len += 1;
        let held = self.slots.get_mut(i..self.len).unwrap_or_default();
        shift_up(held, |slot: &mut Slot| slot.0.as_mut());
        match held.first_mut() {
            Some(Slot(Some(record))) => Ok(record),
            _ => Err(Error::StoreFull), // not reached: every held slot holds a record
        }
    }
}

/// Slots in memory the caller owns, read in place without the right to change them: how the
/// C API looks at a store it was handed as `const`. Merging into a view fails with
/// [`Error::StoreFull`] and changes nothing.
#[derive(Debug, Clone, Copy)]
pub struct SlotView<'a> {
    slots: &'a [Slot],
    len: usize,
}

impl<'a> SlotView<'a> {
    /// Slots a store left: the held records fill a prefix.
    fn new(slots: &'a [Slot]) -> Self {
        let len = slots.partition_point(|s| s.0.is_some());
        SlotView { slots, len }
    }

    /// The held record at position `i`.
    fn at(self, i: usize) -> Option<&'a Record> {
        self.slots.get(..self.len)?.get(i)?.0.as_ref()
    }
}

impl Slots for SlotView<'_> {
    fn len(&self) -> usize {
        self.len
    }
    fn capacity(&self) -> usize {
        self.slots.len()
    }
    fn get(&self, i: usize) -> Option<&Record> {
        self.at(i)
    }
    fn replace(&mut self, _: usize, _: Record) {}
    fn insert(&mut self, _: usize, _: Record) -> Result<(), Error> {
        Err(Error::StoreFull)
    }
    // Refused without the copy the default methods would make first.
    fn replace_from(&mut self, _: usize, _: &Record) {}
    fn insert_from(&mut self, _: usize, _: &Record) -> Result<(), Error> {
        Err(Error::StoreFull)
    }
}

/// What [`Store::merge`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Merged {
    /// The key was new.
    Inserted,
    /// The record superseded the one held.
    Replaced,
    /// The held record is the same or supersedes it; nothing changed.
    Kept,
}

/// What [`Store::apply_frame`] did, record by record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Applied {
    /// Records with keys the store did not hold.
    pub inserted: usize,
    /// Records that superseded the held ones.
    pub replaced: usize,
    /// Records the store already held, or held newer.
    pub kept: usize,
}

/// A record store over some [`Slots`].
#[derive(Debug, Clone, Default)]
pub struct Store<S> {
    slots: S,
}

/// A store of at most `N` records in a [`heapless::Vec`].
pub type FixedStore<const N: usize> = Store<heapless::Vec<Record, N>>;

impl<const N: usize> FixedStore<N> {
    /// An empty store.
    pub const fn new() -> Self {
        Store { slots: heapless::Vec::new() }
    }
}

impl<'a> Store<SlotSlice<'a>> {
    /// A store in caller-provided slots (see [`SlotSlice::new`]).
    pub fn in_slots(slots: &'a mut [Slot]) -> Self {
        Store { slots: SlotSlice::new(slots) }
    }
}

impl<'a> Store<SlotView<'a>> {
    /// A read-only look at slots a [`Store::in_slots`] left.
    pub fn view_slots(slots: &'a [Slot]) -> Self {
        Store { slots: SlotView::new(slots) }
    }
}

impl<S: Slots> Store<S> {
    /// The storage, for the summary writer.
    pub(crate) fn slots(&self) -> &S {
        &self.slots
    }

    /// How many records are held.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether no record is held.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// How many records fit.
    pub fn capacity(&self) -> usize {
        self.slots.capacity()
    }

    /// The held records in key order.
    pub fn iter(&self) -> impl Iterator<Item = &Record> + Clone {
        (0..self.slots.len()).filter_map(|i| self.slots.get(i))
    }

    /// The record held under `key`.
    pub fn get(&self, key: Key) -> Option<&Record> {
        self.find(key).ok().and_then(|i| self.slots.get(i))
    }

    /// The position of the first record whose key is `key` or later.
    #[inline(never)] // its frame is gone before the summary's layout, which is the deep part
    pub(crate) fn position(&self, key: Key) -> usize {
        self.find(key).unwrap_or_else(|at| at)
    }

    /// Where `key` is, or where it would go.
    fn find(&self, key: Key) -> Result<usize, usize> {
        let (mut lo, mut hi) = (0, self.slots.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.slots.get(mid).map(Record::key) {
                Some(k) if k < key => lo = mid + 1,
                Some(k) if k == key => return Ok(mid),
                _ => hi = mid,
            }
        }
        Err(lo)
    }

    /// Merges one record after validating it. A new key in a full store fails with
    /// [`Error::StoreFull`] and changes nothing.
    pub fn merge(&mut self, record: Record) -> Result<Merged, Error> {
        self.merge_ref(&record)
    }

    /// [`merge`](Self::merge) of a borrowed record: it is copied only into the slot it takes,
    /// so a caller that decodes into one reused record merges without moving it.
    pub fn merge_ref(&mut self, record: &Record) -> Result<Merged, Error> {
        record.validate()?;
        self.merge_valid(record)
    }

    /// Merges a valid record, copying it only into the slot it takes.
    fn merge_valid(&mut self, record: &Record) -> Result<Merged, Error> {
        match self.find(record.key()) {
            Ok(i) => match self.slots.get(i) {
                Some(held) if supersedes(record, held) => {
                    self.slots.replace_from(i, record);
                    Ok(Merged::Replaced)
                }
                _ => Ok(Merged::Kept),
            },
            Err(i) => self.slots.insert_from(i, record).map(|()| Merged::Inserted),
        }
    }

    /// Merges every record of another store (the join of the two).
    pub fn merge_store<T: Slots>(&mut self, other: &Store<T>) -> Result<Applied, Error> {
        let new = other.iter().filter(|r| self.find(r.key()).is_err()).count();
        if self.len() + new > self.capacity() {
            return Err(Error::StoreFull);
        }
        let mut applied = Applied::default();
        for r in other.iter() {
            applied.count(self.merge_valid(r)?);
        }
        Ok(applied)
    }

    /// Merges all records of a records frame, or none: a frame that fails to read (see
    /// [`read_records`](crate::frame::read_records)) or brings more new keys than the store has
    /// room for changes nothing.
    ///
    /// The frame is read twice — once to check it and count new keys, once to merge — so no
    /// memory is needed for its records. Keys repeated within one frame are counted once per
    /// repetition, which can refuse a frame that would just fit.
    pub fn apply_frame(&mut self, frame: &[u8], link_sender: Option<u32>) -> Result<Applied, Error> {
        let mut slot = Record::blank_of(Kind::Source);
        self.apply_frame_with(frame, link_sender, &mut slot)
    }

    /// [`apply_frame`](Self::apply_frame) decoding each record into `slot`, a record the caller
    /// keeps (a `static`, or a buffer it already has), instead of one on this function's stack
    /// (see [`read_records_with`](crate::frame::read_records_with)). `slot`'s content on return
    /// has no meaning.
    pub fn apply_frame_with(
        &mut self,
        frame: &[u8],
        link_sender: Option<u32>,
        slot: &mut Record,
    ) -> Result<Applied, Error> {
        // The records are read in this function's loop, not passed to a callback: under
        // `read_records_with`'s loop and its callback, a merge ran two frames deeper (92 bytes
        // of stack on Cortex-M).
        let mut records = RecordsIn::new(frame);
        records.open(link_sender)?;
        let mut new = 0;
        while records.next(slot)? {
            new += usize::from(self.find(slot.key()).is_err());
        }
        if self.len() + new > self.capacity() {
            return Err(Error::StoreFull);
        }
        records = RecordsIn::new(frame); // the same place again: one reader on the stack
        records.open(link_sender)?;
        let mut applied = Applied::default();
        while records.next(slot)? {
            applied.count(self.merge_valid(slot)?);
        }
        Ok(applied)
    }
}

impl Applied {
    fn count(&mut self, m: Merged) {
        match m {
            Merged::Inserted => self.inserted += 1,
            Merged::Replaced => self.replaced += 1,
            Merged::Kept => self.kept += 1,
        }
    }
}

impl<S: Slots, T: Slots> PartialEq<Store<T>> for Store<S> {
    /// Stores are equal when they hold the same records.
    fn eq(&self, other: &Store<T>) -> bool {
        self.iter().eq(other.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Codec;
    use std::vec::Vec;

    /// Every golden vector's record.
    fn golden() -> Vec<Record> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "hex"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| {
                let text: std::string::String = std::fs::read_to_string(p).unwrap().split_whitespace().collect();
                let bytes: Vec<u8> =
                    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect();
                Record::decode(&bytes).unwrap()
            })
            .collect()
    }

    /// The order `supersedes` used before the windows: both encodings in full buffers.
    fn buffered_cmp(a: &Record, b: &Record) -> Ordering {
        let (mut x, mut y) = ([0u8; Record::MAX_SIZE], [0u8; Record::MAX_SIZE]);
        let nx = a.encode(&mut x).unwrap_or(0);
        let ny = b.encode(&mut y).unwrap_or(0);
        x[..nx].cmp(&y[..ny])
    }

    #[test]
    fn windowed_order_is_the_order_of_full_encodings() {
        let records = golden();
        assert!(records.len() >= 20);
        assert!(records.iter().any(|r| r.encoded_len() > 64), "some vector spans several windows");
        let mut invalid = records.iter().find(|r| r.kind() == crate::Kind::Exchange).unwrap().clone();
        if let Record::Exchange(x) = &mut invalid {
            x.side_b = x.side_a; // an exchange with itself does not validate
        }
        assert!(invalid.validate().is_err());
        let mut all = records.clone();
        all.push(invalid);
        for a in &all {
            for b in &all {
                assert_eq!(cmp_encodings(a, b), buffered_cmp(a, b), "{a:?} vs {b:?}");
            }
        }
        // Equal for several windows, different after: a later window decides.
        let long = records.iter().find(|r| r.kind() == crate::Kind::Exchange && r.encoded_len() > 70).unwrap();
        let (mut x, mut y) = (long.clone(), long.clone());
        if let (Record::Exchange(x), Record::Exchange(y)) = (&mut x, &mut y) {
            x.grade = "A1".parse().unwrap();
            y.grade = "B2".parse().unwrap();
        }
        assert_ne!(buffered_cmp(&x, &y), Ordering::Equal);
        let (ex, ey) = (x.to_vec().unwrap(), y.to_vec().unwrap());
        assert!(ex.iter().zip(&ey).take_while(|(a, b)| a == b).count() >= 32, "the first two windows agree");
        assert_eq!(cmp_encodings(&x, &y), buffered_cmp(&x, &y));
    }

    #[test]
    fn copy_from_makes_an_equal_record_across_kinds() {
        let records = golden();
        for a in &records {
            for b in &records {
                let mut d = a.clone();
                d.copy_from(b);
                assert_eq!(&d, b);
            }
        }
    }

    #[test]
    fn slices_and_vectors_insert_copies_in_key_order() {
        let records = golden();
        let mut fixed = FixedStore::<64>::new();
        let mut slots = [Slot::EMPTY; 64];
        let mut in_slots = Store::in_slots(&mut slots);
        for r in records.iter().rev() {
            assert_eq!(fixed.merge_ref(r), in_slots.merge(r.clone()));
        }
        assert!(fixed == in_slots);
        assert!(fixed.iter().zip(fixed.iter().skip(1)).all(|(a, b)| a.key() < b.key()));
        let mut small = FixedStore::<2>::new();
        let distinct: Vec<_> = records.iter().filter(|r| r.key() != records[0].key()).take(2).collect();
        small.merge_ref(distinct[0]).unwrap();
        small.merge_ref(distinct[1]).unwrap();
        let before = small.clone();
        assert_eq!(small.merge_ref(&records[0]), Err(Error::StoreFull));
        assert!(small == before);
    }
}
