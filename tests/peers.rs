//! The peer formats carry every example and edge-case record and give it back unchanged, refuse
//! malformed, trailing and invalid input with the right error, and never panic on damaged bytes.

mod common;

use common::{edge_records, seed_records};
use proptest::prelude::*;
use swapwire::peers::{Format, PeerError};
use swapwire::{Codec, Error, Field, Reason, Record};

fn all_records() -> Vec<(String, Record)> {
    seed_records().into_iter().chain(edge_records()).collect()
}

#[test]
fn every_record_round_trips_through_every_format() {
    for format in Format::ALL {
        for (name, record) in all_records() {
            let bytes = format.encode(&record);
            assert!(!bytes.is_empty(), "{format} {name}");
            assert_eq!(format.decode(&bytes).as_ref(), Ok(&record), "{format} {name}");
        }
    }
}

/// The encoded sizes are deterministic; these are the figures the size tables quote.
#[test]
fn encoded_sizes_of_the_examples() {
    let records = seed_records();
    let sizes: Vec<(&str, usize)> =
        Format::ALL.iter().map(|f| (f.name(), records.iter().map(|(_, r)| f.encode(r).len()).sum())).collect();
    assert_eq!(
        sizes,
        [("json", 3217), ("cbor", 2397), ("msgpack", 2397), ("protobuf", 612), ("bincode", 461), ("bitcode", 512)]
    );
    let swapwire: usize = records.iter().map(|(_, r)| r.to_vec().unwrap().len()).sum();
    assert_eq!(swapwire, 356);
}

#[test]
fn names_parse_back() {
    for format in Format::ALL {
        assert_eq!(format.name().parse::<Format>(), Ok(format));
    }
    let err = "xml".parse::<Format>().unwrap_err();
    assert_eq!(err.to_string(), "unknown format \"xml\"; expected one of json cbor msgpack protobuf bincode bitcode");
}

#[test]
fn json_shape_is_the_natural_serde_one() {
    let (_, record) = seed_records().into_iter().find(|(n, _)| n == "seed-count-1-2").unwrap();
    let text = String::from_utf8(Format::Json.encode(&record)).unwrap();
    assert_eq!(
        text,
        r#"{"count":{"origin":1,"seq":2,"revision":0,"retracted":false,"population":"civilians_held","date":{"day":[2025,3,6]},"holder":"RU","people":"UA","quantity":{"at_least":16000},"source":2,"grade":{"reliability":"B","credibility":"probable"}}}"#
    );
}

#[test]
fn empty_and_truncated_input_is_malformed() {
    let (_, record) = seed_records().into_iter().find(|(n, _)| n == "seed-exchange-1-1").unwrap();
    for format in Format::ALL {
        let bytes = format.encode(&record);
        let cut = &bytes[..bytes.len() - 1];
        assert!(
            matches!(format.decode(cut), Err(PeerError::Malformed { format: f, .. }) if f == format),
            "{format}: {:?}",
            format.decode(cut)
        );
    }
    // An empty message is an empty protobuf Record: a record of no kind.
    assert_eq!(Format::Protobuf.decode(&[]), Err(PeerError::Invalid(Error::UnknownKind)));
    for format in Format::ALL.into_iter().filter(|&f| f != Format::Protobuf) {
        assert!(matches!(format.decode(&[]), Err(PeerError::Malformed { .. })), "{format}");
    }
}

#[test]
fn trailing_bytes_are_refused() {
    let (_, record) = seed_records().into_iter().find(|(n, _)| n == "seed-source-3").unwrap();
    for format in [Format::Cbor, Format::MessagePack, Format::Bincode] {
        let mut bytes = format.encode(&record);
        bytes.push(0);
        assert_eq!(format.decode(&bytes), Err(PeerError::TrailingBytes { format }));
    }
    // JSON allows trailing whitespace only; protobuf has no end marker (a 0 byte is not a
    // valid tag); bitcode reads whole buffers.
    let mut json = Format::Json.encode(&record);
    json.extend_from_slice(b" x");
    assert!(matches!(Format::Json.decode(&json), Err(PeerError::Malformed { .. })));
    for format in [Format::Protobuf, Format::Bitcode] {
        let mut bytes = format.encode(&record);
        bytes.push(0);
        assert!(matches!(format.decode(&bytes), Err(PeerError::Malformed { .. })), "{format}");
    }
}

/// Well-formed messages that break a model invariant get the same typed error swapwire gives.
#[test]
fn invalid_records_are_refused_with_the_field() {
    let (_, record) = seed_records().into_iter().find(|(n, _)| n == "seed-exchange-1-1").unwrap();
    let Record::Exchange(x) = record else { panic!("seed-exchange-1-1 is an exchange") };
    let mut same_sides = x.clone();
    same_sides.side_b = same_sides.side_a;
    let mut inverted = x.clone();
    inverted.to_a = swapwire::Quantity::Range(9, 3);
    let mut bad_date = x;
    bad_date.date = swapwire::Date::Day(2025, 2, 30);
    for format in Format::ALL {
        for (record, expected) in [
            (same_sides.clone(), Error::Invalid(Field::SideB, Reason::SameParty)),
            (inverted.clone(), Error::Invalid(Field::ToA, Reason::RangeInverted)),
            (bad_date.clone(), Error::Invalid(Field::Date, Reason::NoSuchDate)),
        ] {
            let bytes = format.encode(&Record::Exchange(record));
            assert_eq!(format.decode(&bytes), Err(PeerError::Invalid(expected)), "{format}");
        }
    }
    let json = br#"{"source":{"key":3,"revision":0,"retracted":false,"kind":"media","name":""}}"#;
    assert_eq!(Format::Json.decode(json), Err(PeerError::Invalid(Error::Invalid(Field::Name, Reason::Empty))));
    let json = br#"{"count":{"origin":1,"seq":2,"revision":0,"retracted":false,"population":"missing","date":"unknown","people":"UK","quantity":"unknown","source":2,"grade":{"reliability":"B","credibility":"probable"}}}"#;
    assert_eq!(
        Format::Json.decode(json),
        Err(PeerError::Invalid(Error::Invalid(Field::People, Reason::UnknownCountry)))
    );
}

proptest! {
    /// Damaged messages (one byte changed, or cut short) decode to a valid record or to an
    /// error, in every format, never to a panic.
    #[test]
    fn damaged_messages_never_panic(record in 0usize..64, format in 0usize..6, at in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<bool>()) {
        let records = all_records();
        let (_, record) = &records[record % records.len()];
        let format = Format::ALL[format];
        let mut bytes = format.encode(record);
        let i = at.index(bytes.len());
        if cut { bytes.truncate(i) } else { bytes[i] = byte }
        if let Ok(decoded) = format.decode(&bytes) {
            prop_assert_eq!(decoded.validate(), Ok(()));
        }
    }

    /// Arbitrary bytes never panic a peer decoder.
    #[test]
    fn random_bytes_never_panic(format in 0usize..6, bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = Format::ALL[format].decode(&bytes);
    }
}
