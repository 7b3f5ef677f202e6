//! The byte sizes users buy this crate for. Sizes are deterministic, so they are asserted exactly:
//! a change shows up here before it reaches a radio link.

use swapwire::{
    Codec, Count, Date, Exchange, Party, Population, Quantity, Record, Source, SourceKind, Status, COUNT_MAX_SIZE,
    EXCHANGE_MAX_SIZE, RECORD_MAX_SIZE, SOURCE_MAX_SIZE,
};

/// The seed's completed exchange of 2025-02-05 (seed 000): 150 POWs returned to Ukraine, the Russian side not
/// reported, no mediator named, source key 1, grade B2.
fn seed_exchange() -> Exchange {
    let mut x = Exchange::new(1, 1, Party::UA, Party::RU);
    x.status = Status::Completed;
    x.date = Date::Day(2025, 2, 5);
    x.to_a = Quantity::Exact(150);
    x.source = 1;
    x.grade = "B2".parse().unwrap();
    x
}

/// "Russia holds over 16,000 Ukrainian civilians, as of 2025-03-06" (seed 000), source key 2, grade B2.
fn seed_count() -> Count {
    let mut c = Count::new(1, 2, Population::CiviliansHeld, Party::UA);
    c.holder = Some(Party::RU);
    c.quantity = Quantity::AtLeast(16_000);
    c.date = Date::Day(2025, 3, 6);
    c.source = 2;
    c.grade = "B2".parse().unwrap();
    c
}

#[test]
fn seed_exchange_is_at_most_16_bytes() {
    let x = seed_exchange();
    let mut buf = [0xA5; 32];
    let n = x.encode(&mut buf).unwrap();
    assert_eq!(&buf[..n], [0x01, 0x01, 0x00, 0x0e, 0xcf, 0x47, 0xee, 0xbd, 0x15, 0x00, 0xb2, 0x09, 0x00, 0x01, 0x07]);
    assert_eq!(n, 15);
    assert!(n <= 16);
}

#[test]
fn seed_count_is_at_most_14_bytes() {
    let c = seed_count();
    let mut buf = [0xA5; 32];
    let n = c.encode(&mut buf).unwrap();
    assert_eq!(&buf[..n], [0x01, 0x02, 0x00, 0x0b, 0xec, 0x47, 0xa4, 0x91, 0x13, 0x83, 0xe8, 0x07, 0x02, 0x07]);
    assert_eq!(n, 14);
}

#[test]
fn suspilne_source_is_at_most_13_bytes() {
    let s = Source::new(3, SourceKind::Media, "Suspilne").unwrap();
    assert_eq!(s.encoded_len(), 12);
}

#[test]
fn a_record_costs_one_kind_byte_more() {
    assert_eq!(Record::Exchange(seed_exchange()).encoded_len(), 16);
    assert_eq!(Record::Count(seed_count()).encoded_len(), 15);
}

/// Each `*_MAX_SIZE` is reached by a valid record (the `edge-worst-*` golden vectors, every field at
/// its widest) and never exceeded (see the round-trip property in `properties.rs`).
#[test]
fn max_sizes_are_reached_by_worst_case_records() {
    let vector = |name: &str| {
        let text = std::fs::read_to_string(format!("{}/tests/vectors/{name}.hex", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let bytes: Vec<u8> =
            (0..text.trim().len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect();
        Record::decode(&bytes).unwrap()
    };
    let Record::Exchange(x) = vector("edge-worst-exchange") else { panic!() };
    let Record::Count(c) = vector("edge-worst-count") else { panic!() };
    let Record::Source(s) = vector("edge-worst-source") else { panic!() };
    assert_eq!((x.encoded_len(), EXCHANGE_MAX_SIZE, Exchange::MAX_SIZE), (207, 207, 207));
    assert_eq!((c.encoded_len(), COUNT_MAX_SIZE, Count::MAX_SIZE), (38, 38, 38));
    assert_eq!((s.encoded_len(), SOURCE_MAX_SIZE, Source::MAX_SIZE), (81, 81, 81));
    assert_eq!(Record::Exchange(x).encoded_len(), RECORD_MAX_SIZE);
}

#[test]
fn every_seed_record_fits_the_smallest_common_lora_payload() {
    // EU868 DR0-2 carries 51 bytes; every seed record fits one on its own.
    let text = std::fs::read_to_string(format!("{}/examples/data/seeds.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let values: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    for v in values {
        let r: Record = swapwire::json::from_value(v).unwrap();
        assert!(r.encoded_len() <= 51, "{r:?}");
    }
}
