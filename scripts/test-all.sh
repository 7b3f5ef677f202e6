#!/usr/bin/env bash
# Runs every test of every language (Rust, C, Python) and every check CI makes, on a fresh
# machine as on a developer's: each step installs what it needs (rustup targets, Debian
# packages, Python packages) before it runs. Steps live in scripts/steps/, run in name order;
# `scripts/test-all.sh 30-c` runs only the steps whose names start with the argument.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
failed=()
for step in scripts/steps/*.sh; do
  name=$(basename "$step" .sh)
  [[ $# -gt 0 && $name != "$1"* ]] && continue
  echo "=== $name"
  start=$SECONDS
  if bash "$step"; then
    echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
    failed+=("$name")
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "failed steps: ${failed[*]}"
  exit 1
fi
echo "all steps passed"
