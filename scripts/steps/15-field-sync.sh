#!/usr/bin/env bash
# Field sync, the README's main job: the example must converge on several seeds of its lossy
# 51-byte link (it exits non-zero when a store is left behind). Its tests run in 10-rust.
set -euo pipefail
for seed in 1 2 3 4 5; do
  printf 'seed %s: ' "$seed"
  cargo run -q -p swapwire --all-features --example field_sync -- "$seed" | tail -n 1
done
