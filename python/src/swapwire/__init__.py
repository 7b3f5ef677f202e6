"""swapwire: compact records of prisoner-of-war exchanges and captivity tallies.

Records are frozen dataclasses (:class:`Exchange`, :class:`Count`, :class:`Source`); the Rust
library, reached through its C ABI, checks, encodes and decodes them.

>>> import swapwire as sw
>>> c = sw.Count(1, 2, sw.Population.CIVILIANS_HELD, "UA", holder="RU",
...              date=sw.Date.of_day(2025, 3, 6), quantity=sw.Quantity.at_least(16000),
...              source=2, grade=sw.Grade.parse("B2"))
>>> data = sw.encode(c)
>>> len(data), sw.decode(data) == c
(15, True)
"""

from __future__ import annotations

from typing import Iterable, List, Tuple

from . import _binding, sync
from .codes import (
    Category,
    Credibility,
    Field,
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
from .columns import decode_columns
from .errors import (
    BadChecksum,
    BadJson,
    BadUtf8,
    BadVarint,
    BufferTooSmall,
    Error,
    Internal,
    InvalidArgument,
    InvalidValue,
    Malformed,
    NonCanonical,
    NotFound,
    NullArgument,
    StoreFull,
    TooLargeForLink,
    TrailingBytes,
    Truncated,
    UnknownKind,
    UnknownSender,
    UnknownVersion,
)
from .model import Composition, Count, Date, Exchange, Grade, Part, Quantity, Record, RecordId, Source

__version__ = "0.1.0"

#: The largest encoded record, in bytes.
RECORD_MAX_SIZE: int = _binding.RECORD_MAX_SIZE
#: The longest source name, in UTF-8 bytes.
MAX_NAME_LEN: int = _binding.MAX_NAME_LEN


def encode(record: Record) -> bytes:
    """The record's bytes (its kind byte first), after checking every rule of the model."""
    return _binding.encode(record)


def decode(data: bytes) -> Record:
    """The one record that fills ``data`` exactly (bytes, bytearray or memoryview)."""
    return _binding.decode(data)


def decode_prefix(data: bytes) -> Tuple[Record, int]:
    """The record at the start of ``data`` and the number of bytes it took."""
    return _binding.decode_prefix(data)


def decode_all(data: bytes) -> List[Record]:
    """Every record of a buffer of records written back to back, decoded by the C library 4,096
    records per call into one reused array. A bad record anywhere raises, naming its index in
    ``error.index``; no partial list is returned."""
    return _binding.decode_all(data)


def decode_many(data: bytes) -> List[Record]:
    """The batch decode: the same as :func:`decode_all`, under the name that pairs with
    :func:`encode_many`."""
    return _binding.decode_all(data)


def encode_many(records: Iterable[Record]) -> bytes:
    """The records' bytes back to back, in one C call; :func:`decode_many` reads them back. An
    invalid record raises, naming its index in ``error.index``."""
    return _binding.encode_many(records)


def validate(record: Record) -> None:
    """Raises :class:`InvalidValue` (with ``field`` and ``reason``) if the record breaks a rule."""
    _binding.validate(record)


def to_json(record: Record, pretty: bool = False) -> str:
    """The record in the JSON form of the Rust library and the CLI (every field written)."""
    return _binding.to_json(record, pretty)


def from_json(text: str) -> Record:
    """A record from the JSON form of :func:`to_json`.

    Required: ``record`` (``"exchange"``, ``"count"`` or ``"source"``) and, for an exchange,
    ``origin``, ``seq``, ``status``, ``side_a``, ``side_b``, ``source`` and ``grade``; for a
    count, ``origin``, ``seq``, ``population``, ``people``, ``source`` and ``grade``; for a
    source, ``key``, ``kind`` and ``name``. Every other field may be left out and takes the
    default the dataclass has (``revision`` 0, ``retracted`` false, an unknown date and
    quantities, no holder, no composition, no mediators, no ``part_of``, no ``same_as``,
    ``handover`` ``"living"``). An unknown field is an error.

    Raises :class:`BadJson` saying why, with ``error.field`` the path of the field at fault
    (``"side_a"``, ``"composition_a.military"``, ``"source"`` when missing), or None when the
    text as a whole is (not JSON, not an object)."""
    return _binding.from_json(text)


__all__ = [
    "BadChecksum",
    "BadJson",
    "BadUtf8",
    "BadVarint",
    "BufferTooSmall",
    "Category",
    "Composition",
    "Count",
    "Credibility",
    "Date",
    "Error",
    "Exchange",
    "Field",
    "Grade",
    "Handover",
    "Internal",
    "InvalidArgument",
    "InvalidValue",
    "Kind",
    "MAX_NAME_LEN",
    "Malformed",
    "NonCanonical",
    "NotFound",
    "NullArgument",
    "Part",
    "Population",
    "Precision",
    "Qualifier",
    "Quantity",
    "RECORD_MAX_SIZE",
    "Reason",
    "Record",
    "RecordId",
    "Reliability",
    "Source",
    "SourceKind",
    "Status",
    "StoreFull",
    "TooLargeForLink",
    "TrailingBytes",
    "Truncated",
    "UnknownKind",
    "UnknownSender",
    "UnknownVersion",
    "decode",
    "decode_all",
    "decode_columns",
    "decode_many",
    "decode_prefix",
    "encode",
    "encode_many",
    "from_json",
    "sync",
    "to_json",
    "validate",
]
