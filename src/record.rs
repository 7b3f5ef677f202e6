//! Any one record, for mixed streams.

use crate::count::Count;
use crate::error::Error;
use crate::exchange::Exchange;
use crate::source::Source;

/// Which kind a [`Record`] is. The code is the record's first byte on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Kind {
    /// An [`Exchange`].
    Exchange = 0,
    /// A [`Count`].
    Count = 1,
    /// A [`Source`].
    Source = 2,
}

impl Kind {
    /// The kind for a numeric code, if the code is defined.
    pub const fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Kind::Exchange),
            1 => Some(Kind::Count),
            2 => Some(Kind::Source),
            _ => None,
        }
    }

    /// The name used in the JSON form's `"record"` field.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Exchange => "exchange",
            Kind::Count => "count",
            Kind::Source => "source",
        }
    }
}

/// Any one of the three record kinds.
///
/// ```
/// use swapwire::{Codec, Kind, Record, Source, SourceKind};
/// let r = Record::Source(Source::new(3, SourceKind::Media, "Suspilne").unwrap());
/// let mut buf = [0u8; Record::MAX_SIZE];
/// let n = r.encode(&mut buf).unwrap();
/// assert_eq!(buf[0], Kind::Source as u8);
/// assert_eq!(Record::decode(&buf[..n]).unwrap(), r);
/// ```
// Without a heap the variants cannot be boxed; a Record is as large as an Exchange.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub enum Record {
    /// An exchange report.
    Exchange(Exchange),
    /// A tally report.
    Count(Count),
    /// A source definition.
    Source(Source),
}

impl Record {
    /// Which kind this record is.
    pub const fn kind(&self) -> Kind {
        match self {
            Record::Exchange(_) => Kind::Exchange,
            Record::Count(_) => Kind::Count,
            Record::Source(_) => Kind::Source,
        }
    }

    /// Makes `self` equal to `source`, writing the fields in place: `*self = source.clone()`
    /// builds the ~300-byte copy on the stack first (twice on Cortex-M: in `clone` and in its
    /// caller), which is what kept [`Store`](crate::store::Store) merges over 512 bytes of stack.
    pub(crate) fn copy_from(&mut self, source: &Record) {
        match (self, source) {
            (Record::Exchange(d), Record::Exchange(s)) => copy_exchange(d, s),
            (Record::Count(d), Record::Count(s)) => d.clone_from(s), // plain fields: copied in place
            (Record::Source(d), Record::Source(s)) => copy_source(d, s),
            (d, s) => {
                // A key can change kind (an exchange superseding a count): start from a blank.
                *d = Record::blank_of(s.kind());
                d.copy_from(s); // now of the same kind: one level deep
            }
        }
    }

    /// Checks every invariant of the inner record.
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            Record::Exchange(x) => x.validate(),
            Record::Count(c) => c.validate(),
            Record::Source(s) => s.validate(),
        }
    }
}

impl Clone for Record {
    // Built as a blank and filled by `copy_from`: the derived clone built the exchange and
    // each composition aside and moved them in, a second and third copy on the stack.
    fn clone(&self) -> Self {
        let mut r = Record::blank_of(self.kind());
        r.copy_from(self);
        r
    }

    fn clone_from(&mut self, source: &Self) {
        self.copy_from(source);
    }
}

impl From<Exchange> for Record {
    fn from(x: Exchange) -> Self {
        Record::Exchange(x)
    }
}

impl From<Count> for Record {
    fn from(c: Count) -> Self {
        Record::Count(c)
    }
}

impl From<Source> for Record {
    fn from(s: Source) -> Self {
        Record::Source(s)
    }
}

/// [`Record::copy_from`] for exchanges, field by field. The destructuring names every field, so
/// a new one cannot be forgotten here.
fn copy_exchange(d: &mut Exchange, s: &Exchange) {
    let Exchange {
        origin,
        seq,
        revision,
        retracted,
        status,
        date,
        handover,
        side_a,
        side_b,
        total,
        to_a,
        to_b,
        composition_a,
        composition_b,
        mediators,
        part_of,
        same_as,
        source,
        grade,
    } = s;
    (d.origin, d.seq, d.revision, d.retracted, d.status, d.date) =
        (*origin, *seq, *revision, *retracted, *status, *date);
    (d.handover, d.side_a, d.side_b, d.total, d.to_a, d.to_b) = (*handover, *side_a, *side_b, *total, *to_a, *to_b);
    (d.part_of, d.same_as, d.source, d.grade) = (*part_of, *same_as, *source, *grade);
    d.composition_a.clone_from(composition_a); // in place (see `Composition`'s `Clone`)
    d.composition_b.clone_from(composition_b);
    d.mediators.clear();
    // Same capacity on both sides: this cannot fail.
    let _ = d.mediators.extend_from_slice(mediators);
}

/// [`Record::copy_from`] for sources: the name is copied into the one held (`Name::clone_from`),
/// where the derived `clone_from` of a Source would build a new one aside and move it.
fn copy_source(d: &mut Source, s: &Source) {
    let Source { key, revision, retracted, kind, name, via } = s;
    (d.key, d.revision, d.retracted, d.kind, d.via) = (*key, *revision, *retracted, *kind, *via);
    d.name.clone_from(name);
}
