"""Hypothesis: valid records round-trip through bytes, batches, columns and JSON; random bytes
and random numbers only ever raise swapwire's exceptions."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

import swapwire as sw

PARTIES = ["UA", "RU", "US", "TR", "AE", "SA", "QA", "XK", "ZZ", "AA", "GB", "DE"]
U32 = st.integers(0, 2**32 - 1)


@st.composite
def dates(draw):
    day = draw(st.dates(datetime.date(2000, 1, 1), datetime.date(2999, 12, 31)))
    return draw(
        st.sampled_from(
            [sw.Date(), sw.Date.of_year(day.year), sw.Date.of_month(day.year, day.month)]
            + [sw.Date.of_day(day.year, day.month, day.day)]
        )
    )


@st.composite
def quantities(draw, allow_all=True):
    n, m = draw(U32), draw(U32)
    options = [sw.Quantity(), sw.Quantity(sw.Qualifier.UNDISCLOSED), sw.Quantity.approx(n), sw.Quantity.at_least(n)]
    options += [sw.Quantity.exact(n), sw.Quantity.at_most(n), sw.Quantity.range(min(n, m), max(n, m))]
    if allow_all:
        options.append(sw.Quantity(sw.Qualifier.ALL))
    return draw(st.sampled_from(options))


@st.composite
def compositions(draw):
    categories = draw(st.lists(st.sampled_from(list(sw.Category)), unique=True, max_size=6))
    parts = [sw.Part(c, sw.Quantity.approx(draw(U32))) for c in sorted(categories)]
    return sw.Composition(tuple(parts))


@st.composite
def exchanges(draw):
    a, b, *others = draw(st.permutations(PARTIES))
    origin, seq = draw(U32), draw(U32)
    part_of = draw(st.one_of(st.none(), st.builds(sw.RecordId, U32, U32)))
    if part_of == sw.RecordId(origin, seq):
        part_of = None
    same_as = draw(st.one_of(st.none(), st.builds(sw.RecordId, U32, U32)))
    if same_as in (sw.RecordId(origin, seq), part_of):
        same_as = None
    return sw.Exchange(
        origin,
        seq,
        a,
        b,
        revision=draw(U32),
        retracted=draw(st.booleans()),
        status=draw(st.sampled_from(list(sw.Status))),
        date=draw(dates()),
        handover=draw(st.sampled_from(list(sw.Handover))),
        # A total with neither bound: sides and parts cannot contradict it.
        total=draw(st.sampled_from([sw.Quantity(), sw.Quantity(sw.Qualifier.UNDISCLOSED), sw.Quantity.approx(origin)])),
        to_a=draw(quantities()),
        to_b=draw(quantities()),
        composition_a=draw(compositions()),
        composition_b=draw(compositions()),
        mediators=tuple(others[: draw(st.integers(0, 3))]),
        part_of=part_of,
        same_as=same_as,
        source=draw(U32),
        grade=sw.Grade(draw(st.sampled_from(list(sw.Reliability))), draw(st.sampled_from(list(sw.Credibility)))),
    )


@st.composite
def counts(draw):
    return sw.Count(
        draw(U32),
        draw(U32),
        draw(st.sampled_from(list(sw.Population))),
        draw(st.sampled_from(PARTIES)),
        revision=draw(U32),
        retracted=draw(st.booleans()),
        date=draw(dates()),
        holder=draw(st.one_of(st.none(), st.sampled_from(PARTIES))),
        quantity=draw(quantities(allow_all=False)),
        source=draw(U32),
        grade=sw.Grade(draw(st.sampled_from(list(sw.Reliability))), draw(st.sampled_from(list(sw.Credibility)))),
    )


names = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=16).filter(
    lambda s: len(s.encode()) <= sw.MAX_NAME_LEN
)
sources = st.builds(
    sw.Source,
    U32,
    st.sampled_from(list(sw.SourceKind)),
    names,
    revision=U32,
    retracted=st.booleans(),
    via=st.one_of(st.none(), U32),
).map(lambda s: s if s.via != s.key else sw.Source(s.key, s.kind, s.name, s.revision, s.retracted))  # never its own via
records = st.one_of(exchanges(), counts(), sources)


@settings(max_examples=300, deadline=None)
@given(records)
def test_valid_records_round_trip(record):
    data = sw.encode(record)
    assert sw.decode(data) == record
    assert sw.from_json(sw.to_json(record)) == record
    assert len(data) <= sw.RECORD_MAX_SIZE


@settings(max_examples=60, deadline=None)
@given(st.lists(records, max_size=20))
def test_batches_round_trip_and_match_single_calls(batch):
    data = sw.encode_many(batch)
    assert data == b"".join(sw.encode(r) for r in batch)
    assert sw.decode_many(data) == batch
    columns = sw.decode_columns(data, numpy=False)
    assert columns["revision"] == [r.revision for r in batch]


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=256))
def test_random_bytes_decode_or_raise(data):
    try:
        record = sw.decode(data)
    except sw.Error:
        pass
    else:
        assert sw.encode(record) == data
    try:
        records = sw.decode_all(data)
    except sw.Error as e:
        assert e.index is not None
    else:
        assert sw.encode_many(records) == data
    try:
        sw.decode_columns(data, numpy=False)
    except sw.Error:
        pass


@settings(max_examples=200, deadline=None)
@given(st.integers(-(2**70), 2**70), st.integers(-(2**70), 2**70))
def test_random_numbers_raise_or_encode(origin, value):
    record = sw.Count(origin, 1, sw.Population.MISSING, "UA", quantity=sw.Quantity.exact(value))
    try:
        data = sw.encode(record)
    except sw.InvalidValue as e:
        assert e.field in ("origin", "quantity")
        assert not (0 <= origin < 2**32 and 0 <= value < 2**32)
    else:
        assert sw.decode(data) == record


# --- construction: every accepted spelling becomes the form decoding gives --------------------


def _loosen(value):
    """The same value in a spelling the constructors accept: codes as ints, flags as 0/1, grades
    as text, sequences as lists or generators, parts out of order."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, sw.Grade):
        return str(value)
    if isinstance(value, int) and type(value) is not int:  # an IntEnum member
        return int(value)
    if isinstance(value, sw.Composition):
        return sw.Composition([_loosen(p) for p in reversed(value.parts)])
    if isinstance(value, tuple):
        return [_loosen(v) for v in value]
    if isinstance(value, (sw.Quantity, sw.Date, sw.Part)):
        return type(value)(**{k: _loosen(v) for k, v in value.__dict__.items()})
    return value


@settings(max_examples=300, deadline=None)
@given(records, st.data())
def test_loose_spellings_construct_the_decoded_record(record, data):
    fields = dict(record.__dict__)
    names = data.draw(st.lists(st.sampled_from(sorted(fields)), unique=True))
    loose_fields = {n: _loosen(fields[n]) for n in names}
    if "mediators" in loose_fields and data.draw(st.booleans()):
        loose_fields["mediators"] = iter(loose_fields["mediators"])  # any iterable
    loose = type(record)(**{**fields, **loose_fields})
    assert loose == record and hash(loose) == hash(record) and repr(loose) == repr(record)
    assert sw.decode(sw.encode(loose)) == loose
    assert sw.from_json(sw.to_json(loose)) == loose


# Values of every field's type and of types near it: whatever a constructor accepts either
# encodes and decodes to an equal, hashable record, or is refused by encode.
ODD = st.one_of(
    st.integers(-3, 300),
    st.booleans(),
    st.none(),
    st.sampled_from(["", "UA", "RU", "B2", "G9", "ua", "UAX", "Суспільне", b"UA"]),
    st.lists(st.sampled_from(["US", "TR", "QA", "AE", "UA", 5]), max_size=4),
    st.lists(st.sampled_from(["US", "TR"]), max_size=2).map(tuple),
    st.builds(sw.Grade, st.integers(-1, 7), st.integers(-1, 7)),
    st.builds(sw.Quantity, st.integers(-1, 8), st.integers(-1, 5), st.integers(-1, 5)),
    st.builds(sw.Date, st.integers(-1, 4), st.integers(1999, 2001), st.integers(0, 13), st.integers(0, 32)),
    st.builds(sw.RecordId, st.integers(-1, 2), st.integers(-1, 2)),
    st.lists(st.builds(sw.Part, st.integers(-1, 7), st.just(sw.Quantity.exact(3))), max_size=3).map(sw.Composition),
)


@settings(max_examples=400, deadline=None)
@given(records, st.data())
def test_whatever_a_constructor_accepts_round_trips_or_is_refused(record, data):
    fields = dict(record.__dict__)
    names = data.draw(st.lists(st.sampled_from(sorted(fields)), unique=True, max_size=3))
    # Half the time a loose spelling of the field's own value, so that many records encode.
    values = {n: data.draw(st.one_of(ODD, st.just(_loosen(fields[n])))) for n in names}
    changed = type(record)(**{**fields, **values})
    try:
        encoded = sw.encode(changed)
    except (sw.Error, TypeError):
        return
    assert sw.decode(encoded) == changed
    assert hash(sw.decode(encoded)) == hash(changed)
