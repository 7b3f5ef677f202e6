"""The records and their parts as frozen dataclasses.

Constructing a value rejects nothing. It brings each field to its one canonical form, the form
decoding gives, so that equal records compare and hash equal and ``decode(encode(r)) == r``
for every record ``encode`` accepts. One rule for every field of every class:

- a code given as its number (``status=2``, ``Grade(1, 2)``) becomes its enum member
  (``Status.COMPLETED``) when the number is a known code;
- a flag given as ``0`` or ``1`` (``retracted``) becomes ``False`` or ``True``;
- a grade given as its text (``grade="B2"``) becomes a :class:`Grade` when it is one;
- a sequence (``mediators``, :attr:`Composition.parts`) given as any iterable other than text
  or bytes (a list, a generator) becomes a tuple; a composition's parts are sorted by category;
- anything else is kept as given, and :func:`swapwire.validate`, :func:`swapwire.encode` and
  the rest refuse it: ``TypeError`` for a wrong type (``mediators="US"``, ``grade=5``),
  :class:`swapwire.InvalidValue` for a value out of range or against a rule of the model.

The rules of the model (dates that exist, ranges that are not inverted, sides that differ) are
checked once, by the Rust core, when a record is validated, encoded or converted to JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Optional, Tuple, Type, Union

from .codes import (
    Category,
    Credibility,
    Handover,
    Population,
    Precision,
    Qualifier,
    Reliability,
    SourceKind,
    Status,
)

_NO_FIGURE = (Qualifier.UNKNOWN, Qualifier.UNDISCLOSED, Qualifier.ALL)
_set = object.__setattr__


# --- the canonical forms (see the module's docstring) -----------------------------------------


def _code(cls: Type[IntEnum], value: Any) -> Any:
    """A known code given as a plain int, as its member; anything else as given."""
    if type(value) is int:
        return cls._value2member_map_.get(value, value)
    return value


def _flag(value: Any) -> Any:
    """``0``/``1`` as ``False``/``True``; anything else as given."""
    if type(value) is int and value in (0, 1):
        return value == 1
    return value


def _sequence(value: Any) -> Any:
    """An iterable (not text or bytes) as a tuple; anything else as given."""
    if isinstance(value, tuple) or isinstance(value, (str, bytes, bytearray, memoryview)):
        return value
    try:
        return tuple(value)
    except TypeError:
        return value


def _grade(value: Any) -> Any:
    """A grade's text (``"B2"``) as a :class:`Grade`; anything else as given."""
    if isinstance(value, str):
        try:
            return Grade.parse(value)
        except ValueError:
            return value
    return value

_PREFIX = {Qualifier.AT_LEAST: ">", Qualifier.AT_MOST: "<", Qualifier.APPROX: "~"}


@dataclass(frozen=True)
class Quantity:
    """A number as a source stated it: a qualifier, the figure, and a range's high end.

    >>> str(Quantity.at_least(16000)), str(Quantity.range(150, 189)), str(Quantity())
    ('>16000', '150-189', 'unknown')
    """

    qualifier: Qualifier = Qualifier.UNKNOWN
    value: int = 0
    high: int = 0

    def __post_init__(self) -> None:
        _set(self, "qualifier", _code(Qualifier, self.qualifier))

    @classmethod
    def exact(cls, n: int) -> Quantity:
        """Exactly ``n``."""
        return cls(Qualifier.EXACT, n)

    @classmethod
    def at_least(cls, n: int) -> Quantity:
        """At least ``n`` ("over", "more than")."""
        return cls(Qualifier.AT_LEAST, n)

    @classmethod
    def at_most(cls, n: int) -> Quantity:
        """At most ``n`` ("up to", "fewer than")."""
        return cls(Qualifier.AT_MOST, n)

    @classmethod
    def approx(cls, n: int) -> Quantity:
        """About ``n``."""
        return cls(Qualifier.APPROX, n)

    @classmethod
    def range(cls, low: int, high: int) -> Quantity:
        """Between ``low`` and ``high`` inclusive."""
        return cls(Qualifier.RANGE, low, high)

    def __str__(self) -> str:
        q = Qualifier(self.qualifier)
        if q in _NO_FIGURE:
            return q.label
        if q == Qualifier.RANGE:
            return f"{self.value}-{self.high}"
        return _PREFIX.get(q, "") + str(self.value)


UNKNOWN = Quantity()
UNDISCLOSED = Quantity(Qualifier.UNDISCLOSED)
ALL = Quantity(Qualifier.ALL)


@dataclass(frozen=True)
class Date:
    """A date at the precision known; fields the precision has none of are 0.

    >>> str(Date.of_day(2025, 2, 5)), str(Date.of_month(2025, 7)), str(Date())
    ('2025-02-05', '2025-07', 'unknown')
    """

    precision: Precision = Precision.UNKNOWN
    year: int = 0
    month: int = 0
    day: int = 0

    def __post_init__(self) -> None:
        _set(self, "precision", _code(Precision, self.precision))

    @classmethod
    def of_year(cls, year: int) -> Date:
        """Only the year is known."""
        return cls(Precision.YEAR, year)

    @classmethod
    def of_month(cls, year: int, month: int) -> Date:
        """Year and month are known."""
        return cls(Precision.MONTH, year, month)

    @classmethod
    def of_day(cls, year: int, month: int, day: int) -> Date:
        """A calendar day."""
        return cls(Precision.DAY, year, month, day)

    def __str__(self) -> str:
        p = Precision(self.precision)
        if p == Precision.UNKNOWN:
            return "unknown"
        if p == Precision.YEAR:
            return f"{self.year:04}"
        if p == Precision.MONTH:
            return f"{self.year:04}-{self.month:02}"
        return f"{self.year:04}-{self.month:02}-{self.day:02}"


@dataclass(frozen=True)
class Grade:
    """An Admiralty grading: source reliability A-F and information credibility 1-6.

    >>> Grade.parse("B2") == Grade(Reliability.B, Credibility.PROBABLE)
    True
    """

    reliability: Reliability = Reliability.F
    credibility: Credibility = Credibility.UNJUDGED

    def __post_init__(self) -> None:
        _set(self, "reliability", _code(Reliability, self.reliability))
        _set(self, "credibility", _code(Credibility, self.credibility))

    @classmethod
    def parse(cls, text: str) -> Grade:
        """A grade from its two characters, such as ``"B2"``."""
        if not isinstance(text, str) or len(text) != 2 or text[0] not in "ABCDEF" or text[1] not in "123456":
            raise ValueError(f"not an Admiralty grade (A1 to F6): {text!r}")
        return cls(Reliability("ABCDEF".index(text[0])), Credibility(int(text[1])))

    def __str__(self) -> str:
        return "ABCDEF"[self.reliability] + str(int(self.credibility))


UNJUDGED = Grade()


@dataclass(frozen=True)
class Part:
    """One category of one side of an exchange and how many of it."""

    category: Category
    quantity: Quantity

    def __post_init__(self) -> None:
        _set(self, "category", _code(Category, self.category))


@dataclass(frozen=True)
class Composition:
    """Who was returned to one side, by category: at most one part per category.

    The parts are kept in category order, the order decoding gives: parts given in another
    order (or as a list) are sorted into a tuple at construction.
    """

    parts: Tuple[Part, ...] = ()

    def __post_init__(self) -> None:
        parts = _sequence(self.parts)
        if isinstance(parts, tuple):
            try:
                parts = tuple(sorted(parts, key=lambda p: p.category))
            except (AttributeError, TypeError):
                pass  # not all Parts: encoding refuses it
        _set(self, "parts", parts)

    @classmethod
    def of(cls, **quantities: Quantity) -> Composition:
        """A composition from keyword arguments named after categories:
        ``Composition.of(military=Quantity.exact(135), civilians=Quantity.exact(15))``."""
        return cls(tuple(Part(Category.parse(name), q) for name, q in quantities.items()))

    def get(self, category: Category) -> Optional[Quantity]:
        """The quantity reported for a category, if any."""
        for p in self.parts:
            if p.category == category:
                return p.quantity
        return None

    def __bool__(self) -> bool:
        return bool(self.parts)


EMPTY = Composition()


@dataclass(frozen=True)
class RecordId:
    """The identity of a report: its origin (writer) and its number there."""

    origin: int
    seq: int


class _Identified:
    """A report's identity, for the kinds that have one."""

    origin: int
    seq: int

    @property
    def id(self) -> RecordId:
        """The record's identity."""
        return RecordId(self.origin, self.seq)


@dataclass(frozen=True)
class Exchange(_Identified):
    """One prisoner exchange as one source reported it at one time.

    ``to_a`` is how many were returned to ``side_a`` (released by ``side_b``), ``to_b`` the
    reverse, ``total`` both directions when the source states it. Parties are ISO 3166-1
    alpha-2 codes (``"UA"``).
    """

    origin: int
    seq: int
    side_a: str
    side_b: str
    revision: int = 0
    retracted: bool = False
    status: Status = Status.PROPOSED
    date: Date = Date()
    handover: Handover = Handover.LIVING
    total: Quantity = UNKNOWN
    to_a: Quantity = UNKNOWN
    to_b: Quantity = UNKNOWN
    composition_a: Composition = EMPTY
    composition_b: Composition = EMPTY
    mediators: Tuple[str, ...] = ()
    part_of: Optional[RecordId] = None
    same_as: Optional[RecordId] = None
    source: int = 0
    grade: Grade = field(default=UNJUDGED)

    def __post_init__(self) -> None:
        _set(self, "retracted", _flag(self.retracted))
        _set(self, "status", _code(Status, self.status))
        _set(self, "handover", _code(Handover, self.handover))
        _set(self, "mediators", _sequence(self.mediators))
        _set(self, "grade", _grade(self.grade))


@dataclass(frozen=True)
class Count(_Identified):
    """A tally as one source reported it: how many of a population, held by whom, of whose
    people, as of when."""

    origin: int
    seq: int
    population: Population
    people: str
    revision: int = 0
    retracted: bool = False
    date: Date = Date()
    holder: Optional[str] = None
    quantity: Quantity = UNKNOWN
    source: int = 0
    grade: Grade = field(default=UNJUDGED)

    def __post_init__(self) -> None:
        _set(self, "retracted", _flag(self.retracted))
        _set(self, "population", _code(Population, self.population))
        _set(self, "grade", _grade(self.grade))


@dataclass(frozen=True)
class Source:
    """What a source key stands for: a kind and a short name (1 to 64 bytes of UTF-8).

    ``via`` is the key of the Source through which this source's words reached the report (the
    outlet or person that reported what it said): "Zelenskyy stated, as reported by AFP" is a
    Source for Zelenskyy with ``via`` AFP's key, and reports cite Zelenskyy's key. Never the
    source's own key; a chain is followed key by key. It comes last so that positional
    ``revision`` and ``retracted`` keep their places.
    """

    key: int
    kind: SourceKind
    name: str
    revision: int = 0
    retracted: bool = False
    via: Optional[int] = None

    def __post_init__(self) -> None:
        _set(self, "retracted", _flag(self.retracted))
        _set(self, "kind", _code(SourceKind, self.kind))


Record = Union[Exchange, Count, Source]
"""Any one record."""
