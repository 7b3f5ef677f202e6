"""Field sync: frames sized to a link, a record store, stream framing and anti-entropy summaries.

The same machinery as the C API (and the Rust ``swapwire::frame``, ``store`` and ``summary``
modules), with the store's memory owned by Python. A gateway typically keeps a :class:`Store`,
sends its :meth:`Store.summary` to a device, and applies the frames the device answers with;
the device sends :meth:`Store.missing_frames` for that summary.

>>> import swapwire as sw
>>> from swapwire import sync
>>> device, gateway = sync.Store(16), sync.Store(16)
>>> device.merge(sw.Count(1, 2, sw.Population.CIVILIANS_HELD, "UA", holder="RU",
...                       date=sw.Date.of_day(2025, 3, 6), quantity=sw.Quantity.at_least(16000),
...                       source=2, grade=sw.Grade.parse("B2")))
<Merged.INSERTED: 1>
>>> frames = device.missing_frames(gateway.summary(sync.LORAWAN_US915_DR0, 0), sync.LORAWAN_US915_DR0,
...                                sender=1, link_sender=0)
>>> [len(f) for f in frames]
[11]
>>> gateway.apply_frame(frames[0], link_sender=1)
Applied(inserted=1, replaced=0, kept=0)
>>> list(gateway) == list(device)
True

Frames that functions here *read* are frames as a message link delivers them, or as a
:class:`StreamDecoder` yields them (out of stream framing; :func:`unwrap` does the same for one
frame). Frames they *write* carry the link's framing. Message links do not put the sender in
the frame: readers pass it as ``link_sender``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Iterable, Iterator, List, Optional, Sequence, Tuple

from . import _binding
from ._binding import RECORD_SIZE, check, ffi, lib, pack_into, unpack_from
from .errors import Error, NotFound
from .model import Record, RecordId, Source

#: The largest frame (stream framing included) the library writes or reads, in bytes.
FRAME_MAX_SIZE: int = lib.SWAPWIRE_FRAME_MAX_SIZE
#: The bytes one record slot of a :class:`Store` takes.
SLOT_SIZE: int = lib.SWAPWIRE_SLOT_SIZE


class Framing(IntEnum):
    """How a link carries frames."""

    #: Whole messages the link checks and attributes (LoRaWAN, Meshtastic): no CRC, no sender.
    MESSAGE = lib.SWAPWIRE_FRAMING_MESSAGE
    #: A byte stream (serial, raw LoRa, a modem's UART): COBS, a length, a CRC-32, the sender.
    STREAM = lib.SWAPWIRE_FRAMING_STREAM


class FrameKind(IntEnum):
    """What a frame carries."""

    RECORDS = lib.SWAPWIRE_FRAME_RECORDS
    SUMMARY = lib.SWAPWIRE_FRAME_SUMMARY


class Merged(IntEnum):
    """What :meth:`Store.merge` did."""

    #: The key was new.
    INSERTED = lib.SWAPWIRE_MERGED_INSERTED
    #: The record superseded the one held.
    REPLACED = lib.SWAPWIRE_MERGED_REPLACED
    #: Nothing changed: the store held this record, a newer revision, or at the same revision
    #: a record of the same key with a greater encoding. An origin numbers its Exchanges and
    #: Counts in one sequence: an Exchange merged over a Count with the same origin, seq and
    #: revision is KEPT and the Count stays.
    KEPT = lib.SWAPWIRE_MERGED_KEPT


@dataclass(frozen=True)
class Link:
    """A link's framing and how many bytes one message carries, framing included."""

    name: str
    payload: int
    framing: Framing

    def _c(self) -> Any:
        if not isinstance(self.payload, int) or not 0 < self.payload <= FRAME_MAX_SIZE:
            raise _binding.bad_argument("payload", f"{self.payload!r} is not 1 to {FRAME_MAX_SIZE} bytes")
        return {"framing": int(self.framing), "payload": self.payload}


LORAWAN_US915_DR0 = Link("LoRaWAN US915 DR0", lib.SWAPWIRE_PAYLOAD_LORAWAN_US915_DR0, Framing.MESSAGE)
LORAWAN_EU868_DR0 = Link("LoRaWAN EU868 DR0-DR2", lib.SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR0, Framing.MESSAGE)
LORAWAN_EU868_DR3 = Link("LoRaWAN EU868 DR3", lib.SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR3, Framing.MESSAGE)
LORAWAN_EU868_DR4 = Link("LoRaWAN EU868 DR4+", lib.SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR4, Framing.MESSAGE)
MESHTASTIC = Link("Meshtastic", lib.SWAPWIRE_PAYLOAD_MESHTASTIC, Framing.MESSAGE)
IRIDIUM_SBD_MO = Link("Iridium SBD MO", lib.SWAPWIRE_PAYLOAD_IRIDIUM_SBD_MO, Framing.STREAM)
SERIAL = Link("serial / raw LoRa", lib.SWAPWIRE_PAYLOAD_SERIAL, Framing.STREAM)
#: The links of the README's table, smallest payload first.
LINKS: Tuple[Link, ...] = (
    LORAWAN_US915_DR0,
    LORAWAN_EU868_DR0,
    LORAWAN_EU868_DR3,
    LORAWAN_EU868_DR4,
    MESHTASTIC,
    SERIAL,
    IRIDIUM_SBD_MO,
)


@dataclass(frozen=True)
class FrameInfo:
    """What a frame's header says."""

    kind: FrameKind
    #: From the frame (stream links) or the link (``link_sender``); None if neither says.
    sender: Optional[int]
    #: How many records, or summary spaces, follow.
    count: int


@dataclass(frozen=True)
class StreamFrame:
    """A good frame out of a byte stream (:meth:`StreamDecoder.frames`): its bytes, stream
    framing removed, and what its header says. Pass ``data`` to :func:`read_frame` or
    :meth:`Store.apply_frame` (records) or to :meth:`Store.missing` /
    :meth:`Store.missing_frames` (a summary), without ``link_sender``: stream frames name their
    sender."""

    data: bytes
    kind: FrameKind
    #: The sender's origin, from the frame.
    sender: Optional[int]
    #: How many records, or summary spaces, follow.
    count: int


@dataclass(frozen=True)
class Applied:
    """What the records of one frame did to a store."""

    inserted: int
    replaced: int
    kept: int


# --- helpers ----------------------------------------------------------------------------------


def _bytes_in(data: Any, name: str = "frame") -> Any:
    """A bytes-like argument as C reads it; ``TypeError`` naming the argument otherwise."""
    if isinstance(data, str):
        raise TypeError(f"{name} must be bytes, not str (use bytes.fromhex for hex text)")
    try:
        return ffi.from_buffer(data)
    except TypeError:
        raise TypeError(f"{name} must be bytes (or a bytearray or memoryview), not {type(data).__name__}") from None


def _sized(data: Any, name: str) -> Tuple[Any, int]:
    src = _bytes_in(data, name)
    return src, len(src)


def _summary_in(summary: Optional[bytes]) -> Tuple[Any, int]:
    """A peer's summary frame as C takes it; ``None`` (a peer that holds nothing) as NULL, 0."""
    return (ffi.NULL, 0) if summary is None else _sized(summary, "summary")


def _origin(value: Any, name: str) -> int:
    """An origin argument (a sender, a seq, a key: any u32), checked and named."""
    if not isinstance(value, int):
        raise TypeError(f"{name} must be an int (0 to 2^32-1), not {type(value).__name__}")
    if not 0 <= value <= _binding.U32_MAX:
        raise _binding.bad_argument(name, f"{value} is outside 0 to 2^32-1")
    return value


def _sender_in(sender: Optional[int], name: str = "link_sender") -> Any:
    """``link_sender`` as C takes it: a pointer to the origin, or NULL."""
    if sender is None:
        return ffi.NULL
    return ffi.new("uint32_t *", _origin(sender, name))


def _link_in(link: Any) -> Any:
    """A :class:`Link` argument as C takes it."""
    if not isinstance(link, Link):
        raise TypeError(f"link must be a swapwire.sync.Link (such as sync.SERIAL), not {type(link).__name__}")
    return link._c()


def _records_out(structs: Any, n: int) -> List[Record]:
    view = memoryview(ffi.buffer(structs, n * RECORD_SIZE))
    return [unpack_from(view, i * RECORD_SIZE) for i in range(n)]


# --- frames -----------------------------------------------------------------------------------


def write_frame(records: Sequence[Record], link: Link, sender: int) -> Tuple[bytes, int]:
    """One frame from ``sender`` (its origin) for ``link``, with as many of ``records``, in order,
    as fit: the frame's bytes and how many records it carries. The records the frame looks at
    are checked (those it takes and the first that does not fit; an invalid one raises
    :class:`InvalidValue` naming its index); :class:`TooLargeForLink` (``index`` 0) if the first
    fits no frame of ``link`` even alone: it can never travel over that link."""
    records = list(records)
    return _write_frame(_binding.pack_records(records), 0, len(records), link, sender)


def _write_frame(structs: Any, start: int, n: int, link: Link, sender: int) -> Tuple[bytes, int]:
    """One frame of ``structs[start:n]``, C structs packed once for all the frames of a list; an
    invalid record's index counts from the start of the list."""
    out = ffi.new("uint8_t[]", FRAME_MAX_SIZE)
    written, taken, failed = ffi.new("size_t *"), ffi.new("size_t *"), ffi.new("size_t *")
    detail = ffi.new("swapwire_error_detail *")
    status = lib.swapwire_frame_write(_link_in(link), _origin(sender, "sender"), structs + start, n - start, out, FRAME_MAX_SIZE,
                                      written, taken, failed, detail)
    named = (lib.SWAPWIRE_INVALID_VALUE, lib.SWAPWIRE_UNKNOWN_KIND, lib.SWAPWIRE_TOO_LARGE_FOR_LINK)
    failing = start + failed[0] if status in named else None
    check(status, detail, failing)
    return ffi.buffer(out, written[0])[:], taken[0]


def write_frames(records: Iterable[Record], link: Link, sender: int) -> List[bytes]:
    """All of ``records`` as frames for ``link``, each as full as it can be, in order. The records
    are packed into C structs once, and each is checked as its frame is laid out."""
    records = list(records)
    _link_in(link), _origin(sender, "sender")  # named even when there is no record to frame
    structs, n = _binding.pack_records(records), len(records)
    frames: List[bytes] = []
    done = 0
    while done < n:
        frame, taken = _write_frame(structs, done, n, link, sender)
        frames.append(frame)
        done += taken
    return frames


def frame_info(frame: bytes, link_sender: Optional[int] = None) -> FrameInfo:
    """The header of a frame, to tell records from summaries."""
    src = _bytes_in(frame)
    info = ffi.new("swapwire_frame_info *")
    check(lib.swapwire_frame_info_read(src, len(src), _sender_in(link_sender), info))
    if info.kind not in FrameKind._value2member_map_:
        raise _binding.error_for(lib.SWAPWIRE_MALFORMED, message=f"unknown frame kind {info.kind}")
    return FrameInfo(FrameKind(info.kind), info.sender if info.has_sender else None, info.count)


def read_frame(frame: bytes, link_sender: Optional[int] = None) -> List[Record]:
    """The records of a records frame. Any flaw — unknown version, truncation, an invalid record,
    trailing bytes, a summary frame, no sender at all — raises, and no record is returned."""
    src = _bytes_in(frame)
    cap = max(len(src), 1)  # every record takes at least one byte of the frame
    structs = ffi.new("swapwire_record[]", cap)
    count, detail = ffi.new("size_t *"), ffi.new("swapwire_error_detail *")
    check(lib.swapwire_frame_read(src, len(src), _sender_in(link_sender), structs, cap, count, ffi.NULL, detail),
          detail)
    return _records_out(structs, count[0])


def unwrap(stream_frame: bytes) -> bytes:
    """The frame inside one complete stream frame (COBS bytes, with or without its ``00``
    delimiters); :class:`BadChecksum` if the bytes were damaged."""
    src = _bytes_in(stream_frame, "stream_frame")
    out = ffi.new("uint8_t[]", FRAME_MAX_SIZE)
    n = ffi.new("size_t *")
    check(lib.swapwire_stream_unwrap(src, len(src), out, FRAME_MAX_SIZE, n))
    return ffi.buffer(out, n[0])[:]


# --- stream decoding --------------------------------------------------------------------------


class StreamDecoder:
    """Cuts a byte stream (a serial port, a modem) into frames, resynchronising at each ``00``.

    Feed it bytes as they arrive, in pieces of any size. Every call takes all of its bytes at
    once and returns a list of what they completed, so a result that is never looked at, or a
    loop left early, loses nothing of the stream. Bytes up to a delimiter that do not make a
    good frame — garbage, damage, the tail of a frame joined mid-way — are dropped and counted
    in :attr:`rejected`.

    Three views of the same stream; use one per decoder:

    - :meth:`frames`: each good frame with its kind, sender and count. A gateway syncing over a
      serial line gets records frames and summary frames on one stream: apply the first, answer
      the second with :meth:`Store.missing_frames`.
    - :meth:`records`: only the records, read out of the records frames. Good summary frames
      are not records and not damage: they are counted in :attr:`skipped`.
    - :meth:`feed`: the frames' bytes only, unread.

    >>> from swapwire import sync
    >>> d = sync.StreamDecoder()
    >>> d.feed(b"\\x42\\x17\\x00")  # line noise
    []
    >>> d.rejected
    1
    """

    def __init__(self) -> None:
        self._decoder = ffi.new("swapwire_stream_decoder *")
        check(lib.swapwire_stream_decoder_init(self._decoder))
        self._event = ffi.new("swapwire_stream_event *")
        #: How many runs of bytes or frames were dropped since the decoder was made: runs whose
        #: CRC-32 did not match, and (:meth:`frames`, :meth:`records`) good frames whose header,
        #: or (:meth:`records`) records, did not read.
        self.rejected = 0
        #: Why the last run or frame was dropped (:class:`BadChecksum`, :class:`BufferTooSmall`,
        #: or the error reading the frame).
        self.last_error: Optional[Error] = None
        #: How many good frames :meth:`records` passed over because they carry no records
        #: (summary frames; read them with :meth:`frames`).
        self.skipped = 0

    def feed(self, data: bytes) -> List[bytes]:
        """Buffers ``data`` and returns the frames it completed, in order: each frame's bytes,
        stream framing removed, not yet read."""
        src = _bytes_in(data, "data")
        frames: List[bytes] = []
        at, total = 0, len(src)
        while at < total:
            check(lib.swapwire_stream_feed(self._decoder, src + at, total - at, self._event))
            ev = self._event
            if ev.frame != ffi.NULL:
                frames.append(ffi.buffer(ev.frame, ev.frame_len)[:])
            if ev.rejected != lib.SWAPWIRE_OK:
                self._reject(_binding.error_for(ev.rejected))
            at += ev.consumed
        return frames

    def frames(self, data: bytes) -> List[StreamFrame]:
        """Buffers ``data`` and returns the good frames it completed, in order, each with what
        its header says (:class:`StreamFrame`). A frame whose header does not read (an unknown
        version, say) is counted in :attr:`rejected`; records and summaries are read only when
        the frame is used."""
        out: List[StreamFrame] = []
        for frame in self.feed(data):
            try:
                info = frame_info(frame)
            except Error as e:
                self._reject(e)
                continue
            out.append(StreamFrame(frame, info.kind, info.sender, info.count))
        return out

    def records(self, data: bytes) -> List[Record]:
        """Buffers ``data`` and returns the records of every records frame it completed, in
        order (stream frames name their sender). A records frame that fails to read is counted
        in :attr:`rejected`; a summary frame in :attr:`skipped` (use :meth:`frames` to act on
        summaries too)."""
        out: List[Record] = []
        for frame in self.frames(data):
            if frame.kind != FrameKind.RECORDS:
                self.skipped += 1
                continue
            try:
                out.extend(read_frame(frame.data))
            except Error as e:
                self._reject(e)
        return out

    def _reject(self, error: Error) -> None:
        """Counts a dropped run or frame, and why."""
        self.rejected += 1
        self.last_error = error


# --- the store --------------------------------------------------------------------------------


class Store:
    """A fixed-capacity record store, one record per key — ``(origin, seq)`` for reports, the
    key for sources — kept in key order.

    The higher revision wins; equal revisions resolve to the greater encoding; a retraction is
    a revision like any other. Merging is idempotent, commutative and associative, so stores
    that saw the same records hold the same records. A full store refuses a new key with
    :class:`StoreFull` and stays as it was.

    Its memory (``capacity`` slots of :data:`SLOT_SIZE` bytes) is a cffi buffer the object owns.
    """

    def __init__(self, capacity: int) -> None:
        if not isinstance(capacity, int) or capacity < 0:
            raise ValueError(f"capacity must be a non-negative int, not {capacity!r}")
        self._slots = ffi.new("swapwire_slot[]", max(capacity, 1))
        self._store = ffi.new("swapwire_store *")
        check(lib.swapwire_store_init(self._store, self._slots, capacity))
        self._one = ffi.new("swapwire_record *")

    @property
    def capacity(self) -> int:
        """How many records fit."""
        n = ffi.new("size_t *")
        check(lib.swapwire_store_capacity(self._store, n))
        return n[0]

    def __len__(self) -> int:
        n = ffi.new("size_t *")
        check(lib.swapwire_store_len(self._store, n))
        return n[0]

    def _copy_out(self, status: int) -> Optional[Record]:
        if status == lib.SWAPWIRE_NOT_FOUND:
            return None
        check(status)
        return unpack_from(memoryview(ffi.buffer(self._one)), 0)

    def __getitem__(self, index: int) -> Record:
        """The record at ``index`` in key order; :class:`NotFound`, an :class:`IndexError`,
        past the end."""
        n = len(self)
        if not isinstance(index, int):
            raise TypeError(f"store indices are ints, not {type(index).__name__}")
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise NotFound(f"no record at index {index} of {n}")
        record = self._copy_out(lib.swapwire_store_get(self._store, index, self._one))
        assert record is not None
        return record

    def __iter__(self) -> Iterator[Record]:
        for i in range(len(self)):
            yield self[i]

    def report(self, origin: int, seq: int) -> Optional[Record]:
        """The Exchange or Count ``origin``/``seq``, or None."""
        origin, seq = _origin(origin, "origin"), _origin(seq, "seq")
        return self._copy_out(lib.swapwire_store_find_report(self._store, origin, seq, self._one))

    def source(self, key: int) -> Optional[Record]:
        """The Source with this key, or None."""
        return self._copy_out(lib.swapwire_store_find_source(self._store, _origin(key, "key"), self._one))

    def merge(self, record: Record) -> Merged:
        """Merges one record after checking it."""
        pack_into(ffi.buffer(self._one), 0, record)
        merged, detail = ffi.new("uint8_t *"), ffi.new("swapwire_error_detail *")
        check(lib.swapwire_store_merge(self._store, self._one, merged, detail), detail)
        return Merged(merged[0])

    def apply_frame(self, frame: bytes, link_sender: Optional[int] = None) -> Applied:
        """Merges every record of a records frame, or none: a frame that fails to read, or
        brings more new keys than there are free slots, raises and changes nothing."""
        src = _bytes_in(frame)
        applied, detail = ffi.new("swapwire_applied *"), ffi.new("swapwire_error_detail *")
        check(lib.swapwire_store_apply_frame(self._store, src, len(src), _sender_in(link_sender), applied, detail),
              detail)
        return Applied(applied.inserted, applied.replaced, applied.kept)

    def summary(self, link: Link, sender: int, start: Optional[RecordId] = None) -> bytes:
        """What this store holds, per origin with holes and revisions, as a summary frame from
        ``sender`` for ``link``. One too big for the link is cut between two runs of ids: the
        peer then sends more than needed, never less.

        With ``start``, the summary begins at that report and leaves out the sources and every
        earlier key: a gateway answering one device passes ``RecordId(device_origin, 0)``, so
        the device's reports are acknowledged however many other origins the gateway holds."""
        out = ffi.new("uint8_t[]", FRAME_MAX_SIZE)
        written, spaces = ffi.new("size_t *"), ffi.new("size_t *")
        c_link, c_sender = _link_in(link), _origin(sender, "sender")
        if start is None:
            status = lib.swapwire_summary_write(self._store, c_link, c_sender, out, FRAME_MAX_SIZE, written, spaces)
        elif isinstance(start, RecordId):
            status = lib.swapwire_summary_write_from(self._store, c_link, c_sender, _origin(start.origin, "start.origin"),
                                                     _origin(start.seq, "start.seq"), out, FRAME_MAX_SIZE, written,
                                                     spaces)
        else:
            raise TypeError(f"start must be a RecordId or None, not {type(start).__name__}")
        check(status)
        return ffi.buffer(out, written[0])[:]

    def missing(self, summary: Optional[bytes], link_sender: Optional[int] = None) -> List[Record]:
        """The records a peer's summary frame does not claim, or claims at an older revision:
        exactly what to send it, in key order. ``None`` stands for a peer that holds nothing."""
        src, n = _summary_in(summary)
        sender = _sender_in(link_sender)
        cap = max(len(self), 1)
        structs = ffi.new("swapwire_record[]", cap)
        count = ffi.new("size_t *")
        check(lib.swapwire_summary_missing_records(self._store, src, n, sender, 0, structs, cap, count, ffi.NULL))
        return _records_out(structs, count[0])

    def missing_frames(
        self,
        summary: Optional[bytes],
        link: Link,
        sender: int,
        link_sender: Optional[int] = None,
        *,
        skip_oversized: bool = False,
    ) -> List[bytes]:
        """What :meth:`missing` lists, as frames from ``sender`` for ``link``, each as full as it
        can be (an empty list when the peer lacks nothing).

        A record that fits no frame of ``link`` even alone (a source with a long name on an
        11-byte link) can never travel over it. With ``skip_oversized`` such records are left
        out and the rest are sent; without it, :class:`TooLargeForLink` is raised naming the
        record: its ``index`` among the missing records (as :meth:`missing` lists them) and
        its ``key`` (a :class:`RecordId`, or a source's key)."""
        src, n = _summary_in(summary)
        c_link, origin, peer = _link_in(link), _origin(sender, "sender"), _sender_in(link_sender)
        out = ffi.new("uint8_t[]", FRAME_MAX_SIZE)
        written, taken = ffi.new("size_t *"), ffi.new("size_t *")
        frames: List[bytes] = []
        skip = 0
        while True:
            status = lib.swapwire_summary_missing_frame(self._store, src, n, peer, skip, c_link, origin, out,
                                                        FRAME_MAX_SIZE, written, taken)
            if status == lib.SWAPWIRE_TOO_LARGE_FOR_LINK:
                if not skip_oversized:
                    raise self._too_large(src, n, peer, skip, link)
                skip += 1
                continue
            check(status)
            if taken[0] == 0:
                return frames
            frames.append(ffi.buffer(out, written[0])[:])
            skip += taken[0]

    def _too_large(self, src: Any, n: int, peer: Any, index: int, link: Link) -> Error:
        """:class:`TooLargeForLink` for missing record ``index``, naming it by index and key."""
        struct, count = ffi.new("swapwire_record[]", 1), ffi.new("size_t *")
        check(lib.swapwire_summary_missing_records(self._store, src, n, peer, index, struct, 1, count, ffi.NULL))
        record = _records_out(struct, count[0])[0]
        if isinstance(record, Source):
            key: Any = record.key
            what = f"source {key}"
        else:
            key = record.id
            what = f"report {key.origin}/{key.seq}"
        error = _binding.error_for(lib.SWAPWIRE_TOO_LARGE_FOR_LINK, index=index,
                                   message=f"{what} fits no {link.payload}-byte {link.name} frame")
        error.key = key  # type: ignore[attr-defined]
        return error

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Store):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<swapwire.sync.Store {len(self)} of {self.capacity} records>"


__all__ = [
    "Applied",
    "FRAME_MAX_SIZE",
    "FrameInfo",
    "FrameKind",
    "Framing",
    "IRIDIUM_SBD_MO",
    "LINKS",
    "LORAWAN_EU868_DR0",
    "LORAWAN_EU868_DR3",
    "LORAWAN_EU868_DR4",
    "LORAWAN_US915_DR0",
    "Link",
    "MESHTASTIC",
    "Merged",
    "SERIAL",
    "SLOT_SIZE",
    "Store",
    "StreamDecoder",
    "StreamFrame",
    "frame_info",
    "read_frame",
    "unwrap",
    "write_frame",
    "write_frames",
]
