"""The exception hierarchy: :class:`Error` and one subclass per C status.

Each class carries the status number it stands for; the message is the C library's
``swapwire_status_str`` text (worded for Python where the C text points C callers at their
out-parameters), and for :class:`InvalidValue` the field and reason too. Every instance has
the same attributes, ``field``, ``reason`` and ``index``, None where they do not apply.
"""

from __future__ import annotations

from typing import Dict, Optional, Type

from .codes import Reason


class Error(Exception):
    """Any failure reported by swapwire."""

    status: int = -1

    def __init__(
        self,
        message: str,
        field: Optional[str] = None,
        reason: Optional[Reason] = None,
        index: Optional[int] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        #: The field at fault, as the JSON form spells it (``"side_a"``): always set for
        #: :class:`InvalidValue`; for :class:`BadJson` the path the message names
        #: (``"to_a"``, ``"composition_a.military"``), None when the text as a whole is at
        #: fault (not JSON, not an object); for :class:`InvalidArgument` the argument's name
        #: (``"sender"``, ``"payload"``). None for every other class.
        self.field = field
        #: For :class:`InvalidValue`: why the field is invalid; else None.
        self.reason = reason
        #: For a call on many records (a batch, a frame's records): the position of the record
        #: that failed; else None.
        self.index = index


class NullArgument(Error):
    """A required pointer argument reached the C library as NULL (a bug in this package)."""

    status = 1


class BufferTooSmall(Error):
    """An output buffer was too small (a bug in this package: it sizes its buffers)."""

    status = 2


class Truncated(Error):
    """The input ended before the record or frame did."""

    status = 3


class TrailingBytes(Error):
    """More bytes follow a complete record where exactly one was expected."""

    status = 4


class BadVarint(Error):
    """A varint is longer than its type allows."""

    status = 5


class BadUtf8(Error):
    """A source name is not valid UTF-8."""

    status = 6


class NonCanonical(Error):
    """The bytes decode to a valid record but are not its one canonical encoding."""

    status = 7


class UnknownKind(Error):
    """The record kind is not one this version knows."""

    status = 8


class InvalidValue(Error, ValueError):
    """A value breaks a rule of the model or is out of range; ``field`` and ``reason`` say which
    and why."""

    status = 9


class Malformed(Error):
    """The input does not follow the format in a way no other class names."""

    status = 10


class BadJson(Error, ValueError):
    """A JSON text is not a valid record; the message says where and why, and ``field`` holds
    the path it names, if any."""

    status = 11


class InvalidArgument(Error, ValueError):
    """An argument that is not a record is out of range; ``field`` names the argument when
    Python caught it."""

    status = 12


class Internal(Error):
    """A bug in swapwire (a caught panic); please report it."""

    status = 13


class UnknownVersion(Error):
    """A frame names a frame format version this library does not read."""

    status = 14


class BadChecksum(Error):
    """A stream frame's CRC-32 does not match, or its envelope does not parse: damaged bytes."""

    status = 15


class UnknownSender(Error):
    """A frame that leaves its sender to the link was read without ``link_sender``."""

    status = 16


class StoreFull(Error):
    """A store has no free slot for a new record (or for all of a frame's); it is unchanged."""

    status = 17


class NotFound(Error, IndexError):
    """A store holds no record at that index (``store[i]``); an :class:`IndexError`, so Python's
    sequence idioms work."""

    status = 18


class TooLargeForLink(Error):
    """A record fits no frame of the link even alone: it can never travel over that link (a
    source with a long name on an 11-byte link, say). Skip it and send the rest."""

    status = 19


#: The class for each C status number.
BY_STATUS: Dict[int, Type[Error]] = {
    cls.status: cls
    for cls in (
        NullArgument,
        BufferTooSmall,
        Truncated,
        TrailingBytes,
        BadVarint,
        BadUtf8,
        NonCanonical,
        UnknownKind,
        InvalidValue,
        Malformed,
        BadJson,
        InvalidArgument,
        Internal,
        UnknownVersion,
        BadChecksum,
        UnknownSender,
        StoreFull,
        NotFound,
        TooLargeForLink,
    )
}
