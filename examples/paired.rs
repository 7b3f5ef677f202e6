//! Paired timing of the benchmark jobs: every format of a group is timed in turn, round after
//! round, and each round's time of a peer is divided by swapwire's time in the same round.
//!
//! Criterion measures one format after another, seconds apart, so on a shared machine a
//! swapwire-to-peer ratio moves with whatever else ran in between (by a fifth between runs of
//! `scripts/bench-runs.sh`). Here the formats of one round are timed within a few milliseconds
//! of each other, so a slow stretch of the machine slows all of them alike and their ratio
//! keeps; the spread of the per-round ratios says how far to trust it.
//!
//! ```text
//! cargo run --release --features peers --example paired                 # every group
//! cargo run --release --features peers --example paired -- encode-batch encode-exchange
//! cargo run --release --features peers --example paired -- --rounds 50 decode-count
//! cargo run --release --features peers --example paired -- --formats bincode,protobuf encode-count
//! ```
//!
//! Prints one Markdown table per group: each format's median nanoseconds per record, the median
//! of its per-round ratio to swapwire (above 1.00 is slower) and the quartiles of that ratio.
//! With `--tsv`, one line per group and format instead (group, records, format, median ns,
//! median ratio, lower and upper quartile), which `scripts/paired-table.py` reads.
//!
//! One process's ratios are steady from round to round, yet another process can find them a
//! tenth or more apart, on this project's build machine even with address-space randomisation
//! off (`setarch -R`). `scripts/paired-table.py` therefore runs this in several processes and
//! reports the spread between them.
//! The jobs are those of `benches/codecs.rs` ([`workload`](../benches/workload/mod.rs)), so
//! `SWAPWIRE_BENCH_DATA=FILE` times your own records here too.

#[path = "../benches/workload/mod.rs"]
mod workload;

use std::process::ExitCode;
use std::time::{Duration, Instant};

/// How long one timed sample of one format runs, at least: long enough that the clock's
/// resolution and the loop around the job do not show, short enough that a round of eight
/// formats fits in a few tens of milliseconds.
const SAMPLE: Duration = Duration::from_millis(2);

const USAGE: &str = "usage: paired [--rounds N] [--formats F,F,...] [--tsv] [GROUP ...]
  GROUP and F as `instructions --list` names them (encode-batch, bincode); swapwire is always timed";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut rounds = 300;
    let mut wanted = Vec::new();
    let mut formats: Option<Vec<String>> = None;
    let mut tsv = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rounds" => match args.next().and_then(|n| n.parse::<usize>().ok()).filter(|&n| n > 0) {
                Some(n) => rounds = n,
                None => {
                    eprintln!("--rounds takes a whole number above 0\n{USAGE}");
                    return ExitCode::FAILURE;
                }
            },
            "--formats" => match args.next() {
                Some(list) => formats = Some(list.split(',').map(str::to_owned).collect()),
                None => {
                    eprintln!("--formats takes a comma-separated list\n{USAGE}");
                    return ExitCode::FAILURE;
                }
            },
            "--tsv" => tsv = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if arg.starts_with('-') => {
                eprintln!("unknown option {arg}\n{USAGE}");
                return ExitCode::FAILURE;
            }
            _ => wanted.push(arg),
        }
    }
    let groups = workload::groups(|id| wanted.is_empty() || wanted.iter().any(|w| w == id));
    if let Some(missing) = wanted.iter().find(|w| !groups.iter().any(|g| &g.id == *w)) {
        eprintln!("no group {missing}; `instructions --list` names them");
        return ExitCode::FAILURE;
    }
    if let Some(formats) = &formats {
        let known = |f: &String| groups.iter().any(|g| g.jobs.iter().any(|(name, _)| name == f));
        if let Some(missing) = formats.iter().find(|f| !known(f)) {
            eprintln!("no format {missing} in these groups; `instructions --list` names them");
            return ExitCode::FAILURE;
        }
    }
    for group in groups {
        let mut jobs = group.jobs;
        if let Some(formats) = &formats {
            jobs.retain(|(name, _)| *name == "swapwire" || formats.iter().any(|f| f == name));
            if jobs.len() < 2 {
                // The frame groups have no peers: nothing of the chosen formats to compare.
                continue;
            }
        }
        let timed = time_group(jobs, group.records, rounds);
        let Some(rows) = summarise(&timed) else {
            eprintln!("{}: no swapwire job to compare with", group.id);
            return ExitCode::FAILURE;
        };
        if tsv {
            for r in &rows {
                let (id, n) = (&group.id, group.records);
                println!("{id}\t{n}\t{}\t{:.3}\t{:.4}\t{:.4}\t{:.4}", r.name, r.ns, r.ratio, r.low, r.high);
            }
        } else {
            print_table(&group.id, group.records, &rows, rounds);
        }
    }
    ExitCode::SUCCESS
}

/// One format's samples: nanoseconds per record, one per round.
struct Timed {
    name: &'static str,
    ns: Vec<f64>,
}

/// Times every job of a group `rounds` times, in turn; the first job to run moves by one each
/// round, so that no format always follows the same one.
fn time_group(mut jobs: Vec<(&'static str, workload::Job)>, records: usize, rounds: usize) -> Vec<Timed> {
    // Warm up each job, then time one run to find how many fill a sample.
    let runs: Vec<u32> = jobs
        .iter_mut()
        .map(|(_, job)| {
            job();
            let start = Instant::now();
            job();
            let once = start.elapsed().max(Duration::from_nanos(1));
            (SAMPLE.as_nanos() / once.as_nanos()).clamp(1, 1_000_000) as u32
        })
        .collect();
    let mut timed: Vec<Timed> = jobs.iter().map(|(name, _)| Timed { name, ns: Vec::with_capacity(rounds) }).collect();
    for round in 0..rounds {
        for k in 0..jobs.len() {
            let i = (round + k) % jobs.len();
            let job = &mut jobs[i].1;
            let start = Instant::now();
            for _ in 0..runs[i] {
                job();
            }
            let ns = start.elapsed().as_nanos() as f64 / (f64::from(runs[i]) * records as f64);
            timed[i].ns.push(ns);
        }
    }
    timed
}

/// The value at fraction `q` (0 to 1) of sorted `values`, interpolated between neighbours.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let at = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo as f64)
}

fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

/// One format's line of a table.
struct Row {
    name: &'static str,
    /// Median nanoseconds per record.
    ns: f64,
    /// Median and quartiles of the per-round ratio to swapwire.
    ratio: f64,
    low: f64,
    high: f64,
}

/// Each format's medians and quartiles; `None` if the group has no swapwire job.
fn summarise(timed: &[Timed]) -> Option<Vec<Row>> {
    let base = timed.iter().find(|t| t.name == "swapwire")?;
    let rows = timed.iter().map(|t| {
        let ns = sorted(t.ns.clone());
        let ratios = sorted(t.ns.iter().zip(&base.ns).map(|(x, b)| x / b).collect());
        Row {
            name: t.name,
            ns: quantile(&ns, 0.5),
            ratio: quantile(&ratios, 0.5),
            low: quantile(&ratios, 0.25),
            high: quantile(&ratios, 0.75),
        }
    });
    Some(rows.collect())
}

fn print_table(id: &str, records: usize, rows: &[Row], rounds: usize) {
    println!("**{id}** ({records} records), paired: {rounds} rounds, each format timed in turn in every round\n");
    println!("| format | median ns | × swapwire, median of rounds | quartiles of the ratio |");
    println!("|---|---:|---:|---:|");
    for r in rows {
        println!("| {} | {} | {:.2} | {:.2}–{:.2} |", r.name, nanos(r.ns), r.ratio, r.low, r.high);
    }
    println!();
}

/// Three significant figures, as the criterion table prints them.
fn nanos(ns: f64) -> String {
    if ns >= 1000.0 {
        let whole = ns.round() as u64;
        format!("{},{:03}", whole / 1000, whole % 1000)
    } else if ns >= 100.0 {
        format!("{ns:.0}")
    } else {
        format!("{ns:.1}")
    }
}
