//! Golden vectors: every example and edge-case record has its bytes (hex) and JSON form committed
//! under `tests/vectors/`; the C and Python tests read the same files. Both directions are
//! checked: the record encodes to the committed bytes, and the committed bytes decode to the
//! committed JSON. `SWAPWIRE_BLESS=1 cargo test --features std --test vectors` rewrites them
//! after an intended format change.

mod common;

use std::collections::BTreeSet;
use std::fs;

use common::{edge_records, hex, root, seed_records, unhex};
use swapwire::{json, Codec, Error, Field, Record};

fn bless() -> bool {
    std::env::var_os("SWAPWIRE_BLESS").is_some()
}

#[test]
fn every_record_matches_its_committed_bytes_and_json() {
    let dir = root().join("tests/vectors");
    let mut expected_files = BTreeSet::new();
    for (name, record) in seed_records().into_iter().chain(edge_records()) {
        let mut buf = [0xA5u8; Record::MAX_SIZE + 8];
        let n = record.encode(&mut buf).unwrap();
        assert!(buf[n..].iter().all(|&b| b == 0xA5), "{name}: wrote past its length");
        let bytes = &buf[..n];
        let text = json::to_string_pretty(&record).unwrap() + "\n";
        let (hex_path, json_path) = (dir.join(format!("{name}.hex")), dir.join(format!("{name}.json")));
        expected_files.extend([format!("{name}.hex"), format!("{name}.json")]);
        if bless() {
            fs::write(&hex_path, hex(bytes) + "\n").unwrap();
            fs::write(&json_path, &text).unwrap();
        }
        let committed_hex = fs::read_to_string(&hex_path).unwrap_or_else(|_| panic!("{name}: no vector"));
        let committed_json = fs::read_to_string(&json_path).unwrap();
        // Record -> bytes and record -> JSON match what is committed.
        assert_eq!(hex(bytes), committed_hex.trim(), "{name}: bytes");
        assert_eq!(text, committed_json, "{name}: JSON");
        // Committed bytes -> record -> committed JSON, and committed JSON -> same bytes.
        let decoded = Record::decode(&unhex(&committed_hex)).unwrap();
        assert_eq!(json::to_string_pretty(&decoded).unwrap() + "\n", committed_json, "{name}");
        let from_json: Record = json::from_str(&committed_json).unwrap();
        assert_eq!(from_json.to_vec().unwrap(), unhex(&committed_hex), "{name}");
    }
    let present: BTreeSet<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|f| f.ends_with(".hex") || f.ends_with(".json"))
        .collect();
    assert_eq!(present, expected_files, "stale or missing vector files");
}

/// The error a line of `bad.txt` names, in the spelling all three languages share.
fn error_name(e: Error) -> String {
    match e {
        Error::Truncated => "truncated".into(),
        Error::TrailingBytes => "trailing_bytes".into(),
        Error::BadVarint => "bad_varint".into(),
        Error::BadUtf8 => "bad_utf8".into(),
        Error::UnknownKind => "unknown_kind".into(),
        Error::NonCanonical => "non_canonical".into(),
        Error::Malformed => "malformed".into(),
        Error::BufferTooSmall => "buffer_too_small".into(),
        Error::Invalid(field, _) => format!("invalid {}", field.name()),
        _ => unreachable!("new error variant without a vector spelling"),
    }
}

#[test]
fn bad_vectors_fail_with_the_committed_error() {
    let text = fs::read_to_string(root().join("tests/vectors/bad.txt")).unwrap();
    let mut count = 0;
    for line in text.lines() {
        let line = line.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        let (bytes, expected) = line.split_once(' ').unwrap();
        let bytes = if bytes == "-" { vec![] } else { unhex(bytes) };
        let got = Record::decode(&bytes).map(|r| format!("{r:?}")).map_err(error_name);
        assert_eq!(got, Err(expected.trim().to_string()), "{line}");
        count += 1;
    }
    assert!(count >= 25, "only {count} bad vectors");
    // Every field that can be invalid on the wire is covered by some line (status: the refused
    // bit of the details section with status bits other than 0).
    for field in [Field::Date, Field::SideA, Field::SideB, Field::Total, Field::ToA, Field::Grade, Field::Status] {
        assert!(text.contains(&format!("invalid {}", field.name())), "no bad vector for {}", field.name());
    }
}
