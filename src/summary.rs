//! Anti-entropy: what a store holds, summarised to fit one frame, and what a peer lacks.
//!
//! A summary is a version vector with holes. For each *space* — the shared source keys, or one
//! origin's sequence numbers — it lists the runs of ids held (so records that arrived out of
//! order leave visible holes), then the ids held at a revision above 0 with that revision.
//! A peer that reads it sends back exactly what the summary does not claim at the revision it
//! holds ([`missing_for`]). A summary that does not fit one frame is cut between two runs of
//! ids; what it leaves out reads as "nothing held", so truncation can only cause resending,
//! never loss. [`write_summary_from`] starts it at a given key instead of the first, so that a
//! gateway answering one device claims that device's reports however much else it holds.
//!
//! Acknowledgement is the same thing: a device re-sends what the gateway's latest summary does
//! not claim, so a lost frame is sent again and a duplicated one merges as a no-op.
//!
//! ```
//! use swapwire::frame::Profile;
//! use swapwire::store::FixedStore;
//! use swapwire::summary::{self, Summary};
//! use swapwire::{Exchange, Party, Record};
//!
//! let mut device = FixedStore::<8>::new();
//! let mut gateway = FixedStore::<8>::new();
//! for seq in [1, 2, 4] {
//!     device.merge(Record::Exchange(Exchange::new(7, seq, Party::UA, Party::RU))).unwrap();
//! }
//! gateway.merge(device.get(swapwire::store::Key::Report(swapwire::RecordId { origin: 7, seq: 2 })).unwrap().clone()).unwrap();
//!
//! let mut buf = [0u8; 51];
//! let n = summary::write_summary(&gateway, &Profile::LORAWAN_EU868_DR0, 0, &mut buf).unwrap().len;
//! let ack = Summary::parse(&buf[..n], Some(0)).unwrap();
//! let seqs: Vec<u32> = summary::missing_for(&device, &ack)
//!     .map(|r| match r { Record::Exchange(x) => x.seq, _ => unreachable!() })
//!     .collect();
//! assert_eq!(seqs, [1, 4]);
//! ```

use crate::error::Error;
use crate::frame::{self, planned, Cursor, FrameKind, Header, Profile, Written};
use crate::record::Record;
use crate::store::{Key, Slots, Store};
use crate::wire::{Sink, Writer};

/// The space and id a key is summarised under: sources are space 0, origin `o` is `o + 1`.
const fn space_of(key: Key) -> (u64, u32) {
    match key {
        Key::Source(k) => (0, k),
        Key::Report(id) => (id.origin as u64 + 1, id.seq),
    }
}

/// The largest space number (origin `u32::MAX`).
const MAX_SPACE: u64 = u32::MAX as u64 + 1;

/// The "previous space" of a summary's first space, which is written whole rather than as a gap:
/// no space number (an `Option<u64>` would take twice the stack in every writer's frame).
const FIRST: u64 = u64::MAX;

/// The held records by position, in key order: a store's [`Slots::get`] without the rest of
/// the trait (a `dyn Slots` would link every method of the storage, `insert` and its `memmove`
/// included).
type Held<'s> = &'s dyn Fn(usize) -> Option<&'s Record>;

/// The space, id and revision of the record at position `i` of `slots`.
fn entry(slots: Held<'_>, i: usize) -> Option<(u64, u32, u32)> {
    let r = slots(i)?;
    let (space, id) = space_of(r.key());
    Some((space, id, r.revision()))
}

/// Writes the space whose first record is at `start`: its number (as a gap after the previous
/// space), its runs of ids (each as a gap after the previous run and a length, both less one)
/// and its revised ids, up to the record at `stop` (a space cut short claims only the ids of the
/// runs before it). Returns the space and where the records it did not claim start.
///
/// Not generic: one copy measures and writes, for every kind of storage.
#[inline(never)]
fn emit_space(
    slots: Held<'_>,
    start: usize,
    previous: u64,
    stop: usize,
    w: &mut Writer<'_>,
) -> Result<(u64, usize), Error> {
    let space = entry(slots, start).map_or(0, |e| e.0);
    let in_space = |i: usize| entry(slots, i).filter(|e| e.0 == space && i < stop);
    let mut end = start;
    let (mut breaks, mut revised) = (0u64, 0u64);
    while let Some((_, id, revision)) = in_space(end) {
        end += 1;
        breaks += u64::from(in_space(end).is_some_and(|next| id.checked_add(1) != Some(next.1)));
        revised += u64::from(revision > 0);
    }
    w.varint(if previous == FIRST { space } else { space - previous - 1 })?;
    w.varint(breaks)?;
    let (mut first, mut previous_last) = (None, None);
    for i in start..end {
        let Some((_, id, _)) = in_space(i) else { break };
        let run_first = *first.get_or_insert(id);
        if in_space(i + 1).is_some_and(|next| id.checked_add(1) == Some(next.1)) {
            continue;
        }
        w.varint(u64::from(previous_last.map_or(run_first, |p: u32| run_first - p - 1)))?;
        w.varint(u64::from(id - run_first))?;
        (first, previous_last) = (None, Some(id));
    }
    w.varint(revised)?;
    let mut prev: Option<u32> = None;
    for i in start..end {
        let Some((_, id, revision)) = in_space(i).filter(|e| e.2 > 0) else { continue };
        w.varint(u64::from(prev.map_or(id, |p| id - p - 1)))?;
        w.varint(u64::from(revision - 1))?;
        prev = Some(id);
    }
    Ok((space, end))
}

/// Writes the summary of `store` as a frame from `sender`: as many spaces, in order, as fit the
/// profile's payload and `out`, the last one cut after as many of its runs as fit.
/// [`Written::records`] says how many spaces it holds, a cut one included.
#[inline(always)] // two calls, the layout and the write: no frame of its own under them
pub fn write_summary<S: Slots>(
    store: &Store<S>,
    profile: &Profile,
    sender: u32,
    out: &mut [u8],
) -> Result<Written, Error> {
    // From the first record, not `write_summary_from(.., Key::Source(0), ..)`: the same result
    // without the store's binary search, which costs a firmware 28 bytes of flash and 8 of stack.
    let slots: Held<'_> = &|i| store.slots().get(i);
    let laid_out = lay_out(slots, 0, profile, sender, out.len())?;
    write_summary_of(slots, profile, laid_out, out)
}

/// [`write_summary`] from `from` on: the summary starts at the space of `from` (the sources for
/// a [`Key::Source`], the origin's reports for a [`Key::Report`]) and claims only keys from
/// `from` up, so a store too big for one frame can still acknowledge any part of what it holds.
///
/// A gateway answering one device starts from that device's first report, so that what the
/// device sent is claimed however many other origins the gateway holds (from the sources, the
/// device's reports would be left out once earlier origins fill the frame, and it would send
/// them again forever). A summary leaves the keys before `from` unclaimed: a peer sends those
/// again, which costs airtime but never loses a record.
///
/// ```
/// use swapwire::frame::Profile;
/// use swapwire::store::{FixedStore, Key};
/// use swapwire::summary::{self, Summary};
/// use swapwire::{Exchange, Party, Record, RecordId};
///
/// let mut gateway = FixedStore::<64>::new();
/// for origin in 1..=12 {
///     for seq in [1, 3, 5] {
///         gateway.merge(Record::Exchange(Exchange::new(origin, seq, Party::UA, Party::RU))).unwrap();
///     }
/// }
/// // Twelve origins with holes do not fit 11 bytes; origin 12's own summary does.
/// let mut buf = [0u8; 11];
/// let n = summary::write_summary(&gateway, &Profile::LORAWAN_US915_DR0, 0, &mut buf).unwrap().len;
/// let from_start = Summary::parse(&buf[..n], Some(0)).unwrap();
/// let twelve = Key::Report(RecordId { origin: 12, seq: 5 });
/// assert_eq!(from_start.held_revision(twelve), None);
///
/// let from = Key::Report(RecordId { origin: 12, seq: 0 });
/// let n = summary::write_summary_from(&gateway, &Profile::LORAWAN_US915_DR0, 0, from, &mut buf).unwrap().len;
/// let for_twelve = Summary::parse(&buf[..n], Some(0)).unwrap();
/// assert_eq!(for_twelve.held_revision(twelve), Some(0));
/// ```
#[inline(always)] // as `write_summary`
pub fn write_summary_from<S: Slots>(
    store: &Store<S>,
    profile: &Profile,
    sender: u32,
    from: Key,
    out: &mut [u8],
) -> Result<Written, Error> {
    let slots: Held<'_> = &|i| store.slots().get(i);
    let laid_out = lay_out(slots, store.position(from), profile, sender, out.len())?;
    write_summary_of(slots, profile, laid_out, out)
}

/// What [`write_summary`] would write into a buffer of `out_len` bytes, without writing: how
/// many spaces the frame holds and its length (an upper bound in stream framing, as
/// [`frame::measure_records`] says). [`write_summary`] into a
/// buffer of that `len` writes a frame of the same spaces.
pub fn measure_summary<S: Slots>(
    store: &Store<S>,
    profile: &Profile,
    sender: u32,
    out_len: usize,
) -> Result<Written, Error> {
    measure_summary_from(store, profile, sender, Key::Source(0), out_len)
}

/// [`measure_summary`] of [`write_summary_from`] from `from`.
pub fn measure_summary_from<S: Slots>(
    store: &Store<S>,
    profile: &Profile,
    sender: u32,
    from: Key,
    out_len: usize,
) -> Result<Written, Error> {
    let layout = lay_out(&|i| store.slots().get(i), store.position(from), profile, sender, out_len)?;
    Ok(planned(profile, &layout.header, layout.body))
}

/// A summary frame laid out: its header, the length of its body, the position of the first
/// record it summarises, and where its last space stops (`usize::MAX`: at the space's end).
struct Layout {
    header: Header,
    body: usize,
    start: usize,
    stop: usize,
}

/// Writes the summary frame [`lay_out`] laid out, for any storage: called next to the layout,
/// not around it, so that neither frame stacks under the other.
#[inline(never)]
fn write_summary_of(slots: Held<'_>, profile: &Profile, layout: Layout, out: &mut [u8]) -> Result<Written, Error> {
    let mut w = frame::begin(profile, &layout.header, layout.body, out)?;
    let (mut previous, mut at) = (FIRST, layout.start);
    for i in 0..layout.header.count {
        let stop = if i + 1 == layout.header.count { layout.stop } else { usize::MAX };
        let (space, end) = emit_space(slots, at, previous, stop, &mut w)?;
        (previous, at) = (space, end);
    }
    frame::end(profile, &layout.header, w)
}

/// The summary frame that fits `out_len` bytes, from the record at position `start`: as many
/// whole spaces, in order, as fit, then as many runs of the next space as fit.
#[inline(never)] // one copy for measuring and writing, whatever the storage
fn lay_out(slots: Held<'_>, start: usize, profile: &Profile, sender: u32, out_len: usize) -> Result<Layout, Error> {
    let limit = profile.payload.min(out_len);
    let header = Header { kind: FrameKind::Summary, sender: profile.header_sender(sender), count: 0 };
    let mut layout = Layout { header, body: 0, start, stop: usize::MAX };
    let (mut previous, mut at) = (FIRST, start);
    // Whole spaces while they fit; then the first that does not, one run more at a time.
    let (mut stop, mut cut_body) = (usize::MAX, 0);
    while slots(at).is_some() {
        let mut next = (0, at);
        let len = Writer::count(|w| {
            next = emit_space(slots, at, previous, stop, w)?;
            Ok(())
        });
        let grown = Header { count: layout.header.count + 1, ..layout.header };
        let fits = next.1 != at && profile.framed_len(grown.len() + layout.body + len) <= limit;
        match (fits, stop) {
            (true, usize::MAX) => {
                (layout.header, layout.body, previous, at) = (grown, layout.body + len, next.0, next.1);
            }
            (false, usize::MAX) => stop = run_end(slots, at),
            (true, _) => {
                (layout.stop, cut_body) = (stop, layout.body + len);
                stop = run_end(slots, stop);
            }
            (false, _) => break,
        }
    }
    if layout.stop != usize::MAX {
        // The space cut after its last run that fit.
        layout.header.count += 1;
        layout.body = cut_body;
    }
    if profile.framed_len(layout.header.len()) > limit {
        return Err(Error::BufferTooSmall);
    }
    Ok(layout)
}

/// Where the run of consecutive ids that starts at position `at` ends (the position after it),
/// within its space.
fn run_end(slots: Held<'_>, at: usize) -> usize {
    let mut end = at + 1;
    while let (Some(last), Some(next)) = (entry(slots, end - 1), entry(slots, end)) {
        if last.0 != next.0 || last.1.checked_add(1) != Some(next.1) {
            break;
        }
        end += 1;
    }
    end
}

/// One claim a summary makes.
enum Claim {
    /// Ids `first..=last` of a space are held (at revision 0 at least).
    Run(u64, u32, u32),
    /// An id of a space is held at this revision.
    Revision(u64, u32, u32),
}

/// Reads `count` spaces, passing each claim to `f`; checks every number fits and nothing follows.
/// Not generic: one copy for parsing, counting and looking up.
#[inline(never)]
fn walk(entries: &[u8], count: u32, f: &mut dyn FnMut(Claim)) -> Result<(), Error> {
    let mut c = Cursor::new(entries);
    let mut previous: Option<u64> = None;
    for _ in 0..count {
        let gap = c.u64()?;
        let space = match previous {
            None => Some(gap),
            Some(p) => p.checked_add(gap).and_then(|s| s.checked_add(1)),
        };
        let space = space.filter(|s| *s <= MAX_SPACE).ok_or(Error::Malformed)?;
        previous = Some(space);
        let runs = u64::from(c.u32()?) + 1;
        let mut last: Option<u32> = None;
        for _ in 0..runs {
            let gap = c.u32()?;
            let first = after(last, gap)?;
            let end = first.checked_add(c.u32()?).ok_or(Error::Malformed)?;
            f(Claim::Run(space, first, end));
            last = Some(end);
        }
        let revised = c.u32()?;
        let mut last: Option<u32> = None;
        for _ in 0..revised {
            let id = after(last, c.u32()?)?;
            let revision = c.u32()?.checked_add(1).ok_or(Error::Malformed)?;
            f(Claim::Revision(space, id, revision));
            last = Some(id);
        }
    }
    if c.is_empty() {
        Ok(())
    } else {
        Err(Error::TrailingBytes)
    }
}

/// The id `gap` places after `last` (or at `gap` for the first).
fn after(last: Option<u32>, gap: u32) -> Result<u32, Error> {
    match last {
        None => Ok(gap),
        Some(l) => l.checked_add(gap).and_then(|v| v.checked_add(1)).ok_or(Error::Malformed),
    }
}

/// A peer's summary, checked, read in place from its frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary<'a> {
    sender: Option<u32>,
    count: u32,
    entries: &'a [u8],
}

impl<'a> Summary<'a> {
    /// The summary of a store that holds nothing: everything is missing from it.
    pub const EMPTY: Summary<'static> = Summary { sender: None, count: 0, entries: &[] };

    /// Reads and checks a summary frame (a message frame, or one taken out of stream framing).
    pub fn parse(frame: &'a [u8], link_sender: Option<u32>) -> Result<Self, Error> {
        let mut c = Cursor::new(frame);
        let header = Header::read(&mut c, link_sender)?;
        if header.kind != FrameKind::Summary {
            return Err(Error::Malformed);
        }
        let entries = frame.get(c.position()..).unwrap_or_default();
        walk(entries, header.count, &mut |_| ())?;
        Ok(Summary { sender: header.sender, count: header.count, entries })
    }

    /// Who sent the summary, if the frame or the link says.
    pub const fn sender(&self) -> Option<u32> {
        self.sender
    }

    /// How many spaces (the shared sources, then one per origin) the summary covers.
    pub const fn spaces(&self) -> u32 {
        self.count
    }

    /// How many ids (sources and reports) the summary claims are held.
    pub fn held(&self) -> u64 {
        let mut held = 0u64;
        let checked = walk(self.entries, self.count, &mut |claim| {
            if let Claim::Run(_, first, last) = claim {
                held += u64::from(last - first) + 1;
            }
        });
        checked.map_or(0, |()| held)
    }

    /// The revision at which the summary claims `key` is held, if it claims it at all.
    pub fn held_revision(&self, key: Key) -> Option<u32> {
        let (space, id) = space_of(key);
        let mut held = None;
        let checked = walk(self.entries, self.count, &mut |claim| match claim {
            Claim::Run(s, first, last) if s == space && (first..=last).contains(&id) => {
                held = held.max(Some(0));
            }
            Claim::Revision(s, i, revision) if s == space && i == id => held = held.max(Some(revision)),
            _ => {}
        });
        checked.ok().and(held)
    }
}

/// The records of `store` that `peer` does not claim, or claims at an older revision, in key
/// order: what to send it.
pub fn missing_for<'s, S: Slots>(
    store: &'s Store<S>,
    peer: &'s Summary<'_>,
) -> impl Iterator<Item = &'s Record> + Clone + 's {
    store.iter().filter(move |r| peer.held_revision(r.key()).is_none_or(|held| held < r.revision()))
}
