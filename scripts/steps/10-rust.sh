#!/usr/bin/env bash
# The Rust crate: formatting, lints, docs, the embedded targets, and every Rust test.
set -euo pipefail
rustup component add rustfmt clippy >/dev/null 2>&1 || true
rustup target add thumbv7em-none-eabihf riscv32imac-unknown-none-elf >/dev/null
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo clippy -p swapwire --lib -- -D warnings # the no_std core on its own
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features
cargo build -p swapwire --target thumbv7em-none-eabihf
cargo build -p swapwire --target riscv32imac-unknown-none-elf
cargo test --workspace --all-features
