"""Field sync from Python: the links' size targets, the store's merge rules and its refusals
that change nothing, stream decoding through garbage and a mid-frame start, two stores
converging through summaries, and the errors."""

from __future__ import annotations

import dataclasses
import random
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import swapwire as sw
from swapwire import sync

from conftest import VECTORS


def vector(name: str) -> sw.Record:
    return sw.decode(bytes.fromhex((VECTORS / f"{name}.hex").read_text().split()[0]))


SEED_EXCHANGE = vector("seed-exchange-1-1")
SEED_COUNT = vector("seed-count-1-2")
#: The seed count in an 11-byte frame, as tests/frames.rs pins it.
COUNT_FRAME = bytes.fromhex("2109020bec471283e8074f")


def report_like_seed(origin: int, i: int) -> sw.Exchange:
    """Report ``i`` of device ``origin``, built as tests/field/mod.rs builds it."""
    return dataclasses.replace(
        SEED_EXCHANGE,
        origin=origin,
        seq=1 + i,
        to_a=sw.Quantity.exact(150 + 7 * i),
        date=sw.Date.of_day(2025, 2, 5 + (i // 3) % 20),
    )


def reports(origin: int, n: int) -> list:
    return [report_like_seed(origin, i) for i in range(n)]


def unframed(link: sync.Link, frame: bytes) -> bytes:
    return sync.unwrap(frame) if link.framing == sync.Framing.STREAM else frame


# --- frames -----------------------------------------------------------------------------------


def test_the_count_update_fits_us915_dr0():
    frame, taken = sync.write_frame([SEED_COUNT], sync.LORAWAN_US915_DR0, sender=1)
    assert (frame, taken) == (COUNT_FRAME, 1)
    assert sync.read_frame(frame, link_sender=1) == [SEED_COUNT]
    assert sync.frame_info(frame, link_sender=1) == sync.FrameInfo(sync.FrameKind.RECORDS, 1, 1)


# Seed-like reports per frame on every link (tests/frames.rs asserts the same table in Rust).
PER_FRAME = {
    sync.LORAWAN_US915_DR0: 1,
    sync.LORAWAN_EU868_DR0: 7,
    sync.LORAWAN_EU868_DR3: 17,
    sync.LORAWAN_EU868_DR4: 34,
    sync.MESHTASTIC: 36,
    sync.SERIAL: 37,
    sync.IRIDIUM_SBD_MO: 51,
}


@pytest.mark.parametrize("link", sync.LINKS, ids=lambda link: link.name)
def test_seed_like_reports_per_frame(link):
    records = reports(1, 100)
    frame, taken = sync.write_frame(records, link, sender=1)
    assert taken == PER_FRAME[link]
    assert len(frame) <= link.payload
    assert sync.read_frame(unframed(link, frame), link_sender=1) == records[:taken]


def test_a_stream_frame_starts_with_a_delimiter_so_noise_before_it_costs_only_itself():
    frame, _ = sync.write_frame(reports(1, 3), sync.SERIAL, sender=1)
    assert frame[0] == 0 and frame[-1] == 0 and frame.count(0) == 2
    d = sync.StreamDecoder()
    # Idle delimiters, line noise with no delimiter of its own, the frame, more idle delimiters.
    frames = d.feed(b"\x00" * 5 + b"\x42\x17" + frame + b"\x00\x00")
    assert frames == [sync.unwrap(frame)]
    assert d.rejected == 1  # the noise, ended by the frame's leading delimiter; empty runs are not counted
    assert sync.unwrap(frame[1:]) == sync.unwrap(frame)  # without the leading delimiter, as older writers sent it


def test_size_targets():
    assert PER_FRAME[sync.LORAWAN_EU868_DR0] >= 4
    frame, _ = sync.write_frame(reports(1, 40), sync.LORAWAN_EU868_DR0, sender=1)
    assert len(frame) == 50
    assert PER_FRAME[sync.IRIDIUM_SBD_MO] >= 28
    frame, _ = sync.write_frame(reports(1, 80), sync.IRIDIUM_SBD_MO, sender=1)
    assert frame.endswith(b"\x00") and len(frame) <= 340
    # The stream frame names its sender: no link_sender needed.
    assert sync.frame_info(sync.unwrap(frame)).sender == 1


def test_write_frames_carries_everything_in_order():
    records = reports(4, 30) + [vector("seed-count-1-3"), sw.Source(3, sw.SourceKind.MEDIA, "Suspilne")]
    frames = sync.write_frames(records, sync.LORAWAN_EU868_DR0, sender=4)
    assert all(len(f) <= 51 for f in frames)
    got = [r for f in frames for r in sync.read_frame(f, link_sender=4)]
    assert got == records
    # A record bigger than the link's payload can never be sent on it: an error, not a loop.
    with pytest.raises(sw.TooLargeForLink):
        sync.write_frames([vector("edge-worst-source")], sync.LORAWAN_EU868_DR0, sender=4)


# --- the store --------------------------------------------------------------------------------


def test_merge_rules():
    store = sync.Store(4)
    x = report_like_seed(1, 0)
    assert store.merge(x) == sync.Merged.INSERTED
    assert store.merge(x) == sync.Merged.KEPT  # idempotent
    withdrawn = dataclasses.replace(x, revision=1, retracted=True)
    assert store.merge(withdrawn) == sync.Merged.REPLACED  # a retraction is a revision
    assert store.merge(x) == sync.Merged.KEPT  # older: ignored
    assert store.report(1, 1) == withdrawn
    assert store.report(1, 2) is None
    assert len(store) == 1 and store.capacity == 4

    # Equal revisions, different contents: either order keeps the same one.
    a = sw.Source(5, sw.SourceKind.MEDIA, "Suspilne", revision=2)
    b = sw.Source(5, sw.SourceKind.MEDIA, "Ukrinform", revision=2)
    one, two = sync.Store(4), sync.Store(4)
    for r in (a, b):
        one.merge(r)
    for r in (b, a):
        two.merge(r)
    assert one == two and one.source(5) in (a, b)
    store.merge(a)
    assert store[0] == a  # sources sort before reports
    assert list(store) == [a, withdrawn]


# Records that share keys and revisions often, as copies of one store's do.
record_strategy = st.builds(
    lambda origin, seq, revision, retracted, to_a: dataclasses.replace(
        SEED_EXCHANGE, origin=origin, seq=seq, revision=revision, retracted=retracted,
        to_a=sw.Quantity.exact(to_a)
    ),
    st.integers(0, 2),
    st.integers(1, 4),
    st.integers(0, 2),
    st.booleans(),
    st.integers(100, 102),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(record_strategy, max_size=20), st.randoms(use_true_random=False))
def test_merging_is_idempotent_commutative_and_associative(records, rnd):
    def store_of(rs):
        s = sync.Store(16)
        for r in rs:
            s.merge(r)
        return s

    shuffled = list(records)
    rnd.shuffle(shuffled)
    once = store_of(records)
    assert once == store_of(shuffled)  # any order
    assert once == store_of(records + records)  # twice
    # (a merged with b) merged with c equals a merged with (b merged with c), store into store.
    third = len(records) // 3
    a, b, c = records[:third], records[third : 2 * third], records[2 * third :]
    assert store_of(list(store_of(a + b)) + c) == store_of(a + list(store_of(b + c))) == once


def test_a_full_store_refuses_and_stays():
    store = sync.Store(2)
    r0, r1, r2 = reports(1, 3)
    store.merge(r2)
    store.merge(r0)
    with pytest.raises(sw.StoreFull, match="nothing was changed"):
        store.merge(r1)
    assert list(store) == [r0, r2]
    assert store.merge(dataclasses.replace(r0, revision=3)) == sync.Merged.REPLACED  # a known key still merges
    frame, taken = sync.write_frame([dataclasses.replace(r0, revision=4), r1, r2], sync.LORAWAN_EU868_DR0, 1)
    assert taken == 3
    before = list(store)
    with pytest.raises(sw.StoreFull):
        store.apply_frame(frame, link_sender=1)
    assert list(store) == before and store.report(1, 1).revision == 3


def _bad_frames():
    good, _ = sync.write_frame([report_like_seed(1, 0), report_like_seed(1, 1), SEED_COUNT], sync.LORAWAN_EU868_DR0, 1)
    v2 = bytes([(good[0] & 0x1F) | (2 << 5)]) + good[1:]
    invalid_quantity = COUNT_FRAME[:7] + b"\x08" + COUNT_FRAME[10:]
    summary = sync.Store(1).summary(sync.LORAWAN_EU868_DR0, 1)
    yield "version 2", v2, 1, sw.UnknownVersion
    yield "a byte after the last record", good + b"\x00", 1, sw.TrailingBytes
    yield "no sender from the link", good, None, sw.UnknownSender
    yield "an invalid quantity", invalid_quantity, 1, sw.InvalidValue
    yield "a summary frame", summary, 1, sw.Malformed
    for cut in range(len(good)):
        yield f"cut at {cut}", good[:cut], 1, sw.Error


@pytest.mark.parametrize("what,frame,sender,error", list(_bad_frames()), ids=lambda v: v if isinstance(v, str) else "")
def test_bad_frames_change_nothing(what, frame, sender, error):
    store = sync.Store(8)
    store.merge(report_like_seed(1, 0))
    before = list(store)
    with pytest.raises(error):
        store.apply_frame(frame, link_sender=sender)
    with pytest.raises(error):
        sync.read_frame(frame, link_sender=sender)
    assert list(store) == before


def test_an_invalid_record_names_field_and_reason():
    with pytest.raises(sw.InvalidValue) as e:
        sync.read_frame(COUNT_FRAME[:7] + b"\x08" + COUNT_FRAME[10:], link_sender=1)
    assert (e.value.field, e.value.reason) == ("quantity", sw.Reason.NON_CANONICAL)


# --- streams ----------------------------------------------------------------------------------


def test_streams_resynchronise_after_garbage_and_a_mid_frame_start():
    records = reports(7, 10)
    one, taken = sync.write_frame(records[:5], sync.SERIAL, sender=7)
    two, _ = sync.write_frame(records[5:], sync.SERIAL, sender=7)
    assert taken == 5
    damaged = bytearray(one)
    damaged[3] ^= 0x10
    stream = one[len(one) // 2 :] + one + b"\x42\x17\x99\x00\x13\x37\x01\x00" + two + bytes(damaged)
    for piece in (1, 3, 16, 64, len(stream)):
        decoder = sync.StreamDecoder()
        got = []
        for at in range(0, len(stream), piece):
            got.extend(decoder.records(stream[at : at + piece]))
        assert got == records
        assert decoder.rejected == 4  # the tail joined mid-way, two garbage runs, the flipped copy
        assert isinstance(decoder.last_error, sw.BadChecksum)
    assert sync.unwrap(one) == sync.unwrap(one[:-1])  # with or without the delimiter
    with pytest.raises(sw.BadChecksum):
        sync.unwrap(bytes(damaged))


def stream_envelope(frame: bytes) -> bytes:
    """``00 ‖ COBS(len ‖ frame ‖ crc) ‖ 00`` around any bytes (docs/wire-format.md, Framing), so a
    test can give a frame a good CRC whatever its header says."""
    assert len(frame) < 128  # a one-byte length varint
    inner = bytes([len(frame)]) + frame
    inner += zlib.crc32(inner).to_bytes(4, "little")
    out, block = bytearray(), bytearray()
    for b in inner:
        if b == 0:
            out += bytes([len(block) + 1]) + block
            block.clear()
        else:
            block.append(b)
            assert len(block) < 254
    out += bytes([len(block) + 1]) + block
    return b"\x00" + bytes(out) + b"\x00"


def test_frames_drops_a_good_checksum_around_a_header_that_does_not_read():
    records = reports(7, 3)
    good, _ = sync.write_frame(records, sync.SERIAL, sender=7)
    assert stream_envelope(sync.unwrap(good)) == good  # the helper frames as the library does
    inner = sync.unwrap(good)
    version_2 = bytes([(inner[0] & 0x1F) | (2 << 5)]) + inner[1:]
    cut_header = inner[:1]  # the header says a sender follows; the frame ends first
    for bad, error in ((version_2, sw.UnknownVersion), (cut_header, sw.Truncated)):
        with pytest.raises(error):
            sync.frame_info(bad)
        stream = stream_envelope(bad) + good
        assert sync.StreamDecoder().feed(stream) == [bad, inner]  # both pass the CRC
        decoder = sync.StreamDecoder()
        frames = decoder.frames(stream)
        assert [(f.data, f.kind, f.sender, f.count) for f in frames] == [(inner, sync.FrameKind.RECORDS, 7, 3)]
        assert (decoder.rejected, decoder.skipped) == (1, 0)
        assert isinstance(decoder.last_error, error)
        # records() passes over it the same way and reads the next frame's records.
        decoder = sync.StreamDecoder()
        assert decoder.records(stream) == records
        assert (decoder.rejected, decoder.skipped) == (1, 0)
        assert isinstance(decoder.last_error, error)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_never_yield_a_record(data):
    decoder = sync.StreamDecoder()
    assert list(decoder.records(data)) == []


def test_a_call_whose_result_is_never_used_still_feeds_the_stream():
    records = reports(7, 3)
    frame, _ = sync.write_frame(records, sync.SERIAL, sender=7)
    decoder = sync.StreamDecoder()
    decoder.records(frame[:5])  # never iterated: the bytes are taken all the same
    assert decoder.records(frame[5:]) == records
    assert decoder.rejected == 0


def test_leaving_the_loop_early_loses_nothing_of_the_chunk():
    records = reports(7, 6)
    one, _ = sync.write_frame(records[:3], sync.SERIAL, sender=7)
    two, _ = sync.write_frame(records[3:], sync.SERIAL, sender=7)
    decoder = sync.StreamDecoder()
    got = decoder.records(one + two)
    assert isinstance(got, list)
    for record in got:
        break
    assert got == records and decoder.rejected == 0
    assert isinstance(decoder.frames(one), list) and isinstance(decoder.feed(one), list)


def test_a_serial_gateway_gets_records_and_summaries_from_one_stream():
    device, gateway = sync.Store(16), sync.Store(16)
    for r in reports(7, 4):
        device.merge(r)
    gateway.merge(report_like_seed(7, 0))
    records_frame, _ = sync.write_frame(reports(9, 2), sync.SERIAL, sender=9)
    summary_frame = device.summary(sync.SERIAL, sender=7)
    stream = b"\x42\x00" + records_frame + summary_frame
    decoder = sync.StreamDecoder()
    frames = decoder.frames(stream)
    assert [(f.kind, f.sender, f.count) for f in frames] == [
        (sync.FrameKind.RECORDS, 9, 2),
        (sync.FrameKind.SUMMARY, 7, sync.frame_info(sync.unwrap(summary_frame)).count),
    ]
    assert decoder.rejected == 1  # the line noise only
    assert frames[0].data == sync.unwrap(records_frame)
    assert gateway.apply_frame(frames[0].data) == sync.Applied(2, 0, 0)
    # The gateway answers the device's summary with what the device lacks.
    answer = gateway.missing_frames(frames[1].data, sync.SERIAL, sender=0)
    for f in sync.StreamDecoder().frames(b"".join(answer)):
        device.apply_frame(f.data)
    assert [r for r in device if r.origin == 9] == reports(9, 2)
    # records() on the same stream: the records, and the summary counted apart, not as damage.
    decoder = sync.StreamDecoder()
    assert decoder.records(stream) == reports(9, 2)
    assert (decoder.rejected, decoder.skipped) == (1, 1)
    assert isinstance(decoder.last_error, sw.BadChecksum)


# --- summaries --------------------------------------------------------------------------------


def sync_once(source: sync.Store, source_id: int, target: sync.Store, target_id: int, link: sync.Link) -> int:
    """Sends ``target`` what ``source`` holds that its summary does not claim; the frames sent."""
    message = link.framing == sync.Framing.MESSAGE
    summary = unframed(link, target.summary(link, target_id))
    frames = source.missing_frames(summary, link, source_id, link_sender=target_id if message else None)
    for frame in frames:
        assert len(frame) <= link.payload
        target.apply_frame(unframed(link, frame), link_sender=source_id if message else None)
    return len(frames)


def test_a_summary_for_one_device_claims_its_reports_whatever_else_the_gateway_holds():
    gateway, device = sync.Store(12 * 20), sync.Store(20)
    for origin in range(1, 13):
        for r in reports(origin, 20):
            gateway.merge(r)
            if origin == 12:
                device.merge(r)
    everything = gateway.summary(sync.LORAWAN_EU868_DR0, 0)
    assert sync.frame_info(everything, 0).count < 12 and len(device.missing(everything, link_sender=0)) == 20
    for_device = gateway.summary(sync.LORAWAN_EU868_DR0, 0, start=sw.RecordId(12, 0))
    assert len(for_device) <= 51 and sync.frame_info(for_device, 0).count == 1
    assert device.missing(for_device, link_sender=0) == []
    later = gateway.summary(sync.LORAWAN_EU868_DR0, 0, start=sw.RecordId(12, 11))
    assert [r.seq for r in device.missing(later, link_sender=0)] == list(range(1, 11))
    with pytest.raises(TypeError, match="start must be a RecordId"):
        gateway.summary(sync.LORAWAN_EU868_DR0, 0, start=(12, 0))
    with pytest.raises(ValueError, match="start.seq"):
        gateway.summary(sync.LORAWAN_EU868_DR0, 0, start=sw.RecordId(12, -1))


def test_two_stores_converge_through_summaries():
    device, gateway = sync.Store(32), sync.Store(32)
    for i, r in enumerate(reports(3, 20)):
        device.merge(r)
        if i % 3 == 0:  # what earlier frames delivered, with holes
            gateway.merge(r)
    gateway.merge(sw.Source(1, sw.SourceKind.GOVERNMENT, "Coordination HQ"))
    gateway.merge(dataclasses.replace(report_like_seed(3, 6), revision=2))  # newer at the gateway

    summary = gateway.summary(sync.LORAWAN_EU868_DR0, 0)
    assert len(summary) <= 51 and sync.frame_info(summary, 0).kind == sync.FrameKind.SUMMARY
    lacking = device.missing(summary, link_sender=0)
    assert [r.seq for r in lacking] == [2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20]
    assert len(device.missing(None)) == 20  # a peer that holds nothing lacks everything

    assert sync_once(device, 3, gateway, 0, sync.LORAWAN_EU868_DR0) >= 2
    assert sync_once(gateway, 0, device, 3, sync.LORAWAN_EU868_DR0) == 1
    assert device == gateway and len(device) == 21
    assert device.report(3, 7).revision == 2
    assert sync_once(device, 3, gateway, 0, sync.LORAWAN_EU868_DR0) == 0
    relay = sync.Store(32)
    assert sync_once(gateway, 0, relay, 9, sync.IRIDIUM_SBD_MO) == 1  # 21 records, one 340-byte frame
    assert relay == gateway


def test_many_devices_converge_over_a_lossy_link():
    rnd = random.Random(5)
    devices = {origin: sync.Store(16) for origin in (1, 2, 3)}
    for origin, store in devices.items():
        for r in reports(origin, 12):
            store.merge(r)
    gateway = sync.Store(64)
    rounds = 0
    while any(store.missing(gateway.summary(sync.LORAWAN_EU868_DR0, 0), 0) for store in devices.values()):
        rounds += 1
        assert rounds < 50
        for origin, store in devices.items():
            summary = gateway.summary(sync.LORAWAN_EU868_DR0, 0)
            for frame in store.missing_frames(summary, sync.LORAWAN_EU868_DR0, origin, link_sender=0):
                if rnd.random() < 0.3:
                    continue  # lost
                for _ in range(2 if rnd.random() < 0.05 else 1):  # duplicated: harmless
                    gateway.apply_frame(frame, link_sender=origin)
    assert len(gateway) == 36
    assert [r for r in gateway if r.origin == 2] == list(devices[2])


# --- errors -----------------------------------------------------------------------------------


def test_errors():
    with pytest.raises(sw.InvalidArgument):
        sync.write_frame([SEED_COUNT], sync.Link("too big", 513, sync.Framing.MESSAGE), 1)
    with pytest.raises(sw.InvalidArgument):
        sync.write_frame([SEED_COUNT], sync.Link("nothing", 0, sync.Framing.MESSAGE), 1)
    with pytest.raises(sw.TooLargeForLink):
        sync.write_frame([SEED_EXCHANGE], sync.Link("tiny", 5, sync.Framing.MESSAGE), 1)
    # An out-of-range argument is an InvalidArgument naming it (it was an InvalidValue blaming
    # "sender" for every argument: InvalidValue is for a record's fields).
    with pytest.raises(sw.InvalidArgument, match="sender") as e:
        sync.write_frame([SEED_COUNT], sync.LORAWAN_EU868_DR0, -1)
    assert e.value.field == "sender"
    with pytest.raises(sw.InvalidValue) as e:
        sync.write_frame([SEED_COUNT, dataclasses.replace(SEED_EXCHANGE, side_b="UK")], sync.LORAWAN_EU868_DR0, 1)
    assert e.value.index == 1 and e.value.field == "side_b"
    # write_frames packs once and frames the list in steps; a record the C library refuses (a
    # 13th month) in a later frame is named by its index in the whole list.
    many = [dataclasses.replace(SEED_EXCHANGE, seq=i) for i in range(20)]
    many[17] = dataclasses.replace(many[17], date=dataclasses.replace(many[17].date, month=13))
    with pytest.raises(sw.InvalidValue) as e:
        sync.write_frames(many, sync.LORAWAN_EU868_DR0, 1)
    assert e.value.index == 17 and e.value.field == "date"
    with pytest.raises(TypeError):
        sync.read_frame(COUNT_FRAME.hex(), link_sender=1)
    with pytest.raises(sw.Truncated):
        sync.Store(2).missing(b"", link_sender=0)
    store = sync.Store(1)
    with pytest.raises(sw.NotFound):
        store[0]
    with pytest.raises(IndexError):
        store[100]
    with pytest.raises(sw.InvalidValue):
        store.merge(dataclasses.replace(SEED_EXCHANGE, side_b="UA"))
    assert len(store) == 0
    with pytest.raises(ValueError):
        sync.Store(-1)
    assert sync.write_frames([], sync.SERIAL, 1) == []
    assert sync.SLOT_SIZE == 212 and sync.FRAME_MAX_SIZE == 512


def test_arguments_are_named_in_their_errors():
    store = sync.Store(2)
    for call, name in [
        (lambda: store.report(-1, 1), "origin"),
        (lambda: store.report(1, 2**32), "seq"),
        (lambda: store.source(-1), "key"),
        (lambda: store.summary(sync.SERIAL, sender=-1), "sender"),
        (lambda: store.missing(None, link_sender=-1), "link_sender"),
        (lambda: sync.read_frame(COUNT_FRAME, link_sender=2**32), "link_sender"),
        (lambda: sync.write_frames([], sync.SERIAL, -1), "sender"),
        (lambda: sync.write_frame([SEED_COUNT], sync.Link("x", 0, sync.Framing.MESSAGE), 1), "payload"),
    ]:
        with pytest.raises(sw.InvalidArgument) as e:
            call()
        assert e.value.field == name and f"{name}: " in str(e.value), (name, str(e.value))
        assert "sender" not in str(e.value) or "sender" in name
    for call, name in [
        (lambda: store.summary(3, 0), "link"),
        (lambda: store.summary(None, 0), "link"),
        (lambda: store.missing_frames(None, "serial", 0), "link"),
        (lambda: sync.write_frame([SEED_COUNT], 3, 1), "link"),
        (lambda: sync.write_frame([SEED_COUNT], sync.SERIAL, sender=None), "sender"),
        (lambda: sync.write_frames([SEED_COUNT], sync.SERIAL, sender="1"), "sender"),
        (lambda: store.summary(sync.SERIAL, None), "sender"),
        (lambda: store.report(None, 1), "origin"),
        (lambda: store.missing(12345), "summary"),
        (lambda: sync.read_frame(None), "frame"),
        (lambda: sync.StreamDecoder().feed(7), "data"),
        (lambda: sync.unwrap([1, 2]), "stream_frame"),
    ]:
        with pytest.raises(TypeError) as t:
            call()
        assert str(t.value).startswith(f"{name} must be "), (name, str(t.value))
    assert store.report(1, 1) is None and store.source(0) is None


def test_the_module_examples_run():
    import doctest

    result = doctest.testmod(sync)
    assert result.attempted >= 8 and result.failed == 0
