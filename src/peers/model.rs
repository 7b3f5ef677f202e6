//! The shape the records take in the serde formats (JSON, CBOR, MessagePack) and in the two
//! derive-based binary formats (bincode 2, bitcode): what a Rust developer would write with
//! `#[derive(Serialize, Deserialize)]` and the crates' own derives, with no hand tuning.
//!
//! Fields are named (the serde formats write them as map keys), codes are enums (names in the
//! serde formats, variant indexes in bincode and bitcode), optional and list fields are left out
//! of the serde maps when empty, and parties are their two-letter code (a string in the serde
//! formats, two bytes in bincode and bitcode). Decoding checks every model invariant on the way
//! back to a [`crate::Record`], as swapwire's own decoder does.

use std::string::String;
use std::vec::Vec;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate as sw;
use crate::error::{invalid, Error, Field, Reason};

/// Derives shared by every type of the model. (Enums with tuple variants spell the derives out:
/// bincode's derive loses its field names when expanded inside `macro_rules!`.)
macro_rules! model {
    ($item:item) => {
        #[derive(
            Debug,
            Clone,
            PartialEq,
            Serialize,
            Deserialize,
            bincode::Encode,
            bincode::Decode,
            bitcode::Encode,
            bitcode::Decode,
        )]
        $item
    };
}

/// Declares a model enum with the same variants as a core code enum, and the conversions both
/// ways (total in both directions: the variant sets are the same).
macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident = $core:path { $($variant:ident),+ $(,)? }) => {
        model! {
            $(#[$meta])*
            #[doc = concat!("The model form of [`", stringify!($core), "`].")]
            pub(crate) enum $name { $($variant),+ }
        }

        impl From<$core> for $name {
            fn from(c: $core) -> Self {
                use $core as C;
                match c { $(C::$variant => $name::$variant),+ }
            }
        }

        impl From<$name> for $core {
            fn from(m: $name) -> Self {
                use $core as C;
                match m { $($name::$variant => C::$variant),+ }
            }
        }
    };
}

mirror_enum!(
    #[serde(rename_all = "snake_case")]
    Status = sw::Status { Proposed, Agreed, Completed, Cancelled, Refused, Demanded }
);
mirror_enum!(
    #[serde(rename_all = "snake_case")]
    Handover = sw::Handover { Living, Remains }
);
mirror_enum!(
    #[serde(rename_all = "snake_case")]
    Category = sw::Category { Military, Civilians, Wounded, Women, Children, Foreign }
);
mirror_enum!(
    #[serde(rename_all = "snake_case")]
    Population = sw::Population {
        PrisonersOfWar,
        CiviliansHeld,
        ChildrenDeported,
        Missing,
        ReturnedSoFar,
        DiedInCaptivity,
        Remains,
    }
);
mirror_enum!(
    #[serde(rename_all = "snake_case")]
    SourceKind = sw::SourceKind { Government, Ombudsman, Military, Media, Organisation, Mediator, Public }
);
mirror_enum!(Reliability = sw::Reliability { A, B, C, D, E, F });
mirror_enum!(
    #[serde(rename_all = "snake_case")]
    Credibility = sw::Credibility { Confirmed, Probable, Possible, Doubtful, Improbable, Unjudged }
);

/// The model form of [`sw::Quantity`].
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, bincode::Encode, bincode::Decode, bitcode::Encode, bitcode::Decode,
)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Quantity {
    Unknown,
    Undisclosed,
    Exact(u32),
    AtLeast(u32),
    AtMost(u32),
    Approx(u32),
    Range(u32, u32),
    All,
}

impl From<sw::Quantity> for Quantity {
    fn from(q: sw::Quantity) -> Self {
        use sw::Quantity as Q;
        match q {
            Q::Unknown => Quantity::Unknown,
            Q::Undisclosed => Quantity::Undisclosed,
            Q::Exact(n) => Quantity::Exact(n),
            Q::AtLeast(n) => Quantity::AtLeast(n),
            Q::AtMost(n) => Quantity::AtMost(n),
            Q::Approx(n) => Quantity::Approx(n),
            Q::Range(lo, hi) => Quantity::Range(lo, hi),
            Q::All => Quantity::All,
        }
    }
}

impl From<Quantity> for sw::Quantity {
    fn from(q: Quantity) -> Self {
        use sw::Quantity as Q;
        match q {
            Quantity::Unknown => Q::Unknown,
            Quantity::Undisclosed => Q::Undisclosed,
            Quantity::Exact(n) => Q::Exact(n),
            Quantity::AtLeast(n) => Q::AtLeast(n),
            Quantity::AtMost(n) => Q::AtMost(n),
            Quantity::Approx(n) => Q::Approx(n),
            Quantity::Range(lo, hi) => Q::Range(lo, hi),
            Quantity::All => Q::All,
        }
    }
}

/// The model form of [`sw::Date`].
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, bincode::Encode, bincode::Decode, bitcode::Encode, bitcode::Decode,
)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Date {
    Unknown,
    Year(u16),
    Month(u16, u8),
    Day(u16, u8, u8),
}

impl From<sw::Date> for Date {
    fn from(d: sw::Date) -> Self {
        match d {
            sw::Date::Unknown => Date::Unknown,
            sw::Date::Year(y) => Date::Year(y),
            sw::Date::Month(y, m) => Date::Month(y, m),
            sw::Date::Day(y, m, d) => Date::Day(y, m, d),
        }
    }
}

impl From<Date> for sw::Date {
    fn from(d: Date) -> Self {
        match d {
            Date::Unknown => sw::Date::Unknown,
            Date::Year(y) => sw::Date::Year(y),
            Date::Month(y, m) => sw::Date::Month(y, m),
            Date::Day(y, m, d) => sw::Date::Day(y, m, d),
        }
    }
}

/// A party by its two ASCII letters: a two-character string in the serde formats.
#[derive(Debug, Clone, Copy, PartialEq, bincode::Encode, bincode::Decode, bitcode::Encode, bitcode::Decode)]
pub(crate) struct Party(pub [u8; 2]);

impl From<sw::Party> for Party {
    fn from(p: sw::Party) -> Self {
        Party(p.code())
    }
}

impl Party {
    fn check(self, field: Field) -> Result<sw::Party, Error> {
        sw::Party::new(self.0).map_err(|r| invalid(field, r))
    }
}

impl Serialize for Party {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Built from a valid party or decoded from two letters: always ASCII.
        s.serialize_str(core::str::from_utf8(&self.0).map_err(serde::ser::Error::custom)?)
    }
}

impl<'de> Deserialize<'de> for Party {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CodeVisitor;
        impl Visitor<'_> for CodeVisitor {
            type Value = Party;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a two-letter country code")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Party, E> {
                match *v.as_bytes() {
                    [a, b] => Ok(Party([a, b])),
                    _ => Err(E::invalid_length(v.len(), &self)),
                }
            }
        }
        d.deserialize_str(CodeVisitor)
    }
}

model! {
    /// The model form of [`sw::Grade`].
    pub(crate) struct Grade {
        reliability: Reliability,
        credibility: Credibility,
    }
}

model! {
    /// The model form of [`sw::RecordId`].
    pub(crate) struct RecordId {
        origin: u32,
        seq: u32,
    }
}

model! {
    /// The model form of [`sw::Part`].
    pub(crate) struct Part {
        category: Category,
        quantity: Quantity,
    }
}

model! {
    /// The model form of [`sw::Exchange`].
    pub(crate) struct Exchange {
        origin: u32,
        seq: u32,
        revision: u32,
        retracted: bool,
        status: Status,
        date: Date,
        handover: Handover,
        side_a: Party,
        side_b: Party,
        total: Quantity,
        to_a: Quantity,
        to_b: Quantity,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        composition_a: Vec<Part>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        composition_b: Vec<Part>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        mediators: Vec<Party>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        part_of: Option<RecordId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        same_as: Option<RecordId>,
        source: u32,
        grade: Grade,
    }
}

model! {
    /// The model form of [`sw::Count`].
    pub(crate) struct Count {
        origin: u32,
        seq: u32,
        revision: u32,
        retracted: bool,
        population: Population,
        date: Date,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        holder: Option<Party>,
        people: Party,
        quantity: Quantity,
        source: u32,
        grade: Grade,
    }
}

model! {
    /// The model form of [`sw::Source`].
    pub(crate) struct Source {
        key: u32,
        revision: u32,
        retracted: bool,
        kind: SourceKind,
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        via: Option<u32>,
    }
}

/// The model form of [`sw::Record`]: serde's default externally tagged enum.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, bincode::Encode, bincode::Decode, bitcode::Encode, bitcode::Decode,
)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Record {
    Exchange(Exchange),
    Count(Count),
    Source(Source),
}

fn grade(g: sw::Grade) -> Grade {
    Grade { reliability: g.reliability.into(), credibility: g.credibility.into() }
}

fn parts(c: &sw::Composition) -> Vec<Part> {
    c.parts().map(|p| Part { category: p.category.into(), quantity: p.quantity.into() }).collect()
}

fn composition(parts: Vec<Part>, field: Field) -> Result<sw::Composition, Error> {
    let mut c = sw::Composition::new();
    for p in parts {
        let category = p.category.into();
        if c.get(category).is_some() {
            return Err(invalid(field, Reason::Duplicate));
        }
        c.set(category, p.quantity.into());
    }
    Ok(c)
}

impl From<&sw::Record> for Record {
    fn from(r: &sw::Record) -> Self {
        match r {
            sw::Record::Exchange(x) => Record::Exchange(Exchange {
                origin: x.origin,
                seq: x.seq,
                revision: x.revision,
                retracted: x.retracted,
                status: x.status.into(),
                date: x.date.into(),
                handover: x.handover.into(),
                side_a: x.side_a.into(),
                side_b: x.side_b.into(),
                total: x.total.into(),
                to_a: x.to_a.into(),
                to_b: x.to_b.into(),
                composition_a: parts(&x.composition_a),
                composition_b: parts(&x.composition_b),
                mediators: x.mediators.iter().map(|&m| m.into()).collect(),
                part_of: x.part_of.map(|p| RecordId { origin: p.origin, seq: p.seq }),
                same_as: x.same_as.map(|p| RecordId { origin: p.origin, seq: p.seq }),
                source: x.source,
                grade: grade(x.grade),
            }),
            sw::Record::Count(c) => Record::Count(Count {
                origin: c.origin,
                seq: c.seq,
                revision: c.revision,
                retracted: c.retracted,
                population: c.population.into(),
                date: c.date.into(),
                holder: c.holder.map(Party::from),
                people: c.people.into(),
                quantity: c.quantity.into(),
                source: c.source,
                grade: grade(c.grade),
            }),
            sw::Record::Source(s) => Record::Source(Source {
                key: s.key,
                revision: s.revision,
                retracted: s.retracted,
                kind: s.kind.into(),
                name: s.name.as_str().into(),
                via: s.via,
            }),
        }
    }
}

impl TryFrom<Record> for sw::Record {
    type Error = Error;

    /// Builds the core record and checks it as swapwire's decoder does.
    fn try_from(r: Record) -> Result<Self, Error> {
        let record = match r {
            Record::Exchange(x) => {
                let mut mediators = heapless::Vec::new();
                for m in x.mediators {
                    mediators
                        .push(m.check(Field::Mediators)?)
                        .map_err(|_| invalid(Field::Mediators, Reason::TooLong))?;
                }
                sw::Record::Exchange(sw::Exchange {
                    origin: x.origin,
                    seq: x.seq,
                    revision: x.revision,
                    retracted: x.retracted,
                    status: x.status.into(),
                    date: x.date.into(),
                    handover: x.handover.into(),
                    side_a: x.side_a.check(Field::SideA)?,
                    side_b: x.side_b.check(Field::SideB)?,
                    total: x.total.into(),
                    to_a: x.to_a.into(),
                    to_b: x.to_b.into(),
                    composition_a: composition(x.composition_a, Field::CompositionA)?,
                    composition_b: composition(x.composition_b, Field::CompositionB)?,
                    mediators,
                    part_of: x.part_of.map(|p| sw::RecordId { origin: p.origin, seq: p.seq }),
                    same_as: x.same_as.map(|p| sw::RecordId { origin: p.origin, seq: p.seq }),
                    source: x.source,
                    grade: sw::Grade::new(x.grade.reliability.into(), x.grade.credibility.into()),
                })
            }
            Record::Count(c) => sw::Record::Count(sw::Count {
                origin: c.origin,
                seq: c.seq,
                revision: c.revision,
                retracted: c.retracted,
                population: c.population.into(),
                date: c.date.into(),
                holder: c.holder.map(|h| h.check(Field::Holder)).transpose()?,
                people: c.people.check(Field::People)?,
                quantity: c.quantity.into(),
                source: c.source,
                grade: sw::Grade::new(c.grade.reliability.into(), c.grade.credibility.into()),
            }),
            Record::Source(s) => sw::Record::Source(sw::Source {
                key: s.key,
                revision: s.revision,
                retracted: s.retracted,
                kind: s.kind.into(),
                name: crate::Name::new(&s.name)?,
                via: s.via,
            }),
        };
        record.validate()?;
        Ok(record)
    }
}
