#!/usr/bin/env bash
# Speed and footprint (issue 7): the criterion benches compile, the Cortex-M4F footprint table
# builds, and the on-target test passes under QEMU. The benches themselves take minutes and
# want a quiet machine, so CI only compiles them; run them with
# `cargo bench --features peers --bench codecs && python3 scripts/bench-table.py`.
set -euo pipefail
cd "$(dirname "$0")/../.."

# --- what the step needs, installed only when missing
source scripts/need-debs.sh
need_debs binutils-arm-none-eabi qemu-system-arm python3
rustup target add thumbv7em-none-eabihf >/dev/null 2>&1

target=${CARGO_TARGET_DIR:-$PWD/target}

echo "--- cargo bench --no-run"
cargo bench --features peers --bench codecs --no-run
python3 -m py_compile scripts/bench-table.py

echo "--- firmware/ (outside the workspace, so the Rust step does not see it): fmt and clippy"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo fmt --manifest-path firmware/Cargo.toml -- --check
(cd firmware && CARGO_TARGET_DIR=$target/firmware cargo clippy -q --release --bins -- -D warnings)

echo "--- footprint (thumbv7em-none-eabihf, opt-level z, LTO, panic=abort)"
CARGO_TARGET_DIR=$target/firmware bash scripts/footprint.sh

echo "--- on-target test: qemu-system-arm mps2-an386 (Cortex-M4), semihosting"
(cd firmware && CARGO_TARGET_DIR=$target/firmware timeout 300 cargo run --release --bin vectors)
