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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

    /// Checks every invariant of the inner record.
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            Record::Exchange(x) => x.validate(),
            Record::Count(c) => c.validate(),
            Record::Source(s) => s.validate(),
        }
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
