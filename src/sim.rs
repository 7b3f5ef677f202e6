//! A deterministic, seeded simulation of field devices and a gateway syncing stores over lossy
//! links (with the `std` feature). The tests prove convergence with it over many seeds;
//! `examples/field_sync.rs` narrates one run.
//!
//! Each node keeps a [`FixedStore`]. Every few ticks it sends each neighbour its summary; from
//! the latest summary it heard from a neighbour it sends, frame after frame, the records that
//! neighbour lacks ([`missing_for`]). A record sent and not yet claimed by a later summary is
//! sent again once a retransmission timeout passes. Links lose, duplicate, delay (and so
//! reorder), bit-flip and truncate frames, each with its own probability.
//!
//! Stream links hand every byte — damaged or not — to the receiver's [`StreamDecoder`], which
//! must reject damage by CRC. Message links model LoRaWAN: the radio's integrity check drops a
//! bit-flipped message before it reaches swapwire (a frame has no CRC of its own there), while a
//! truncated message still reaches the decoder, which rejects it by the header's record count.
//!
//! ```
//! use swapwire::frame::Profile;
//! use swapwire::sim::{Faults, Sim};
//! use swapwire::{Exchange, Party, Record};
//!
//! let reports = |origin| (1..=5).map(move |seq| Record::Exchange(Exchange::new(origin, seq, Party::UA, Party::RU)));
//! let mut sim = Sim::<32>::new(Profile::SERIAL, Faults::HARSH, 7);
//! sim.add_gateway(0, []).unwrap();
//! sim.add_device(1, reports(1)).unwrap();
//! sim.add_device(2, reports(2)).unwrap();
//! let report = sim.run(500);
//! assert!(report.converged);
//! ```

use std::boxed::Box;
use std::collections::BTreeMap;
use std::fmt;
use std::string::{String, ToString};
use std::vec::Vec;

use crate::error::Error;
use crate::frame::{self, Feed, FrameKind, Framing, Header, Profile, StreamDecoder};
use crate::record::{Kind, Record};
use crate::store::{FixedStore, Key};
use crate::summary::{missing_for, write_summary, Summary};
use crate::wire::Codec;

/// A small deterministic generator (xorshift64*): the same seed gives the same run everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed` (any value; 0 is mapped to a fixed non-zero state).
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

/// What a link does to the frames it carries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Faults {
    /// Probability that a frame is lost.
    pub loss: f64,
    /// Probability that a frame arrives twice.
    pub duplicate: f64,
    /// Each copy arrives after 1 to `1 + max_delay` ticks, so frames overtake each other.
    pub max_delay: usize,
    /// Probability that a copy has one bit flipped.
    pub bit_flip: f64,
    /// Probability that a copy loses its tail.
    pub truncate: f64,
}

impl Faults {
    /// 30% loss, 5% duplication, up to 3 ticks of extra delay, 1% bit flips, 1% truncation.
    pub const HARSH: Faults = Faults { loss: 0.30, duplicate: 0.05, max_delay: 3, bit_flip: 0.01, truncate: 0.01 };
    /// A perfect link.
    pub const NONE: Faults = Faults { loss: 0.0, duplicate: 0.0, max_delay: 0, bit_flip: 0.0, truncate: 0.0 };
}

/// Counts of what happened, summed over all links and nodes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Ticks run.
    pub ticks: usize,
    /// Whether every store ended holding exactly the union of what the nodes started with.
    pub converged: bool,
    /// Records frames sent (each send counted once, before the link's faults).
    pub record_frames: usize,
    /// Bytes of records frames sent, framing included.
    pub record_bytes: usize,
    /// Summary frames sent.
    pub summary_frames: usize,
    /// Bytes of summary frames sent, framing included.
    pub summary_bytes: usize,
    /// Records carried by the frames sent, resends included.
    pub records_sent: usize,
    /// The standalone [`Record`] bytes of every record times the number of stores that lacked it
    /// at the start: the least any protocol must move.
    pub needed_bytes: usize,
    /// Records delivered into a store that lacked them (or held an older revision).
    pub delivered: usize,
    /// Frames the links lost.
    pub lost: usize,
    /// Extra copies the links delivered.
    pub duplicated: usize,
    /// Copies with a flipped bit.
    pub bit_flipped: usize,
    /// Copies cut short.
    pub truncated: usize,
    /// Bit-flipped messages a message link's own integrity check dropped.
    pub dropped_by_link: usize,
    /// Frames (or stream segments) the receivers rejected, by error.
    pub rejected: BTreeMap<String, usize>,
}

impl Report {
    /// All bytes sent, records and summaries.
    pub fn bytes_sent(&self) -> usize {
        self.record_bytes + self.summary_bytes
    }
}

/// What became of one frame, for a narrated run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Fate {
    /// Sent; the link's faults are listed in the event.
    #[default]
    Sent,
    /// Merged into the receiver's store.
    Applied {
        /// Records new to the store, or newer than its copy.
        new: usize,
        /// Records it already held.
        kept: usize,
    },
    /// A summary the receiver will answer.
    SummaryRead,
    /// A summary older than one the receiver already has from that sender; ignored.
    SummaryStale,
    /// Rejected whole by the receiver; its store is unchanged.
    Rejected(Error),
}

/// One event of a narrated run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    /// When.
    pub tick: usize,
    /// Sending node's name.
    pub from: String,
    /// Receiving node's name.
    pub to: String,
    /// Records or summary.
    pub kind: FrameKind,
    /// Frame bytes on the link.
    pub bytes: usize,
    /// What the frame carries: record keys, or summary spaces.
    pub carries: String,
    /// What happened.
    pub fate: Fate,
    /// The link's faults on this copy: "lost", "dup", "flip", "cut", or empty.
    pub faults: String,
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            FrameKind::Records => "records",
            FrameKind::Summary => "summary",
        };
        write!(f, "t={:<3} {:>8} -> {:<8} {kind} {:>3} B  ", self.tick, self.from, self.to, self.bytes)?;
        match &self.fate {
            Fate::Sent => write!(f, "[{}] {}", self.faults, self.carries),
            Fate::Applied { new, kept } => write!(f, "applied: {new} new, {kept} already held"),
            Fate::SummaryRead => f.write_str("summary read"),
            Fate::SummaryStale => f.write_str("summary older than the last one: ignored"),
            Fate::Rejected(e) => write!(f, "rejected whole: {e}"),
        }
    }
}

/// A copy of a frame in flight.
struct InFlight {
    due: usize,
    order: usize,
    bytes: Vec<u8>,
    flipped: bool,
}

/// One direction between two nodes.
struct Link {
    from: usize,
    to: usize,
    queue: Vec<InFlight>,
    decoder: Box<StreamDecoder<1024>>,
}

/// What a node knows about one neighbour.
struct Neighbour {
    node: usize,
    link: usize,
    summary: Option<Vec<u8>>,
    /// Keys sent and the tick they were sent at, until a summary claims them.
    sent: BTreeMap<Key, usize>,
    /// Revisions the neighbour sent us: it holds them, so they never go back to it.
    heard: BTreeMap<Key, u32>,
    /// The store size the last summary sent to this neighbour reported.
    summarised: Option<usize>,
}

/// A node: a device or the gateway.
struct Node<const N: usize> {
    name: String,
    origin: u32,
    store: FixedStore<N>,
    neighbours: Vec<Neighbour>,
}

/// A star of devices around one gateway; `N` is every store's capacity.
pub struct Sim<const N: usize> {
    profile: Profile,
    faults: Faults,
    rng: Rng,
    nodes: Vec<Node<N>>,
    links: Vec<Link>,
    order: usize,
    /// Send each neighbour a summary when the store has changed since the last one, and at
    /// least every this many ticks (in case the last one was lost).
    pub summary_every: usize,
    /// Records frames each node may send each neighbour per tick.
    pub frames_per_tick: usize,
    /// Ticks after which a record that no summary claims is sent again.
    pub retransmit_after: usize,
    /// Keep a narrated [`Event`] log in [`Sim::events`].
    pub narrate: bool,
    /// The narrated events, when [`Sim::narrate`] is set.
    pub events: Vec<Event>,
    report: Report,
}

impl<const N: usize> Sim<N> {
    /// An empty simulation over links of `profile` with `faults`, seeded with `seed`.
    pub fn new(profile: Profile, faults: Faults, seed: u64) -> Self {
        Sim {
            profile,
            faults,
            rng: Rng::new(seed),
            nodes: Vec::new(),
            links: Vec::new(),
            order: 0,
            summary_every: 6,
            frames_per_tick: 1,
            retransmit_after: 2 * (faults.max_delay + 1) + 1,
            narrate: false,
            events: Vec::new(),
            report: Report::default(),
        }
    }

    fn add_node(
        &mut self,
        name: String,
        origin: u32,
        records: impl IntoIterator<Item = Record>,
    ) -> Result<usize, Error> {
        let mut store = FixedStore::new();
        for r in records {
            store.merge(r)?;
        }
        self.nodes.push(Node { name, origin, store, neighbours: Vec::new() });
        Ok(self.nodes.len() - 1)
    }

    /// Adds the gateway (node 0) holding `records`. Call it first.
    pub fn add_gateway(&mut self, origin: u32, records: impl IntoIterator<Item = Record>) -> Result<(), Error> {
        self.add_node("gateway".to_string(), origin, records).map(|_| ())
    }

    /// Adds a device holding `records`, linked both ways to the gateway.
    pub fn add_device(&mut self, origin: u32, records: impl IntoIterator<Item = Record>) -> Result<(), Error> {
        let device = self.add_node(std::format!("device{origin}"), origin, records)?;
        for (from, to) in [(device, 0), (0, device)] {
            self.links.push(Link { from, to, queue: Vec::new(), decoder: Box::default() });
            let link = self.links.len() - 1;
            if let Some(node) = self.nodes.get_mut(from) {
                node.neighbours.push(Neighbour {
                    node: to,
                    link,
                    summary: None,
                    sent: BTreeMap::new(),
                    heard: BTreeMap::new(),
                    summarised: None,
                });
            }
        }
        Ok(())
    }

    /// The store of node `i` (0 is the gateway, devices follow in the order added).
    pub fn store(&self, i: usize) -> Option<&FixedStore<N>> {
        self.nodes.get(i).map(|n| &n.store)
    }

    /// The union of all stores.
    fn union(&self) -> Result<FixedStore<N>, Error> {
        let mut all = FixedStore::new();
        for n in &self.nodes {
            all.merge_store(&n.store)?;
        }
        Ok(all)
    }

    /// Runs until every store holds the union of what all nodes started with, or `max_ticks`.
    /// A union larger than `N` records ends the run unconverged at once.
    pub fn run(&mut self, max_ticks: usize) -> Report {
        let Ok(truth) = self.union() else { return self.report.clone() };
        self.report.needed_bytes = truth
            .iter()
            .map(|r| r.encoded_len() * self.nodes.iter().filter(|n| n.store.get(r.key()) != Some(r)).count())
            .sum();
        for tick in 0..max_ticks {
            self.report.ticks = tick + 1;
            for i in 0..self.nodes.len() {
                self.send_from(i, tick);
            }
            for l in 0..self.links.len() {
                self.deliver(l, tick);
            }
            if self.nodes.iter().all(|n| n.store == truth) {
                self.report.converged = true;
                break;
            }
        }
        self.report.clone()
    }

    fn send_from(&mut self, i: usize, tick: usize) {
        let mut out = [0u8; 1024];
        let (profile, every, per_tick, rto) =
            (self.profile, self.summary_every, self.frames_per_tick, self.retransmit_after);
        let Some(node) = self.nodes.get_mut(i) else { return };
        let mut frames: Vec<(usize, FrameKind, Vec<u8>, usize, String)> = Vec::new();
        for nb in &mut node.neighbours {
            if nb.summarised != Some(node.store.len()) || (tick + i).is_multiple_of(every) {
                nb.summarised = Some(node.store.len());
                if let Ok(w) = write_summary(&node.store, &profile, node.origin, &mut out) {
                    let spaces = std::format!("{} spaces, {} records held", w.records, node.store.len());
                    frames.push((
                        nb.link,
                        FrameKind::Summary,
                        out.get(..w.len).unwrap_or_default().to_vec(),
                        0,
                        spaces,
                    ));
                }
            }
            let peer = nb.summary.as_deref().and_then(|s| Summary::parse(s, None).ok()).unwrap_or(Summary::EMPTY);
            for _ in 0..per_tick {
                let (sent, heard) = (&nb.sent, &nb.heard);
                let due = missing_for(&node.store, &peer)
                    .filter(|r| sent.get(&r.key()).is_none_or(|at| tick >= at + rto))
                    .filter(|r| heard.get(&r.key()).is_none_or(|rev| *rev < r.revision()));
                let Ok(w) = frame::write_records(&profile, node.origin, due.clone(), &mut out) else { break };
                if w.records == 0 {
                    break;
                }
                let keys: Vec<Key> = due.take(w.records).map(Record::key).collect();
                let carries = describe(&node.store, &keys);
                for k in keys {
                    nb.sent.insert(k, tick);
                }
                frames.push((
                    nb.link,
                    FrameKind::Records,
                    out.get(..w.len).unwrap_or_default().to_vec(),
                    w.records,
                    carries,
                ));
            }
        }
        for (link, kind, bytes, records, carries) in frames {
            self.transmit(link, tick, (kind, records), bytes, carries);
        }
    }

    /// Puts a frame on a link, applying its faults.
    fn transmit(
        &mut self,
        l: usize,
        tick: usize,
        (kind, records): (FrameKind, usize),
        bytes: Vec<u8>,
        carries: String,
    ) {
        let r = &mut self.report;
        match kind {
            FrameKind::Records => {
                r.record_frames += 1;
                r.record_bytes += bytes.len();
                r.records_sent += records;
            }
            FrameKind::Summary => {
                r.summary_frames += 1;
                r.summary_bytes += bytes.len();
            }
        }
        let mut faults = Vec::new();
        let copies = if self.rng.chance(self.faults.loss) {
            self.report.lost += 1;
            faults.push("lost");
            0
        } else if self.rng.chance(self.faults.duplicate) {
            self.report.duplicated += 1;
            faults.push("dup");
            2
        } else {
            1
        };
        for _ in 0..copies {
            let mut copy = bytes.clone();
            let flipped = self.rng.chance(self.faults.bit_flip);
            if flipped {
                let bit = self.rng.below(copy.len() * 8);
                if let Some(b) = copy.get_mut(bit / 8) {
                    *b ^= 1 << (bit % 8);
                }
                self.report.bit_flipped += 1;
                faults.push("flip");
            }
            if self.rng.chance(self.faults.truncate) {
                copy.truncate(self.rng.below(copy.len()));
                self.report.truncated += 1;
                faults.push("cut");
            }
            let due = tick + 1 + self.rng.below(self.faults.max_delay + 1);
            self.order += 1;
            if let Some(link) = self.links.get_mut(l) {
                link.queue.push(InFlight { due, order: self.order, bytes: copy, flipped });
            }
        }
        if let Some(&Link { from, to, .. }) = self.links.get(l) {
            let (faults, bytes) = (faults.join(" "), bytes.len());
            self.log(from, to, Event { tick, kind, bytes, carries, fate: Fate::Sent, faults, ..Event::default() });
        }
    }

    /// Keeps `event` from node `from` to node `to` when narrating.
    fn log(&mut self, from: usize, to: usize, event: Event) {
        if self.narrate {
            let (from, to) = (self.name(from), self.name(to));
            self.events.push(Event { from, to, ..event });
        }
    }

    fn name(&self, i: usize) -> String {
        self.nodes.get(i).map_or_else(String::new, |n| n.name.clone())
    }

    /// Hands every copy due on link `l` to its receiver.
    fn deliver(&mut self, l: usize, tick: usize) {
        let Some(link) = self.links.get_mut(l) else { return };
        let (from, to) = (link.from, link.to);
        let mut due: Vec<InFlight> = Vec::new();
        let mut waiting = Vec::new();
        for f in link.queue.drain(..) {
            if f.due <= tick {
                due.push(f);
            } else {
                waiting.push(f);
            }
        }
        link.queue = waiting;
        due.sort_by_key(|f| (f.due, f.order));
        let sender = self.nodes.get(from).map(|n| n.origin);
        for copy in due {
            match self.profile.framing {
                Framing::Message if copy.flipped => self.report.dropped_by_link += 1,
                Framing::Message => self.receive(from, to, sender, &copy.bytes, tick),
                Framing::Stream => {
                    let mut frames = Vec::new();
                    let mut rejected = Vec::new();
                    if let Some(link) = self.links.get_mut(l) {
                        let mut input = copy.bytes.as_slice();
                        while !input.is_empty() {
                            input = match link.decoder.feed(input) {
                                Feed::Consumed => &[],
                                Feed::Frame { frame, remaining } => {
                                    frames.push(frame.to_vec());
                                    remaining
                                }
                                Feed::Rejected { error, remaining } => {
                                    rejected.push(error);
                                    remaining
                                }
                            };
                        }
                    }
                    for e in rejected {
                        self.reject(from, to, e, copy.bytes.len(), tick);
                    }
                    for f in frames {
                        self.receive(from, to, None, &f, tick);
                    }
                }
            }
        }
    }

    fn reject(&mut self, from: usize, to: usize, e: Error, bytes: usize, tick: usize) {
        *self.report.rejected.entry(std::format!("{e:?}")).or_default() += 1;
        let kind = FrameKind::Records;
        self.log(from, to, Event { tick, kind, bytes, fate: Fate::Rejected(e), ..Event::default() });
    }

    /// A frame that made it through the link's framing.
    fn receive(&mut self, from: usize, to: usize, link_sender: Option<u32>, frame: &[u8], tick: usize) {
        let header = match Header::parse(frame, link_sender) {
            Ok(h) => h,
            Err(e) => return self.reject(from, to, e, frame.len(), tick),
        };
        let Some(node) = self.nodes.get_mut(to) else { return };
        let fate = match header.kind {
            FrameKind::Records => match node.store.apply_frame(frame, link_sender) {
                Ok(a) => {
                    if let Some(nb) = node.neighbours.iter_mut().find(|nb| nb.node == from) {
                        let _ = frame::read_records(frame, link_sender, |r| {
                            nb.heard.insert(r.key(), r.revision());
                            Ok(())
                        });
                    }
                    self.report.delivered += a.inserted + a.replaced;
                    Fate::Applied { new: a.inserted + a.replaced, kept: a.kept }
                }
                Err(e) => return self.reject(from, to, e, frame.len(), tick),
            },
            FrameKind::Summary => match Summary::parse(frame, link_sender) {
                Ok(summary) => {
                    // Stores only grow, so claims stay true: of two summaries keep the one that
                    // claims more, which drops old ones the link delivered late.
                    let Some(nb) = node.neighbours.iter_mut().find(|nb| nb.node == from) else { return };
                    let last = nb.summary.as_deref().and_then(|s| Summary::parse(s, None).ok());
                    if last.is_none_or(|last| last.held() <= summary.held()) {
                        nb.summary = Some(frame.to_vec());
                        Fate::SummaryRead
                    } else {
                        Fate::SummaryStale
                    }
                }
                Err(e) => return self.reject(from, to, e, frame.len(), tick),
            },
        };
        let (kind, bytes) = (header.kind, frame.len());
        self.log(from, to, Event { tick, kind, bytes, fate, ..Event::default() });
    }
}

/// "exchange 1/1, count 1/2, source 3" for the records under `keys`.
fn describe<const N: usize>(store: &FixedStore<N>, keys: &[Key]) -> String {
    let names: Vec<String> = keys
        .iter()
        .map(|k| match (store.get(*k).map(Record::kind), k) {
            (_, Key::Source(s)) => std::format!("source {s}"),
            (Some(Kind::Count), Key::Report(id)) => std::format!("count {}/{}", id.origin, id.seq),
            (_, Key::Report(id)) => std::format!("exchange {}/{}", id.origin, id.seq),
        })
        .collect();
    names.join(", ")
}
