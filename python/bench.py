"""Records per second: swapwire single and batch encode/decode and columnar decode, beside
json, msgpack and cbor2 on the same records' natural dict form (the JSON form as dicts).

    python python/bench.py [--records 100000] [--repeat 5]

The records are the 14 seed reports of examples/data/seeds.json repeated with fresh ids to
the requested count. Each figure is the best of --repeat runs, in records per second.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path
from typing import Any, Callable, List

import swapwire as sw

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "data" / "seeds.json"


def records(n: int) -> List[sw.Record]:
    seeds = [sw.from_json(json.dumps(r)) for r in json.loads(SEEDS.read_text())]
    out: List[sw.Record] = []
    for i in range(n):
        r = seeds[i % len(seeds)]
        if isinstance(r, sw.Source):
            out.append(dataclasses.replace(r, key=r.key + i))
        else:
            out.append(dataclasses.replace(r, origin=1 + i // 1000, seq=i % 1000 + 1000))
    return out


def c_batch_decode(data: bytes) -> Callable[[], Any]:
    """The C library's batch decode with no Python object made: the floor under decode_many and
    decode_columns."""
    from swapwire import _binding

    ffi, lib = _binding.ffi, _binding.lib
    src, cap = ffi.from_buffer(data), len(data) // _binding.RECORD_MIN_SIZE + 1
    out = ffi.new("swapwire_record[]", cap)
    count, used = ffi.new("size_t *"), ffi.new("size_t *")

    def run() -> None:
        _binding.check(lib.swapwire_records_decode(src, len(src), out, cap, count, used, ffi.NULL, ffi.NULL))
        assert used[0] == len(data)

    return run


def best(repeat: int, n: int, fn: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return n / min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n, repeat = args.records, args.repeat
    recs = records(n)
    dicts = [json.loads(sw.to_json(r)) for r in recs]
    singles = [sw.encode(r) for r in recs]
    batch = sw.encode_many(recs)
    rows = []

    def add(name: str, rate: float, size: int) -> None:
        rows.append((name, rate, size))

    add("swapwire encode, one call per record", best(repeat, n, lambda: [sw.encode(r) for r in recs]), len(batch))
    add("swapwire decode, one call per record", best(repeat, n, lambda: [sw.decode(b) for b in singles]), len(batch))
    add("swapwire encode_many (batch)", best(repeat, n, lambda: sw.encode_many(recs)), len(batch))
    add("swapwire decode_many (batch, dataclasses)", best(repeat, n, lambda: sw.decode_many(batch)), len(batch))
    try:
        import numpy  # noqa: F401

        add("swapwire decode_columns (NumPy arrays)", best(repeat, n, lambda: sw.decode_columns(batch)), len(batch))
        add(
            "swapwire decode_columns (NumPy arrays, raw_text=True)",
            best(repeat, n, lambda: sw.decode_columns(batch, raw_text=True)),
            len(batch),
        )
    except ImportError:
        pass
    add("  for reference: the C batch decode alone, into C structs", best(repeat, n, c_batch_decode(batch)), len(batch))
    add(
        "swapwire decode_columns (dict of lists)",
        best(repeat, n, lambda: sw.decode_columns(batch, numpy=False)),
        len(batch),
    )
    text = [json.dumps(d) for d in dicts]
    add("json.dumps, one per record", best(repeat, n, lambda: [json.dumps(d) for d in dicts]), sum(map(len, text)))
    add("json.loads, one per record", best(repeat, n, lambda: [json.loads(t) for t in text]), sum(map(len, text)))
    whole = json.dumps(dicts)
    add("json.loads, one array of all records", best(repeat, n, lambda: json.loads(whole)), len(whole))
    for module, dumps, loads in (("msgpack", "packb", "unpackb"), ("cbor2", "dumps", "loads")):
        try:
            peer = __import__(module)
        except ImportError:
            continue
        encoded = [getattr(peer, dumps)(d) for d in dicts]
        size = sum(map(len, encoded))
        add(f"{module}.{dumps}, one per record", best(repeat, n, lambda: [getattr(peer, dumps)(d) for d in dicts]), size)
        add(f"{module}.{loads}, one per record", best(repeat, n, lambda: [getattr(peer, loads)(e) for e in encoded]), size)
    print(f"{n:,} records of the example shape, best of {repeat}\n")
    print("| operation | records/s | bytes for all records |")
    print("|---|--:|--:|")
    for name, rate, size in rows:
        print(f"| {name} | {rate:,.0f} | {size:,} |")


if __name__ == "__main__":
    main()
