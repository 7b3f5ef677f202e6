//! Shared helpers for the integration tests: the example and edge-case records.
#![allow(dead_code)]

use std::path::PathBuf;

use swapwire::{json, Record};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The records of `examples/data/seeds.json`, each with its vector name.
pub fn seed_records() -> Vec<(String, Record)> {
    let text = std::fs::read_to_string(root().join("examples/data/seeds.json")).unwrap();
    let values: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    values
        .into_iter()
        .map(|v| {
            let r: Record = json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"));
            let name = match &r {
                Record::Exchange(x) => format!("seed-exchange-{}-{}", x.origin, x.seq),
                Record::Count(c) => format!("seed-count-{}-{}", c.origin, c.seq),
                Record::Source(s) => format!("seed-source-{}", s.key),
            };
            (name, r)
        })
        .collect()
}

/// The records of `tests/data/edge.json`, by name.
pub fn edge_records() -> Vec<(String, Record)> {
    let text = std::fs::read_to_string(root().join("tests/data/edge.json")).unwrap();
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    map.into_iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .map(|(k, v)| {
            let r: Record = json::from_value(v.clone()).unwrap_or_else(|e| panic!("{k}: {e}"));
            (format!("edge-{k}"), r)
        })
        .collect()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(text: &str) -> Vec<u8> {
    let text = text.trim();
    assert!(text.len().is_multiple_of(2), "odd hex length: {text}");
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}
