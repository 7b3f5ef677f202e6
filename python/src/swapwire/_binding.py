"""The only module that touches the C library: calls, status codes, and the C structs.

The structs' layouts are never written down here: the offsets and sizes come from cffi, which
read them from the header maturin generated, and each kind's fields are packed and unpacked with
one :class:`struct.Struct` built from them at import. This module knows only the order of the
fields, and checks it against cffi's at import, so a changed C struct fails loudly.
"""

from __future__ import annotations

import gc
import re
import struct
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from . import _native
from .codes import (
    Category,
    Credibility,
    Handover,
    Kind,
    Population,
    Precision,
    Qualifier,
    Reason,
    Reliability,
    SourceKind,
    Status,
)
from .errors import BY_STATUS, BadJson, Error, InvalidValue
from .model import EMPTY, Composition, Count, Date, Exchange, Grade, Part, Quantity, Record, RecordId, Source

ffi = _native.ffi
lib = _native.lib

RECORD_SIZE: int = ffi.sizeof("swapwire_record")
RECORD_MAX_SIZE: int = lib.SWAPWIRE_RECORD_MAX_SIZE
RECORD_MIN_SIZE: int = lib.SWAPWIRE_RECORD_MIN_SIZE
MAX_NAME_LEN: int = lib.SWAPWIRE_MAX_NAME_LEN
U32_MAX = 0xFFFFFFFF

# Buffers the C library fills completely before Python reads them need no zeroing.
_alloc = ffi.new_allocator(should_clear_after_alloc=False)

# --- status codes to exceptions -------------------------------------------------------------


def _text(ptr: Any) -> str:
    return ffi.string(ptr).decode("utf-8", "replace")


# ``swapwire_status_str`` points C callers at their out-parameters for these two statuses ("the
# error detail names the field", "the message buffer says where"); Python puts what those hold
# into the message and the exception's attributes, so it says only what went wrong.
_PYTHON_TEXT = {
    lib.SWAPWIRE_INVALID_VALUE: "invalid value",
    lib.SWAPWIRE_BAD_JSON: "JSON text is not a valid record",
}

# A BadJson message that names a field starts with its path ("to_a: ", "composition_a.military:
# ", "mediators[1]: "); serde names a missing one only inside the message.
_JSON_PATH = re.compile(r"([A-Za-z_]\w*(?:\.\w+|\[\d+\])*): ")
_JSON_MISSING = re.compile(r"missing field `(\w+)`")


def _json_field(message: str) -> Optional[str]:
    """The path of the field a BadJson message names, or None if it blames the whole text."""
    found = _JSON_PATH.match(message) or _JSON_MISSING.match(message)
    return found.group(1) if found else None


def status_text(status: int) -> str:
    """The message for a status, as Python shows it."""
    return _PYTHON_TEXT.get(status) or _text(lib.swapwire_status_str(status))


def error_for(
    status: int, detail: Any = None, index: Optional[int] = None, message: str = "", field: Optional[str] = None
) -> Error:
    """The exception for a C status: its class, the status message, and for an invalid value the
    field and reason from ``detail``; ``index`` names the record of a batch that failed, and
    ``field`` the argument at fault when Python caught it (an :class:`InvalidArgument`)."""
    cls = BY_STATUS.get(status, Error)
    text = status_text(status)
    reason: Optional[Reason] = None
    if cls is InvalidValue and detail is not None:
        field = _text(lib.swapwire_field_name(detail.field))
        reason = Reason(detail.reason) if detail.reason in Reason._value2member_map_ else None
        text = f"{text}: {field}: {_text(lib.swapwire_reason_str(detail.reason))}"
    if cls is BadJson and message:
        field = _json_field(message)
    if message:
        text = f"{text}: {message}"
    if index is not None:
        text = f"record {index}: {text}"
    return cls(text, field, reason, index)


def check(status: int, detail: Any = None, index: Optional[int] = None, message: str = "") -> None:
    """Raises the exception for a failed C call; the one place a status becomes an exception."""
    if status != lib.SWAPWIRE_OK:
        raise error_for(status, detail, index, message)


def invalid(field: str, reason: Reason, what: str) -> InvalidValue:
    """An invalid value caught in Python, before it reaches C, worded like the C library's."""
    return InvalidValue(f"{status_text(lib.SWAPWIRE_INVALID_VALUE)}: {field}: {what}", field, reason)


def bad_argument(name: str, what: str) -> Error:
    """An out-of-range argument caught in Python (:class:`InvalidArgument`, naming it)."""
    return error_for(lib.SWAPWIRE_INVALID_ARGUMENT, message=f"{name}: {what}", field=name)


# --- the C structs' layouts, from cffi ------------------------------------------------------

_PRIMITIVE = {"uint8_t": "B", "uint16_t": "H", "uint32_t": "I", "int32_t": "i"}


def _flatten(ctype: Any, offset: int, path: str, out: List[Tuple[str, int, str]], raw: Tuple[str, ...] = ()) -> None:
    """The primitive fields of a C type with their offsets; structs named in ``raw`` stay whole,
    as bytes."""
    if ctype.cname in raw:
        out.append((path, offset, f"{ffi.sizeof(ctype)}s"))
    elif ctype.kind == "primitive":
        out.append((path, offset, _PRIMITIVE[ctype.cname]))
    elif ctype.kind == "array" and ctype.item.cname == "char":
        out.append((path, offset, f"{ctype.length}s"))
    elif ctype.kind == "array":
        for i in range(ctype.length):
            _flatten(ctype.item, offset + i * ffi.sizeof(ctype.item), f"{path}[{i}]", out, raw)
    elif ctype.kind in ("struct", "union"):
        for name, f in ctype.fields:
            _flatten(f.type, offset + f.offset, f"{path}.{name}" if path else name, out, raw)
    else:
        raise ImportError(f"swapwire: unexpected C type {ctype.cname} at {path}")


def _struct_of(fields: List[Tuple[str, int, str]], size: int, keep: Callable[[str], bool]) -> struct.Struct:
    fmt, at = "=", 0
    for path, offset, code in fields:
        if keep(path):
            fmt += f"{offset - at}x{code}"
            at = offset + struct.calcsize("=" + code)
    return struct.Struct(fmt + f"{size - at}x")


def _part_struct(ctype: str, expected: List[str]) -> struct.Struct:
    """The Struct of a small C struct on its own (a date, a quantity), fields in ``expected`` order."""
    fields: List[Tuple[str, int, str]] = []
    _flatten(ffi.typeof(ctype), 0, "", fields)
    if [p for p, _, _ in fields] != expected:
        raise ImportError(f"swapwire: the C struct {ctype} changed; update swapwire/_binding.py")
    return _struct_of(fields, ffi.sizeof(ctype), lambda path: True)


def _record_struct(
    body: str, expected: List[str], keep: Callable[[str], bool] = lambda path: True, raw: Tuple[str, ...] = ()
) -> struct.Struct:
    """The Struct of a whole ``swapwire_record`` whose body is ``body``: the kind byte, then the
    body's fields at cffi's offsets, padded to the record's size. Fields ``keep`` refuses are
    skipped as padding; structs named in ``raw`` are read whole, as bytes."""
    head = ("kind", ffi.offsetof("swapwire_record", "kind"), "B")
    body_at = ffi.offsetof("swapwire_record", "body")
    fields: List[Tuple[str, int, str]] = [head]
    _flatten(ffi.typeof(body), body_at, "", fields)
    if [p for p, _, _ in fields][1:] != expected:
        raise ImportError(f"swapwire: the C struct {body} changed; update swapwire/_binding.py")
    if raw:
        fields = [head]
        _flatten(ffi.typeof(body), body_at, "", fields, raw)
    return _struct_of(fields, RECORD_SIZE, keep)


def _quantity_paths(p: str) -> List[str]:
    return [f"{p}.qualifier", f"{p}.value", f"{p}.high"]


def _composition_paths(p: str) -> List[str]:
    parts = [[f"{p}.parts[{i}].category"] + _quantity_paths(f"{p}.parts[{i}].quantity") for i in range(6)]
    return [f"{p}.count"] + [path for part in parts for path in part]


_DATE = ["date.year", "date.month", "date.day", "date.precision"]
_EXCHANGE_PATHS = (
    ["origin", "seq", "revision", "retracted", "status", "handover", *_DATE, "side_a", "side_b"]
    + _quantity_paths("total")
    + _quantity_paths("to_a")
    + _quantity_paths("to_b")
    + _composition_paths("composition_a")
    + _composition_paths("composition_b")
    + ["mediator_count", "mediators[0]", "mediators[1]", "mediators[2]"]
    + ["has_part_of", "part_of_origin", "part_of_seq", "has_same_as", "same_as_origin", "same_as_seq", "source", "grade"]
)
_EXCHANGE = _record_struct("swapwire_exchange", _EXCHANGE_PATHS)
# Decoding reads the 48 composition slots only when a side has parts (most exchanges have none),
# and dates and quantities whole, as the keys of the shared values below.
_RAW = (ffi.typeof("swapwire_date").cname, ffi.typeof("swapwire_quantity").cname)
_EXCHANGE_HEAD = _record_struct("swapwire_exchange", _EXCHANGE_PATHS, lambda p: ".parts[" not in p, _RAW)
_PARTS_A = _record_struct("swapwire_exchange", _EXCHANGE_PATHS, lambda p: p.startswith("composition_a.parts["), _RAW)
_PARTS_B = _record_struct("swapwire_exchange", _EXCHANGE_PATHS, lambda p: p.startswith("composition_b.parts["), _RAW)
_DATE_PARTS = _part_struct("swapwire_date", ["year", "month", "day", "precision"])
_QUANTITY_PARTS = _part_struct("swapwire_quantity", ["qualifier", "value", "high"])
_COUNT_PATHS = (
    ["origin", "seq", "revision", "retracted", "population", *_DATE, "holder", "people"]
    + _quantity_paths("quantity")
    + ["source", "grade"]
)
_COUNT = _record_struct("swapwire_count", _COUNT_PATHS)
_COUNT_RAW = _record_struct("swapwire_count", _COUNT_PATHS, raw=_RAW)
_SOURCE = _record_struct(
    "swapwire_source", ["key", "revision", "retracted", "kind", "name_len", "name", "has_via", "via"]
)

# --- Python values to C fields --------------------------------------------------------------


def _party(p: Any, field: str) -> bytes:
    if not isinstance(p, str):
        raise TypeError(f"{field} must be a two-letter country code (str), not {type(p).__name__}")
    if len(p) != 2 or not p.isascii():
        raise invalid(field, Reason.UNKNOWN_COUNTRY, f"not an ISO 3166-1 alpha-2 code: {p!r}")
    return p.encode("ascii")


def _grade(g: Any) -> bytes:
    if isinstance(g, str):
        g = _parse_grade(g)
    if not isinstance(g, Grade):
        raise TypeError(f"grade must be a Grade or a str such as 'B2', not {type(g).__name__}")
    r, c = g.reliability, g.credibility
    if not (isinstance(r, int) and isinstance(c, int) and 0 <= r <= 5 and 1 <= c <= 6):
        raise invalid("grade", Reason.UNKNOWN_CODE, f"not an Admiralty grade: {g!r}")
    return b"ABCDEF"[r : r + 1] + b"0123456"[c : c + 1]


def _parse_grade(text: str) -> Grade:
    try:
        return Grade.parse(text)
    except ValueError:
        raise invalid("grade", Reason.UNKNOWN_CODE, f"not an Admiralty grade: {text!r}") from None


def _quantity(q: Any, field: str) -> Tuple[Any, Any, Any]:
    if not isinstance(q, Quantity):
        raise TypeError(f"{field} must be a Quantity, not {type(q).__name__}")
    return q.qualifier, q.value, q.high


def _composition(c: Any, field: str) -> List[Any]:
    if not isinstance(c, Composition):
        raise TypeError(f"{field} must be a Composition, not {type(c).__name__}")
    parts = tuple(c.parts)
    if len(parts) > 6:
        raise invalid(field, Reason.TOO_LONG, f"{len(parts)} parts, at most 6 (one per category)")
    out: List[Any] = [len(parts)]
    for p in parts:
        if not isinstance(p, Part):
            raise TypeError(f"{field} parts must be Part values, not {type(p).__name__}")
        out.append(p.category)
        out.extend(_quantity(p.quantity, field))
    out.extend((0, 0, 0, 0) * (6 - len(parts)))
    return out


def _mediators(m: Any) -> List[Any]:
    if isinstance(m, str) or not isinstance(m, (tuple, list)):
        raise TypeError(f"mediators must be a tuple of country codes, not {type(m).__name__}")
    if len(m) > 3:
        raise invalid("mediators", Reason.TOO_LONG, f"{len(m)} mediators, at most 3")
    return [len(m)] + [_party(p, "mediators") for p in m] + [b""] * (3 - len(m))


def _date(d: Any) -> Tuple[Any, Any, Any, Any]:
    if not isinstance(d, Date):
        raise TypeError(f"date must be a Date, not {type(d).__name__}")
    return d.year, d.month, d.day, d.precision


def _record_id(value: Any, name: str) -> Tuple[Any, Any, Any]:
    """An optional record id (``part_of``, ``same_as``) as its flag and two numbers."""
    if value is None:
        return (0, 0, 0)
    if isinstance(value, RecordId):
        return (1, value.origin, value.seq)
    raise TypeError(f"{name} must be a RecordId or None, not {type(value).__name__}")


def _exchange_values(x: Exchange) -> List[Any]:
    return [
        Kind.EXCHANGE,
        x.origin,
        x.seq,
        x.revision,
        x.retracted,
        x.status,
        x.handover,
        *_date(x.date),
        _party(x.side_a, "side_a"),
        _party(x.side_b, "side_b"),
        *_quantity(x.total, "total"),
        *_quantity(x.to_a, "to_a"),
        *_quantity(x.to_b, "to_b"),
        *_composition(x.composition_a, "composition_a"),
        *_composition(x.composition_b, "composition_b"),
        *_mediators(x.mediators),
        *_record_id(x.part_of, "part_of"),
        *_record_id(x.same_as, "same_as"),
        x.source,
        _grade(x.grade),
    ]


def _count_values(c: Count) -> List[Any]:
    holder = b"" if c.holder is None else _party(c.holder, "holder")
    return [
        Kind.COUNT,
        c.origin,
        c.seq,
        c.revision,
        c.retracted,
        c.population,
        *_date(c.date),
        holder,
        _party(c.people, "people"),
        *_quantity(c.quantity, "quantity"),
        c.source,
        _grade(c.grade),
    ]


def _source_values(s: Source) -> List[Any]:
    if not isinstance(s.name, str):
        raise TypeError(f"name must be a str, not {type(s.name).__name__}")
    try:
        name = s.name.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid("name", Reason.UNKNOWN_CODE, "not encodable as UTF-8 (a lone surrogate)") from None
    if len(name) > MAX_NAME_LEN:
        raise invalid("name", Reason.TOO_LONG, f"{len(name)} bytes of UTF-8, at most {MAX_NAME_LEN}")
    if s.via is None:
        via: Tuple[Any, Any] = (0, 0)
    elif isinstance(s.via, int) and not isinstance(s.via, bool):
        via = (1, s.via)
    else:
        raise TypeError(f"via must be an int or None, not {type(s.via).__name__}")
    return [Kind.SOURCE, s.key, s.revision, s.retracted, s.kind, len(name), name, *via]


_PACKERS: Dict[type, Tuple[struct.Struct, Callable[[Any], List[Any]]]] = {
    Exchange: (_EXCHANGE, _exchange_values),
    Count: (_COUNT, _count_values),
    Source: (_SOURCE, _source_values),
}

# Which field each integer of a kind's values is, for naming the one C cannot hold.
_NUMBER_FIELDS = {
    Exchange: ["origin", "seq", "revision", "retracted", "status", "handover", "date"],
    Count: ["origin", "seq", "revision", "retracted", "population", "date"],
    Source: ["key", "revision", "retracted", "kind"],
}


def _explain(record: Any) -> Exception:
    """Why a record's numbers do not fit its C struct, named by field (the slow path, taken only
    after packing failed)."""
    fields = dict(record.__dict__)
    checks: List[Tuple[str, Any, int]] = []
    for name in _NUMBER_FIELDS[type(record)]:
        if name == "date":
            d = fields["date"]
            checks += [("date", d.year, 0xFFFF), ("date", d.month, 0xFF), ("date", d.day, 0xFF)]
            checks.append(("date", d.precision, 0xFF))
        else:
            limit = 0xFF if name in ("retracted", "status", "handover", "population", "kind") else U32_MAX
            checks.append((name, fields[name], limit))
    if isinstance(record, Source) and record.via is not None:
        checks.append(("via", record.via, U32_MAX))
    if not isinstance(record, Source):
        checks.append(("source", record.source, U32_MAX))
        quantities = [n for n in ("total", "to_a", "to_b", "quantity") if n in fields]
        for n in quantities:
            q = fields[n]
            checks += [(n, q.qualifier, 0xFF), (n, q.value, U32_MAX), (n, q.high, U32_MAX)]
        for n in ("composition_a", "composition_b"):
            for p in fields.get(n, EMPTY).parts:
                q = p.quantity
                checks += [(n, p.category, 0xFF), (n, q.qualifier, 0xFF), (n, q.value, U32_MAX), (n, q.high, U32_MAX)]
        for n in ("part_of", "same_as"):
            if fields.get(n) is not None:
                checks += [(n, fields[n].origin, U32_MAX), (n, fields[n].seq, U32_MAX)]
    for name, value, limit in checks:
        if not isinstance(value, int):
            return TypeError(f"{name} must be an int, not {type(value).__name__}: {value!r}")
        if not 0 <= value <= limit:
            return invalid(name, Reason.OUT_OF_RANGE, f"{value} is outside 0 to {limit}")
    return TypeError(f"not a swapwire record: {record!r}")


def pack_into(buf: Any, offset: int, record: Any) -> None:
    """Writes a record's C struct into ``buf`` at ``offset``, raising before C for anything the
    struct cannot hold."""
    try:
        layout, values = _PACKERS[type(record)]
    except KeyError:
        raise TypeError(f"expected an Exchange, Count or Source, not {type(record).__name__}") from None
    try:
        layout.pack_into(buf, offset, *values(record))
    except (struct.error, AttributeError, OverflowError) as e:
        raise _explain(record) from e


# --- C fields to Python values --------------------------------------------------------------

_new = object.__new__
_set = object.__setattr__
_STATUS = tuple(Status)
_HANDOVER = tuple(Handover)
_POPULATION = tuple(Population)
_SOURCE_KIND = tuple(SourceKind)
_CATEGORY = tuple(Category)
_QUALIFIER = tuple(Qualifier)
_PRECISION = tuple(Precision)


def _make(cls: type, values: Dict[str, Any]) -> Any:
    """A frozen dataclass from its field values, without re-checking what C has checked."""
    obj = _new(cls)
    _set(obj, "__dict__", values)
    return obj


class _Shared(dict):  # type: ignore[type-arg]
    """Decoded records repeat a few parties, grades, dates, quantities and names; sharing the
    immutable values saves building them again. A hit is one dict lookup in C; a miss builds the
    value. Bounded, so that random input cannot grow it without limit."""

    def __init__(self, build: Callable[[Any], Any], limit: int = 1 << 14) -> None:
        super().__init__()
        self.build, self.limit = build, limit

    def __missing__(self, key: Any) -> Any:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.build(key)
        return value


def _party_text(raw: bytes) -> Optional[str]:
    return raw.rstrip(b"\0").decode("ascii") or None


def _grade_value(raw: bytes) -> Grade:
    return _make(Grade, {"reliability": Reliability(raw[0] - 65), "credibility": Credibility(raw[1] - 48)})


def _quantity_value(raw: bytes) -> Quantity:
    q, v, h = _QUANTITY_PARTS.unpack(raw)
    return _make(Quantity, {"qualifier": _QUALIFIER[q], "value": v, "high": h})


def _date_value(raw: bytes) -> Date:
    y, m, d, p = _DATE_PARTS.unpack(raw)
    return _make(Date, {"precision": _PRECISION[p], "year": y, "month": m, "day": d})


def _name_text(raw: bytes) -> str:
    # The C library zero-fills past the name, and names hold no NUL (a control character).
    return raw.rstrip(b"\0").decode("utf-8")


_parties = _Shared(_party_text)
_grades = _Shared(_grade_value)
_quantities = _Shared(_quantity_value)
_dates = _Shared(_date_value)
_names = _Shared(_name_text)


def _composition_of(n: int, t: Tuple[Any, ...]) -> Composition:
    parts = []
    for i in range(0, 2 * n, 2):
        parts.append(_make(Part, {"category": _CATEGORY[t[i]], "quantity": _quantities[t[i + 1]]}))
    return _make(Composition, {"parts": tuple(parts)})


def _exchange_of(t: Tuple[Any, ...], buf: Any, offset: int) -> Exchange:
    a, b, n = t[13], t[14], t[15]
    return _make(
        Exchange,
        {
            "origin": t[1],
            "seq": t[2],
            "side_a": _parties[t[8]],
            "side_b": _parties[t[9]],
            "revision": t[3],
            "retracted": t[4] == 1,
            "status": _STATUS[t[5]],
            "date": _dates[t[7]],
            "handover": _HANDOVER[t[6]],
            "total": _quantities[t[10]],
            "to_a": _quantities[t[11]],
            "to_b": _quantities[t[12]],
            "composition_a": _composition_of(a, _PARTS_A.unpack_from(buf, offset)) if a else EMPTY,
            "composition_b": _composition_of(b, _PARTS_B.unpack_from(buf, offset)) if b else EMPTY,
            "mediators": tuple(_parties[m] for m in t[16 : 16 + n]) if n else (),
            "part_of": RecordId(t[20], t[21]) if t[19] else None,
            "same_as": RecordId(t[23], t[24]) if t[22] else None,
            "source": t[25],
            "grade": _grades[t[26]],
        },
    )


def _count_of(t: Tuple[Any, ...], buf: Any, offset: int) -> Count:
    return _make(
        Count,
        {
            "origin": t[1],
            "seq": t[2],
            "population": _POPULATION[t[5]],
            "people": _parties[t[8]],
            "revision": t[3],
            "retracted": t[4] == 1,
            "date": _dates[t[6]],
            "holder": _parties[t[7]],
            "quantity": _quantities[t[9]],
            "source": t[10],
            "grade": _grades[t[11]],
        },
    )


def _source_of(t: Tuple[Any, ...], buf: Any, offset: int) -> Source:
    return _make(
        Source,
        {
            "key": t[1],
            "kind": _SOURCE_KIND[t[4]],
            "name": _names[t[6]],
            "revision": t[2],
            "retracted": t[3] == 1,
            "via": t[8] if t[7] else None,
        },
    )


_UNPACKERS = (
    (_EXCHANGE_HEAD.unpack_from, _exchange_of),
    (_COUNT_RAW.unpack_from, _count_of),
    (_SOURCE.unpack_from, _source_of),
)


def unpack_from(buf: Any, offset: int) -> Record:
    """The record in the C struct at ``offset`` of ``buf``, which the C library filled."""
    unpack, build = _UNPACKERS[buf[offset]]
    return build(unpack(buf, offset), buf, offset)


# --- calls ----------------------------------------------------------------------------------


def _bytes_in(data: Any) -> Any:
    if isinstance(data, str):
        raise TypeError("swapwire decodes bytes, not str (use bytes.fromhex for hex text)")
    return ffi.from_buffer(data)


def encode(record: Record) -> bytes:
    one = ffi.new("swapwire_record *")
    pack_into(ffi.buffer(one), 0, record)
    out = _alloc("uint8_t[]", RECORD_MAX_SIZE)
    written, detail = ffi.new("size_t *"), ffi.new("swapwire_error_detail *")
    check(lib.swapwire_record_encode(one, out, RECORD_MAX_SIZE, written, detail), detail)
    return ffi.buffer(out, written[0])[:]


def validate(record: Record) -> None:
    one = ffi.new("swapwire_record *")
    pack_into(ffi.buffer(one), 0, record)
    detail = ffi.new("swapwire_error_detail *")
    check(lib.swapwire_record_validate(one, detail), detail)


def decode(data: Any) -> Record:
    one = ffi.new("swapwire_record *")
    detail = ffi.new("swapwire_error_detail *")
    src = _bytes_in(data)
    check(lib.swapwire_record_decode(src, len(src), one, detail), detail)
    return unpack_from(memoryview(ffi.buffer(one)), 0)


def decode_prefix(data: Any) -> Tuple[Record, int]:
    one = ffi.new("swapwire_record *")
    used, detail = ffi.new("size_t *"), ffi.new("swapwire_error_detail *")
    src = _bytes_in(data)
    check(lib.swapwire_record_decode_prefix(src, len(src), one, used, detail), detail)
    return unpack_from(memoryview(ffi.buffer(one)), 0), used[0]


def pack_records(records: List[Record]) -> Any:
    """The records as a C array (of at least one struct), raising before C for the first one a
    struct cannot hold, with its index in ``error.index``."""
    structs = _alloc("swapwire_record[]", max(len(records), 1))
    view = ffi.buffer(structs)
    for i, r in enumerate(records):
        try:
            pack_into(view, i * RECORD_SIZE, r)
        except Error as e:
            e.message = f"record {i}: {e}"
            e.args = (e.message,)
            e.index = i
            raise
    return structs


def encode_many(records: Iterable[Record]) -> bytes:
    records = list(records)
    n = len(records)
    structs = pack_records(records)
    cap = n * RECORD_MAX_SIZE
    out = _alloc("uint8_t[]", max(cap, 1))
    written, failed, detail = ffi.new("size_t *"), ffi.new("size_t *"), ffi.new("swapwire_error_detail *")
    status = lib.swapwire_records_encode(structs, n, out, cap, written, failed, detail)
    check(status, detail, failed[0] if status != lib.SWAPWIRE_OK else None)
    return ffi.buffer(out, written[0])[:]


# A batch decodes at most this many records per C call, into one array reused from call to
# call: 1.2 MB, which the heap keeps between calls. An array for the whole input (len // 6 + 1
# rows of 308 B, 114 MB for 2.2 MB of records) was mapped fresh and page-faulted on every
# `decode_many`, about 9,000 faults per 100,000 records.
BATCH_ROWS = 4096


def decode_all(data: Any) -> List[Record]:
    src = _bytes_in(data)
    total = len(src)
    cap = min(total // RECORD_MIN_SIZE + 1, BATCH_ROWS)
    structs = _alloc("swapwire_record[]", cap)
    view = memoryview(ffi.buffer(structs))
    count, used = ffi.new("size_t *"), ffi.new("size_t *")
    failed, detail = ffi.new("size_t *"), ffi.new("swapwire_error_detail *")
    records: List[Record] = []
    at = 0
    while at < total:
        status = lib.swapwire_records_decode(src + at, total - at, structs, cap, count, used, failed, detail)
        check(status, detail, len(records) + failed[0] if status != lib.SWAPWIRE_OK else None)
        unpackers, append = _UNPACKERS, records.append
        # The records hold no reference cycles, yet building them would run the cyclic
        # collector every few hundred objects over an ever longer list (a third of the time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            for offset in range(0, count[0] * RECORD_SIZE, RECORD_SIZE):
                unpack, build = unpackers[view[offset]]
                append(build(unpack(view, offset), view, offset))
        finally:
            if collecting:
                gc.enable()
        at += used[0]
    return records


def to_json(record: Record, pretty: bool = False) -> str:
    one = ffi.new("swapwire_record *")
    pack_into(ffi.buffer(one), 0, record)
    written, detail = ffi.new("size_t *"), ffi.new("swapwire_error_detail *")
    size = 2048
    while True:
        out = _alloc("char[]", size)
        flags = lib.SWAPWIRE_JSON_PRETTY if pretty else 0
        status = lib.swapwire_record_to_json(one, flags, out, size, written, detail)
        if status != lib.SWAPWIRE_BUFFER_TOO_SMALL or size >= 1 << 20:
            check(status, detail)
            return ffi.buffer(out, written[0])[:].decode("utf-8")
        size *= 4


def from_json(text: Any) -> Record:
    if isinstance(text, str):
        text = text.encode("utf-8")
    src = ffi.from_buffer(text)
    one = ffi.new("swapwire_record *")
    message = ffi.new("char[]", 1024)
    status = lib.swapwire_record_from_json(src, len(src), one, message, len(message))
    check(status, message=_text(message) if status == lib.SWAPWIRE_BAD_JSON else "")
    return unpack_from(memoryview(ffi.buffer(one)), 0)


# --- columns --------------------------------------------------------------------------------

CODE_WIDTH: int = lib.SWAPWIRE_COLUMN_CODE_WIDTH
NAME_WIDTH: int = lib.SWAPWIRE_COLUMN_NAME_WIDTH
COLUMN_NONE: int = lib.SWAPWIRE_COLUMN_NONE
_TEXT_WIDTH = {"side_a": CODE_WIDTH, "side_b": CODE_WIDTH, "holder": CODE_WIDTH, "people": CODE_WIDTH}
_TEXT_WIDTH.update(grade=CODE_WIDTH, name=NAME_WIDTH)


def _column_specs() -> List[Tuple[str, Tuple[str, ...], str, int]]:
    """(column name, path in swapwire_columns, C item type, bytes per row), from cffi."""
    specs = []
    for name, f in ffi.typeof("swapwire_columns").fields:
        if f.type.kind == "struct":
            for sub, g in f.type.fields:
                specs.append((f"{name}_{sub}", (name, sub), g.type.item.cname, ffi.sizeof(g.type.item)))
        elif name in _TEXT_WIDTH:
            specs.append((name, (name,), "uint8_t", _TEXT_WIDTH[name]))
        else:
            specs.append((name, (name,), f.type.item.cname, ffi.sizeof(f.type.item)))
    return specs


COLUMNS = _column_specs()


# Probing this many records first sizes the table for a large input (see decode_columns).
_PROBE_ROWS = 1024
# Each column starts on a 64-byte boundary of the one block the columns share.
_COLUMN_ALIGN = 64


def _column_layout(rows: int) -> Tuple[Dict[str, int], int]:
    """Each column's byte offset in one block holding ``rows`` rows of every column, and the
    block's size."""
    offsets, end = {}, 0
    for name, _, _, width in COLUMNS:
        offsets[name] = end
        end = -(-(end + rows * width) // _COLUMN_ALIGN) * _COLUMN_ALIGN
    return offsets, max(end, 1)


def _estimate_rows(records: int, used: int, total: int, bound: int) -> int:
    """Rows for ``total`` bytes when ``records`` took ``used`` of them, with an eighth to spare."""
    rest = (total - used) * records // max(used, 1)
    return min(bound, records + rest + rest // 8 + 64)


def decode_columns(data: Any, allocate: Callable[[int], Any]) -> Tuple[Any, Dict[str, int], int]:
    """Decodes every record of ``data`` into one array per column, all in one block.

    ``allocate(size)`` returns a writable buffer of ``size`` bytes. The result is that block,
    each column's byte offset in it, and the number of rows: column ``name`` is the
    ``rows * width`` bytes from its offset.

    The table is sized for the records there are, not for the most that ``len(data)`` bytes
    could hold (``len // RECORD_MIN_SIZE``, 3.7 times as many for typical records), and is one
    allocation, not one per column. Both keep the columns a caller frees within what the C
    heap keeps for the next call: glibc gives the top of its heap back to the kernel once more
    than its trim threshold (twice the largest block it has unmapped, 64 MB at most) is free
    there, and columns for the worst case, 28 bytes per input byte in some 40 allocations each
    under that, passed it, so every call faulted its 17 MB of rows in again from fresh pages
    and ran at half speed. A large input's size comes from decoding its first records without
    writing them; a wrong guess grows the table (copying the rows so far), never fails."""
    src = _bytes_in(data)
    total = len(src)
    bound = total // RECORD_MIN_SIZE + 1
    count, used = ffi.new("size_t *"), ffi.new("size_t *")
    failed, detail = ffi.new("size_t *"), ffi.new("swapwire_error_detail *")
    columns = ffi.new("swapwire_columns *")
    rows = bound
    if bound > _PROBE_ROWS:
        # NULL columns: the C library decodes and counts, writing nothing.
        status = lib.swapwire_records_decode_columns(src, total, columns, _PROBE_ROWS, count, used, failed, detail)
        check(status, detail, failed[0] if status != lib.SWAPWIRE_OK else None)
        rows = count[0] if used[0] == total else _estimate_rows(count[0], used[0], total, bound)
    offsets, size = _column_layout(rows)
    block = allocate(size)
    base = ffi.from_buffer(block, require_writable=True)
    filled = at = 0
    while True:
        for name, path, ctype, width in COLUMNS:
            target = columns
            for step in path[:-1]:
                target = getattr(target, step)
            setattr(target, path[-1], ffi.cast(f"{ctype} *", base + offsets[name] + filled * width))
        status = lib.swapwire_records_decode_columns(src + at, total - at, columns, rows - filled, count, used, failed,
                                                     detail)
        check(status, detail, filled + failed[0] if status != lib.SWAPWIRE_OK else None)
        filled, at = filled + count[0], at + used[0]
        if at == total:
            return block, offsets, filled
        if count[0] == 0 or rows >= bound:
            raise error_for(lib.SWAPWIRE_INTERNAL, message=f"{total - at} bytes left after {filled} rows")
        # The first records were larger than the rest: a larger table, the rows so far copied.
        rows = min(bound, max(rows + rows // 2, _estimate_rows(filled, at, total, bound)))
        new_offsets, size = _column_layout(rows)
        new_block = allocate(size)
        old, new = memoryview(block), memoryview(new_block)
        for name, _, _, width in COLUMNS:
            new[new_offsets[name] : new_offsets[name] + filled * width] = old[offsets[name] : offsets[name] + filled * width]
        block, offsets, base = new_block, new_offsets, ffi.from_buffer(new_block, require_writable=True)
