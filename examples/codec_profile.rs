//! A fixed workload for instruction-count profiling of the codec: encodes or decodes every seed
//! record 20,000 times. Instruction counts are stable on a noisy machine where times are not:
//!
//! ```text
//! cargo build --release --features std --example codec_profile
//! valgrind --tool=callgrind target/release/examples/codec_profile decode
//! callgrind_annotate callgrind.out.<pid> | head -30
//! ```

use std::hint::black_box;
use std::process::ExitCode;

use swapwire::{json, Codec, Record};

const ROUNDS: usize = 20_000;

fn main() -> ExitCode {
    let direction = std::env::args().nth(1).unwrap_or_default();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/seeds.json");
    let text = std::fs::read_to_string(path).expect("examples/data/seeds.json");
    let values: Vec<serde_json::Value> = serde_json::from_str(&text).expect("a JSON array");
    let records: Vec<Record> = values.into_iter().map(|v| json::from_value(v).expect("valid record")).collect();
    let bytes: Vec<Vec<u8>> = records.iter().map(|r| r.to_vec().expect("valid record")).collect();
    let mut buf = [0u8; Record::MAX_SIZE];
    match direction.as_str() {
        "decode" => {
            for _ in 0..ROUNDS {
                for b in &bytes {
                    let _ = black_box(Record::decode(black_box(b)));
                }
            }
        }
        "encode" => {
            for _ in 0..ROUNDS {
                for r in &records {
                    let _ = black_box(black_box(r).encode(&mut buf));
                }
            }
        }
        _ => {
            eprintln!("usage: codec_profile encode|decode");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
