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
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from jobs import build
from tables import print_tables


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
    return int(totals.group(1)), validation(out) if fmt == "swapwire" and is_record_encode(group) else None


def is_record_encode(group):
    """An encode job of records standing alone (the frame jobs validate inside the frame writer)."""
    return group.startswith("encode-") and not group.startswith("encode-frame")


VALIDATE = "<swapwire::record::Record as swapwire::wire::Codec>::validate"


def validation(out):
    """Instructions spent in `Record::validate` and what it calls, of one swapwire encode job."""
    run = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(out)],
                         capture_output=True, text=True, check=True)
    for line in run.stdout.splitlines():
        if VALIDATE in line:
            return int(line.split()[0].replace(",", ""))
    sys.exit(f"{out}: no {VALIDATE} in the profile (inlined?)")


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
        per_record, validated = {}, {}
        for (group, fmt, records), (total, checking) in zip(jobs, counted):
            per_record.setdefault(group, {})[fmt] = total / (rounds * int(records))
            if checking is not None:
                validated[group.split("-", 1)[1]] = (total / (rounds * int(records)),
                                                     checking / (rounds * int(records)))
    plural = "s" if rounds != 1 else ""
    records = {group.split("-", 1)[1]: int(n) for group, _, n in jobs}
    print_tables([per_record], f"instructions per record (callgrind, {rounds} round{plural})", "instr", records)
    print("\n**swapwire encode = validation + writing**: instructions per record spent in "
          "`Record::validate` (inclusive), which every `encode` runs first\n")
    print("| workload | encode instr | validation | writing and the rest | validation share |")
    print("|---|---:|---:|---:|---:|")
    for name, (total, checking) in validated.items():
        print(f"| {name} | {total:,.0f} | {checking:,.0f} | {total - checking:,.0f} | {checking / total:.0%} |")


if __name__ == "__main__":
    main()
