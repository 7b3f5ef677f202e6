#!/usr/bin/env python3
"""Wall-clock nanoseconds per record of benchmark jobs, for a quick A/B on a noisy machine.

Runs `examples/instructions` (the jobs of `benches/codecs.rs`) once with 1 round and once with
enough rounds for about 2 million records, each seven times, and prints the difference of the
best times divided by the extra records: the job's time per record without the process's
setup. Faster than criterion for comparing two builds of one job; noisier than
`scripts/instr-table.py`, so compare rows measured together.

Usage: python3 scripts/wall-time.py GROUP FORMAT [GROUP FORMAT ...]
  e.g. python3 scripts/wall-time.py encode-source swapwire encode-source bincode
`target/release/examples/instructions --list` names the jobs.
"""
import subprocess
import sys
import time

from jobs import build


def best(binary, group, fmt, rounds, tries=7):
    times = []
    for _ in range(tries):
        start = time.perf_counter()
        subprocess.run([binary, group, fmt, str(rounds)], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.exit(__doc__)
    binary = build()
    listing = subprocess.run([binary, "--list"], check=True, capture_output=True, text=True).stdout
    records = {(g, f): int(n) for g, f, n in (line.split() for line in listing.splitlines())}
    for group, fmt in zip(args[::2], args[1::2]):
        if (group, fmt) not in records:
            sys.exit(f"no job {group} {fmt}; `instructions --list` names them")
        n = records[(group, fmt)]
        rounds = max(20, 2_000_000 // n)
        extra = best(binary, group, fmt, rounds) - best(binary, group, fmt, 1)
        print(f"{group} {fmt}: {extra / ((rounds - 1) * n) * 1e9:.1f} ns per record")


if __name__ == "__main__":
    main()
