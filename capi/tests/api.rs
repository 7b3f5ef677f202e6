//! The C API called from Rust, as C calls it: every seed and edge record survives the C structs
//! and the JSON functions unchanged, the C codes are the core's numbers, and random bytes or
//! random C structs never break the contract (an error, or a value that re-encodes to itself).

use std::path::Path;
use std::ptr::null_mut;

use proptest::prelude::*;
use swapwire::{json, Category, Codec, Population, Record, SourceKind, Status};
use swapwire_capi::codec::*;
use swapwire_capi::host::json::{swapwire_record_from_json, swapwire_record_to_json, SWAPWIRE_JSON_PRETTY};
use swapwire_capi::status::*;
use swapwire_capi::types::*;
use swapwire_capi::version::*;

fn decode(bytes: &[u8]) -> Result<(swapwire_record, usize), swapwire_status> {
    let mut out = swapwire_record::default();
    let mut used = 0;
    // SAFETY: every pointer is valid for its type and length.
    let status = unsafe { swapwire_record_decode_prefix(bytes.as_ptr(), bytes.len(), &mut out, &mut used, null_mut()) };
    if status == SWAPWIRE_OK {
        Ok((out, used))
    } else {
        Err(status)
    }
}

fn encode(record: &swapwire_record) -> Result<Vec<u8>, (swapwire_status, swapwire_error_detail)> {
    let mut buf = [0xA5u8; SWAPWIRE_RECORD_MAX_SIZE];
    let (mut written, mut len, mut detail) = (0, 0, swapwire_error_detail::default());
    // SAFETY: every pointer is valid for its type and length.
    let status = unsafe { swapwire_record_encode(record, buf.as_mut_ptr(), buf.len(), &mut written, &mut detail) };
    // The sizing and validating functions agree with the encoder on every input.
    // SAFETY: as above.
    let (sized, valid) = unsafe {
        (swapwire_record_encoded_len(record, &mut len, null_mut()), swapwire_record_validate(record, null_mut()))
    };
    assert_eq!((sized, valid), (status, status));
    if status == SWAPWIRE_OK {
        assert_eq!(len, written);
        assert!(buf[written..].iter().all(|&b| b == 0xA5), "wrote past its length");
        Ok(buf[..written].to_vec())
    } else {
        assert!(buf.iter().all(|&b| b == 0xA5), "a failed encode wrote to the buffer");
        Err((status, detail))
    }
}

fn to_json(record: &swapwire_record, flags: u32) -> String {
    let mut text = vec![0u8; 4096];
    let mut written = 0;
    // SAFETY: every pointer is valid for its type and length.
    let status = unsafe {
        swapwire_record_to_json(record, flags, text.as_mut_ptr().cast(), text.len(), &mut written, null_mut())
    };
    assert_eq!(status, SWAPWIRE_OK);
    assert_eq!(text[written], 0);
    String::from_utf8(text[..written].to_vec()).unwrap()
}

fn from_json(text: &str) -> Result<swapwire_record, String> {
    let mut out = swapwire_record::default();
    let mut message = [0u8; 512];
    // SAFETY: every pointer is valid for its type and length.
    let status = unsafe {
        swapwire_record_from_json(
            text.as_ptr().cast(),
            text.len(),
            &mut out,
            message.as_mut_ptr().cast(),
            message.len(),
        )
    };
    match status {
        SWAPWIRE_OK => Ok(out),
        _ => Err(std::ffi::CStr::from_bytes_until_nul(&message).unwrap().to_str().unwrap().to_owned()),
    }
}

/// The golden vectors (`tests/vectors/<name>.hex`, the bytes of every seed and edge record),
/// with their names.
fn golden() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut vectors: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hex"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let text = text.trim();
            let bytes = (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect();
            (p.file_stem().unwrap().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    vectors.sort();
    vectors
}

#[test]
fn every_seed_and_edge_record_survives_the_c_structs_and_json() {
    let mut n = 0;
    for (name, bytes) in golden() {
        let record = Record::decode(&bytes).unwrap();
        let (c, used) = decode(&bytes).unwrap_or_else(|s| panic!("{name}: status {s}"));
        assert_eq!(used, bytes.len(), "{name}");
        assert_eq!(encode(&c).unwrap(), bytes, "{name}");
        // The JSON functions write exactly the Rust JSON form, and read it back.
        assert_eq!(to_json(&c, 0), json::to_string(&record).unwrap(), "{name}");
        assert_eq!(to_json(&c, SWAPWIRE_JSON_PRETTY), json::to_string_pretty(&record).unwrap(), "{name}");
        let again = from_json(&json::to_string(&record).unwrap()).unwrap();
        assert_eq!(encode(&again).unwrap(), bytes, "{name}");
        n += 1;
    }
    assert!(n >= 20);
}

#[test]
fn json_errors_name_the_field() {
    let text = r#"{"record":"count","origin":1,"seq":2,"population":"civilians_held","people":"UA","quantity":"over 16000","source":2,"grade":"B2"}"#;
    let message = from_json(text).unwrap_err();
    assert_eq!(message, json::from_str::<Record>(text).unwrap_err().to_string());
    assert!(message.starts_with("quantity: invalid quantity \"over 16000\""), "{message}");
}

/// The codes C writes are the core's numbers, in the same order.
#[test]
fn c_codes_are_the_core_codes() {
    let status = [
        SWAPWIRE_STATUS_PROPOSED,
        SWAPWIRE_STATUS_AGREED,
        SWAPWIRE_STATUS_COMPLETED,
        SWAPWIRE_STATUS_CANCELLED,
        SWAPWIRE_STATUS_REFUSED,
        SWAPWIRE_STATUS_DEMANDED,
    ];
    assert_eq!(status.to_vec(), Status::ALL.iter().map(|s| *s as u8).collect::<Vec<_>>());
    let categories = [
        SWAPWIRE_CATEGORY_MILITARY,
        SWAPWIRE_CATEGORY_CIVILIANS,
        SWAPWIRE_CATEGORY_WOUNDED,
        SWAPWIRE_CATEGORY_WOMEN,
        SWAPWIRE_CATEGORY_CHILDREN,
        SWAPWIRE_CATEGORY_FOREIGN,
    ];
    assert_eq!(categories.to_vec(), Category::ALL.iter().map(|c| *c as u8).collect::<Vec<_>>());
    let populations = [
        SWAPWIRE_POPULATION_PRISONERS_OF_WAR,
        SWAPWIRE_POPULATION_CIVILIANS_HELD,
        SWAPWIRE_POPULATION_CHILDREN_DEPORTED,
        SWAPWIRE_POPULATION_MISSING,
        SWAPWIRE_POPULATION_RETURNED_SO_FAR,
        SWAPWIRE_POPULATION_DIED_IN_CAPTIVITY,
        SWAPWIRE_POPULATION_REMAINS,
    ];
    assert_eq!(populations.to_vec(), Population::ALL.iter().map(|p| *p as u8).collect::<Vec<_>>());
    let kinds = [
        SWAPWIRE_SOURCE_GOVERNMENT,
        SWAPWIRE_SOURCE_OMBUDSMAN,
        SWAPWIRE_SOURCE_MILITARY,
        SWAPWIRE_SOURCE_MEDIA,
        SWAPWIRE_SOURCE_ORGANISATION,
        SWAPWIRE_SOURCE_MEDIATOR,
        SWAPWIRE_SOURCE_PUBLIC,
    ];
    assert_eq!(kinds.to_vec(), SourceKind::ALL.iter().map(|k| *k as u8).collect::<Vec<_>>());
    assert_eq!([SWAPWIRE_HANDOVER_LIVING, SWAPWIRE_HANDOVER_REMAINS], [0, 1]);
    for (code, q) in (0..=7).zip([
        SWAPWIRE_QUALIFIER_UNKNOWN,
        SWAPWIRE_QUALIFIER_UNDISCLOSED,
        SWAPWIRE_QUALIFIER_EXACT,
        SWAPWIRE_QUALIFIER_AT_LEAST,
        SWAPWIRE_QUALIFIER_AT_MOST,
        SWAPWIRE_QUALIFIER_APPROX,
        SWAPWIRE_QUALIFIER_RANGE,
        SWAPWIRE_QUALIFIER_ALL,
    ]) {
        assert_eq!(swapwire::Qualifier::from_code(q).map(|q| q as u8), Some(code));
    }
    for (code, p) in (0..=3).zip([
        SWAPWIRE_PRECISION_UNKNOWN,
        SWAPWIRE_PRECISION_YEAR,
        SWAPWIRE_PRECISION_MONTH,
        SWAPWIRE_PRECISION_DAY,
    ]) {
        assert_eq!(swapwire::Precision::from_code(p).map(|p| p as u8), Some(code));
    }
    assert_eq!(
        [SWAPWIRE_KIND_EXCHANGE, SWAPWIRE_KIND_COUNT, SWAPWIRE_KIND_SOURCE],
        [swapwire::Kind::Exchange as u8, swapwire::Kind::Count as u8, swapwire::Kind::Source as u8]
    );
}

/// The fixed arrays of the C structs are as large as the model's capacities.
#[test]
fn arrays_match_the_capacities() {
    let x = swapwire_exchange::default();
    assert_eq!(x.mediators.len(), swapwire::MAX_MEDIATORS);
    assert_eq!(x.composition_a.parts.len(), swapwire::MAX_PARTS);
    assert_eq!(swapwire_source::default().name.len(), swapwire::MAX_NAME_LEN + 1);
}

/// The shortest record of each kind, for `SWAPWIRE_RECORD_MIN_SIZE`.
#[test]
fn record_min_size_is_the_shortest_source() {
    let s = Record::Source(swapwire::Source::new(0, SourceKind::Government, "x").unwrap());
    let c = Record::Count(swapwire::Count::new(0, 0, Population::Missing, "AD".parse().unwrap()));
    let x = Record::Exchange(swapwire::Exchange::new(0, 0, "AD".parse().unwrap(), "AE".parse().unwrap()));
    assert_eq!(s.encoded_len(), SWAPWIRE_RECORD_MIN_SIZE);
    assert!(c.encoded_len() > SWAPWIRE_RECORD_MIN_SIZE && x.encoded_len() > SWAPWIRE_RECORD_MIN_SIZE);
}

/// Overwrites one byte of a C record's memory, as a careless C caller might.
fn scribble(r: &mut swapwire_record, at: usize, value: u8) {
    let at = at % size_of::<swapwire_record>();
    // SAFETY: `at` lies inside the struct, and every field of it is an integer or an array of
    // integers, so any byte pattern is a valid `swapwire_record`.
    unsafe { (r as *mut swapwire_record).cast::<u8>().add(at).write(value) }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Whatever random bytes decode to re-encodes to exactly the bytes consumed.
    #[test]
    fn random_bytes_decode_canonically_or_fail(kind in 0u8..4, rest in proptest::collection::vec(any::<u8>(), 0..64)) {
        let bytes: Vec<u8> = std::iter::once(kind).chain(rest).collect();
        if let Ok((c, used)) = decode(&bytes) {
            prop_assert_eq!(encode(&c).unwrap(), bytes[..used].to_vec());
        }
    }

    /// A seed record's C struct with random bytes scribbled over it: every function agrees on
    /// whether it is valid, and a valid one survives a round trip.
    #[test]
    fn scribbled_structs_are_checked(seed in 0usize..100, writes in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4)) {
        let vectors = golden();
        let bytes = &vectors[seed % vectors.len()].1;
        let (mut c, _) = decode(bytes).unwrap();
        for (at, value) in writes {
            scribble(&mut c, at, value);
        }
        if let Ok(encoded) = encode(&c) {
            let (again, used) = decode(&encoded).unwrap();
            prop_assert_eq!(used, encoded.len());
            prop_assert_eq!(encode(&again).unwrap(), encoded);
        }
    }
}
