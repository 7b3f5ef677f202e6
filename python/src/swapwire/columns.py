"""Columnar decode: a capture of records as one array per field, for analysis.

Each row is one record. A field the row's kind lacks is :data:`NONE` (255) in a code column
(``status``, ``*_qualifier``, ``date_precision``, ``population``, ``source_kind``, ``handover``),
0 in a number column and ``""`` in a text column. Compositions and mediators appear as their
lengths (``composition_a_parts``, ``mediator_count``); decode those records whole with
:func:`swapwire.decode_many` when their parts are needed.

The columns and their NumPy dtypes (without NumPy: lists of int, and lists of str for text):

- ``uint8``: ``kind``, ``retracted``, ``status``, ``handover``, ``population``, ``source_kind``,
  ``date_precision``, ``date_month``, ``date_day``, ``total_qualifier``, ``to_a_qualifier``,
  ``to_b_qualifier``, ``quantity_qualifier``, ``composition_a_parts``,
  ``composition_b_parts``, ``mediator_count``, ``has_part_of``, ``has_same_as``, ``name_len``,
  ``has_via``;
- ``uint16``: ``date_year``;
- ``uint32``: ``origin``, ``seq``, ``key``, ``revision``, ``total_value``, ``total_high``,
  ``to_a_value``, ``to_a_high``, ``to_b_value``, ``to_b_high``, ``quantity_value``,
  ``quantity_high``, ``part_of_origin``, ``part_of_seq``, ``same_as_origin``, ``same_as_seq``,
  ``source``, ``via``;
- ``object``, every element a ``str``: ``side_a``, ``side_b``, ``holder``, ``people``
  (``"UA"``), ``grade`` (``"B2"``), ``name`` (``"Суспільне"``).

Text columns are object arrays of ``str`` rather than NumPy's fixed-width ``U`` strings:
pandas keeps text in object (or its own string) columns and converts a ``U`` array into one
element by element anyway, so an object array goes into a ``DataFrame`` as it is, and each
distinct text is one shared ``str`` instead of 256 bytes (``U64``) in every row.
"""

from __future__ import annotations

import re
import sys
from typing import Any, Dict, Optional

from . import _binding

#: The value of a code column in a row whose kind has no such field.
NONE: int = _binding.COLUMN_NONE

#: The columns, in order.
NAMES = [name for name, _, _, _ in _binding.COLUMNS]

_ARRAY_CODE = {"uint8_t": "B", "uint16_t": "H", "uint32_t": "I"}
_NP_DTYPE = {"uint8_t": "uint8", "uint16_t": "uint16", "uint32_t": "uint32"}
_TEXT = {name for name, _, _, width in _binding.COLUMNS if name in ("side_a", "side_b", "holder", "people", "grade", "name")}


# Text cells repeat (a few parties, grades and names): each distinct one is decoded once, and a
# column becomes a list through C-level map() over the cells' raw values.
_codes = _binding._Shared(lambda code: code.to_bytes(2, sys.byteorder).rstrip(b"\0").decode("ascii"))
_texts = _binding._Shared(lambda raw: raw.rstrip(b"\0").decode("utf-8"))
_CELL = re.compile(b".{%d}" % _binding.NAME_WIDTH, re.S)


def _text_column(raw: memoryview, width: int) -> list:
    if width == 2:
        return list(map(_codes.__getitem__, raw.cast("H").tolist()))
    return list(map(_texts.__getitem__, _CELL.findall(bytes(raw))))


def _np_text(np: Any, cells: Any, width: int) -> Any:
    """An object array of str from the C library's NUL-padded cells (an ``S{width}`` array):
    each distinct cell is decoded once (codes through a table indexed by the cell's two bytes,
    names through the shared dict the list mode uses), and no column is sorted."""
    n = len(cells)
    if width == 2:
        keys = cells.view(np.uint16)
        present = np.flatnonzero(np.bincount(keys))
        table = np.empty(int(present[-1]) + 1 if len(present) else 0, dtype=object)
        table[present] = [_codes[code] for code in present.tolist()]
        return table[keys]
    # Names: only source rows have one; the rest are empty.
    out = np.full(n, "", dtype=object)
    named = np.flatnonzero(cells.view(np.uint8).reshape(n, width)[:, 0]) if n else np.empty(0, dtype=np.intp)
    if len(named):
        out[named] = list(map(_texts.__getitem__, cells[named].tolist()))
    return out


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def decode_columns(data: bytes, numpy: Optional[bool] = None, raw_text: bool = False) -> Dict[str, Any]:
    """Decodes every record of ``data`` into columns, in one C call (a large input's first 1,024
    records are decoded once more first, to size the table).

    With NumPy installed (``pip install swapwire[numpy]``) and ``numpy`` not False, each column
    is a NumPy array: ``uint8``, ``uint16`` or ``uint32`` for numbers and codes, and ``object``
    arrays of ``str`` for text (parties, grades, names), so ``pandas.DataFrame(columns)`` takes
    them as they are and writes ``UA``, not ``b'UA'``. Otherwise each column is a list of int or
    of str. The module docstring lists every column's dtype. Either way a text cell is a
    ``str`` (``""`` where the row's kind lacks the field). A bad record raises, with its index
    in ``error.index``; no partial table is returned. The NumPy columns are views of one block
    sized for the rows decoded, so any column kept keeps that block.

    ``raw_text=True`` (NumPy only) leaves the text columns as the C library wrote them:
    fixed-width ``S2`` / ``S64`` arrays of UTF-8 bytes, NUL-padded. Making ``str`` objects of
    every cell takes about as long as the decode itself, so this is the form for throughput
    (python/bench.py shows both) and for callers that filter rows before they read text;
    ``column.astype("U2")`` turns a party or grade column into text, and
    ``numpy.char.decode(column, "utf-8")`` a name column.
    """
    np = _numpy() if numpy is not False else None
    if numpy and np is None:
        raise ImportError("numpy=True needs NumPy: pip install swapwire[numpy]")
    if raw_text and np is None:
        raise ValueError("raw_text=True needs NumPy arrays (NumPy installed, numpy not False)")
    if np is not None:
        block, offsets, n = _binding.decode_columns(data, lambda size: np.empty(size, dtype=np.uint8))
        out: Dict[str, Any] = {}
        for name, _, ctype, width in _binding.COLUMNS:
            cells = block[offsets[name] : offsets[name] + n * width]
            if name in _TEXT:
                cells = cells.view(f"S{width}")
                out[name] = cells if raw_text else _np_text(np, cells, width)
            else:
                out[name] = cells.view(_NP_DTYPE[ctype])
        return out

    block, offsets, n = _binding.decode_columns(data, bytearray)
    whole = memoryview(block)
    out = {}
    for name, _, ctype, width in _binding.COLUMNS:
        raw = whole[offsets[name] : offsets[name] + n * width]
        if name in _TEXT:
            out[name] = _text_column(raw, width)
        else:
            out[name] = raw.cast(_ARRAY_CODE[ctype]).tolist()
    return out
