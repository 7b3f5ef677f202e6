"""The closed vocabularies of the model, with the numbers the wire format and the C API use.

The numbers are checked against the C header's constants by the tests; a number is never
reused, so these enums only ever grow.
"""

from __future__ import annotations

import enum


class _Named(enum.IntEnum):
    """A code whose JSON and CSV spelling is its lower-case member name."""

    @property
    def label(self) -> str:
        """The name used in the JSON form (``"completed"``, ``"civilians_held"``)."""
        return self.name.lower()

    @classmethod
    def parse(cls, label: str):
        """The member for a JSON label; raises ``ValueError`` for an unknown one."""
        try:
            return cls[label.upper()]
        except KeyError:
            raise ValueError(f"unknown {cls.__name__} {label!r}") from None


class Kind(_Named):
    """Which kind a record is; the first byte of a record on the wire."""

    EXCHANGE = 0
    COUNT = 1
    SOURCE = 2


class Status(_Named):
    """Where an exchange stands."""

    PROPOSED = 0
    AGREED = 1
    COMPLETED = 2
    CANCELLED = 3
    REFUSED = 4
    DEMANDED = 5


class Handover(_Named):
    """What was handed over: living people or remains, never both in one record."""

    LIVING = 0
    REMAINS = 1


class Qualifier(_Named):
    """How a source qualified a number."""

    UNKNOWN = 0
    UNDISCLOSED = 1
    EXACT = 2
    AT_LEAST = 3
    AT_MOST = 4
    APPROX = 5
    RANGE = 6
    ALL = 7


class Precision(_Named):
    """How precisely a date is known."""

    UNKNOWN = 0
    YEAR = 1
    MONTH = 2
    DAY = 3


class Category(_Named):
    """A category in the composition of one side of an exchange."""

    MILITARY = 0
    CIVILIANS = 1
    WOUNDED = 2
    WOMEN = 3
    CHILDREN = 4
    FOREIGN = 5


class Population(_Named):
    """What a Count tallies."""

    PRISONERS_OF_WAR = 0
    CIVILIANS_HELD = 1
    CHILDREN_DEPORTED = 2
    MISSING = 3
    RETURNED_SO_FAR = 4
    DIED_IN_CAPTIVITY = 5
    REMAINS = 6


class SourceKind(_Named):
    """What kind of body a Source is."""

    GOVERNMENT = 0
    OMBUDSMAN = 1
    MILITARY = 2
    MEDIA = 3
    ORGANISATION = 4
    MEDIATOR = 5
    PUBLIC = 6


class Reliability(enum.IntEnum):
    """Admiralty-code source reliability, A (completely reliable) to F (cannot be judged)."""

    A = 0
    B = 1
    C = 2
    D = 3
    E = 4
    F = 5


class Credibility(enum.IntEnum):
    """Admiralty-code information credibility, 1 (confirmed) to 6 (cannot be judged)."""

    CONFIRMED = 1
    PROBABLE = 2
    POSSIBLE = 3
    DOUBTFUL = 4
    IMPROBABLE = 5
    UNJUDGED = 6


class Field(_Named):
    """The field an invalid value is about (``swapwire_error_detail.field``)."""

    FLAGS = 1
    STATUS = 2
    DATE = 3
    HANDOVER = 4
    SIDE_A = 5
    SIDE_B = 6
    TOTAL = 7
    TO_A = 8
    TO_B = 9
    COMPOSITION_A = 10
    COMPOSITION_B = 11
    MEDIATORS = 12
    PART_OF = 13
    GRADE = 14
    POPULATION = 15
    HOLDER = 16
    PEOPLE = 17
    QUANTITY = 18
    KIND = 19
    NAME = 20
    SAME_AS = 21
    VIA = 22


class Reason(_Named):
    """Why a field is invalid (``swapwire_error_detail.reason``)."""

    UNKNOWN_CODE = 1
    OUT_OF_RANGE = 2
    NO_SUCH_DATE = 3
    RANGE_INVERTED = 4
    PARTS_EXCEED_TOTAL = 5
    SIDES_BELOW_TOTAL = 6
    DUPLICATE = 7
    SAME_PARTY = 8
    NOT_ALLOWED = 9
    EMPTY = 10
    TOO_LONG = 11
    CONTROL_CHAR = 12
    UNKNOWN_COUNTRY = 13
    NON_CANONICAL = 14
    SELF_REFERENCE = 15
    UNORDERED = 16
