"""The golden vectors shared with Rust and C, byte-exact both ways, and bad.txt."""

from __future__ import annotations

import json

import pytest

import swapwire
from conftest import VECTORS

NAMES = sorted(p.stem for p in VECTORS.glob("*.hex"))


def golden(name):
    data = bytes.fromhex((VECTORS / f"{name}.hex").read_text().strip())
    text = (VECTORS / f"{name}.json").read_text()
    return data, text


def test_every_vector_has_both_forms():
    assert len(NAMES) >= 20
    assert NAMES == sorted(p.stem for p in VECTORS.glob("*.json"))


@pytest.mark.parametrize("name", NAMES)
def test_bytes_decode_to_the_json_and_back(name):
    data, text = golden(name)
    record = swapwire.decode(data)
    assert swapwire.encode(record) == data
    assert swapwire.from_json(text) == record
    assert swapwire.to_json(record, pretty=True) == text.rstrip("\n")
    assert json.loads(swapwire.to_json(record)) == json.loads(text)
    assert swapwire.decode_prefix(data + b"\x00") == (record, len(data))
    swapwire.validate(record)


def test_all_vectors_in_one_buffer_batch_and_columns():
    datas = [golden(n)[0] for n in NAMES]
    records = [swapwire.decode(d) for d in datas]
    joined = b"".join(datas)
    assert swapwire.decode_all(joined) == records
    assert swapwire.decode_many(joined) == records
    assert swapwire.encode_many(records) == joined
    for numpy in (False, None):
        cols = swapwire.decode_columns(joined, numpy=numpy)
        assert len(cols["kind"]) == len(records)
        for i, r in enumerate(records):
            assert cols["kind"][i] == {swapwire.Exchange: 0, swapwire.Count: 1, swapwire.Source: 2}[type(r)]
            assert cols["revision"][i] == r.revision
            if isinstance(r, swapwire.Source):
                name = cols["name"][i]
                assert (name.decode() if isinstance(name, bytes) else name) == r.name
                assert cols["key"][i] == r.key and cols["status"][i] == 255
                assert cols["has_via"][i] == (r.via is not None) and cols["via"][i] == (r.via or 0)
            else:
                assert cols["origin"][i] == r.origin and cols["source"][i] == r.source
                assert cols["date_year"][i] == r.date.year
                grade = cols["grade"][i]
                assert (grade.decode() if isinstance(grade, bytes) else grade) == str(r.grade)
            if isinstance(r, swapwire.Exchange):
                assert cols["to_a_value"][i] == r.to_a.value and cols["to_a_high"][i] == r.to_a.high
                assert cols["mediator_count"][i] == len(r.mediators)
                assert cols["composition_b_parts"][i] == len(r.composition_b.parts)
                assert cols["has_part_of"][i] == (r.part_of is not None)
                assert cols["has_same_as"][i] == (r.same_as is not None)
                assert cols["same_as_seq"][i] == (r.same_as.seq if r.same_as else 0)
                assert cols["population"][i] == 255 and cols["quantity_qualifier"][i] == 255
            if isinstance(r, swapwire.Count):
                holder = cols["holder"][i]
                assert (holder.decode() if isinstance(holder, bytes) else holder) == (r.holder or "")
                assert cols["quantity_value"][i] == r.quantity.value


def bad_lines():
    for line in (VECTORS / "bad.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        spec, _, why = line.partition("#")
        words = spec.split()
        data = b"" if words[0] == "-" else bytes.fromhex(words[0])
        yield pytest.param(data, words[1], words[2] if len(words) > 2 else None, id=why.strip())


CLASSES = {
    "truncated": swapwire.Truncated,
    "trailing_bytes": swapwire.TrailingBytes,
    "unknown_kind": swapwire.UnknownKind,
    "bad_varint": swapwire.BadVarint,
    "non_canonical": swapwire.NonCanonical,
    "invalid": swapwire.InvalidValue,
    "bad_utf8": swapwire.BadUtf8,
}


@pytest.mark.parametrize("data,error,field", list(bad_lines()))
def test_bad_bytes_raise_their_class_and_field(data, error, field):
    with pytest.raises(CLASSES[error]) as caught:
        swapwire.decode(data)
    assert caught.value.field == field
    if field:
        assert isinstance(caught.value.reason, swapwire.Reason)
        assert field in str(caught.value)
    if data and error != "trailing_bytes":
        # Batch and columnar decode refuse it too, naming the record, and return nothing.
        good = swapwire.encode(swapwire.Source(1, swapwire.SourceKind.MEDIA, "AFP"))
        for decode in (swapwire.decode_all, lambda d: swapwire.decode_columns(d, numpy=False)):
            with pytest.raises(CLASSES[error]) as batch:
                decode(good + data)
            assert batch.value.index == 1 and batch.value.field == field
