//! A fixed workload for instruction-count profiling of frame writing: packs every seed record
//! into Meshtastic message frames (or serial stream frames, with CRC-32 and COBS), 20,000
//! times, as `codec_profile` does for single records:
//!
//! ```text
//! cargo build --release --features std --example frame_profile
//! valgrind --tool=callgrind target/release/examples/frame_profile message   # or: stream
//! ```

use std::hint::black_box;
use std::process::ExitCode;

use swapwire::frame::{self, Profile};
use swapwire::{json, Record};

const ROUNDS: usize = 20_000;

fn main() -> ExitCode {
    let profile = match std::env::args().nth(1).as_deref() {
        Some("message") => Profile::MESHTASTIC,
        Some("stream") => Profile::SERIAL,
        _ => {
            eprintln!("usage: frame_profile message|stream");
            return ExitCode::FAILURE;
        }
    };
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/seeds.json");
    let text = std::fs::read_to_string(path).expect("examples/data/seeds.json");
    let values: Vec<serde_json::Value> = serde_json::from_str(&text).expect("a JSON array");
    let records: Vec<Record> = values.into_iter().map(|v| json::from_value(v).expect("valid record")).collect();
    let mut buf = [0u8; 512];
    let mut bytes = 0;
    for _ in 0..ROUNDS {
        let mut rest = black_box(&records[..]);
        while !rest.is_empty() {
            let w = frame::write_records(&profile, 9, rest, &mut buf).expect("the seeds fit the link");
            bytes += w.len;
            rest = &rest[w.records..];
        }
    }
    println!("{bytes} bytes of frames written");
    ExitCode::SUCCESS
}
