//! The Protocol Buffers shape of the records, as `prost` derives it from hand-written structs
//! (no `protoc`). The schema, in `.proto` terms:
//!
//! ```text
//! message Record   { oneof kind { Exchange exchange = 1; Count count = 2; Source source = 3; } }
//! message Quantity { Qualifier qualifier = 1; uint32 value = 2; uint32 high = 3; }
//! message Date     { Precision precision = 1; uint32 year = 2; uint32 month = 3; uint32 day = 4; }
//! message RecordId { uint32 origin = 1; uint32 seq = 2; }
//! message Part     { Category category = 1; Quantity quantity = 2; }
//! message Exchange {
//!   uint32 origin = 1; uint32 seq = 2; uint32 revision = 3; bool retracted = 4; Status status = 5;
//!   Date date = 6; Handover handover = 7; string side_a = 8; string side_b = 9;
//!   Quantity total = 10; Quantity to_a = 11; Quantity to_b = 12;
//!   repeated Part composition_a = 13; repeated Part composition_b = 14; repeated string mediators = 15;
//!   optional RecordId part_of = 16; optional RecordId same_as = 20; uint32 source = 17;
//!   Reliability reliability = 18; Credibility credibility = 19;
//! }
//! message Count {
//!   uint32 origin = 1; uint32 seq = 2; uint32 revision = 3; bool retracted = 4;
//!   Population population = 5; Date date = 6; string holder = 7; string people = 8;
//!   Quantity quantity = 9; uint32 source = 10; Reliability reliability = 11; Credibility credibility = 12;
//! }
//! message Source {
//!   uint32 key = 1; uint32 revision = 2; bool retracted = 3; SourceKind kind = 4; string name = 5;
//!   optional uint32 via = 6;
//! }
//! ```
//!
//! Enums carry the same numbers as swapwire's codes (`Credibility` keeps 0 as "unspecified", as
//! proto3 asks, so its values are 1 to 6). An absent `Date` or `Quantity` message means unknown,
//! an empty `holder` none, as proto3 readers expect.

use std::string::String;
use std::vec::Vec;

use crate as sw;
use crate::error::{invalid, Error, Field, Reason};

/// Declares a proto3 enum whose numbers are a core code enum's codes.
macro_rules! proto_enum {
    ($name:ident { $($variant:ident = $n:literal),+ $(,)? }) => {
        #[doc = concat!("The protobuf form of `", stringify!($name), "`.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
        #[repr(i32)]
        pub(crate) enum $name { $($variant = $n),+ }
    };
}

proto_enum!(Status { Proposed = 0, Agreed = 1, Completed = 2, Cancelled = 3, Refused = 4, Demanded = 5 });
proto_enum!(Handover { Living = 0, Remains = 1 });
proto_enum!(Category { Military = 0, Civilians = 1, Wounded = 2, Women = 3, Children = 4, Foreign = 5 });
proto_enum!(Population {
    PrisonersOfWar = 0,
    CiviliansHeld = 1,
    ChildrenDeported = 2,
    Missing = 3,
    ReturnedSoFar = 4,
    DiedInCaptivity = 5,
    Remains = 6,
});
proto_enum!(SourceKind {
    Government = 0,
    Ombudsman = 1,
    Military = 2,
    Media = 3,
    Organisation = 4,
    Mediator = 5,
    Public = 6,
});
proto_enum!(Reliability { A = 0, B = 1, C = 2, D = 3, E = 4, F = 5 });
proto_enum!(Credibility {
    Unspecified = 0,
    Confirmed = 1,
    Probable = 2,
    Possible = 3,
    Doubtful = 4,
    Improbable = 5,
    Unjudged = 6,
});
proto_enum!(Qualifier { Unknown = 0, Undisclosed = 1, Exact = 2, AtLeast = 3, AtMost = 4, Approx = 5, Range = 6, All = 7 });
proto_enum!(Precision { Unknown = 0, Year = 1, Month = 2, Day = 3 });

/// The protobuf form of [`sw::Quantity`].
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Quantity {
    #[prost(enumeration = "Qualifier", tag = "1")]
    pub qualifier: i32,
    #[prost(uint32, tag = "2")]
    pub value: u32,
    #[prost(uint32, tag = "3")]
    pub high: u32,
}

/// The protobuf form of [`sw::Date`].
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Date {
    #[prost(enumeration = "Precision", tag = "1")]
    pub precision: i32,
    #[prost(uint32, tag = "2")]
    pub year: u32,
    #[prost(uint32, tag = "3")]
    pub month: u32,
    #[prost(uint32, tag = "4")]
    pub day: u32,
}

/// The protobuf form of [`sw::RecordId`].
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct RecordId {
    #[prost(uint32, tag = "1")]
    pub origin: u32,
    #[prost(uint32, tag = "2")]
    pub seq: u32,
}

/// The protobuf form of [`sw::Part`].
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Part {
    #[prost(enumeration = "Category", tag = "1")]
    pub category: i32,
    #[prost(message, optional, tag = "2")]
    pub quantity: Option<Quantity>,
}

/// The protobuf form of [`sw::Exchange`].
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Exchange {
    #[prost(uint32, tag = "1")]
    pub origin: u32,
    #[prost(uint32, tag = "2")]
    pub seq: u32,
    #[prost(uint32, tag = "3")]
    pub revision: u32,
    #[prost(bool, tag = "4")]
    pub retracted: bool,
    #[prost(enumeration = "Status", tag = "5")]
    pub status: i32,
    #[prost(message, optional, tag = "6")]
    pub date: Option<Date>,
    #[prost(enumeration = "Handover", tag = "7")]
    pub handover: i32,
    #[prost(string, tag = "8")]
    pub side_a: String,
    #[prost(string, tag = "9")]
    pub side_b: String,
    #[prost(message, optional, tag = "10")]
    pub total: Option<Quantity>,
    #[prost(message, optional, tag = "11")]
    pub to_a: Option<Quantity>,
    #[prost(message, optional, tag = "12")]
    pub to_b: Option<Quantity>,
    #[prost(message, repeated, tag = "13")]
    pub composition_a: Vec<Part>,
    #[prost(message, repeated, tag = "14")]
    pub composition_b: Vec<Part>,
    #[prost(string, repeated, tag = "15")]
    pub mediators: Vec<String>,
    #[prost(message, optional, tag = "16")]
    pub part_of: Option<RecordId>,
    #[prost(message, optional, tag = "20")]
    pub same_as: Option<RecordId>,
    #[prost(uint32, tag = "17")]
    pub source: u32,
    #[prost(enumeration = "Reliability", tag = "18")]
    pub reliability: i32,
    #[prost(enumeration = "Credibility", tag = "19")]
    pub credibility: i32,
}

/// The protobuf form of [`sw::Count`].
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Count {
    #[prost(uint32, tag = "1")]
    pub origin: u32,
    #[prost(uint32, tag = "2")]
    pub seq: u32,
    #[prost(uint32, tag = "3")]
    pub revision: u32,
    #[prost(bool, tag = "4")]
    pub retracted: bool,
    #[prost(enumeration = "Population", tag = "5")]
    pub population: i32,
    #[prost(message, optional, tag = "6")]
    pub date: Option<Date>,
    #[prost(string, tag = "7")]
    pub holder: String,
    #[prost(string, tag = "8")]
    pub people: String,
    #[prost(message, optional, tag = "9")]
    pub quantity: Option<Quantity>,
    #[prost(uint32, tag = "10")]
    pub source: u32,
    #[prost(enumeration = "Reliability", tag = "11")]
    pub reliability: i32,
    #[prost(enumeration = "Credibility", tag = "12")]
    pub credibility: i32,
}

/// The protobuf form of [`sw::Source`].
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Source {
    #[prost(uint32, tag = "1")]
    pub key: u32,
    #[prost(uint32, tag = "2")]
    pub revision: u32,
    #[prost(bool, tag = "3")]
    pub retracted: bool,
    #[prost(enumeration = "SourceKind", tag = "4")]
    pub kind: i32,
    #[prost(string, tag = "5")]
    pub name: String,
    #[prost(uint32, optional, tag = "6")]
    pub via: Option<u32>,
}

/// The protobuf form of [`sw::Record`].
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Record {
    #[prost(oneof = "Kind", tags = "1, 2, 3")]
    pub kind: Option<Kind>,
}

/// The `oneof` of [`Record`].
#[derive(Clone, PartialEq, prost::Oneof)]
pub(crate) enum Kind {
    #[prost(message, tag = "1")]
    Exchange(Exchange),
    #[prost(message, tag = "2")]
    Count(Count),
    #[prost(message, tag = "3")]
    Source(Source),
}

fn quantity(q: &sw::Quantity) -> Option<Quantity> {
    match q {
        sw::Quantity::Unknown => None,
        q => Some(Quantity { qualifier: q.qualifier() as i32, value: q.value(), high: q.high() }),
    }
}

fn date(d: &sw::Date) -> Option<Date> {
    let (year, month, day) = d.parts();
    match d {
        sw::Date::Unknown => None,
        d => Some(Date { precision: d.precision() as i32, year: year.into(), month: month.into(), day: day.into() }),
    }
}

fn party(p: &sw::Party) -> String {
    p.as_str().into()
}

fn parts(c: &sw::Composition) -> Vec<Part> {
    c.parts().map(|p| Part { category: p.category as i32, quantity: quantity(&p.quantity) }).collect()
}

impl From<&sw::Record> for Record {
    fn from(r: &sw::Record) -> Self {
        let kind = match r {
            sw::Record::Exchange(x) => Kind::Exchange(Exchange {
                origin: x.origin,
                seq: x.seq,
                revision: x.revision,
                retracted: x.retracted,
                status: x.status as i32,
                date: date(&x.date),
                handover: x.handover as i32,
                side_a: party(&x.side_a),
                side_b: party(&x.side_b),
                total: quantity(&x.total),
                to_a: quantity(&x.to_a),
                to_b: quantity(&x.to_b),
                composition_a: parts(&x.composition_a),
                composition_b: parts(&x.composition_b),
                mediators: x.mediators.iter().map(party).collect(),
                part_of: x.part_of.map(|p| RecordId { origin: p.origin, seq: p.seq }),
                same_as: x.same_as.map(|p| RecordId { origin: p.origin, seq: p.seq }),
                source: x.source,
                reliability: x.grade.reliability as i32,
                credibility: x.grade.credibility as i32,
            }),
            sw::Record::Count(c) => Kind::Count(Count {
                origin: c.origin,
                seq: c.seq,
                revision: c.revision,
                retracted: c.retracted,
                population: c.population as i32,
                date: date(&c.date),
                holder: c.holder.as_ref().map(party).unwrap_or_default(),
                people: party(&c.people),
                quantity: quantity(&c.quantity),
                source: c.source,
                reliability: c.grade.reliability as i32,
                credibility: c.grade.credibility as i32,
            }),
            sw::Record::Source(s) => Kind::Source(Source {
                key: s.key,
                revision: s.revision,
                retracted: s.retracted,
                kind: s.kind as i32,
                name: s.name.as_str().into(),
                via: s.via,
            }),
        };
        Record { kind: Some(kind) }
    }
}

/// A proto3 enum value as a core code, if it is one.
fn code<T>(value: i32, from_code: fn(u8) -> Option<T>, field: Field) -> Result<T, Error> {
    u8::try_from(value).ok().and_then(from_code).ok_or(invalid(field, Reason::UnknownCode))
}

fn from_quantity(q: Option<Quantity>, field: Field) -> Result<sw::Quantity, Error> {
    match q {
        None => Ok(sw::Quantity::Unknown),
        Some(q) => {
            let qualifier = u8::try_from(q.qualifier).map_err(|_| invalid(field, Reason::UnknownCode))?;
            sw::Quantity::from_parts(qualifier, q.value, q.high).map_err(|r| invalid(field, r))
        }
    }
}

fn from_date(d: Option<Date>) -> Result<sw::Date, Error> {
    let Some(d) = d else { return Ok(sw::Date::Unknown) };
    let out_of_range = |_| invalid(Field::Date, Reason::OutOfRange);
    let precision = u8::try_from(d.precision).map_err(|_| invalid(Field::Date, Reason::UnknownCode))?;
    let (year, month, day) = (
        u16::try_from(d.year).map_err(out_of_range)?,
        u8::try_from(d.month).map_err(out_of_range)?,
        u8::try_from(d.day).map_err(out_of_range)?,
    );
    sw::Date::from_parts(precision, year, month, day).map_err(|r| invalid(Field::Date, r))
}

fn from_party(code: &str, field: Field) -> Result<sw::Party, Error> {
    match *code.as_bytes() {
        [a, b] => sw::Party::new([a, b]).map_err(|r| invalid(field, r)),
        _ => Err(invalid(field, Reason::UnknownCountry)),
    }
}

fn from_parts(parts: Vec<Part>, field: Field) -> Result<sw::Composition, Error> {
    let mut c = sw::Composition::new();
    for p in parts {
        let category = code(p.category, sw::Category::from_code, field)?;
        if c.get(category).is_some() {
            return Err(invalid(field, Reason::Duplicate));
        }
        c.set(category, from_quantity(p.quantity, field)?);
    }
    Ok(c)
}

fn from_grade(reliability: i32, credibility: i32) -> Result<sw::Grade, Error> {
    Ok(sw::Grade::new(
        code(reliability, sw::Reliability::from_code, Field::Grade)?,
        code(credibility, sw::Credibility::from_code, Field::Grade)?,
    ))
}

impl TryFrom<Record> for sw::Record {
    type Error = Error;

    /// Builds the core record and checks it as swapwire's decoder does.
    fn try_from(r: Record) -> Result<Self, Error> {
        let record = match r.kind.ok_or(Error::UnknownKind)? {
            Kind::Exchange(x) => {
                let mut mediators = heapless::Vec::new();
                for m in &x.mediators {
                    let m = from_party(m, Field::Mediators)?;
                    mediators.push(m).map_err(|_| invalid(Field::Mediators, Reason::TooLong))?;
                }
                sw::Record::Exchange(sw::Exchange {
                    origin: x.origin,
                    seq: x.seq,
                    revision: x.revision,
                    retracted: x.retracted,
                    status: code(x.status, sw::Status::from_code, Field::Status)?,
                    date: from_date(x.date)?,
                    handover: code(x.handover, sw::Handover::from_code, Field::Handover)?,
                    side_a: from_party(&x.side_a, Field::SideA)?,
                    side_b: from_party(&x.side_b, Field::SideB)?,
                    total: from_quantity(x.total, Field::Total)?,
                    to_a: from_quantity(x.to_a, Field::ToA)?,
                    to_b: from_quantity(x.to_b, Field::ToB)?,
                    composition_a: from_parts(x.composition_a, Field::CompositionA)?,
                    composition_b: from_parts(x.composition_b, Field::CompositionB)?,
                    mediators,
                    part_of: x.part_of.map(|p| sw::RecordId { origin: p.origin, seq: p.seq }),
                    same_as: x.same_as.map(|p| sw::RecordId { origin: p.origin, seq: p.seq }),
                    source: x.source,
                    grade: from_grade(x.reliability, x.credibility)?,
                })
            }
            Kind::Count(c) => sw::Record::Count(sw::Count {
                origin: c.origin,
                seq: c.seq,
                revision: c.revision,
                retracted: c.retracted,
                population: code(c.population, sw::Population::from_code, Field::Population)?,
                date: from_date(c.date)?,
                holder: if c.holder.is_empty() { None } else { Some(from_party(&c.holder, Field::Holder)?) },
                people: from_party(&c.people, Field::People)?,
                quantity: from_quantity(c.quantity, Field::Quantity)?,
                source: c.source,
                grade: from_grade(c.reliability, c.credibility)?,
            }),
            Kind::Source(s) => sw::Record::Source(sw::Source {
                key: s.key,
                revision: s.revision,
                retracted: s.retracted,
                kind: code(s.kind, sw::SourceKind::from_code, Field::Kind)?,
                name: crate::Name::new(&s.name)?,
                via: s.via,
            }),
        };
        record.validate()?;
        Ok(record)
    }
}
