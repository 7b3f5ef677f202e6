"""What the README's speed tables share: workloads, format order, headings and cells.

Used by bench-table.py (criterion's nanoseconds) and instr-table.py (callgrind's instruction
counts), so that both print the same rows in the same order.
"""
import json
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
# How many records `batch` holds, and each kind's workload at most.
BATCH = 1000
KINDS = {"exchange": ("Exchange", "Exchanges"), "count": ("Count", "Counts"), "source": ("Source", "Sources")}


def file_records(path):
    """How many records the JSON array or NDJSON file holds (as the benches read it), or None
    if it cannot be read here."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return None
    if text.lstrip().startswith("["):
        try:
            return len(json.loads(text))
        except ValueError:
            return None
    return sum(1 for line in text.splitlines() if line.strip())


def own_descriptions(records):
    """Headings for the records of OWN_DATA. `records`: {workload: records its benchmarks
    measured}, so the headings give the real counts (a file of 7 Counts: "the 7 Counts")."""
    name = Path(OWN_DATA).name
    described = {}
    for workload, (one, many) in KINDS.items():
        n = records.get(workload)
        if n is not None:
            described[workload] = (f"the first {n:,} {many} of {name}" if n >= BATCH
                                   else f"the {one} of {name}" if n == 1 else f"the {n:,} {many} of {name}")
    total = file_records(OWN_DATA)
    if total is None and all(w in records for w in KINDS):
        total = sum(records[w] for w in KINDS)
    if total is None:
        described["batch"] = f"the first {BATCH:,} records of {name}, repeated to {BATCH:,} if fewer"
    elif total >= BATCH:
        described["batch"] = f"the first {BATCH:,} records of {name}, as they are"
    else:
        described["batch"] = (f"the {total:,} records of {name}, repeated to {BATCH:,}, "
                              "every copy after the first renumbered")
    return described


def ordered(formats):
    """`formats` in the tables' order; unknown names last, alphabetically."""
    return sorted(formats, key=lambda f: (ORDER.index(f) if f in ORDER else len(ORDER), f))


def number(value):
    """A cell: thousands separated from 100 up, one decimal below."""
    return "–" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def workloads(runs, records):
    """Each workload some run measured, in the tables' order: (workload, its heading's
    description, [encode, decode] each as one {format: value} dict per run, formats in order).
    `runs`: one dict per run, {group: {format: value}} with groups named like `decode-count`;
    `records`: {workload: how many records one of its benchmarks handles}, for the headings."""
    descriptions = dict(DESCRIPTIONS)
    if OWN_DATA:
        descriptions.update(own_descriptions(records))
    for workload in WORKLOADS:
        groups = [[run.get(f"{d}-{workload}", {}) for run in runs] for d in DIRECTIONS]
        formats = {f for per_run in groups for g in per_run for f in g}
        if formats:
            yield workload, descriptions.get(workload, workload), groups, ordered(formats)


def ratio(value):
    """A "× swapwire" cell."""
    return "–" if value is None else f"{value:.2f}"


def print_tables(runs, what, unit, records):
    """Every workload's table; how many were printed. `runs` and `records` as for
    `workloads`; each cell is the median over the runs of the value, and of the ratio to
    swapwire as each run measured it."""
    printed = 0
    for workload, description, groups, formats in workloads(runs, records):
        rows = []
        for fmt in formats:
            cells = []
            for per_run in groups:
                values = [g[fmt] for g in per_run if fmt in g]
                ratios = [g[fmt] / g["swapwire"] for g in per_run if fmt in g and g.get("swapwire")]
                cells.append(statistics.median(values) if values else None)
                cells.append(statistics.median(ratios) if ratios else None)
            rows.append((fmt, cells))
        print_table(workload, description, what, unit, rows)
        printed += 1
    return printed


def print_table(workload, description, what, unit, rows):
    """One workload's markdown table. `rows`: (format, [encode value, encode ratio, decode
    value, decode ratio]), any of them None when not measured."""
    print(f"\n**{workload}** ({description}), {what}\n")
    print(f"| format | encode {unit} | × swapwire | decode {unit} | × swapwire |")
    print("|---|---:|---:|---:|---:|")
    for fmt, (enc, enc_ratio, dec, dec_ratio) in rows:
        print(f"| {fmt} | {number(enc)} | {ratio(enc_ratio)} | {number(dec)} | {ratio(dec_ratio)} |")
