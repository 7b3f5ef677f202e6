#!/usr/bin/env python3
"""Paired speed tables: every format's time relative to swapwire's, timed in turn.

Runs `examples/paired.rs` in PROCESSES separate processes (default 10), each timing every
format of every workload in turn for ROUNDS rounds (default 60) and giving each format the
median of its per-round ratio to swapwire. Formats timed within milliseconds of each other share
the machine's slow and fast stretches, so one process's ratio holds still where criterion's
moves with the load. Processes still differ, by a tenth and more on this project's build
machine, even with address-space randomisation off (`setarch -R`); the table shows the median
over the processes and the lowest and highest process.

Usage: python3 scripts/paired-table.py [PROCESSES [ROUNDS]]   (about a minute with the defaults)
With SWAPWIRE_BENCH_DATA=FILE, your own records, as for the benches.
"""
import statistics
import subprocess
import sys

from jobs import build
from tables import number, ratio, workloads


def run(binary, rounds):
    """{group: {format: (ns, ratio)}} and {workload: records} of one process."""
    out = subprocess.run([str(binary), "--tsv", "--rounds", str(rounds)], check=True, capture_output=True,
                         text=True).stdout
    results, records = {}, {}
    for line in out.splitlines():
        group, n, fmt, ns, ratio, _low, _high = line.split("\t")
        results.setdefault(group, {})[fmt] = (float(ns), float(ratio))
        records[group.split("-", 1)[1]] = int(n)
    return results, records


def cells(per_process, fmt):
    """Median ns, median ratio, lowest and highest ratio of `fmt` over the processes, or Nones."""
    measured = [p[fmt] for p in per_process if fmt in p]
    if not measured:
        return None, None, None, None
    ratios = [r for _, r in measured]
    return statistics.median(ns for ns, _ in measured), statistics.median(ratios), min(ratios), max(ratios)


def main():
    args = sys.argv[1:]
    try:
        processes, rounds = (int(args[0]) if args else 10), (int(args[1]) if len(args) > 1 else 60)
    except ValueError:
        sys.exit(__doc__)
    if processes < 1 or rounds < 1 or len(args) > 2:
        sys.exit(__doc__)
    binary = build("paired")
    runs = []
    for i in range(processes):
        print(f"process {i + 1} of {processes}", file=sys.stderr)
        runs.append(run(binary, rounds))
    records = {}
    for _, r in runs:
        records.update(r)
    for workload, description, groups, formats in workloads([results for results, _ in runs], records):
        print(f"\n**{workload}** ({description}), paired timing: median ns per record"
              f" and ratio to swapwire over {processes} processes of {rounds} rounds\n")
        print("| format | encode ns | × swapwire | lowest–highest | decode ns | × swapwire | lowest–highest |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for fmt in formats:
            row = []
            for per_process in groups:
                ns, median, low, high = cells(per_process, fmt)
                row += [number(ns), ratio(median), "–" if low is None else f"{ratio(low)}–{ratio(high)}"]
            print(f"| {fmt} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
