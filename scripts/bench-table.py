#!/usr/bin/env python3
"""Turns criterion's results into the README's speed table.

Reads <target>/criterion/<direction>-<workload>/<format>/new/{estimates,benchmark}.json as
written by `cargo bench --features peers --bench codecs`, and prints, for each workload, a
markdown table of the median nanoseconds per record of every format in each direction and its
ratio to swapwire (above 1.00 means slower than swapwire).

Usage: python3 scripts/bench-table.py [CRITERION_DIR]
(default: $CARGO_TARGET_DIR/criterion, else target/criterion)
"""
import json
import os
import sys
from pathlib import Path

WORKLOADS = ["exchange", "count", "source", "batch", "frame-message", "frame-stream"]
DIRECTIONS = ["encode", "decode"]
# swapwire first, then its other front ends, then the peers in `Format::ALL` order.
ORDER = ["swapwire", "swapwire-c", "json", "cbor", "msgpack", "protobuf", "bincode", "bitcode"]
DESCRIPTIONS = {
    "exchange": "every example and edge-case Exchange",
    "count": "every example and edge-case Count",
    "source": "every example and edge-case Source",
    "batch": "1,000 mixed records",
    "frame-message": "the batch in Meshtastic frames of up to 233 B",
    "frame-stream": "the batch in serial stream frames of up to 255 B, CRC-32 and COBS",
}


def median_per_element(bench_dir):
    """Median ns per record of one benchmark, or None if it did not run."""
    estimates = bench_dir / "new" / "estimates.json"
    meta = bench_dir / "new" / "benchmark.json"
    if not estimates.exists():
        return None
    median = json.loads(estimates.read_text())["median"]["point_estimate"]
    throughput = json.loads(meta.read_text()).get("throughput") or {}
    elements = throughput.get("Elements") or throughput.get("Bytes") or 1
    return median / elements


def main():
    if len(sys.argv) > 1:
        root = Path(sys.argv[1])
    else:
        root = Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "criterion"
    if not root.is_dir():
        sys.exit(f"{root}: no criterion results; run `cargo bench --features peers --bench codecs` first")
    printed = 0
    for workload in WORKLOADS:
        results = {}
        for direction in DIRECTIONS:
            group = root / f"{direction}-{workload}"
            if not group.is_dir():
                continue
            for bench in group.iterdir():
                value = median_per_element(bench)
                if value is not None and bench.name != "report":
                    results.setdefault(bench.name, {})[direction] = value
        if not results:
            continue
        formats = sorted(results, key=lambda f: (ORDER.index(f) if f in ORDER else len(ORDER), f))
        base = results.get("swapwire", {})
        print(f"\n**{workload}** ({DESCRIPTIONS.get(workload, workload)}), median ns per record\n")
        print("| format | encode ns | × swapwire | decode ns | × swapwire |")
        print("|---|---:|---:|---:|---:|")
        for fmt in formats:
            cells = []
            for direction in DIRECTIONS:
                value = results[fmt].get(direction)
                ref = base.get(direction)
                cells.append("–" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}")
                cells.append("–" if value is None or not ref else f"{value / ref:.2f}")
            print(f"| {fmt} | " + " | ".join(cells) + " |")
        printed += 1
    if not printed:
        sys.exit(f"{root}: no encode-*/decode-* benchmark groups found")


if __name__ == "__main__":
    main()
