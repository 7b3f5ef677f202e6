//! The human-readable serde form (JSON and friends): named fields, dates as `"2025-02-05"`,
//! quantities as `"150"`, `">16000"`, `"150-189"`, codes as lower-case names.
//!
//! The record types pick this form when the serializer says it is human-readable and the compact
//! wire form otherwise, so one set of types serves postcard and JSON. Leaf values (quantities,
//! dates, parties, grades, codes) always use their text form.

use core::fmt::{self, Write};
use core::marker::PhantomData;
use core::str::FromStr;

use heapless::Vec;
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::codes::{Category, Credibility, Grade, Handover, Population, Reliability, SourceKind, Status};
use crate::composition::Composition;
use crate::count::Count;
use crate::date::Date;
use crate::exchange::{Exchange, RecordId, MAX_MEDIATORS};
use crate::party::Party;
use crate::quantity::Quantity;
use crate::source::{Source, MAX_NAME_LEN};

/// Deserializes a value from its text through `FromStr`, with an error that quotes the text.
struct TextVisitor<T>(&'static str, PhantomData<T>);

impl<T: FromStr> Visitor<'_> for TextVisitor<T>
where
    T::Err: fmt::Display,
{
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(|e| E::custom(format_args!("invalid {} {v:?}: {e}", self.0)))
    }
}

/// Serializes a `Display` value as a string without a heap.
fn serialize_display<S: Serializer, T: fmt::Display>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    let mut text = heapless::String::<32>::new();
    write!(text, "{value}").map_err(|_| serde::ser::Error::custom("text form too long"))?;
    s.serialize_str(&text)
}

/// Gives a type whose text form is `Display` + `FromStr` a string serde form.
macro_rules! text_serde {
    ($($ty:ty => $what:literal),+ $(,)?) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serialize_display(self, s)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(TextVisitor($what, PhantomData))
            }
        }
    )+};
}

text_serde! {
    Quantity => "quantity",
    Party => "country code",
    Grade => "grade",
    Status => "status",
    Handover => "handover",
    Category => "category",
    Population => "population",
    SourceKind => "source kind",
    Reliability => "reliability",
    Credibility => "credibility",
}

/// Dates are strings at their precision, and `null` when unknown.
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Date::Unknown => s.serialize_none(),
            known => serialize_display(known, s),
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl<'de> Visitor<'de> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date \"YYYY-MM-DD\", \"YYYY-MM\", \"YYYY\" or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Date, E> {
                Ok(Date::Unknown)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Date, E> {
                Ok(Date::Unknown)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Date, D::Error> {
                d.deserialize_str(TextVisitor("date", PhantomData))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                TextVisitor("date", PhantomData).visit_str(v)
            }
        }
        d.deserialize_option(DateVisitor)
    }
}

/// A composition is a map from category name to quantity, in category order.
impl Serialize for Composition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.parts().len()))?;
        for p in self.parts() {
            map.serialize_entry(&p.category, &p.quantity)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Composition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CompositionVisitor;
        impl<'de> Visitor<'de> for CompositionVisitor {
            type Value = Composition;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map from category to quantity")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Composition, A::Error> {
                let mut c = Composition::new();
                while let Some((category, quantity)) = map.next_entry::<Category, Quantity>()? {
                    if c.get(category).is_some() {
                        return Err(de::Error::custom(format_args!("duplicate category {category:?}")));
                    }
                    c.set(category, quantity);
                }
                Ok(c)
            }
        }
        d.deserialize_map(CompositionVisitor)
    }
}

fn living() -> Handover {
    Handover::Living
}

/// The named-field form of [`Exchange`].
#[derive(Serialize, Deserialize)]
#[serde(remote = "Exchange", deny_unknown_fields)]
pub(crate) struct ExchangeForm {
    origin: u32,
    seq: u32,
    #[serde(default)]
    revision: u32,
    #[serde(default)]
    retracted: bool,
    status: Status,
    #[serde(default)]
    date: Date,
    #[serde(default = "living")]
    handover: Handover,
    side_a: Party,
    side_b: Party,
    #[serde(default)]
    total: Quantity,
    #[serde(default)]
    to_a: Quantity,
    #[serde(default)]
    to_b: Quantity,
    #[serde(default)]
    composition_a: Composition,
    #[serde(default)]
    composition_b: Composition,
    #[serde(default)]
    mediators: Vec<Party, MAX_MEDIATORS, u8>,
    #[serde(default)]
    part_of: Option<RecordId>,
    #[serde(default)]
    same_as: Option<RecordId>,
    source: u32,
    grade: Grade,
}

/// The named-field form of [`Count`].
#[derive(Serialize, Deserialize)]
#[serde(remote = "Count", deny_unknown_fields)]
pub(crate) struct CountForm {
    origin: u32,
    seq: u32,
    #[serde(default)]
    revision: u32,
    #[serde(default)]
    retracted: bool,
    population: Population,
    #[serde(default)]
    date: Date,
    #[serde(default)]
    holder: Option<Party>,
    people: Party,
    #[serde(default)]
    quantity: Quantity,
    source: u32,
    grade: Grade,
}

/// The named-field form of [`Source`].
#[derive(Serialize, Deserialize)]
#[serde(remote = "Source", deny_unknown_fields)]
pub(crate) struct SourceForm {
    key: u32,
    #[serde(default)]
    revision: u32,
    #[serde(default)]
    retracted: bool,
    kind: SourceKind,
    name: heapless::String<MAX_NAME_LEN, u8>,
}

/// The named-field form of [`Record`](crate::Record): the inner record's fields with a leading
/// `"record"` naming the kind (`"exchange"`, `"count"` or `"source"`). Reading it goes through
/// a `serde_json::Value`, so without the `std` feature only writing is supported.
#[derive(Serialize)]
#[allow(clippy::large_enum_variant)] // mirrors Record
#[serde(remote = "crate::Record", tag = "record", rename_all = "snake_case")]
pub(crate) enum RecordForm {
    Exchange(#[serde(with = "ExchangeForm")] Exchange),
    Count(#[serde(with = "CountForm")] Count),
    Source(#[serde(with = "SourceForm")] Source),
}

impl RecordForm {
    /// Reads the tagged form through a JSON value (see [`record_from_value`]).
    #[cfg(feature = "std")]
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<crate::Record, D::Error> {
        record_from_value(serde_json::Value::deserialize(d)?).map_err(|(path, message)| {
            if path == "." {
                de::Error::custom(message)
            } else {
                de::Error::custom(format_args!("{path}: {message}"))
            }
        })
    }

    #[cfg(not(feature = "std"))]
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(_: D) -> Result<crate::Record, D::Error> {
        Err(de::Error::custom("reading the human-readable Record form needs the `std` feature"))
    }
}

/// Reads a record from its tagged form held in a JSON value: the `"record"` field picks the kind,
/// and that kind's form is read from the other fields. Serde's own tagged enums would lose the
/// path of a bad field; this keeps it. Errors are `(path, message)`, with `.` for the whole record.
#[cfg(feature = "std")]
pub(crate) fn record_from_value(
    mut value: serde_json::Value,
) -> Result<crate::Record, (std::string::String, std::string::String)> {
    use crate::record::{Kind, Record};
    use serde_json::Value;
    use std::string::{String, ToString};

    let whole = |message: String| (".".to_string(), message);
    let fields = value.as_object_mut().ok_or_else(|| whole("expected a record object".into()))?;
    let kind = match fields.remove("record") {
        Some(Value::String(k)) => k,
        Some(_) => return Err(("record".into(), "expected \"exchange\", \"count\" or \"source\"".into())),
        None => return Err(whole("missing field `record`".into())),
    };
    let kind = [Kind::Exchange, Kind::Count, Kind::Source]
        .into_iter()
        .find(|k| k.name() == kind)
        .ok_or_else(|| ("record".to_string(), std::format!("unknown record kind {kind:?}")))?;
    let located = |e: serde_path_to_error::Error<serde_json::Error>| (e.path().to_string(), e.into_inner().to_string());
    match kind {
        Kind::Exchange => serde_path_to_error::deserialize::<_, Exchange>(value).map(Record::Exchange),
        Kind::Count => serde_path_to_error::deserialize::<_, Count>(value).map(Record::Count),
        Kind::Source => serde_path_to_error::deserialize::<_, Source>(value).map(Record::Source),
    }
    .map_err(located)
}
