//! The main job: field devices get the seed reports to a gateway — and to each other — over a
//! lossy 51-byte LoRaWAN link, printing what every frame carries and what became of it.
//!
//! The reports of `examples/data/seeds.json` are dealt out to three devices, each writing its
//! share as its own (origin = device number, sequence numbers from 1); the sources are dealt out
//! the same way. The gateway starts empty. Links lose 30% of frames, duplicate 5%, delay and so
//! reorder the rest, flip a bit in 1% and cut 1% short.
//!
//! Run: `cargo run --features std --example field_sync [SEED]`

use std::process::ExitCode;

use swapwire::frame::Profile;
use swapwire::sim::{Faults, Sim};
use swapwire::{json, Codec, Record};

const DEVICES: u32 = 3;

fn main() -> ExitCode {
    let seed = match std::env::args().nth(1).map(|s| s.parse::<u64>()) {
        None => 1,
        Some(Ok(seed)) => seed,
        Some(Err(e)) => {
            eprintln!("SEED must be a number: {e}");
            return ExitCode::FAILURE;
        }
    };
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/seeds.json");
    let records = match load(path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };

    let profile = Profile::LORAWAN_EU868_DR0;
    let mut sim = Sim::<32>::new(profile, Faults::HARSH, seed);
    sim.narrate = true;
    let shares = deal(&records);
    let setup = sim.add_gateway(0, []).and_then(|()| {
        shares.iter().enumerate().try_for_each(|(d, share)| sim.add_device(d as u32 + 1, share.iter().cloned()))
    });
    if let Err(e) = setup {
        eprintln!("setting up the devices: {e}");
        return ExitCode::FAILURE;
    }
    println!(
        "{} records from {path}, over {} ({} B per message), seed {seed}",
        records.len(),
        profile.name,
        profile.payload
    );
    for (d, share) in shares.iter().enumerate() {
        let names: Vec<String> = share.iter().map(describe).collect();
        println!("  device{} starts with {}", d + 1, names.join(", "));
    }
    println!();

    let report = sim.run(300);
    for event in &sim.events {
        println!("{event}");
    }

    let stores: Vec<usize> = (0..=DEVICES as usize).filter_map(|i| sim.store(i).map(|s| s.len())).collect();
    println!();
    println!("ticks:            {}", report.ticks);
    println!(
        "records frames:   {} ({} B), carrying {} records",
        report.record_frames, report.record_bytes, report.records_sent
    );
    println!("summary frames:   {} ({} B)", report.summary_frames, report.summary_bytes);
    println!(
        "link faults:      {} lost, {} duplicated, {} bit-flipped ({} dropped by the link's check), {} cut short",
        report.lost, report.duplicated, report.bit_flipped, report.dropped_by_link, report.truncated
    );
    let rejected: Vec<String> = report.rejected.iter().map(|(e, n)| format!("{n} {e}")).collect();
    println!("rejected whole:   {}", if rejected.is_empty() { "none".into() } else { rejected.join(", ") });
    println!("records delivered: {} into stores that lacked them", report.delivered);
    println!(
        "bytes sent:       {} B for {} B of records that had to move ({:.2}x)",
        report.bytes_sent(),
        report.needed_bytes,
        report.bytes_sent() as f64 / report.needed_bytes.max(1) as f64
    );
    let sizes: Vec<String> = stores.iter().map(usize::to_string).collect();
    println!("store sizes:      {} (gateway, then each device)", sizes.join(", "));
    if report.converged {
        println!("converged:        yes, every store holds the same {} records", stores.first().unwrap_or(&0));
        ExitCode::SUCCESS
    } else {
        println!("converged:        NO after {} ticks", report.ticks);
        ExitCode::FAILURE
    }
}

/// Deals the records out to the devices: reports in turn, re-numbered as each device's own,
/// sources in turn as they are.
fn deal(records: &[Record]) -> Vec<Vec<Record>> {
    let mut shares = vec![Vec::new(); DEVICES as usize];
    let (mut reports, mut sources) = (0usize, 0usize);
    for r in records {
        let mut r = r.clone();
        let device = match &mut r {
            Record::Source(_) => {
                sources += 1;
                (sources - 1) % DEVICES as usize
            }
            Record::Exchange(swapwire::Exchange { origin, seq, .. })
            | Record::Count(swapwire::Count { origin, seq, .. }) => {
                reports += 1;
                let d = (reports - 1) % DEVICES as usize;
                (*origin, *seq) = (d as u32 + 1, ((reports - 1) / DEVICES as usize) as u32 + 1);
                d
            }
        };
        if let Some(share) = shares.get_mut(device) {
            share.push(r);
        }
    }
    shares
}

fn describe(r: &Record) -> String {
    let bytes = r.encoded_len();
    match r {
        Record::Exchange(x) => format!("exchange {}/{} ({} {}, {bytes} B)", x.origin, x.seq, x.status, x.date),
        Record::Count(c) => format!("count {}/{} ({} {}, {bytes} B)", c.origin, c.seq, c.population, c.quantity),
        Record::Source(s) => format!("source {} ({}, {bytes} B)", s.key, s.name),
    }
}

/// Reads a JSON array of records.
fn load(path: &str) -> Result<Vec<Record>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let values: Vec<serde_json::Value> = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    values.into_iter().map(|v| json::from_value(v).map_err(|e| e.to_string())).collect()
}
