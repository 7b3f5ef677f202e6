#!/usr/bin/env bash
# Streams a million generated records through the release `swapwire` binary and reports the wall
# time and peak memory (max RSS) of each step, as quoted in README ("The swapwire command-line
# tool"). Needs python3 and GNU time (/usr/bin/time); not part of CI.
#   bash scripts/cli-scale.sh [RECORDS]    # default 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet --features cli --bin swapwire
bin=$CARGO_TARGET_DIR/release/swapwire
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Deterministic, varied records: exchanges, counts and sources across 50 origins.
python3 - "$n" > "$dir/records.ndjson" <<'PY'
import json, sys
n = int(sys.argv[1])
pops = ["prisoners_of_war", "civilians_held", "children_deported", "missing", "returned_so_far"]
for i in range(n):
    origin, seq = 1 + i % 50, 1 + i // 50
    day = f"20{24 + i % 2}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    if i % 10 == 0:
        r = {"record": "source", "key": 1 + i % 5000, "kind": "media", "name": f"Outlet {i % 5000}"}
    elif i % 3 == 0:
        r = {"record": "count", "origin": origin, "seq": seq, "population": pops[i % 5], "date": day,
             "holder": "RU", "people": "UA", "quantity": f">{1000 + i % 20000}", "source": 2, "grade": "B2"}
    else:
        r = {"record": "exchange", "origin": origin, "seq": seq, "status": "completed", "date": day,
             "side_a": "UA", "side_b": "RU", "to_a": str(i % 400), "to_b": f"{i % 300}-{i % 300 + 20}",
             "mediators": ["AE"] if i % 2 else [], "source": 1 + i % 6, "grade": "B2"}
    print(json.dumps(r, separators=(",", ":")))
PY

step() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$dir/time" "$@" > "$dir/stdout"
  read -r secs kib < "$dir/time"
  printf '| %s | %s s | %s MiB |\n' "$label" "$secs" "$((kib / 1024))"
}

echo "$n records, $(du -m "$dir/records.ndjson" | cut -f1) MiB of NDJSON"
echo
echo "| step | wall time | max RSS |"
echo "|---|--:|--:|"
step "encode NDJSON -> bytes" "$bin" encode "$dir/records.ndjson" -o "$dir/records.bin"
step "decode bytes -> NDJSON" "$bin" decode "$dir/records.bin" --to ndjson -o "$dir/back.ndjson"
step "validate bytes" "$bin" validate "$dir/records.bin"
step "decode bytes -> CSV" "$bin" decode "$dir/records.bin" --to csv -o "$dir/records.csv"
step "encode CSV -> bytes" "$bin" encode "$dir/records.csv" -o "$dir/again.bin"
step "decode bytes -> JSON array" "$bin" decode "$dir/records.bin" --to json -o "$dir/records.json"
step "encode JSON array -> serial frames" "$bin" encode "$dir/records.json" --frames serial --sender 1 -o "$dir/frames.bin"
step "decode serial frames -> NDJSON" "$bin" decode --frames serial "$dir/frames.bin" --to ndjson -o "$dir/frames.ndjson"
cmp -s "$dir/records.bin" "$dir/again.bin" || { echo "CSV round trip changed the bytes" >&2; exit 1; }
cmp -s "$dir/back.ndjson" "$dir/frames.ndjson" || { echo "frames round trip changed the records" >&2; exit 1; }
echo
echo "bytes: $(stat -c %s "$dir/records.bin") as records, $(stat -c %s "$dir/frames.bin") as serial frames"
