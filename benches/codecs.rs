//! Encode and decode speed of swapwire against the peer formats, on the same records in the
//! same run. `cargo bench --features peers --bench codecs`, then `python3 scripts/bench-table.py`
//! for the README table. The workloads and what each format's job does are in
//! [`workload`](workload/mod.rs); `SWAPWIRE_BENCH_DATA=FILE` measures your own records.
//!
//! Each benchmark's throughput is its number of records, so the table divides the median by it.
//! `examples/instructions.rs` runs the same jobs under callgrind for instruction counts.

mod workload;

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn all(c: &mut Criterion) {
    for workload::Group { id, records, jobs } in workload::groups(|_| true) {
        let mut group = c.benchmark_group(id);
        group.throughput(Throughput::Elements(records as u64));
        for (name, mut job) in jobs {
            group.bench_function(BenchmarkId::from_parameter(name), |b| b.iter(&mut job));
        }
        group.finish();
    }
}

fn config() -> Criterion {
    // Short runs keep the whole comparison (72 benchmarks) near four minutes on a 2-core VM;
    // the medians move by a few per cent between runs.
    Criterion::default().warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2))
}

criterion_group! { name = benches; config = config(); targets = all }
criterion_main!(benches);
