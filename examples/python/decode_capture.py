"""Decodes a file of swapwire records (a gateway's capture), prints a table, writes a CSV.

    python examples/python/decode_capture.py [FILE] [-o OUT.csv]

FILE defaults to examples/data/seeds.swr (the seed reports); the CSV goes to OUT.csv, else to
the current directory, named after FILE (seeds.csv). The CSV is UTF-8 with a byte-order mark: Excel reads a BOM-less
UTF-8 file in the local code page and would garble non-ASCII source names, and LibreOffice,
pandas (encoding="utf-8-sig") and Python's csv module all accept the BOM.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Dict, List

import swapwire as sw

DEFAULT = Path(__file__).resolve().parents[1] / "data" / "seeds.swr"

COLUMNS = [
    "record", "origin", "seq", "revision", "retracted", "status", "date", "handover", "side_a", "side_b",
    "total", "to_a", "to_b", "composition_a", "composition_b", "mediators", "part_of",
    "same_as", "population", "holder", "people", "quantity", "source", "grade", "key", "kind", "name", "via",
]  # fmt: skip


def composition(c: sw.Composition) -> str:
    return " ".join(f"{p.category.label}={p.quantity}" for p in c.parts)


def row(r: sw.Record) -> Dict[str, object]:
    """One CSV row, with the names and texts of the JSON form."""
    if isinstance(r, sw.Source):
        return dict(record="source", key=r.key, revision=r.revision, retracted=str(r.retracted).lower(), kind=r.kind.label,
                    name=r.name, via="" if r.via is None else r.via)  # fmt: skip
    common = dict(origin=r.origin, seq=r.seq, revision=r.revision, retracted=str(r.retracted).lower(), date=str(r.date),
                  source=r.source, grade=str(r.grade))  # fmt: skip
    if isinstance(r, sw.Count):
        return dict(common, record="count", population=r.population.label, holder=r.holder or "", people=r.people,
                    quantity=str(r.quantity))  # fmt: skip
    part_of = f"{r.part_of.origin}/{r.part_of.seq}" if r.part_of else ""
    same_as = f"{r.same_as.origin}/{r.same_as.seq}" if r.same_as else ""
    return dict(common, record="exchange", status=r.status.label, handover=r.handover.label, side_a=r.side_a,
                side_b=r.side_b, total=str(r.total), to_a=str(r.to_a), to_b=str(r.to_b),
                composition_a=composition(r.composition_a), composition_b=composition(r.composition_b),
                mediators=" ".join(r.mediators), part_of=part_of, same_as=same_as)  # fmt: skip


def summary(r: sw.Record) -> str:
    if isinstance(r, sw.Source):
        via = f" (via source {r.via})" if r.via is not None else ""
        return f"{r.kind.label}: {r.name}{via}"
    if isinstance(r, sw.Count):
        held = f" held by {r.holder}" if r.holder else ""
        return f"{r.population.label} of {r.people}{held}: {r.quantity}"
    return f"{r.status.label} {r.side_a}<-{r.to_a} {r.side_b}<-{r.to_b} (total {r.total})"


def print_table(records: List[sw.Record]) -> None:
    lines = [("#", "record", "id", "date", "what", "source", "grade")]
    for i, r in enumerate(records, 1):
        if isinstance(r, sw.Source):
            lines.append((str(i), "source", f"key {r.key}", "", summary(r), "", ""))
        else:
            kind = "exchange" if isinstance(r, sw.Exchange) else "count"
            lines.append((str(i), kind, f"{r.origin}/{r.seq}", str(r.date), summary(r), str(r.source), str(r.grade)))
    widths = [max(len(line[c]) for line in lines) for c in range(len(lines[0]))]
    for n, line in enumerate(lines):
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args(argv)
    data = args.file.read_bytes()
    try:
        records = sw.decode_all(data)
    except sw.Error as e:
        print(f"{args.file}: {e}", file=sys.stderr)
        return 1
    print_table(records)
    out = args.output or Path(args.file.stem + ".csv")
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS)
        writer.writeheader()
        writer.writerows(row(r) for r in records)
    print(f"\n{len(records)} records from {args.file} ({len(data)} bytes); CSV written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
