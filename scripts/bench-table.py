#!/usr/bin/env python3
"""Turns criterion's results into the README's speed table.

Reads <target>/criterion/<direction>-<workload>/<format>/new/{estimates,benchmark}.json as
written by `cargo bench --features peers --bench codecs`, and prints, for each workload, a
markdown table of the median nanoseconds per record of every format in each direction and its
ratio to swapwire (above 1.00 means slower than swapwire).

Given several criterion directories (copies of `target/criterion` from separate runs), each cell
is the median over the runs: of the nanoseconds, and of the ratio as each run measured it. On a
shared machine a single run's ratio can move by a fifth or more, because the formats of one
workload are measured minutes apart; the median of a few runs is steadier.

Usage: python3 scripts/bench-table.py [CRITERION_DIR ...]
(default: $CARGO_TARGET_DIR/criterion, else target/criterion). With SWAPWIRE_BENCH_DATA set as
it was for the benches, the headings name that file's records.
"""
import statistics
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
# The benches measured the records of this file instead (benches/codecs.rs says how it picks
# them); set it as it was for the run, so that the headings say whose records they are.
OWN_DATA = os.environ.get("SWAPWIRE_BENCH_DATA")
if OWN_DATA:
    name = Path(OWN_DATA).name
    DESCRIPTIONS.update({
        "exchange": f"the first 1,000 Exchanges of {name}",
        "count": f"the first 1,000 Counts of {name}",
        "source": f"the first 1,000 Sources of {name}",
        "batch": f"the first 1,000 records of {name}, cycled to 1,000",
    })


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


def run_results(root, workload):
    """{format: {direction: ns per record}} of one workload in one criterion directory."""
    results = {}
    for direction in DIRECTIONS:
        group = root / f"{direction}-{workload}"
        if not group.is_dir():
            continue
        for bench in group.iterdir():
            value = median_per_element(bench)
            if value is not None and bench.name != "report":
                results.setdefault(bench.name, {})[direction] = value
    return results


def main():
    roots = [Path(a) for a in sys.argv[1:]] or [Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "criterion"]
    for root in roots:
        if not root.is_dir():
            sys.exit(f"{root}: no criterion results; run `cargo bench --features peers --bench codecs` first")
    runs = f", median of {len(roots)} runs" if len(roots) > 1 else ""
    printed = 0
    for workload in WORKLOADS:
        per_run = [run_results(root, workload) for root in roots]
        formats = {f for results in per_run for f in results}
        if not formats:
            continue
        formats = sorted(formats, key=lambda f: (ORDER.index(f) if f in ORDER else len(ORDER), f))
        print(f"\n**{workload}** ({DESCRIPTIONS.get(workload, workload)}), median ns per record{runs}\n")
        print("| format | encode ns | × swapwire | decode ns | × swapwire |")
        print("|---|---:|---:|---:|---:|")
        for fmt in formats:
            cells = []
            for direction in DIRECTIONS:
                values, ratios = [], []
                for results in per_run:
                    value = results.get(fmt, {}).get(direction)
                    ref = results.get("swapwire", {}).get(direction)
                    if value is not None:
                        values.append(value)
                        if ref:
                            ratios.append(value / ref)
                value = statistics.median(values) if values else None
                ratio = statistics.median(ratios) if ratios else None
                cells.append("–" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}")
                cells.append("–" if ratio is None else f"{ratio:.2f}")
            print(f"| {fmt} | " + " | ".join(cells) + " |")
        printed += 1
    if not printed:
        sys.exit(f"{roots[0]}: no encode-*/decode-* benchmark groups found")


if __name__ == "__main__":
    main()
