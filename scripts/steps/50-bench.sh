#!/usr/bin/env bash
# Speed and footprint (issue 7): the criterion benches compile, the Cortex-M4F footprint table
# builds, and the on-target test passes under QEMU. The benches themselves take minutes and
# want a quiet machine, so CI only compiles them and runs each once on records of a file (the
# SWAPWIRE_BENCH_DATA path); measure with `bash scripts/bench-runs.sh`. Instruction counts do
# not depend on a quiet machine, so CI prints that table (`scripts/instr-table.py`) in full.
set -euo pipefail
cd "$(dirname "$0")/../.."

# --- what the step needs, installed only when missing
source scripts/need-debs.sh
need_debs binutils-arm-none-eabi qemu-system-arm python3 valgrind
rustup target add thumbv7em-none-eabihf >/dev/null 2>&1

target=${CARGO_TARGET_DIR:-$PWD/target}

echo "--- cargo bench --no-run"
cargo bench --features peers --bench codecs --no-run
python3 -m py_compile scripts/bench-table.py scripts/tables.py scripts/instr-table.py scripts/wall-time.py scripts/jobs.py \
  scripts/paired-table.py

echo "--- paired timing (examples/paired.rs): every format of every group timed, one round"
cargo build -q --release --features peers --example paired
paired=$target/release/examples/paired
lines=$("$paired" --tsv --rounds 1 2>/dev/null | wc -l)
echo "paired --tsv: $lines group and format lines (want 72, as the benchmarks)"
[[ $lines == 72 ]]
# Bad arguments are refused with a message, not a panic.
if "$paired" --rounds 0 2>/dev/null || "$paired" no-such-group 2>/dev/null || "$paired" --formats nope encode-count 2>/dev/null; then
  echo "paired accepted a bad argument"; exit 1
fi

echo "--- the benches on records of your own (SWAPWIRE_BENCH_DATA), each benchmark run once"
own=$(mktemp -d)
trap 'rm -rf "$own"' EXIT
python3 - examples/data/seeds.json "$own" <<'PY'
import json, sys
records = json.load(open(sys.argv[1]))
with open(f"{sys.argv[2]}/all.ndjson", "w") as f:
    f.writelines(json.dumps(r) + "\n" for r in records)
with open(f"{sys.argv[2]}/counts.json", "w") as f:
    json.dump([r for r in records if r["record"] == "count"], f)
PY
# NDJSON of every kind: all 72 benchmarks. A JSON array of Counts alone: no Exchange or Source
# workload, so 40 (8 formats in 2 directions for count and for batch, and the 8 frame ones).
for run in all.ndjson:72 counts.json:40; do
  file=${run%%:*} want=${run#*:}
  out=$(SWAPWIRE_BENCH_DATA=$own/$file cargo bench -q --features peers --bench codecs -- --test)
  got=$(grep -c '^Success' <<<"$out" || true)
  echo "$file: $got benchmarks ran once (want $want)"
  [[ $got == "$want" ]] || exit 1
done

echo "--- instructions per record under callgrind (python3 scripts/instr-table.py)"
python3 scripts/instr-table.py

echo "--- firmware/ (outside the workspace, so the Rust step does not see it): fmt and clippy"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo fmt --manifest-path firmware/Cargo.toml -- --check
(cd firmware && CARGO_TARGET_DIR=$target/firmware cargo clippy -q --release --bins -- -D warnings)

echo "--- footprint (thumbv7em-none-eabihf, opt-level z, LTO, panic=abort)"
CARGO_TARGET_DIR=$target/firmware bash scripts/footprint.sh

echo "--- on-target test: qemu-system-arm mps2-an386 (Cortex-M4), semihosting"
(cd firmware && CARGO_TARGET_DIR=$target/firmware timeout 300 cargo run --release --bin vectors)
