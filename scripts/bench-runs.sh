#!/usr/bin/env bash
# Runs the codec benchmarks N times (default 3) and prints the README's speed tables, each cell
# the median over the runs (scripts/bench-table.py). Several runs, because on a shared machine
# one run's swapwire-to-peer ratios can move by a fifth: the formats of a workload are measured
# minutes apart.
#
# Your own records instead of the examples: SWAPWIRE_BENCH_DATA=FILE (a JSON array or NDJSON of
# records in the JSON form; benches/workload/mod.rs says which it takes), for the benches and the table.
#
# Usage: scripts/bench-runs.sh [N]        (about 6 minutes per run on a 2-core VM)
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-$PWD/target}
runs=$(mktemp -d)
trap 'rm -rf "$runs"' EXIT
for i in $(seq "${1:-3}"); do
  # From a clean slate: a workload your data lacks must not show an earlier run's results.
  rm -rf "$target/criterion"
  cargo bench --features peers --bench codecs >&2
  cp -r "$target/criterion" "$runs/run$i"
done
python3 scripts/bench-table.py "$runs"/run*
