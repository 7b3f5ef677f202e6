"""What the README's speed tables share: workloads, format order, headings and cells.

Used by bench-table.py (criterion's nanoseconds) and instr-table.py (callgrind's instruction
counts), so that both print the same rows in the same order.
"""
import os
import statistics
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
# The benches measured the records of this file instead (benches/workload/mod.rs says how it
# picks them); set it as it was for the run, so that the headings say whose records they are.
OWN_DATA = os.environ.get("SWAPWIRE_BENCH_DATA")
if OWN_DATA:
    name = Path(OWN_DATA).name
    DESCRIPTIONS.update({
        "exchange": f"the first 1,000 Exchanges of {name}",
        "count": f"the first 1,000 Counts of {name}",
        "source": f"the first 1,000 Sources of {name}",
        "batch": f"the first 1,000 records of {name}, cycled to 1,000",
    })


def ordered(formats):
    """`formats` in the tables' order; unknown names last, alphabetically."""
    return sorted(formats, key=lambda f: (ORDER.index(f) if f in ORDER else len(ORDER), f))


def number(value):
    """A cell: thousands separated from 100 up, one decimal below."""
    return "–" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def print_tables(runs, what, unit):
    """Every workload's table; how many were printed. `runs`: one dict per run, {group: {format:
    value per record}} with groups named like `decode-count`. Each cell is the median over the
    runs of the value, and of the ratio to swapwire as each run measured it."""
    printed = 0
    for workload in WORKLOADS:
        groups = [[run.get(f"{d}-{workload}", {}) for run in runs] for d in DIRECTIONS]
        formats = {f for per_run in groups for g in per_run for f in g}
        if not formats:
            continue
        rows = []
        for fmt in ordered(formats):
            cells = []
            for per_run in groups:
                values = [g[fmt] for g in per_run if fmt in g]
                ratios = [g[fmt] / g["swapwire"] for g in per_run if fmt in g and g.get("swapwire")]
                cells.append(statistics.median(values) if values else None)
                cells.append(statistics.median(ratios) if ratios else None)
            rows.append((fmt, cells))
        print_table(workload, what, unit, rows)
        printed += 1
    return printed


def print_table(workload, what, unit, rows):
    """One workload's markdown table. `rows`: (format, [encode value, encode ratio, decode
    value, decode ratio]), any of them None when not measured."""
    print(f"\n**{workload}** ({DESCRIPTIONS.get(workload, workload)}), {what}\n")
    print(f"| format | encode {unit} | × swapwire | decode {unit} | × swapwire |")
    print("|---|---:|---:|---:|---:|")
    for fmt, (enc, enc_ratio, dec, dec_ratio) in rows:
        ratio = lambda r: "–" if r is None else f"{r:.2f}"
        print(f"| {fmt} | {number(enc)} | {ratio(enc_ratio)} | {number(dec)} | {ratio(dec_ratio)} |")
