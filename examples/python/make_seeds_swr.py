"""Writes examples/data/seeds.swr: the records of examples/data/seeds.json, encoded back to back.

    python examples/python/make_seeds_swr.py

python/tests/test_json.py fails while the committed file differs from what this writes.
"""

from __future__ import annotations

import json
from pathlib import Path

import swapwire

DATA = Path(__file__).resolve().parents[1] / "data"


def main() -> None:
    seeds = json.loads((DATA / "seeds.json").read_text(encoding="utf-8"))
    records = [swapwire.from_json(json.dumps(r)) for r in seeds]
    data = swapwire.encode_many(records)
    (DATA / "seeds.swr").write_bytes(data)
    print(f"wrote {len(records)} records, {len(data)} bytes, to {DATA / 'seeds.swr'}")


if __name__ == "__main__":
    main()
