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
import json
import os
import statistics
import sys
from pathlib import Path

from tables import DIRECTIONS, WORKLOADS, ordered, print_table


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
        rows = []
        for fmt in ordered(formats):
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
                cells.append(statistics.median(values) if values else None)
                cells.append(statistics.median(ratios) if ratios else None)
            rows.append((fmt, cells))
        print_table(workload, f"median ns per record{runs}", "ns", rows)
        printed += 1
    if not printed:
        sys.exit(f"{roots[0]}: no encode-*/decode-* benchmark groups found")


if __name__ == "__main__":
    main()
