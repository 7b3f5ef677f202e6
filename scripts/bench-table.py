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
import sys
from pathlib import Path

from tables import DIRECTIONS, print_tables


def median_and_records(bench_dir):
    """Median ns per record of one benchmark and its number of records, or None if it did not
    run."""
    estimates = bench_dir / "new" / "estimates.json"
    meta = bench_dir / "new" / "benchmark.json"
    if not estimates.exists():
        return None
    median = json.loads(estimates.read_text())["median"]["point_estimate"]
    throughput = json.loads(meta.read_text()).get("throughput") or {}
    elements = throughput.get("Elements") or throughput.get("Bytes") or 1
    return median / elements, elements


def run_results(root, records):
    """{group: {format: ns per record}} of one criterion directory; adds each workload's number
    of records to `records`."""
    results = {}
    for group in root.iterdir():
        if group.is_dir() and group.name.split("-")[0] in DIRECTIONS:
            for bench in group.iterdir():
                measured = median_and_records(bench)
                if measured is not None and bench.name != "report":
                    results.setdefault(group.name, {})[bench.name] = measured[0]
                    records[group.name.split("-", 1)[1]] = measured[1]
    return results


def main():
    roots = [Path(a) for a in sys.argv[1:]] or [Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "criterion"]
    for root in roots:
        if not root.is_dir():
            sys.exit(f"{root}: no criterion results; run `cargo bench --features peers --bench codecs` first")
    runs = f", median of {len(roots)} runs" if len(roots) > 1 else ""
    records = {}
    results = [run_results(root, records) for root in roots]
    printed = print_tables(results, f"median ns per record{runs}", "ns", records)
    if not printed:
        sys.exit(f"{roots[0]}: no encode-*/decode-* benchmark groups found")


if __name__ == "__main__":
    main()
