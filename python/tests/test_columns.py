"""decode_columns: text columns are str in both modes (not NumPy bytes), and every column has
the dtype the module's docstring lists."""

from __future__ import annotations

import csv
import io
import re

import pytest

import swapwire as sw
from swapwire import columns

NAME = "Суспільне"
RECORDS = [
    sw.Source(1, sw.SourceKind.MEDIA, NAME),
    sw.Exchange(1, 1, "UA", "RU", status=sw.Status.COMPLETED, to_a=sw.Quantity.exact(150), source=1,
                grade=sw.Grade.parse("B2")),
    sw.Count(1, 2, sw.Population.CIVILIANS_HELD, "UA", holder="RU", quantity=sw.Quantity.at_least(16000),
             source=1, grade=sw.Grade.parse("A1")),
    sw.Count(1, 3, sw.Population.MISSING, "UA"),
    sw.Source(2, sw.SourceKind.MEDIA, "AFP"),
]
TEXT = {
    "side_a": ["", "UA", "", "", ""],
    "side_b": ["", "RU", "", "", ""],
    "holder": ["", "", "RU", "", ""],
    "people": ["", "", "UA", "UA", ""],
    "grade": ["", "B2", "A1", "F6", ""],
    "name": [NAME, "", "", "", "AFP"],
}


def documented_dtypes() -> dict:
    """Each column's dtype as the columns module's docstring lists it."""
    doc = " ".join(columns.__doc__.split())
    out = {}
    for dtype, names in re.findall(r"- ``(\w+)``[^:]*: (.*?)[;.](?= -|$| Text)", doc):
        for name in re.findall(r"``(\w+)``", names):
            if not name.startswith(("UA", "B2")):
                out[name] = dtype
    return out


@pytest.mark.parametrize("numpy", [False, None])
def test_text_columns_are_str_in_both_modes(numpy):
    cols = sw.decode_columns(sw.encode_many(RECORDS), numpy=numpy)
    for name, want in TEXT.items():
        got = list(cols[name])
        assert got == want
        assert all(type(cell) is str for cell in got), (name, got)


def test_numpy_columns_have_the_documented_dtypes():
    np = pytest.importorskip("numpy")
    documented = documented_dtypes()
    assert sorted(documented) == sorted(columns.NAMES)
    cols = sw.decode_columns(sw.encode_many(RECORDS))
    for name in columns.NAMES:
        assert isinstance(cols[name], np.ndarray) and cols[name].dtype == np.dtype(documented[name]), name
    # Without NumPy: ints and strs, the same values.
    plain = sw.decode_columns(sw.encode_many(RECORDS), numpy=False)
    for name in columns.NAMES:
        assert cols[name].tolist() == plain[name]
        kind = str if documented[name] == "object" else int
        assert all(type(cell) is kind for cell in plain[name]), name


def test_raw_text_leaves_the_c_librarys_bytes_and_the_same_numbers():
    np = pytest.importorskip("numpy")
    data = sw.encode_many(RECORDS)
    raw, text = sw.decode_columns(data, raw_text=True), sw.decode_columns(data)
    for name in columns.NAMES:
        if name in TEXT:
            assert raw[name].dtype == np.dtype("S64" if name == "name" else "S2"), name
            assert [cell.decode("utf-8") for cell in raw[name].tolist()] == TEXT[name], name
        else:
            assert raw[name].dtype == text[name].dtype and raw[name].tolist() == text[name].tolist(), name
    assert np.char.decode(raw["name"], "utf-8").tolist() == TEXT["name"]
    with pytest.raises(ValueError, match="raw_text"):
        sw.decode_columns(data, numpy=False, raw_text=True)


def test_empty_input_gives_empty_columns():
    np = pytest.importorskip("numpy")
    cols = sw.decode_columns(b"")
    assert cols["name"].dtype == np.dtype(object) and len(cols["name"]) == 0
    assert sw.decode_columns(b"", numpy=False)["grade"] == []


def test_csv_of_the_columns_reads_the_text_as_written():
    # What pandas' to_csv does with the cells, without pandas: str() of each one.
    pytest.importorskip("numpy")
    cols = sw.decode_columns(sw.encode_many(RECORDS))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns.NAMES)
    writer.writerows(zip(*(cols[name].tolist() for name in columns.NAMES)))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["name"] for r in rows] == TEXT["name"] and [r["side_a"] for r in rows] == TEXT["side_a"]
    assert "b'" not in out.getvalue()


def test_pandas_writes_text_not_bytes():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(sw.decode_columns(sw.encode_many(RECORDS)))
    text = frame.to_csv(index=False)
    assert "b'" not in text and NAME in text
    assert list(frame["grade"]) == TEXT["grade"]


def test_the_package_readme_lists_the_same_dtypes():
    from conftest import ROOT

    table = {}
    for line in (ROOT / "python" / "README.md").read_text(encoding="utf-8").splitlines():
        cells = line.split(" | ")
        if line.startswith("| `") and len(cells) == 3:
            dtype = re.match(r"\| `(\w+)`", cells[0]).group(1)
            for name in re.findall(r"`(\w+)`", cells[2]):
                table[name] = dtype
    assert table == documented_dtypes()


def many(first, then):
    """``first`` short sources, then ``then`` longer exchanges, each with its own key or id."""
    sources = [sw.Source(i + 1, sw.SourceKind.MEDIA, "AFP") for i in range(first)]
    exchange = RECORDS[1]
    exchanges = [
        sw.Exchange(2 + i // 1000, i % 1000 + 1, "UA", "RU", status=exchange.status, to_a=exchange.to_a, source=1,
                    grade=exchange.grade)
        for i in range(then)
    ]
    return sources + exchanges


@pytest.mark.parametrize("numpy", [False, None])
@pytest.mark.parametrize("first,then", [(3000, 0), (2000, 6000), (0, 5000)])
def test_large_inputs_give_every_row(numpy, first, then):
    # Past the first 1,024 records the table is sized from them; short records first make the
    # guess too small, so the table grows mid-decode. Every row is there either way.
    records = many(first, then)
    cols = sw.decode_columns(sw.encode_many(records), numpy=numpy)
    assert len(cols["kind"]) == len(records) and all(len(cols[name]) == len(records) for name in columns.NAMES)
    assert list(cols["key"]) == [r.key if isinstance(r, sw.Source) else 0 for r in records]
    assert list(cols["seq"]) == [0 if isinstance(r, sw.Source) else r.seq for r in records]
    assert list(cols["name"]) == ["AFP" if isinstance(r, sw.Source) else "" for r in records]
    assert list(cols["to_a_value"]) == [0 if isinstance(r, sw.Source) else 150 for r in records]


@pytest.mark.parametrize("numpy", [False, None])
@pytest.mark.parametrize("at", [500, 2500, 7000])
def test_a_bad_record_past_the_first_rows_is_named_by_its_index(numpy, at):
    data = sw.encode_many(many(2000, 6000)[:at]) + b"\xff" + sw.encode_many(RECORDS)
    with pytest.raises(sw.Error) as caught:
        sw.decode_columns(data, numpy=numpy)
    assert caught.value.index == at


@pytest.mark.parametrize("count", [4095, 4096, 4097, 9000])
def test_decode_many_across_its_4096_record_calls(count):
    # decode_many decodes 4,096 records per C call into one reused array: every record comes
    # back in order whatever the boundary.
    records = many(1000, count - 1000)
    assert sw.decode_many(sw.encode_many(records)) == records


@pytest.mark.parametrize("at", [0, 4095, 4096, 8193])
def test_decode_many_names_a_bad_record_past_its_first_call_by_its_index(at):
    data = sw.encode_many(many(1000, 8000)[:at]) + b"\xff" + sw.encode_many(RECORDS)
    with pytest.raises(sw.Error) as caught:
        sw.decode_many(data)
    assert caught.value.index == at
