//! The C structs: every field a plain integer, a fixed array or another such struct, so any bit
//! pattern C writes is a valid value on the Rust side and is checked when converted.
//!
//! Text codes are ASCII in NUL-terminated `char` arrays: a party is two upper-case letters
//! (`"UA"`), a grade a reliability letter and a credibility digit (`"B2"`). A zero-filled struct
//! reads as "nothing reported" wherever the model has such a value (unknown quantities, unknown
//! dates, no holder, no part-of, no composition, no mediators).

use core::ffi::c_char;

/// A two-letter ISO 3166-1 alpha-2 party code and its terminating NUL, e.g. `"UA"`.
pub type swapwire_party = [c_char; 3];

/// Record kind code: an Exchange.
pub const SWAPWIRE_KIND_EXCHANGE: u8 = 0;
/// Record kind code: a Count.
pub const SWAPWIRE_KIND_COUNT: u8 = 1;
/// Record kind code: a Source.
pub const SWAPWIRE_KIND_SOURCE: u8 = 2;

/// Exchange status code: put forward by at least one side, not agreed.
pub const SWAPWIRE_STATUS_PROPOSED: u8 = 0;
/// Exchange status code: agreed by both sides, not (yet) carried out.
pub const SWAPWIRE_STATUS_AGREED: u8 = 1;
/// Exchange status code: carried out.
pub const SWAPWIRE_STATUS_COMPLETED: u8 = 2;
/// Exchange status code: agreed, then not carried out.
pub const SWAPWIRE_STATUS_CANCELLED: u8 = 3;
/// Exchange status code: put forward by one side and refused by the other.
pub const SWAPWIRE_STATUS_REFUSED: u8 = 4;
/// Exchange status code: called for publicly by people who are not a side (families of
/// prisoners, protesters, organisations); neither side's position.
pub const SWAPWIRE_STATUS_DEMANDED: u8 = 5;

/// Handover code: living prisoners or detainees.
pub const SWAPWIRE_HANDOVER_LIVING: u8 = 0;
/// Handover code: bodies of the dead.
pub const SWAPWIRE_HANDOVER_REMAINS: u8 = 1;

/// Qualifier code: the source does not report the number (`value` and `high` must be 0).
pub const SWAPWIRE_QUALIFIER_UNKNOWN: u8 = 0;
/// Qualifier code: the source says the number was not disclosed (`value`, `high` 0).
pub const SWAPWIRE_QUALIFIER_UNDISCLOSED: u8 = 1;
/// Qualifier code: exactly `value`.
pub const SWAPWIRE_QUALIFIER_EXACT: u8 = 2;
/// Qualifier code: at least `value` ("over", "more than").
pub const SWAPWIRE_QUALIFIER_AT_LEAST: u8 = 3;
/// Qualifier code: at most `value` ("up to", "fewer than").
pub const SWAPWIRE_QUALIFIER_AT_MOST: u8 = 4;
/// Qualifier code: about `value`.
pub const SWAPWIRE_QUALIFIER_APPROX: u8 = 5;
/// Qualifier code: between `value` and `high` inclusive.
pub const SWAPWIRE_QUALIFIER_RANGE: u8 = 6;
/// Qualifier code: everyone held by the other side (`value`, `high` 0).
pub const SWAPWIRE_QUALIFIER_ALL: u8 = 7;

/// Date precision code: no date (`year`, `month`, `day` must be 0).
pub const SWAPWIRE_PRECISION_UNKNOWN: u8 = 0;
/// Date precision code: a year (`month`, `day` 0).
pub const SWAPWIRE_PRECISION_YEAR: u8 = 1;
/// Date precision code: a year and month (`day` 0).
pub const SWAPWIRE_PRECISION_MONTH: u8 = 2;
/// Date precision code: a calendar day.
pub const SWAPWIRE_PRECISION_DAY: u8 = 3;

/// Composition category code: soldiers, prisoners of war.
pub const SWAPWIRE_CATEGORY_MILITARY: u8 = 0;
/// Composition category code: civilians.
pub const SWAPWIRE_CATEGORY_CIVILIANS: u8 = 1;
/// Composition category code: wounded or seriously ill.
pub const SWAPWIRE_CATEGORY_WOUNDED: u8 = 2;
/// Composition category code: women.
pub const SWAPWIRE_CATEGORY_WOMEN: u8 = 3;
/// Composition category code: children (under 18).
pub const SWAPWIRE_CATEGORY_CHILDREN: u8 = 4;
/// Composition category code: nationals of a third country.
pub const SWAPWIRE_CATEGORY_FOREIGN: u8 = 5;

/// Population code: prisoners of war held.
pub const SWAPWIRE_POPULATION_PRISONERS_OF_WAR: u8 = 0;
/// Population code: civilians held.
pub const SWAPWIRE_POPULATION_CIVILIANS_HELD: u8 = 1;
/// Population code: children deported.
pub const SWAPWIRE_POPULATION_CHILDREN_DEPORTED: u8 = 2;
/// Population code: missing persons.
pub const SWAPWIRE_POPULATION_MISSING: u8 = 3;
/// Population code: people returned so far.
pub const SWAPWIRE_POPULATION_RETURNED_SO_FAR: u8 = 4;
/// Population code: people who died in captivity.
pub const SWAPWIRE_POPULATION_DIED_IN_CAPTIVITY: u8 = 5;
/// Population code: remains (bodies) held or returned.
pub const SWAPWIRE_POPULATION_REMAINS: u8 = 6;

/// Source kind code: a ministry, coordination headquarters or other government body.
pub const SWAPWIRE_SOURCE_GOVERNMENT: u8 = 0;
/// Source kind code: an ombudsman or human-rights commissioner.
pub const SWAPWIRE_SOURCE_OMBUDSMAN: u8 = 1;
/// Source kind code: armed forces or intelligence.
pub const SWAPWIRE_SOURCE_MILITARY: u8 = 2;
/// Source kind code: news media.
pub const SWAPWIRE_SOURCE_MEDIA: u8 = 3;
/// Source kind code: a non-governmental or intergovernmental organisation.
pub const SWAPWIRE_SOURCE_ORGANISATION: u8 = 4;
/// Source kind code: a mediating state or its envoy.
pub const SWAPWIRE_SOURCE_MEDIATOR: u8 = 5;
/// Source kind code: members of the public and their groups (families of prisoners,
/// protesters, witnesses), speaking for themselves.
pub const SWAPWIRE_SOURCE_PUBLIC: u8 = 6;

/// A number as a source stated it: a `SWAPWIRE_QUALIFIER_*` code, the figure, and for a range
/// its high end. Fields the qualifier does not use must be 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct swapwire_quantity {
    /// A `SWAPWIRE_QUALIFIER_*` code.
    pub qualifier: u8,
    /// The figure; the low end of a range.
    pub value: u32,
    /// The high end of a range (`value <= high`); 0 otherwise.
    pub high: u32,
}

/// A date at the precision known: a `SWAPWIRE_PRECISION_*` code and year (2000 to 2999),
/// month (1 to 12) and day; fields the precision does not use must be 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct swapwire_date {
    /// The year, 2000 to 2999.
    pub year: u16,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month.
    pub day: u8,
    /// A `SWAPWIRE_PRECISION_*` code.
    pub precision: u8,
}

/// One category of one side of an exchange and how many of it.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct swapwire_part {
    /// A `SWAPWIRE_CATEGORY_*` code.
    pub category: u8,
    /// How many, as stated; "all" is not allowed here.
    pub quantity: swapwire_quantity,
}

/// Who was returned to one side, by category: `count` parts (0 to 6) in `parts`, at most one
/// per category, in any order on input; decoding writes them in category order and zeroes the
/// unused slots. Slots past `count` are ignored on input.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct swapwire_composition {
    /// How many entries of `parts` are used.
    pub count: u8,
    /// The parts.
    pub parts: [swapwire_part; 6],
}

/// One prisoner exchange as one source reported it at one time (see the Rust `Exchange`).
///
/// `to_a` is how many were returned to `side_a` (released by `side_b`), `to_b` the reverse, and
/// `total` the figure for both directions when the source gives one.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct swapwire_exchange {
    /// The device or desk that wrote the record.
    pub origin: u32,
    /// The record's number at its origin, in one sequence with the origin's Counts: an
    /// Exchange and a Count with the same `origin` and `seq` are one key to a store, which
    /// keeps only one of them (the higher revision; at equal revisions the greater encoding,
    /// `SWAPWIRE_MERGED_KEPT` for the other). Never issue two different records under one key
    /// and revision: a change is a new revision.
    pub seq: u32,
    /// Grows with each correction; 0 is the first version.
    pub revision: u32,
    /// 1 if the record is withdrawn (a tombstone), else 0.
    pub retracted: u8,
    /// A `SWAPWIRE_STATUS_*` code.
    pub status: u8,
    /// A `SWAPWIRE_HANDOVER_*` code.
    pub handover: u8,
    /// When it happened (or was proposed or agreed).
    pub date: swapwire_date,
    /// One party, e.g. `"UA"`.
    pub side_a: swapwire_party,
    /// The other party.
    pub side_b: swapwire_party,
    /// Both directions together, when the source states it; never "all".
    pub total: swapwire_quantity,
    /// Returned to `side_a`.
    pub to_a: swapwire_quantity,
    /// Returned to `side_b`.
    pub to_b: swapwire_quantity,
    /// Who was returned to `side_a`, by category.
    pub composition_a: swapwire_composition,
    /// Who was returned to `side_b`, by category.
    pub composition_b: swapwire_composition,
    /// How many entries of `mediators` are used (0 to 3).
    pub mediator_count: u8,
    /// Mediating countries, in the order reported; distinct, neither of the sides.
    pub mediators: [swapwire_party; 3],
    /// 1 if this record carries out a stage of the agreement `part_of_origin`/`part_of_seq`,
    /// else 0 (and then both must be 0).
    pub has_part_of: u8,
    /// The origin of the agreement this record is a stage of.
    pub part_of_origin: u32,
    /// The seq of the agreement this record is a stage of.
    pub part_of_seq: u32,
    /// 1 if this record is another report of the exchange `same_as_origin`/`same_as_seq` (the
    /// first report held of the same event), else 0 (and then both must be 0). A tally counts
    /// each exchange once by skipping the records that have one.
    pub has_same_as: u8,
    /// The origin of the report this record is another report of.
    pub same_as_origin: u32,
    /// The seq of the report this record is another report of.
    pub same_as_seq: u32,
    /// Key of the Source that reported it.
    pub source: u32,
    /// Admiralty grading, `"A1"` to `"F6"`; `"F6"` when nothing can be judged.
    pub grade: [c_char; 3],
}

/// A tally as one source reported it: how many of a population, held by whom, of whose people,
/// as of when (see the Rust `Count`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct swapwire_count {
    /// The device or desk that wrote the record.
    pub origin: u32,
    /// The record's number at its origin, in one sequence with the origin's Exchanges: an
    /// Exchange and a Count with the same `origin` and `seq` are one key to a store, which
    /// keeps only one of them (the higher revision; at equal revisions the greater encoding,
    /// `SWAPWIRE_MERGED_KEPT` for the other). Never issue two different records under one key
    /// and revision: a change is a new revision.
    pub seq: u32,
    /// Grows with each correction; 0 is the first version.
    pub revision: u32,
    /// 1 if the record is withdrawn (a tombstone), else 0.
    pub retracted: u8,
    /// A `SWAPWIRE_POPULATION_*` code.
    pub population: u8,
    /// The date the tally holds for.
    pub date: swapwire_date,
    /// Who holds them, or `""` (all zero) when not stated.
    pub holder: swapwire_party,
    /// Whose people they are.
    pub people: swapwire_party,
    /// How many; never "all".
    pub quantity: swapwire_quantity,
    /// Key of the Source that reported it.
    pub source: u32,
    /// Admiralty grading, `"A1"` to `"F6"`.
    pub grade: [c_char; 3],
}

/// What a source key stands for (see the Rust `Source`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct swapwire_source {
    /// The key reports cite.
    pub key: u32,
    /// Grows with each correction; 0 is the first version.
    pub revision: u32,
    /// 1 if the source is withdrawn (a tombstone), else 0.
    pub retracted: u8,
    /// A `SWAPWIRE_SOURCE_*` code.
    pub kind: u8,
    /// The length of `name` in bytes, 1 to `SWAPWIRE_MAX_NAME_LEN` (64).
    pub name_len: u8,
    /// The name: `name_len` bytes of UTF-8 without control characters. Decoding writes a NUL
    /// after them, so `name` can be printed as a C string; on input the bytes from `name_len`
    /// on are ignored.
    pub name: [c_char; 65],
    /// 1 if this source's words reached the report through the source `via` (the outlet or
    /// person that reported what it said: "Zelenskyy stated, as reported by AFP" is Zelenskyy
    /// with `via` AFP's key), else 0 (and then `via` must be 0).
    pub has_via: u8,
    /// The key of the Source through which this source's words reached the report; never the
    /// source's own `key`.
    pub via: u32,
}

impl Default for swapwire_source {
    fn default() -> Self {
        swapwire_source { key: 0, revision: 0, retracted: 0, kind: 0, name_len: 0, name: [0; 65], has_via: 0, via: 0 }
    }
}

/// The body of a `swapwire_record`: the member that `kind` names.
#[repr(C)]
#[derive(Clone, Copy)]
pub union swapwire_record_body {
    /// Valid when `kind` is `SWAPWIRE_KIND_EXCHANGE`.
    pub exchange: swapwire_exchange,
    /// Valid when `kind` is `SWAPWIRE_KIND_COUNT`.
    pub count: swapwire_count,
    /// Valid when `kind` is `SWAPWIRE_KIND_SOURCE`.
    pub source: swapwire_source,
}

/// Any one record: a `SWAPWIRE_KIND_*` code and the matching member of `body`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct swapwire_record {
    /// A `SWAPWIRE_KIND_*` code.
    pub kind: u8,
    /// The record.
    pub body: swapwire_record_body,
}

impl core::fmt::Debug for swapwire_record {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut out = f.debug_struct("swapwire_record");
        out.field("kind", &self.kind);
        // SAFETY: every member is plain integers and arrays, valid for any bit pattern; `kind`
        // names the member the writer filled.
        unsafe {
            match self.kind {
                SWAPWIRE_KIND_EXCHANGE => out.field("exchange", &self.body.exchange),
                SWAPWIRE_KIND_COUNT => out.field("count", &self.body.count),
                SWAPWIRE_KIND_SOURCE => out.field("source", &self.body.source),
                _ => out.field("body", &"(unknown kind)"),
            };
        }
        out.finish()
    }
}

impl Default for swapwire_record {
    /// A zero-filled record, as C's `= {0}` makes it.
    fn default() -> Self {
        swapwire_record { kind: 0, body: swapwire_record_body { exchange: swapwire_exchange::default() } }
    }
}
