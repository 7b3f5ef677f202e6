"""Columnar decode: a capture of records as one array per field, for analysis.

Each row is one record. A field the row's kind lacks is :data:`NONE` (255) in a code column
(``status``, ``*_qualifier``, ``date_precision``, ``population``, ``source_kind``, ``handover``),
0 in a number column and empty in a text column. Compositions and mediators appear as their
lengths (``composition_a_parts``, ``mediator_count``); decode those records whole with
:func:`swapwire.decode_many` when their parts are needed.
"""

from __future__ import annotations

import array
import re
import sys
from typing import Any, Dict, Optional

from . import _binding

#: The value of a code column in a row whose kind has no such field.
NONE: int = _binding.COLUMN_NONE

#: The columns, in order.
NAMES = [name for name, _, _, _ in _binding.COLUMNS]

_ARRAY_CODE = {"uint8_t": "B", "uint16_t": "H", "uint32_t": "I"}
_TEXT = {name for name, _, _, width in _binding.COLUMNS if name in ("side_a", "side_b", "holder", "people", "grade", "name")}


# Text cells repeat (a few parties, grades and names): each distinct one is decoded once, and a
# column becomes a list through C-level map() over the cells' raw values.
_codes = _binding._Shared(lambda code: code.to_bytes(2, sys.byteorder).rstrip(b"\0").decode("ascii"))
_texts = _binding._Shared(lambda raw: raw.rstrip(b"\0").decode("utf-8"))
_CELL = re.compile(b".{%d}" % _binding.NAME_WIDTH, re.S)


def _text_column(raw: bytearray, n: int, width: int) -> list:
    if width == 2:
        return list(map(_codes.__getitem__, memoryview(raw).cast("H")[:n].tolist()))
    return list(map(_texts.__getitem__, _CELL.findall(bytes(raw[: n * width]))))


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def decode_columns(data: bytes, numpy: Optional[bool] = None) -> Dict[str, Any]:
    """Decodes every record of ``data`` into columns in one C call.

    With NumPy installed (``pip install swapwire[numpy]``) and ``numpy`` not False, each column
    is a NumPy array: unsigned integers, and ``S2`` (party, grade) or ``S48`` (name) bytes for
    text, which pandas takes as is. Otherwise each column is a list of ints or str. A bad record
    raises, with its index in ``error.index``; no partial table is returned.
    """
    np = _numpy() if numpy is not False else None
    if numpy and np is None:
        raise ImportError("numpy=True needs NumPy: pip install swapwire[numpy]")
    if np is not None:

        def allocate_np(name: str, ctype: str, width: int, rows: int) -> Any:
            if name in _TEXT:
                return np.empty(rows, dtype=f"S{width}")
            return np.empty(rows, dtype=np.dtype(ctype.replace("_t", "")))

        buffers, n = _binding.decode_columns(data, allocate_np)
        return {name: buffers[name][:n] for name in NAMES}

    def allocate_list(name: str, ctype: str, width: int, rows: int) -> Any:
        if name in _TEXT:
            return bytearray(rows * width)
        return array.array(_ARRAY_CODE[ctype], bytes(rows * width))

    buffers, n = _binding.decode_columns(data, allocate_list)
    out: Dict[str, Any] = {}
    for name, _, _, width in _binding.COLUMNS:
        raw = buffers[name]
        if name in _TEXT:
            out[name] = _text_column(raw, n, width)
        else:
            out[name] = raw[:n].tolist()
    return out
