//! The Exchange record: one report of a prisoner exchange, or of its proposal, refusal, agreement
//! or cancellation.

use heapless::Vec;
use serde::Serialize;

use crate::codes::{Grade, Handover, Status};
use crate::composition::Composition;
use crate::date::Date;
use crate::error::{invalid, Error, Field, Reason};
use crate::party::Party;
use crate::quantity::Quantity;

/// How many mediators an exchange can name.
pub const MAX_MEDIATORS: usize = 3;

/// The identity of a report: the device or desk that wrote it, and its number there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RecordId {
    /// The writer of the record.
    pub origin: u32,
    /// The record's number at its origin: Exchanges and Counts of one origin share one
    /// sequence, so an id names at most one report.
    pub seq: u32,
}

/// One prisoner exchange between two parties as one source reported it at one time.
///
/// `to_a` is how many were returned to `side_a` (released by `side_b`), `to_b` the reverse, and
/// `total` the figure for both directions when the source gives one ("314 prisoners"), so an
/// agreed exchange whose split was not disclosed keeps its total. For a proposal, `side_a` is
/// the proposing party; for a refused proposal, too (`side_b` refused it).
///
/// An exchange carried out in stages is one agreement plus one completed record per stage, each
/// stage pointing at the agreement through `part_of`. Two reports of one exchange (one source
/// announcing it, another confirming it) are two records, the later pointing at the first through
/// `same_as`: a tally counts only the reports whose `same_as` is `None`.
///
/// ```
/// use swapwire::{Codec, Date, Exchange, Grade, Party, Quantity, Status};
/// let mut x = Exchange::new(1, 1, Party::UA, Party::RU);
/// x.status = Status::Completed;
/// x.date = Date::Day(2025, 2, 5);
/// x.to_a = Quantity::Exact(150);
/// x.source = 1;
/// x.grade = "B2".parse().unwrap();
/// let mut buf = [0u8; Exchange::MAX_SIZE];
/// let n = x.encode(&mut buf).unwrap();
/// assert_eq!(n, 15);
/// assert_eq!(Exchange::decode(&buf[..n]).unwrap(), x);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Exchange {
    /// The device or desk that wrote the record.
    pub origin: u32,
    /// The record's number at its origin, in one sequence with the origin's Counts: an
    /// Exchange and a Count with the same `origin` and `seq` are the same key to a store, which
    /// keeps only one of them (the higher revision; at equal revisions the greater encoding).
    /// Never issue two different records under one key and revision: a change is a new revision.
    pub seq: u32,
    /// Grows with each correction; 0 is the first version.
    pub revision: u32,
    /// A retracted record is a tombstone: it stays, marked withdrawn.
    pub retracted: bool,
    /// Proposed, agreed, completed, cancelled, refused or demanded.
    pub status: Status,
    /// When it happened (or was proposed or agreed), at the precision known.
    pub date: Date,
    /// Living people or remains.
    pub handover: Handover,
    /// One party.
    pub side_a: Party,
    /// The other party.
    pub side_b: Party,
    /// Both directions together, when the source states it.
    pub total: Quantity,
    /// Returned to `side_a`.
    pub to_a: Quantity,
    /// Returned to `side_b`.
    pub to_b: Quantity,
    /// Who was returned to `side_a`, by category.
    pub composition_a: Composition,
    /// Who was returned to `side_b`, by category.
    pub composition_b: Composition,
    /// Mediating countries, in the order reported.
    pub mediators: Vec<Party, MAX_MEDIATORS, u8>,
    /// The agreement this record carries out a stage of.
    pub part_of: Option<RecordId>,
    /// Another report of the same exchange (the same event, told by another source or at another
    /// time). Point it at the first report you hold of that event, so that a tally counts each
    /// exchange once by skipping reports whose `same_as` is set.
    pub same_as: Option<RecordId>,
    /// Key of the [`Source`](crate::Source) that reported it.
    pub source: u32,
    /// Admiralty grading of the report.
    pub grade: Grade,
}

impl Exchange {
    /// A proposed exchange of living people between two parties with nothing else known yet,
    /// graded F6 (unjudged) and citing source key 0: fill in the rest.
    pub const fn new(origin: u32, seq: u32, side_a: Party, side_b: Party) -> Self {
        Exchange {
            origin,
            seq,
            revision: 0,
            retracted: false,
            status: Status::Proposed,
            date: Date::Unknown,
            handover: Handover::Living,
            side_a,
            side_b,
            total: Quantity::Unknown,
            to_a: Quantity::Unknown,
            to_b: Quantity::Unknown,
            composition_a: Composition::new(),
            composition_b: Composition::new(),
            mediators: Vec::new(),
            part_of: None,
            same_as: None,
            source: 0,
            grade: Grade::UNJUDGED,
        }
    }

    /// The record's identity.
    pub const fn id(&self) -> RecordId {
        RecordId { origin: self.origin, seq: self.seq }
    }

    /// Checks every invariant; decoders call this on everything they accept.
    pub fn validate(&self) -> Result<(), Error> {
        self.date.check().map_err(|r| invalid(Field::Date, r))?;
        if self.side_a == self.side_b {
            return Err(invalid(Field::SideB, Reason::SameParty));
        }
        let (total_lower, total_upper) = self.total.bounds().map_err(|r| invalid(Field::Total, r))?;
        let (a_lower, a_upper) = self.to_a.bounds().map_err(|r| invalid(Field::ToA, r))?;
        let (b_lower, b_upper) = self.to_b.bounds().map_err(|r| invalid(Field::ToB, r))?;
        if matches!(self.total, Quantity::All) {
            return Err(invalid(Field::Total, Reason::NotAllowed));
        }
        if a_lower + b_lower > total_upper {
            return Err(invalid(Field::Total, Reason::PartsExceedTotal));
        }
        // Only when both sides give an upper bound: otherwise the sum saturates to "no bound".
        if a_upper.saturating_add(b_upper) < total_lower {
            return Err(invalid(Field::Total, Reason::SidesBelowTotal));
        }
        self.composition_a.check_within(a_upper).map_err(|r| invalid(Field::CompositionA, r))?;
        self.composition_b.check_within(b_upper).map_err(|r| invalid(Field::CompositionB, r))?;
        // Each mediator against those before it, then against the parties.
        for (i, m) in self.mediators.iter().enumerate() {
            if self.mediators.get(..i).unwrap_or_default().contains(m) {
                return Err(invalid(Field::Mediators, Reason::Duplicate));
            }
            if *m == self.side_a || *m == self.side_b {
                return Err(invalid(Field::Mediators, Reason::SameParty));
            }
        }
        if self.part_of == Some(self.id()) {
            return Err(invalid(Field::PartOf, Reason::SelfReference));
        }
        if self.same_as == Some(self.id()) {
            return Err(invalid(Field::SameAs, Reason::SelfReference));
        }
        // A stage is not the same event as the agreement it carries out.
        if self.same_as.is_some() && self.same_as == self.part_of {
            return Err(invalid(Field::SameAs, Reason::Duplicate));
        }
        Ok(())
    }
}
