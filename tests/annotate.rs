//! The annotated walk against the golden vectors: every byte of every vector is covered by
//! exactly one span, and on any input — the vectors, `bad.txt`, every one-byte change and every
//! truncation of a vector — `annotate` accepts and rejects exactly what `decode_prefix` does.

mod common;

use std::fs;

use common::{root, unhex};
use swapwire::annotate::{annotate, Located};
use swapwire::{Codec, Record};

fn vectors() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(root().join("tests/vectors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "hex"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), unhex(&fs::read_to_string(&p).unwrap())))
        .collect();
    out.sort();
    assert!(out.len() >= 20, "golden vectors missing");
    out
}

/// The spans of one walk, and its result.
/// Spans as (start, end, "label: value").
type Spans = Vec<(usize, usize, String)>;

fn walk(bytes: &[u8]) -> (Spans, Result<usize, Located>) {
    let mut spans = Vec::new();
    let result = annotate::<Record>(bytes, |s| spans.push((s.start, s.end, format!("{}: {}", s.label, s.value))));
    (spans, result)
}

/// Spans are non-empty, in order, and tile `0..end` with no gap and no overlap.
fn assert_tiles(name: &str, spans: &[(usize, usize, String)], end: usize) {
    let mut at = 0;
    for (start, stop, label) in spans {
        assert_eq!(*start, at, "{name}: gap or overlap before {label}");
        assert!(stop > start, "{name}: empty span {label}");
        at = *stop;
    }
    assert_eq!(at, end, "{name}: spans do not reach the end");
}

/// `annotate` and `decode_prefix` agree on `bytes`, and whatever was annotated tiles the bytes read.
fn assert_agrees(name: &str, bytes: &[u8]) {
    let (spans, result) = walk(bytes);
    match (Record::decode_prefix(bytes), result) {
        (Ok((_, used)), Ok(n)) => {
            assert_eq!(used, n, "{name}");
            assert_tiles(name, &spans, n);
        }
        (Err(e), Err(located)) => {
            assert_eq!(e, located.error, "{name}: {}", common::hex(bytes));
            assert!(located.start <= located.end && located.end <= bytes.len().max(1), "{name}: {located:?}");
            if let Some(len) = located.record_len {
                assert_tiles(name, &spans, len);
                assert!(located.end <= len, "{name}");
            } else if let Some(last) = spans.last() {
                assert_tiles(name, &spans, last.1);
                assert_eq!(located.start, last.1, "{name}: error not right after the last good span");
            }
        }
        (expected, got) => panic!("{name} {}: decode_prefix {expected:?}, annotate {got:?}", common::hex(bytes)),
    }
}

#[test]
fn every_vector_byte_is_covered_exactly_once() {
    for (name, bytes) in vectors() {
        let (spans, result) = walk(&bytes);
        assert_eq!(result, Ok(bytes.len()), "{name}");
        assert_tiles(&name, &spans, bytes.len());
        assert_eq!(spans[0].2.split(": ").next(), Some("record"), "{name}");
    }
}

#[test]
fn seed_exchange_reads_as_committed() {
    let bytes = unhex(&fs::read_to_string(root().join("tests/vectors/seed-exchange-1-7.hex")).unwrap());
    let lines: Vec<String> = walk(&bytes).0.into_iter().map(|(a, b, t)| format!("{a}..{b} {t}")).collect();
    let expected = [
        "0..1 record: exchange",
        "1..2 origin: 1",
        "2..3 seq: 7",
        "3..4 revision: 0",
        "4..5 flags: agreed, living, no date, details follow",
        "5..8 parties: side_a UA, side_b RU",
        "8..10 total: 314",
        "10..11 to_a: undisclosed",
        "11..12 to_b: undisclosed",
        "12..13 source: 5",
        "13..14 grade: B2",
        "14..15 mediators: 1 listed",
        "15..17 mediators: US",
        "17..18 composition_a: none reported",
        "18..19 composition_b: none reported",
    ];
    assert_eq!(lines, expected);
}

#[test]
fn bad_vectors_fail_alike_and_point_inside_the_input() {
    let text = fs::read_to_string(root().join("tests/vectors/bad.txt")).unwrap();
    let mut checked = 0;
    for line in text.lines().map(|l| l.split('#').next().unwrap().trim()).filter(|l| !l.is_empty()) {
        let hex = line.split(' ').next().unwrap();
        let bytes = if hex == "-" { vec![] } else { unhex(hex) };
        assert_agrees(line, &bytes);
        checked += 1;
    }
    assert!(checked > 30);
}

#[test]
fn every_one_byte_change_and_truncation_agrees() {
    for (name, bytes) in vectors() {
        for cut in 0..bytes.len() {
            assert_agrees(&format!("{name} cut at {cut}"), &bytes[..cut]);
        }
        for i in 0..bytes.len() {
            let mut changed = bytes.clone();
            for v in 0..=255u8 {
                changed[i] = v;
                assert_agrees(&format!("{name} byte {i} = {v:#04x}"), &changed);
            }
        }
    }
}
