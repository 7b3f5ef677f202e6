//! The Count record: a tally at a point in time.

use crate::codes::{Grade, Population};
use crate::date::Date;
use crate::error::{invalid, Error, Field, Reason};
use crate::exchange::RecordId;
use crate::party::Party;
use crate::quantity::{Qualifier, Quantity};

/// A tally as one source reported it: how many of a population, held by whom, of whose people,
/// as of when.
///
/// ```
/// use swapwire::{Codec, Count, Date, Party, Population, Quantity};
/// // "Moscow holds over 16,000 Ukrainian civilians" (seed 000, 2025-03-06)
/// let mut c = Count::new(1, 2, Population::CiviliansHeld, Party::UA);
/// c.holder = Some(Party::RU);
/// c.quantity = Quantity::AtLeast(16_000);
/// c.date = Date::Day(2025, 3, 6);
/// c.source = 2;
/// c.grade = "B2".parse().unwrap();
/// assert_eq!(c.encoded_len(), 14);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Count {
    /// The device or desk that wrote the record.
    pub origin: u32,
    /// The record's number at its origin, in one sequence with the origin's Exchanges: an
    /// Exchange and a Count with the same `origin` and `seq` are the same key to a store, which
    /// keeps only one of them (the higher revision; at equal revisions the greater encoding).
    /// Never issue two different records under one key and revision: a change is a new revision.
    pub seq: u32,
    /// Grows with each correction; 0 is the first version.
    pub revision: u32,
    /// A retracted record is a tombstone: it stays, marked withdrawn.
    pub retracted: bool,
    /// What is counted.
    pub population: Population,
    /// The date the tally holds for ("as of"), at the precision known.
    pub date: Date,
    /// Who holds them, when stated (none for, say, missing persons).
    pub holder: Option<Party>,
    /// Whose people they are.
    pub people: Party,
    /// How many, as stated. Never "all".
    pub quantity: Quantity,
    /// Key of the [`Source`](crate::Source) that reported it.
    pub source: u32,
    /// Admiralty grading of the report.
    pub grade: Grade,
}

impl Count {
    /// A tally with nothing known but what it counts and whose people they are, graded F6
    /// (unjudged) and citing source key 0: fill in the rest.
    pub const fn new(origin: u32, seq: u32, population: Population, people: Party) -> Self {
        Count {
            origin,
            seq,
            revision: 0,
            retracted: false,
            population,
            date: Date::Unknown,
            holder: None,
            people,
            quantity: Quantity::Unknown,
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
        self.quantity.check().map_err(|r| invalid(Field::Quantity, r))?;
        if self.quantity.qualifier() == Qualifier::All {
            return Err(invalid(Field::Quantity, Reason::NotAllowed));
        }
        Ok(())
    }
}
