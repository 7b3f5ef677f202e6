//! The seeded lossy-link simulation: for many seeds, every store converges to the union of what
//! the nodes started with — nothing lost, nothing corrupted accepted — over both framings.

mod field;

use field::{reports_like_seed, reports_varying, seed_records};
use swapwire::frame::Profile;
use swapwire::sim::{Faults, Report, Sim};
use swapwire::{Codec, Kind, Record};

/// A gateway and three devices: each device has its own reports and a correction of a shared
/// source; the gateway starts with an older copy of every source.
fn field_day(profile: Profile, seed: u64) -> Sim<96> {
    let sources: Vec<Record> =
        seed_records().into_iter().map(|(_, r)| r).filter(|r| r.kind() == Kind::Source).collect();
    let mut sim = Sim::new(profile, Faults::HARSH, seed);
    sim.add_gateway(0, sources.clone()).unwrap();
    for device in 1..=3u32 {
        let mut records = if device % 2 == 0 { reports_varying(device, 12) } else { reports_like_seed(device, 12) };
        let mut correction = sources[device as usize].clone();
        if let Record::Source(s) = &mut correction {
            s.revision = device;
        }
        records.push(correction);
        sim.add_device(device, records).unwrap();
    }
    sim
}

/// What device `d` of [`field_day`] starts with.
fn sim_store(d: u32) -> swapwire::store::FixedStore<96> {
    field_day(Profile::SERIAL, 0).store(d as usize).unwrap().clone()
}

fn check(profile: Profile, seeds: std::ops::Range<u64>) -> Vec<Report> {
    seeds
        .map(|seed| {
            let report = field_day(profile, seed).run(400);
            assert!(report.converged, "seed {seed} on {}: {report:#?}", profile.name);
            report
        })
        .collect()
}

#[test]
fn stores_converge_over_a_lossy_byte_stream() {
    let reports = check(Profile::SERIAL, 0..40);
    // The faults were really there, and damage reached the decoder and was refused there.
    let total = |f: fn(&Report) -> usize| reports.iter().map(f).sum::<usize>();
    assert!(total(|r| r.lost) > 0 && total(|r| r.duplicated) > 0);
    assert!(total(|r| r.bit_flipped) > 0 && total(|r| r.truncated) > 0);
    assert!(total(|r| r.rejected.values().sum()) > 0);
    assert_eq!(total(|r| r.dropped_by_link), 0);
}

#[test]
fn stores_converge_over_lossy_51_byte_lorawan_messages() {
    let reports = check(Profile::LORAWAN_EU868_DR0, 100..140);
    let total = |f: fn(&Report) -> usize| reports.iter().map(f).sum::<usize>();
    assert!(total(|r| r.dropped_by_link) > 0 && total(|r| r.truncated) > 0);
}

#[test]
fn a_run_is_determined_by_its_seed() {
    let a = field_day(Profile::SERIAL, 5).run(400);
    let b = field_day(Profile::SERIAL, 5).run(400);
    let c = field_day(Profile::SERIAL, 6).run(400);
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn bytes_sent_against_bytes_that_had_to_move() {
    // 3 devices x 13 records to the gateway and 2 other devices, 6 sources to 3 devices.
    let report = field_day(Profile::LORAWAN_EU868_DR0, 1).run(400);
    assert!(report.converged);
    // Each device's 13 records must reach the gateway and two devices; the sources nobody
    // corrected must reach the three devices.
    let mut needed = 0;
    let mut corrected = Vec::new();
    for device in 1..=3u32 {
        let store = sim_store(device);
        needed += 3 * store.iter().map(Codec::encoded_len).sum::<usize>();
        corrected.extend(store.iter().filter(|r| r.kind() == Kind::Source).map(Record::key));
    }
    let sources = seed_records().into_iter().map(|(_, r)| r).filter(|r| r.kind() == Kind::Source);
    needed += 3 * sources.filter(|r| !corrected.contains(&r.key())).map(|r| r.encoded_len()).sum::<usize>();
    assert_eq!(report.needed_bytes, needed);
    // Even through 30% loss, resends and summaries, the run moves well under five times the
    // standalone bytes that had to move.
    assert!(report.bytes_sent() < 5 * report.needed_bytes, "{report:#?}");
}
