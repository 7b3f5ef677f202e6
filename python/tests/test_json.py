"""JSON through the C API is exactly the Rust form, and bad JSON raises BadJson."""

from __future__ import annotations

import json

import pytest

import swapwire
from conftest import SEEDS_JSON, SEEDS_SWR


def seeds():
    return [swapwire.from_json(json.dumps(r)) for r in json.loads(SEEDS_JSON.read_text())]


def test_seed_json_round_trips_in_the_full_rust_form():
    for original, record in zip(json.loads(SEEDS_JSON.read_text()), seeds()):
        full = json.loads(swapwire.to_json(record))
        # The seeds leave defaults out; the Rust form writes every field and agrees on the rest.
        assert {k: v for k, v in full.items() if k in original} == original
        assert swapwire.from_json(swapwire.to_json(record)) == record


def test_committed_seed_records_file_is_the_seed_json_encoded():
    # examples/data/seeds.swr is made by `python examples/python/make_seeds_swr.py`.
    assert SEEDS_SWR.read_bytes() == swapwire.encode_many(seeds())
    assert len(SEEDS_SWR.read_bytes()) == 261


@pytest.mark.parametrize(
    "text,words",
    [
        ('{"record": "count"}', "missing field"),
        ('{"record": "exchange", "origin": 1, "seq": 1, "side_a": "UA", "side_b": "RU", "to_a": "150 POWs"}', "to_a"),
        ('{"record": "source", "key": 1, "kind": "media", "name": ""}', "name"),
        ("[1, 2", "EOF"),
        (b"\xff\xfe", "UTF-8"),
        ('{"record": "exchange", "origin": -1, "seq": 1, "side_a": "UA", "side_b": "RU"}', "origin"),
    ],
)
def test_bad_json_raises_bad_json_naming_why(text, words):
    with pytest.raises(swapwire.BadJson) as caught:
        swapwire.from_json(text)
    assert words in str(caught.value)
    assert str(caught.value).startswith("JSON text is not a valid record")
