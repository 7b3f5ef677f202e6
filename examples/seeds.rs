//! Loads the seed reports (`examples/data/seeds.json`) and shows each record as JSON, as its
//! swapwire bytes in hex, and its size next to the size of its compact JSON.
//!
//! Run: `cargo run --features std --example seeds [FILE]`

use std::process::ExitCode;

use swapwire::{json, Codec, Record};

fn main() -> ExitCode {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/seeds.json").into());
    let records = match load(&path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (mut total_wire, mut total_json) = (0, 0);
    for (i, record) in records.iter().enumerate() {
        let compact = json::to_string(record).expect("records serialize");
        let bytes = record.to_vec().expect("records from the file are valid");
        println!("#{i} {}", json::to_string_pretty(record).expect("records serialize"));
        println!("   hex:  {}", bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" "));
        println!("   size: {} bytes (compact JSON: {} bytes)\n", bytes.len(), compact.len());
        total_wire += bytes.len();
        total_json += compact.len();
    }
    println!(
        "{} records: {total_wire} bytes as swapwire records, {total_json} bytes as compact JSON ({:.1}x)",
        records.len(),
        total_json as f64 / total_wire as f64
    );
    ExitCode::SUCCESS
}

/// Reads a JSON array of records, reporting the index of a bad one.
fn load(path: &str) -> Result<Vec<Record>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let values: Vec<serde_json::Value> = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| json::from_value(v.clone()).map_err(|e| format!("record {i}: {e}")))
        .collect()
}
