"""Every exception class is reachable, carries the C library's message, and bad values raise
before reaching C."""

from __future__ import annotations

import dataclasses

import pytest

import swapwire
from swapwire import _binding
from swapwire.errors import BY_STATUS

ffi, lib = _binding.ffi, _binding.lib
GOOD = swapwire.Exchange(1, 1, "UA", "RU", status=swapwire.Status.COMPLETED, to_a=swapwire.Quantity.exact(150))


# swapwire_status_str tells C callers to look in their out-parameters for these two; Python
# puts what those hold into the exception, so its message leaves the pointer out.
PYTHON_WORDING = {lib.SWAPWIRE_INVALID_VALUE: "invalid value", lib.SWAPWIRE_BAD_JSON: "JSON text is not a valid record"}


def test_status_messages_come_from_the_c_library():
    for status, cls in BY_STATUS.items():
        with pytest.raises(cls) as caught:
            _binding.check(status)
        c_text = ffi.string(lib.swapwire_status_str(status)).decode()
        if status in PYTHON_WORDING:
            assert c_text.startswith(PYTHON_WORDING[status] + " (the ")
            assert str(caught.value) == PYTHON_WORDING[status]
        else:
            assert str(caught.value) == c_text
        assert caught.value.status == status
    with pytest.raises(swapwire.Error) as unknown:
        _binding.check(999)
    assert type(unknown.value) is swapwire.Error and str(unknown.value) == "unknown status code"


def test_null_argument_buffer_too_small_and_invalid_argument_from_real_calls():
    with pytest.raises(swapwire.NullArgument):
        _binding.check(lib.swapwire_record_validate(ffi.NULL, ffi.NULL))
    one = ffi.new("swapwire_record *")
    _binding.pack_into(ffi.buffer(one), 0, GOOD)
    small, written = ffi.new("uint8_t[]", 4), ffi.new("size_t *")
    with pytest.raises(swapwire.BufferTooSmall):
        _binding.check(lib.swapwire_record_encode(one, small, 4, written, ffi.NULL))
    text = ffi.new("char[]", 4096)
    with pytest.raises(swapwire.InvalidArgument):
        _binding.check(lib.swapwire_record_to_json(one, 2, text, 4096, written, ffi.NULL))
    with pytest.raises(swapwire.UnknownKind):
        one.kind = 3
        _binding.check(lib.swapwire_record_validate(one, ffi.NULL))


def test_malformed_and_internal_map_through_the_one_helper():
    # No byte string reaches these (the wire format has no construct postcard reports otherwise,
    # and the core never panics); the helper still names them.
    with pytest.raises(swapwire.Malformed, match="malformed input"):
        _binding.check(lib.SWAPWIRE_MALFORMED)
    with pytest.raises(swapwire.Internal, match="internal error"):
        _binding.check(lib.SWAPWIRE_INTERNAL)


@pytest.mark.parametrize(
    "change,field,reason",
    [
        (dict(side_b="UA"), "side_b", swapwire.Reason.SAME_PARTY),
        (dict(side_a="UK"), "side_a", swapwire.Reason.UNKNOWN_COUNTRY),
        (dict(status=9), "status", swapwire.Reason.UNKNOWN_CODE),
        (dict(date=swapwire.Date.of_day(2025, 2, 30)), "date", swapwire.Reason.NO_SUCH_DATE),
        (dict(total=swapwire.Quantity.exact(100)), "total", swapwire.Reason.PARTS_EXCEED_TOTAL),
        (dict(to_b=swapwire.Quantity.range(5, 4)), "to_b", swapwire.Reason.RANGE_INVERTED),
        (dict(mediators=("US", "US")), "mediators", swapwire.Reason.DUPLICATE),
        (dict(part_of=swapwire.RecordId(1, 1)), "part_of", swapwire.Reason.SELF_REFERENCE),
        (dict(same_as=swapwire.RecordId(1, 1)), "same_as", swapwire.Reason.SELF_REFERENCE),
        (dict(part_of=swapwire.RecordId(1, 7), same_as=swapwire.RecordId(1, 7)), "same_as", swapwire.Reason.DUPLICATE),
        (dict(retracted=2), "flags", swapwire.Reason.OUT_OF_RANGE),
    ],
)
def test_rule_breaks_are_reported_by_c_with_field_and_reason(change, field, reason):
    import dataclasses

    bad = dataclasses.replace(GOOD, **change)
    for call in (swapwire.validate, swapwire.encode, swapwire.to_json, lambda r: swapwire.encode_many([GOOD, r])):
        with pytest.raises(swapwire.InvalidValue) as caught:
            call(bad)
        assert (caught.value.field, caught.value.reason) == (field, reason)
        assert f"{field}: " in str(caught.value)
    with pytest.raises(swapwire.InvalidValue) as batch:
        swapwire.encode_many([GOOD, GOOD, bad])
    assert batch.value.index == 2 and str(batch.value).startswith("record 2: ")


@pytest.mark.parametrize(
    "record,field",
    [
        (swapwire.Exchange(-1, 1, "UA", "RU"), "origin"),
        (swapwire.Exchange(1, 2**32, "UA", "RU"), "seq"),
        (swapwire.Exchange(1, 1, "UA", "RU", source=2**64), "source"),
        (swapwire.Exchange(1, 1, "UA", "RU", status=256), "status"),
        (swapwire.Exchange(1, 1, "UA", "RU", to_a=swapwire.Quantity.exact(-5)), "to_a"),
        (swapwire.Exchange(1, 1, "UA", "RU", date=swapwire.Date.of_year(70000)), "date"),
        (swapwire.Exchange(1, 1, "UA", "RUS"), "side_b"),
        (swapwire.Exchange(1, 1, "UA", "Ру"), "side_b"),
        (swapwire.Exchange(1, 1, "UA", "RU", mediators=("US", "TR", "QA", "AE")), "mediators"),
        (swapwire.Exchange(1, 1, "UA", "RU", part_of=swapwire.RecordId(1, -1)), "part_of"),
        (swapwire.Exchange(1, 1, "UA", "RU", same_as=swapwire.RecordId(2**32, 1)), "same_as"),
        (swapwire.Count(1, 1, swapwire.Population.MISSING, "UA", revision=2**32), "revision"),
        (swapwire.Count(1, 1, swapwire.Population.MISSING, "UA", grade=swapwire.Grade(7, 1)), "grade"),
        (swapwire.Count(1, 1, swapwire.Population.MISSING, "UA", holder="R"), "holder"),
        (swapwire.Source(1, swapwire.SourceKind.MEDIA, "x" * 65), "name"),
        (swapwire.Source(-3, swapwire.SourceKind.MEDIA, "AFP"), "key"),
        (swapwire.Source(1, swapwire.SourceKind.MEDIA, "\ud800"), "name"),
        (swapwire.Source(1, swapwire.SourceKind.MEDIA, "AFP", via=2**32), "via"),
        (swapwire.Source(1, swapwire.SourceKind.MEDIA, "AFP", via=-1), "via"),
    ],
)
def test_values_c_cannot_hold_raise_before_c(record, field):
    with pytest.raises(swapwire.InvalidValue) as caught:
        swapwire.encode(record)
    assert caught.value.field == field
    with pytest.raises(swapwire.InvalidValue):
        swapwire.encode_many([record])


def test_a_source_through_itself_is_refused_and_a_via_round_trips():
    # Seed 001: "Zelenskyy stated, as reported by AFP": Zelenskyy (7) through AFP (4).
    zelenskyy = swapwire.Source(7, swapwire.SourceKind.GOVERNMENT, "Volodymyr Zelenskyy", via=4)
    data = swapwire.encode(zelenskyy)
    assert data[3] == 0x10 and data[-1] == 4  # the via flag, and the key after the name
    assert swapwire.decode(data) == zelenskyy
    assert swapwire.from_json(swapwire.to_json(zelenskyy)) == zelenskyy
    cols = swapwire.decode_columns(data, numpy=False)
    assert (cols["has_via"], cols["via"]) == ([1], [4])
    with pytest.raises(swapwire.InvalidValue) as caught:
        swapwire.encode(swapwire.Source(7, swapwire.SourceKind.GOVERNMENT, "Volodymyr Zelenskyy", via=7))
    assert (caught.value.field, caught.value.reason) == ("via", swapwire.Reason.SELF_REFERENCE)
    with pytest.raises(TypeError):
        swapwire.encode(swapwire.Source(7, swapwire.SourceKind.GOVERNMENT, "Volodymyr Zelenskyy", via="AFP"))


HEADQUARTERS = "Coordination Headquarters for the Treatment of Prisoners of War"  # 63 bytes


def test_a_name_of_64_bytes_round_trips_and_65_names_the_field():
    assert swapwire.MAX_NAME_LEN == 64 and len(HEADQUARTERS.encode()) == 63
    for name in (HEADQUARTERS, HEADQUARTERS + "."):
        source = swapwire.Source(7, swapwire.SourceKind.GOVERNMENT, name)
        data = swapwire.encode(source)
        assert data[4] == len(name.encode())  # kind, key, revision, flags, one length byte, the name
        assert swapwire.decode(data) == source
        assert swapwire.decode_columns(data, numpy=False)["name"] == [name]
    over = HEADQUARTERS + ".."
    with pytest.raises(swapwire.InvalidValue) as caught:
        swapwire.encode(swapwire.Source(7, swapwire.SourceKind.GOVERNMENT, over))
    assert caught.value.field == "name"
    # The same name on the wire: C's decoder names the field too.
    with pytest.raises(swapwire.InvalidValue) as caught:
        swapwire.decode(bytes([2, 7, 0, 0, 65]) + over.encode())
    assert caught.value.field == "name"


@pytest.mark.parametrize(
    "record",
    [
        swapwire.Exchange("1", 1, "UA", "RU"),
        swapwire.Exchange(1, 1.5, "UA", "RU"),
        swapwire.Exchange(1, 1, b"UA", "RU"),
        swapwire.Exchange(1, 1, "UA", "RU", total=150),
        swapwire.Exchange(1, 1, "UA", "RU", date="2025-02-05"),
        swapwire.Exchange(1, 1, "UA", "RU", mediators="US"),
        swapwire.Count(1, 1, swapwire.Population.MISSING, "UA", grade=5),
        swapwire.Source(1, swapwire.SourceKind.MEDIA, None),
        "not a record",
        None,
    ],
)
def test_wrong_types_raise_type_error(record):
    with pytest.raises(TypeError):
        swapwire.encode(record)


def test_decode_refuses_text():
    with pytest.raises(TypeError):
        swapwire.decode("000101")


def test_decode_reads_any_buffer():
    data = swapwire.encode(GOOD)
    assert swapwire.decode(bytearray(data)) == swapwire.decode(memoryview(data)) == GOOD


def test_grade_text_is_accepted_and_checked():
    assert swapwire.encode(swapwire.Count(1, 1, swapwire.Population.MISSING, "UA", grade="B2"))[-1] == 7
    with pytest.raises(swapwire.InvalidValue) as caught:
        swapwire.encode(swapwire.Count(1, 1, swapwire.Population.MISSING, "UA", grade="G9"))
    assert caught.value.field == "grade"


def test_constructors_bring_fields_to_the_decoded_form():
    count = swapwire.Count(1, 1, 4, "UA", retracted=1, grade="B2", quantity=swapwire.Quantity(2, 5))
    assert count.grade == swapwire.Grade(swapwire.Reliability.B, swapwire.Credibility.PROBABLE)
    assert count.population is swapwire.Population(4) and count.retracted is True
    assert count.quantity.qualifier is swapwire.Qualifier.EXACT
    assert swapwire.decode(swapwire.encode(count)) == count and hash(count)
    x = swapwire.Exchange(1, 1, "UA", "RU", status=2, mediators=["US", "TR"])
    assert x.mediators == ("US", "TR") and x.status is swapwire.Status.COMPLETED
    assert swapwire.decode(swapwire.encode(x)) == x and {x: 1}[swapwire.decode(swapwire.encode(x))] == 1
    parts = [swapwire.Part(1, swapwire.Quantity.exact(15)), swapwire.Part(0, swapwire.Quantity.exact(135))]
    c = swapwire.Composition(parts)
    assert c.parts == tuple(reversed(parts)) and c.parts[0].category is swapwire.Category.MILITARY
    y = swapwire.Exchange(1, 1, "UA", "RU", composition_a=c, to_a=swapwire.Quantity.exact(150))
    assert swapwire.decode(swapwire.encode(y)) == y
    # Not a spelling of the field: kept, and refused when encoded.
    assert swapwire.Count(1, 1, 4, "UA", grade="G9").grade == "G9"
    assert swapwire.Exchange(1, 1, "UA", "RU", mediators="US").mediators == "US"
    assert swapwire.Exchange(1, 1, "UA", "RU", status=9).status == 9


def test_every_error_has_the_same_attributes():
    caught = []
    for call in (
        lambda: swapwire.encode(swapwire.Exchange(-1, 1, "UA", "RU")),  # raised in Python
        lambda: swapwire.encode(dataclasses.replace(GOOD, side_b="UA")),  # from C
        lambda: swapwire.decode(b"\x00"),
        lambda: swapwire.decode_all(swapwire.encode(GOOD) + b"\x00"),
        lambda: swapwire.from_json("{"),
        lambda: _binding.check(lib.SWAPWIRE_STORE_FULL),
    ):
        with pytest.raises(swapwire.Error) as e:
            call()
        caught.append(e.value)
    for e in caught:
        assert {"field", "reason", "index", "status", "message"} <= set(dir(e))
    assert [e.index for e in caught] == [None, None, None, 1, None, None]
    assert [e.field for e in caught] == ["origin", "side_b", None, None, None, None]


def test_messages_read_as_python_not_as_c():
    with pytest.raises(swapwire.InvalidValue) as e:
        swapwire.encode(dataclasses.replace(GOOD, side_b="UA"))
    assert str(e.value) == "invalid value: side_b: " + ffi.string(
        lib.swapwire_reason_str(swapwire.Reason.SAME_PARTY)).decode()
    with pytest.raises(swapwire.InvalidValue) as e:
        swapwire.encode(swapwire.Exchange(-1, 1, "UA", "RU"))
    assert str(e.value).startswith("invalid value: origin: ")
    with pytest.raises(swapwire.BadJson) as j:
        swapwire.from_json("{")
    for error in (e.value, j.value):
        assert "error detail" not in str(error) and "message buffer" not in str(error)
