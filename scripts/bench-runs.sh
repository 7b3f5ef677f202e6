#!/usr/bin/env bash
# Runs the codec benchmarks N times (default 3) and prints the README's speed tables, each cell
# the median over the runs (scripts/bench-table.py). Several runs, because on a shared machine
# one run's swapwire-to-peer ratios can move by a fifth: the formats of a workload are measured
# minutes apart.
#
# Your own records instead of the examples: SWAPWIRE_BENCH_DATA=FILE (a JSON array or NDJSON of
# records in the JSON form; benches/workload/mod.rs says which it takes), for the benches and the
# table; a relative FILE is read from the directory you run this in.
#
# Usage: scripts/bench-runs.sh [N]        (about 6 minutes per run on a 2-core VM)
set -euo pipefail
# A relative path is the caller's: make it absolute before moving to the repo (where cargo runs
# the benches), and stop here if there is no such file.
if [[ -n ${SWAPWIRE_BENCH_DATA:-} ]]; then
  [[ $SWAPWIRE_BENCH_DATA == /* ]] || SWAPWIRE_BENCH_DATA=$PWD/$SWAPWIRE_BENCH_DATA
  if [[ ! -f $SWAPWIRE_BENCH_DATA || ! -r $SWAPWIRE_BENCH_DATA ]]; then
    echo "bench-runs.sh: SWAPWIRE_BENCH_DATA: no such readable file: $SWAPWIRE_BENCH_DATA" >&2
    exit 1
  fi
  export SWAPWIRE_BENCH_DATA
fi
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
