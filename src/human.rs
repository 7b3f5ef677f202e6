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
use crate::name::Name;
use crate::party::Party;
use crate::quantity::Quantity;
use crate::record::Kind;
use crate::source::Source;

/// Deserializes a value from its text through `FromStr`, with an error that quotes the text and
/// says what the field accepts.
struct TextVisitor<T>(&'static str, PhantomData<T>);

impl<T: FromStr + Accepts> Visitor<'_> for TextVisitor<T>
where
    T::Err: fmt::Display,
{
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(|e| E::custom(format_args!("invalid {} {v:?}: {e}{}", self.0, Hint::<T>(v, PhantomData))))
    }
}

/// What a text field accepts, added to the errors of [`TextVisitor`]: the one place that tells
/// a writer the valid values. Types whose parse error already says it (quantities, dates) add
/// nothing.
pub(crate) trait Accepts {
    /// Writes `; expected ...` for the rejected `text`, or nothing.
    fn accepts(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result;
}

/// Displays `T`'s [`Accepts`] text for one rejected input.
struct Hint<'a, T>(&'a str, PhantomData<T>);

impl<T: Accepts> fmt::Display for Hint<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::accepts(f, self.0)
    }
}

/// A closed vocabulary lists its names: `; expected one of: proposed, agreed, ...`.
macro_rules! accepts_one_of {
    ($($ty:ty),+ $(,)?) => {$(
        impl Accepts for $ty {
            fn accepts(f: &mut fmt::Formatter<'_>, _: &str) -> fmt::Result {
                f.write_str("; expected one of: ")?;
                for (i, code) in <$ty>::ALL.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(code.name())?;
                }
                Ok(())
            }
        }
    )+};
}

accepts_one_of!(Status, Handover, Category, Population, SourceKind, Reliability, Credibility);

/// Too many codes to list: the form, and for a well-formed but unassigned code where to look.
impl Accepts for Party {
    fn accepts(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
        if text.len() == 2 && text.bytes().all(|b| b.is_ascii_uppercase()) {
            f.write_str(
                "; expected a code ISO 3166-1 assigns (e.g. UA, GB) or a user-assigned one (XA-XZ, QM-QZ, AA, ZZ)",
            )
        } else {
            f.write_str("; expected two capital letters, e.g. UA")
        }
    }
}

impl Accepts for Grade {
    fn accepts(f: &mut fmt::Formatter<'_>, _: &str) -> fmt::Result {
        f.write_str("; expected a reliability A-F then a credibility 1-6, e.g. B2")
    }
}

/// Their parse errors already say what is expected.
impl Accepts for Quantity {
    fn accepts(_: &mut fmt::Formatter<'_>, _: &str) -> fmt::Result {
        Ok(())
    }
}

impl Accepts for Date {
    fn accepts(_: &mut fmt::Formatter<'_>, _: &str) -> fmt::Result {
        Ok(())
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

/// The named fields of [`Exchange`] (its form, [`ExchangeForm`], adds the `"record"` tag).
#[derive(Serialize, Deserialize)]
#[serde(remote = "Exchange", deny_unknown_fields)]
struct ExchangeFields {
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
    #[serde(default, deserialize_with = "mediators")]
    mediators: Vec<Party, MAX_MEDIATORS, u8>,
    #[serde(default)]
    part_of: Option<RecordId>,
    #[serde(default)]
    same_as: Option<RecordId>,
    source: u32,
    grade: Grade,
}

/// The named fields of [`Count`].
#[derive(Serialize, Deserialize)]
#[serde(remote = "Count", deny_unknown_fields)]
struct CountFields {
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

/// The named fields of [`Source`].
#[derive(Serialize, Deserialize)]
#[serde(remote = "Source", deny_unknown_fields)]
struct SourceFields {
    key: u32,
    #[serde(default)]
    revision: u32,
    #[serde(default)]
    retracted: bool,
    kind: SourceKind,
    name: Name,
    #[serde(default)]
    via: Option<u32>,
}

/// The fields of a record after a leading `"record"` tag naming its kind. Every record's
/// human-readable form is this, whether written as a typed record or as a [`Record`], so that
/// text one writes the other reads.
#[derive(Serialize)]
#[serde(tag = "record", rename_all = "snake_case")]
enum Tagged<'a> {
    Exchange(#[serde(serialize_with = "ExchangeFields::serialize")] &'a Exchange),
    Count(#[serde(serialize_with = "CountFields::serialize")] &'a Count),
    Source(#[serde(serialize_with = "SourceFields::serialize")] &'a Source),
}

/// The human-readable forms of the typed records: written with their `"record"` tag, read with
/// or without it (a tag of another kind is an error at `record`).
macro_rules! typed_form {
    ($($form:ident: $ty:ident via $fields:ident),+ $(,)?) => {$(
        #[doc = concat!("The named-field form of [`", stringify!($ty), "`], led by its `\"record\"` tag.")]
        pub(crate) struct $form;

        impl $form {
            pub(crate) fn serialize<S: Serializer>(value: &$ty, s: S) -> Result<S::Ok, S::Error> {
                Tagged::$ty(value).serialize(s)
            }

            pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                $fields::deserialize(Untagged { inner: d, kind: Kind::$ty })
            }
        }
    )+};
}

typed_form!(ExchangeForm: Exchange via ExchangeFields, CountForm: Count via CountFields, SourceForm: Source via SourceFields);

/// The named-field form of [`Record`](crate::Record): the inner record's fields with a leading
/// `"record"` naming the kind (`"exchange"`, `"count"` or `"source"`). Reading it goes through
/// a `serde_json::Value`, so without the `std` feature only writing is supported.
pub(crate) struct RecordForm;

impl RecordForm {
    pub(crate) fn serialize<S: Serializer>(record: &crate::Record, s: S) -> Result<S::Ok, S::Error> {
        match record {
            crate::Record::Exchange(x) => Tagged::Exchange(x),
            crate::Record::Count(c) => Tagged::Count(c),
            crate::Record::Source(so) => Tagged::Source(so),
        }
        .serialize(s)
    }

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
    use crate::record::Record;
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

/// A deserializer that hands a struct visitor its map without the `"record"` tag, after checking
/// that the tag names `kind`. The map is read in place, so a bad field keeps its path.
struct Untagged<D> {
    inner: D,
    kind: Kind,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Untagged<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(UntaggedVisitor { inner: visitor, kind: self.kind })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_struct(name, fields, UntaggedVisitor { inner: visitor, kind: self.kind })
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

struct UntaggedVisitor<V> {
    inner: V,
    kind: Kind,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for UntaggedVisitor<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(UntaggedMap { map, kind: self.kind })
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(seq)
    }
}

struct UntaggedMap<A> {
    map: A,
    kind: Kind,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for UntaggedMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        let mut seed = seed;
        loop {
            match self.map.next_key_seed(KeySeed(seed))? {
                None => return Ok(None),
                Some(Key::Field(key)) => return Ok(Some(key)),
                Some(Key::Tag(back)) => {
                    self.map.next_value_seed(TagSeed(self.kind))?;
                    seed = back;
                }
            }
        }
    }

    fn next_value_seed<S: de::DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// A map key: the `"record"` tag (with the field seed handed back), or a field's key.
enum Key<K, V> {
    Tag(K),
    Field(V),
}

/// Reads a key as text; `"record"` is the tag, any other key goes to the field seed.
struct KeySeed<K>(K);

impl<'de, K: de::DeserializeSeed<'de>> de::DeserializeSeed<'de> for KeySeed<K> {
    type Value = Key<K, K::Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de, K: de::DeserializeSeed<'de>> Visitor<'de> for KeySeed<K> {
    type Value = Key<K, K::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v == "record" {
            return Ok(Key::Tag(self.0));
        }
        self.0.deserialize(de::value::StrDeserializer::new(v)).map(Key::Field)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        if v == "record" {
            return Ok(Key::Tag(self.0));
        }
        self.0.deserialize(de::value::BorrowedStrDeserializer::new(v)).map(Key::Field)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.0.deserialize(de::value::U64Deserializer::new(v)).map(Key::Field)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        if v == b"record" {
            return Ok(Key::Tag(self.0));
        }
        self.0.deserialize(de::value::BytesDeserializer::new(v)).map(Key::Field)
    }
}

/// Checks the value of a `"record"` tag against the kind being read.
pub(crate) struct TagSeed(pub(crate) Kind);

impl<'de> de::DeserializeSeed<'de> for TagSeed {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for TagSeed {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.0.name())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        if v == self.0.name() {
            Ok(())
        } else {
            Err(E::custom(format_args!(
                "expected \"{}\" (or no \"record\" field) when reading {} {}, got {v:?}",
                self.0.name(),
                if matches!(self.0, Kind::Exchange) { "an" } else { "a" },
                self.0.name()
            )))
        }
    }
}

/// Up to [`MAX_MEDIATORS`] parties; more is an error that counts them.
fn mediators<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Party, MAX_MEDIATORS, u8>, D::Error> {
    struct MediatorsVisitor;
    impl<'de> Visitor<'de> for MediatorsVisitor {
        type Value = Vec<Party, MAX_MEDIATORS, u8>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a list of at most {MAX_MEDIATORS} country codes")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut parties = Vec::new();
            while let Some(party) = seq.next_element::<Party>()? {
                if parties.push(party).is_err() {
                    let mut count = MAX_MEDIATORS + 1;
                    while seq.next_element::<de::IgnoredAny>()?.is_some() {
                        count += 1;
                    }
                    return Err(de::Error::custom(format_args!("at most {MAX_MEDIATORS} mediators, got {count}")));
                }
            }
            Ok(parties)
        }
    }
    d.deserialize_seq(MediatorsVisitor)
}

/// The named fields of a [`RecordId`], as the derived form read them.
#[derive(Deserialize)]
#[serde(remote = "RecordId", deny_unknown_fields)]
struct RecordIdFields {
    origin: u32,
    seq: u32,
}

/// A record id reads from `{"origin": N, "seq": N}` (the form written) or from its text form
/// `"N/N"` (the form CSV and the command line write); binary formats read the two numbers.
/// Every `RecordId` field (`part_of`, ...) reads through here.
impl<'de> Deserialize<'de> for RecordId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            d.deserialize_any(RecordIdVisitor)
        } else {
            RecordIdFields::deserialize(d)
        }
    }
}

const RECORD_ID_FORMS: &str = "expected {\"origin\": N, \"seq\": N} or \"origin/seq\"";

struct RecordIdVisitor;

impl RecordIdVisitor {
    fn wrong<E: de::Error>(got: impl fmt::Display) -> E {
        E::custom(format_args!("{RECORD_ID_FORMS}, got {got}"))
    }
}

impl<'de> Visitor<'de> for RecordIdVisitor {
    type Value = RecordId;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(RECORD_ID_FORMS)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RecordId, A::Error> {
        RecordIdFields::deserialize(de::value::MapAccessDeserializer::new(map))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RecordId, E> {
        let number = |s: &str| crate::quantity::parse_u32(s.trim()).ok();
        match v.split_once('/').map(|(o, s)| (number(o), number(s))) {
            Some((Some(origin), Some(seq))) => Ok(RecordId { origin, seq }),
            _ => Err(Self::wrong(format_args!("{v:?}"))),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RecordId, E> {
        Err(Self::wrong(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RecordId, E> {
        Err(Self::wrong(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RecordId, E> {
        Err(Self::wrong(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<RecordId, E> {
        Err(Self::wrong(v))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<RecordId, A::Error> {
        Err(Self::wrong("a list"))
    }
}
