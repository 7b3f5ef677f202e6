//! Records for the sync tests: reports shaped like the seed's, and random variations of the
//! seed and edge records for properties.
#![allow(dead_code, unused_imports)]

use proptest::prelude::*;
use swapwire::{Codec, Count, Date, Exchange, Quantity, Record};

#[path = "../common/mod.rs"]
mod common;
pub use common::{hex, root, seed_records, unhex};

/// A record from a committed golden vector.
pub fn vector(name: &str) -> Record {
    let text = std::fs::read_to_string(root().join(format!("tests/vectors/{name}.hex"))).unwrap();
    Record::decode(&unhex(text.trim())).unwrap()
}

/// The seed's 2025-02-05 Exchange report (150 returned to Ukraine), 15 bytes standalone.
pub fn seed_exchange() -> Exchange {
    match vector("seed-exchange-1-1") {
        Record::Exchange(x) => x,
        other => panic!("not an exchange: {other:?}"),
    }
}

/// "over 16,000 civilians held, as of 2025-03-06", 14 bytes standalone.
pub fn seed_count() -> Count {
    match vector("seed-count-1-2") {
        Record::Count(c) => c,
        other => panic!("not a count: {other:?}"),
    }
}

/// Report `i` of device `origin`, like the seed exchange: seq `i + 1`, and a different number
/// returned each time (two-byte quantities, as 150 is).
fn like_seed(origin: u32, i: u32) -> Exchange {
    let mut x = seed_exchange();
    x.origin = origin;
    x.seq = 1 + i;
    x.to_a = Quantity::Exact(150 + 7 * i);
    x
}

/// `n` consecutive reports from device `origin`, each like the seed exchange: the same
/// parties, source and grade, and a date one day later every third report.
pub fn reports_like_seed(origin: u32, n: u32) -> Vec<Record> {
    (0..n)
        .map(|i| {
            let mut x = like_seed(origin, i);
            x.date = Date::Day(2025, 2, 5 + (i / 3) as u8 % 20);
            Record::Exchange(x)
        })
        .collect()
}

/// Like [`reports_like_seed`], but every report differs from the one before in each field an
/// elision could drop: date, parties (the sides swap), source and grade.
pub fn reports_varying(origin: u32, n: u32) -> Vec<Record> {
    (0..n)
        .map(|i| {
            let mut x = like_seed(origin, i);
            x.date = Date::Day(2025, 2 + (i / 28) as u8 % 10, 1 + (i % 28) as u8);
            if i % 2 == 1 {
                (x.side_a, x.side_b) = (x.side_b, x.side_a);
            }
            x.source = 1 + i % 6;
            x.grade = if i % 2 == 0 { "B2" } else { "C3" }.parse().unwrap();
            Record::Exchange(x)
        })
        .collect()
}

/// The seed and edge records.
pub fn pool() -> Vec<Record> {
    let mut all: Vec<Record> = seed_records().into_iter().map(|(_, r)| r).collect();
    all.extend(common::edge_records().into_iter().map(|(_, r)| r));
    all
}

/// A pool record with its identity, revision, retraction and date varied: records that share
/// keys and revisions often, as copies of one store's records do.
pub fn record() -> impl Strategy<Value = Record> {
    let pool = pool();
    (0..pool.len(), 0u32..4, 0u32..6, 0u32..3, any::<bool>(), 0u32..40, prop_oneof![Just(0u32), any::<u32>()]).prop_map(
        move |(i, origin, seq, revision, retracted, days, far)| {
            let mut r = pool[i].clone();
            match &mut r {
                Record::Exchange(x) => {
                    (x.origin, x.seq, x.revision, x.retracted) = (origin, seq.wrapping_add(far), revision, retracted);
                    x.part_of = x.part_of.filter(|p| *p != x.id());
                    x.same_as = x.same_as.filter(|p| *p != x.id());
                    if let Date::Day(..) = x.date {
                        x.date = Date::Day(2025, 1 + (days / 28) as u8, 1 + (days % 28) as u8);
                    }
                }
                Record::Count(c) => {
                    (c.origin, c.seq, c.revision, c.retracted) = (origin, seq.wrapping_add(far), revision, retracted);
                }
                Record::Source(s) => {
                    (s.key, s.revision, s.retracted) = (seq, revision, retracted);
                    s.via = s.via.filter(|v| *v != s.key);
                }
            }
            r
        },
    )
}
