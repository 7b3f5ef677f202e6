"""A record that fits no frame of a link: TooLargeForLink (not BufferTooSmall), named by its
index among the missing records and its key, or skipped on request so the rest still travel."""

from __future__ import annotations

import pytest

import swapwire as sw
from swapwire import sync
from swapwire.errors import BY_STATUS

from conftest import VECTORS

SEED_COUNT = sw.decode(bytes.fromhex((VECTORS / "seed-count-1-2.hex").read_text().split()[0]))
LONG_NAME = "Coordination Headquarters for the Treatment of Prisoners of War"  # 63 bytes
LONG_SOURCE = sw.Source(2, sw.SourceKind.ORGANISATION, LONG_NAME)


def device() -> sync.Store:
    store = sync.Store(4)
    store.merge(SEED_COUNT)
    store.merge(LONG_SOURCE)  # sources sort first: it is the first missing record
    return store


def test_the_status_has_its_own_class():
    assert len(LONG_NAME.encode()) == 63
    assert BY_STATUS[19] is sw.TooLargeForLink and sw.TooLargeForLink.status == 19
    assert not issubclass(sw.TooLargeForLink, sw.BufferTooSmall)


def test_missing_frames_names_the_record_by_default():
    with pytest.raises(sw.TooLargeForLink, match="record 0: .*source 2 fits no 11-byte") as caught:
        device().missing_frames(None, sync.LORAWAN_US915_DR0, sender=1)
    assert caught.value.index == 0
    assert caught.value.key == 2
    assert "bug" not in str(caught.value)


def test_missing_frames_names_a_report_by_its_id():
    store = sync.Store(4)
    store.merge(SEED_COUNT)
    # An exchange with mediators and compositions is too large for 11 bytes.
    big = sw.decode(bytes.fromhex((VECTORS / "edge-worst-exchange.hex").read_text().split()[0]))
    store.merge(big)
    missing = store.missing(None)
    at = missing.index(big)
    with pytest.raises(sw.TooLargeForLink) as caught:
        store.missing_frames(None, sync.LORAWAN_US915_DR0, sender=1, skip_oversized=False)
    assert caught.value.index == at
    assert caught.value.key == sw.RecordId(big.origin, big.seq)
    assert f"report {big.origin}/{big.seq}" in str(caught.value)


def test_missing_frames_skips_oversized_records_on_request():
    dev, gateway = device(), sync.Store(4)
    summary = gateway.summary(sync.LORAWAN_US915_DR0, sender=0)
    frames = dev.missing_frames(summary, sync.LORAWAN_US915_DR0, sender=1, link_sender=0, skip_oversized=True)
    assert [len(f) for f in frames] == [11]
    for frame in frames:
        gateway.apply_frame(frame, link_sender=1)
    assert list(gateway) == [SEED_COUNT]
    # Over a link that carries it, the source travels too.
    summary = gateway.summary(sync.LORAWAN_EU868_DR3, sender=0)
    for frame in dev.missing_frames(summary, sync.LORAWAN_EU868_DR3, sender=1, link_sender=0):
        gateway.apply_frame(frame, link_sender=1)
    assert gateway == dev


def test_skipping_leaves_nothing_when_nothing_fits():
    store = sync.Store(2)
    store.merge(LONG_SOURCE)
    assert store.missing_frames(None, sync.LORAWAN_EU868_DR0, sender=1, skip_oversized=True) == []
    with pytest.raises(sw.TooLargeForLink):
        store.missing_frames(None, sync.LORAWAN_EU868_DR0, sender=1)


def test_frame_writers_blame_the_link_not_the_buffer():
    with pytest.raises(sw.TooLargeForLink) as caught:
        sync.write_frame([LONG_SOURCE, SEED_COUNT], sync.LORAWAN_US915_DR0, sender=1)
    assert caught.value.index == 0
    with pytest.raises(sw.TooLargeForLink) as caught:
        sync.write_frames([SEED_COUNT, LONG_SOURCE], sync.LORAWAN_US915_DR0, sender=1)
    assert caught.value.index == 1
    frame, taken = sync.write_frame([SEED_COUNT, LONG_SOURCE], sync.LORAWAN_US915_DR0, sender=1)
    assert (len(frame), taken) == (11, 1)
