"""JSON through the C API is exactly the Rust form, and bad JSON raises BadJson."""

from __future__ import annotations

import json
import re

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
    assert len(SEEDS_SWR.read_bytes()) == 356


@pytest.mark.parametrize(
    "text,words,field",
    [
        ('{"record": "count"}', "missing field", "origin"),
        (
            '{"record": "exchange", "origin": 1, "seq": 1, "side_a": "UA", "side_b": "RU", "to_a": "150 POWs"}',
            "to_a",
            "to_a",
        ),
        ('{"record": "source", "key": 1, "kind": "media", "name": ""}', "name", "name"),
        ("[1, 2", "EOF", None),
        (b"\xff\xfe", "UTF-8", None),
        ('{"record": "exchange", "origin": -1, "seq": 1, "side_a": "UA", "side_b": "RU"}', "origin", "origin"),
        ("{}", "missing field `record`", "record"),
        ('{"record": "count", "origin": 1, "seq": 2, "population": "missing", "people": "UA"}', "source", "source"),
        ('{"record": "exchange", "origin": 1, "seq": 2, "status": "completed", "side_a": "UA", "side_b": "UA", '
         '"source": 1, "grade": "B2"}', "same party", "side_b"),
        ('{"record": "exchange", "origin": 1, "seq": 2, "status": "completed", "side_a": "UA", "side_b": "RU", '
         '"source": 1, "grade": "B2", "composition_a": {"military": "x"}}', "invalid quantity", "composition_a.military"),
        ('{"record": "source", "key": 1, "kind": "media", "name": "AFP", "colour": 1}', "unknown field", "colour"),
    ],
)
def test_bad_json_raises_bad_json_naming_why(text, words, field):
    with pytest.raises(swapwire.BadJson) as caught:
        swapwire.from_json(text)
    assert words in str(caught.value)
    assert str(caught.value).startswith("JSON text is not a valid record: ")
    assert "message buffer" not in str(caught.value)
    assert caught.value.field == field and caught.value.index is None


# What from_json's docstring says is required, and that nothing else is.
REQUIRED = {
    "exchange": ["origin", "seq", "status", "side_a", "side_b", "source", "grade"],
    "count": ["origin", "seq", "population", "people", "source", "grade"],
    "source": ["key", "kind", "name"],
}


@pytest.mark.parametrize("kind", sorted(REQUIRED))
def test_from_json_requires_exactly_the_fields_its_docstring_lists(kind):
    record = next(r for r in seeds() if type(r).__name__.lower() == kind)
    full = json.loads(swapwire.to_json(record))
    doc = " ".join(swapwire.from_json.__doc__.split())
    listed = re.search(rf"for an? {kind}, (.*?)[;.]", doc).group(1)
    assert re.findall(r"``(\w+)``", listed) == REQUIRED[kind]
    minimal = {k: v for k, v in full.items() if k == "record" or k in REQUIRED[kind]}
    swapwire.from_json(json.dumps(minimal))  # nothing else is needed
    for name in REQUIRED[kind]:
        without = {k: v for k, v in minimal.items() if k != name}
        with pytest.raises(swapwire.BadJson) as caught:
            swapwire.from_json(json.dumps(without))
        assert caught.value.field == name
