//! Runs one benchmark job of `benches/codecs.rs` for instruction counting under callgrind:
//! instruction counts are stable on a machine whose timings move by a fifth between runs.
//! `python3 scripts/instr-table.py` runs every job this way and prints the tables.
//!
//! ```text
//! cargo build --release --features peers --example instructions
//! target/release/examples/instructions --list            # GROUP FORMAT RECORDS, one job a line
//! valgrind --tool=callgrind --toggle-collect='*measured*' \
//!     target/release/examples/instructions decode-count bincode 10
//! ```
//!
//! The job runs once to warm up (first-use allocations, lazy tables), then `ROUNDS` times
//! (default 10) inside `measured`, the only function callgrind counts with that option; divide
//! its total by `ROUNDS` × RECORDS. `SWAPWIRE_BENCH_DATA=FILE` measures your own records, as in
//! the benchmark.

#[path = "../benches/workload/mod.rs"]
mod workload;

use std::process::ExitCode;

/// Runs `job` `rounds` times: what callgrind counts with `--toggle-collect='*measured*'`.
#[inline(never)]
fn measured(job: &mut workload::Job, rounds: u32) {
    for _ in 0..rounds {
        job();
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["--list"] => {
            for g in &workload::groups(|_| true) {
                for (name, _) in &g.jobs {
                    println!("{} {name} {}", g.id, g.records);
                }
            }
            ExitCode::SUCCESS
        }
        [group, format] | [group, format, _] => {
            let Ok(rounds) = args.get(2).map_or(Ok(10), |r| r.parse::<u32>()) else {
                eprintln!("ROUNDS must be a whole number");
                return ExitCode::FAILURE;
            };
            let job = workload::groups(|id| id == group).into_iter().flat_map(|g| g.jobs).find(|(n, _)| *n == format);
            let Some((_, mut job)) = job else {
                eprintln!("no job {group} {format}; --list shows them");
                return ExitCode::FAILURE;
            };
            job();
            measured(&mut job, rounds);
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("usage: instructions --list | instructions GROUP FORMAT [ROUNDS]");
            ExitCode::FAILURE
        }
    }
}
