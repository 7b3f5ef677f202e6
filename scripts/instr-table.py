#!/usr/bin/env python3
"""Instruction counts per record of every benchmark job, under callgrind: the README's second
speed table. Instruction counts do not move with the machine's load the way nanoseconds do
(timings here move by a fifth and more between runs), so they settle a close cell; they do not
weigh cache misses or branch mispredictions, which the criterion table does.

Builds `examples/instructions.rs` (the jobs of `benches/codecs.rs`, from
`benches/workload/mod.rs`), runs each job under `valgrind --tool=callgrind`, counting only the
`measured` function (ROUNDS runs of the job after one warm-up run), and prints for each workload
the instructions per record of every format in each direction and its ratio to swapwire
(above 1.00 means more instructions than swapwire).

Usage: python3 scripts/instr-table.py [ROUNDS]   (default 10; needs valgrind)
With SWAPWIRE_BENCH_DATA=FILE, your own records, as for the benches.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tables import DIRECTIONS, WORKLOADS, ordered, print_table

ROOT = Path(__file__).resolve().parent.parent


def build():
    """Builds the example; its path."""
    subprocess.run(["cargo", "build", "-q", "--release", "--features", "peers", "--example", "instructions"],
                   cwd=ROOT, check=True)
    meta = subprocess.run(["cargo", "metadata", "-q", "--format-version", "1", "--no-deps"],
                          cwd=ROOT, check=True, capture_output=True, text=True)
    return Path(json.loads(meta.stdout)["target_directory"]) / "release" / "examples" / "instructions"


def count(binary, outdir, group, fmt, rounds):
    """Instructions callgrind counted in `measured` for one job."""
    out = Path(outdir) / f"{group}.{fmt}.out"
    run = subprocess.run(["valgrind", "--tool=callgrind", "--toggle-collect=*measured*",
                          f"--callgrind-out-file={out}", str(binary), group, fmt, str(rounds)],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{group} {fmt}: exit {run.returncode}\n{run.stderr}")
    totals = re.search(r"^totals: (\d+)", out.read_text(), re.M)
    if not totals:
        sys.exit(f"{group} {fmt}: no totals in {out}")
    return int(totals.group(1))


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    if shutil.which("valgrind") is None:
        sys.exit("instr-table.py needs valgrind (Debian: apt-get install valgrind)")
    binary = build()
    listing = subprocess.run([str(binary), "--list"], check=True, capture_output=True, text=True).stdout
    jobs = [line.split() for line in listing.splitlines()]
    with tempfile.TemporaryDirectory() as outdir, ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        counted = pool.map(lambda job: count(binary, outdir, job[0], job[1], rounds), jobs)
        # {group: {format: instructions per record}}
        per_record = {}
        for (group, fmt, records), total in zip(jobs, counted):
            per_record.setdefault(group, {})[fmt] = total / (rounds * int(records))
    for workload in WORKLOADS:
        groups = [per_record.get(f"{d}-{workload}", {}) for d in DIRECTIONS]
        formats = {f for g in groups for f in g}
        if not formats:
            continue
        rows = []
        for fmt in ordered(formats):
            cells = []
            for g in groups:
                value, ref = g.get(fmt), g.get("swapwire")
                cells += [value, value / ref if value is not None and ref else None]
            rows.append((fmt, cells))
        print_table(workload, f"instructions per record (callgrind, {rounds} round{'s' if rounds != 1 else ''})", "instr", rows)


if __name__ == "__main__":
    main()
