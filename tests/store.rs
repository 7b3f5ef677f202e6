//! The store's merge rule and its algebra, capacity failures, atomic frames, and summaries:
//! their size, and that a peer's summary yields exactly what the peer lacks.

mod field;

use field::{reports_like_seed, seed_records};
use proptest::prelude::*;
use swapwire::frame::{self, Profile};
use swapwire::store::{supersedes, FixedStore, Key, Merged, Slot, Store};
use swapwire::summary::{measure_summary_from, missing_for, write_summary, write_summary_from, Summary};
use swapwire::{Codec, Error, Exchange, Field, Kind, Party, Reason, Record, RecordId};

type Big = FixedStore<256>;

fn store_of(records: &[Record]) -> Big {
    let mut s = Big::new();
    for r in records {
        s.merge(r.clone()).unwrap();
    }
    s
}

fn joined(a: &Big, b: &Big) -> Big {
    let mut out = a.clone();
    out.merge_store(b).unwrap();
    out
}

fn exchange(origin: u32, seq: u32, revision: u32) -> Record {
    let mut x = Exchange::new(origin, seq, Party::UA, Party::RU);
    x.revision = revision;
    Record::Exchange(x)
}

fn report_id(origin: u32, seq: u32) -> Key {
    Key::Report(RecordId { origin, seq })
}

#[test]
fn higher_revision_wins_and_a_retraction_is_a_revision() {
    let mut s = FixedStore::<4>::new();
    assert_eq!(s.merge(exchange(1, 1, 2)), Ok(Merged::Inserted));
    assert_eq!(s.merge(exchange(1, 1, 1)), Ok(Merged::Kept));
    let Record::Exchange(mut retracted) = exchange(1, 1, 3) else { unreachable!() };
    retracted.retracted = true;
    assert_eq!(s.merge(Record::Exchange(retracted.clone())), Ok(Merged::Replaced));
    assert_eq!(s.merge(exchange(1, 1, 2)), Ok(Merged::Kept));
    assert_eq!(s.get(report_id(1, 1)), Some(&Record::Exchange(retracted)));
}

#[test]
fn equal_revisions_resolve_by_the_greater_encoding_in_any_order() {
    let a = exchange(1, 1, 0);
    let Record::Exchange(mut other) = a.clone() else { unreachable!() };
    other.source = 9;
    let b = Record::Exchange(other);
    assert!(supersedes(&b, &a) != supersedes(&a, &b));
    let winner = if a.to_vec().unwrap() > b.to_vec().unwrap() { &a } else { &b };
    for order in [[&a, &b], [&b, &a]] {
        let s = store_of(&order.map(Clone::clone));
        assert_eq!(s.get(report_id(1, 1)), Some(winner));
    }
    assert!(!supersedes(&a, &a));
}

#[test]
fn a_full_store_refuses_and_stays_unchanged() {
    let mut s = FixedStore::<3>::new();
    for seq in 1..=3 {
        s.merge(exchange(1, seq, 0)).unwrap();
    }
    let before = s.clone();
    assert_eq!(s.merge(exchange(1, 4, 0)), Err(Error::StoreFull));
    assert_eq!(s.merge(exchange(0, 1, 0)), Err(Error::StoreFull)); // would sort first
    assert!(s == before);
    // Known keys still merge in a full store.
    assert_eq!(s.merge(exchange(1, 2, 5)), Ok(Merged::Replaced));
}

#[test]
fn caller_slots_hold_a_store_between_calls() {
    let mut slots = [Slot::EMPTY, Slot::EMPTY, Slot::EMPTY];
    {
        let mut s = Store::in_slots(&mut slots);
        s.merge(exchange(1, 2, 0)).unwrap();
        s.merge(exchange(1, 1, 0)).unwrap();
    }
    let mut s = Store::in_slots(&mut slots); // as C would reopen it
    assert_eq!(s.len(), 2);
    s.merge(exchange(1, 3, 0)).unwrap();
    assert_eq!(s.merge(exchange(1, 4, 0)), Err(Error::StoreFull));
    let keys: Vec<Key> = s.iter().map(Record::key).collect();
    assert_eq!(keys, [report_id(1, 1), report_id(1, 2), report_id(1, 3)]);
}

#[test]
fn a_frame_is_applied_whole_or_not_at_all() {
    let records = reports_like_seed(1, 5);
    let mut buf = [0u8; 51];
    let w = frame::write_records(&Profile::LORAWAN_EU868_DR0, 1, &records, &mut buf).unwrap();
    let bytes = &buf[..w.len];

    // Room for 4 new keys but the frame brings 5.
    let mut small = FixedStore::<4>::new();
    assert_eq!(small.apply_frame(bytes, Some(1)), Err(Error::StoreFull));
    assert!(small.is_empty());

    // A damaged last record: nothing of the frame is merged.
    let mut s = Big::new();
    let mut bad = bytes.to_vec();
    bad.truncate(bad.len() - 1);
    assert_eq!(s.apply_frame(&bad, Some(1)), Err(Error::Truncated));
    assert!(s.is_empty());

    // The second record's total turned into 1 under "unknown": invalid, so the valid first
    // record is not merged either.
    let mut invalid = bytes.to_vec();
    assert_eq!(invalid[13], 0x00);
    invalid[13] = 0x08;
    assert_eq!(s.apply_frame(&invalid, Some(1)), Err(Error::Invalid(Field::Total, Reason::NonCanonical)));
    assert!(s.is_empty());

    let applied = s.apply_frame(bytes, Some(1)).unwrap();
    assert_eq!((applied.inserted, applied.kept), (5, 0));
    let again = s.apply_frame(bytes, Some(1)).unwrap(); // a duplicate is harmless
    assert_eq!((again.inserted, again.kept), (0, 5));
    assert!(s == store_of(&records));
}

#[test]
fn a_frame_applied_through_a_caller_slot_is_the_same() {
    let records = reports_like_seed(1, 5);
    let mut buf = [0u8; 51];
    let w = frame::write_records(&Profile::LORAWAN_EU868_DR0, 1, &records, &mut buf).unwrap();
    let bytes = &buf[..w.len];
    // Whatever the slot held before does not matter: a Source, then the last record read.
    let mut slot = Record::blank_of(Kind::Source);
    let (mut plain, mut with) = (Big::new(), Big::new());
    for _ in 0..2 {
        assert_eq!(with.apply_frame_with(bytes, Some(1), &mut slot), plain.apply_frame(bytes, Some(1)));
    }
    assert!(with == store_of(&records) && with == plain);
    let mut small = FixedStore::<4>::new();
    assert_eq!(small.apply_frame_with(bytes, Some(1), &mut slot), Err(Error::StoreFull));
    assert_eq!(small.apply_frame_with(&bytes[..bytes.len() - 1], Some(1), &mut slot), Err(Error::Truncated));
    assert!(small.is_empty());

    // The lending reader with a caller slot sees what the plain one sees.
    let (mut seen, mut seen_with) = (Vec::new(), Vec::new());
    let h = frame::read_records_ref(bytes, Some(1), |r| {
        seen.push(r.clone());
        Ok(())
    });
    let h_with = frame::read_records_with(bytes, Some(1), &mut slot, |r| {
        seen_with.push(r.clone());
        Ok(())
    });
    assert_eq!((h.map(|h| h.count), &seen), (h_with.map(|h| h.count), &records.to_vec()));
    assert_eq!(seen_with, records);
}

/// A summary frame of `store` on `profile`, parsed.
fn summary_bytes(store: &Big, profile: &Profile) -> (Vec<u8>, usize) {
    let mut buf = vec![0u8; profile.payload];
    let w = write_summary(store, profile, 0, &mut buf).unwrap();
    buf.truncate(w.len);
    (buf, w.records)
}

/// Eight devices' logs and the first six seed sources (keys 1 to 6, the example of
/// `docs/wire-format.md`), as a gateway would hold them.
fn gateway(holes: bool) -> Big {
    let mut records: Vec<Record> =
        seed_records().into_iter().map(|(_, r)| r).filter(|r| matches!(r, Record::Source(s) if s.key <= 6)).collect();
    for origin in 1..=8 {
        for (i, mut r) in reports_like_seed(origin, 20).into_iter().enumerate() {
            if holes && i == 10 {
                continue;
            }
            if holes && i == 3 {
                let Record::Exchange(x) = &mut r else { unreachable!() };
                x.revision = 2;
            }
            records.push(r);
        }
    }
    store_of(&records)
}

#[test]
fn a_summary_of_eight_devices_fits_one_small_frame() {
    let g = gateway(false);
    let (bytes, spaces) = summary_bytes(&g, &Profile::LORAWAN_EU868_DR0);
    assert_eq!(spaces, 9);
    assert_eq!(bytes.len(), 47); // a two-byte header (nine spaces), then 5 bytes per space
                                 // 0x37: version 1, summary, sender left to the link, count escaped (9 follows); sources:
                                 // space 0, one run (0), from key 1, of 6 (5), no revisions; origin 1 (space 2, gap 1 after
                                 // space 0), one run, from seq 1, of 20 (19), no revisions.
    assert_eq!(field::hex(&bytes[..12]), "370900000105000100011300");

    let g = gateway(true); // a hole and a corrected record in every log
    let (bytes, spaces) = summary_bytes(&g, &Profile::LORAWAN_EU868_DR3);
    assert_eq!((spaces, bytes.len()), (9, 79)); // 4 more bytes per origin: a second run, a revision
    let s = Summary::parse(&bytes, Some(0)).unwrap();
    assert_eq!(s.held_revision(report_id(3, 4)), Some(2));
    assert_eq!(s.held_revision(report_id(3, 5)), Some(0));
    assert_eq!(s.held_revision(report_id(3, 11)), None);
    assert_eq!(s.held_revision(Key::Source(6)), Some(0));
    assert_eq!(s.held_revision(Key::Source(7)), None);
}

#[test]
fn a_summary_too_big_for_the_frame_claims_less_never_more() {
    let g = gateway(true);
    let (bytes, spaces) = summary_bytes(&g, &Profile::LORAWAN_EU868_DR0);
    assert!(spaces < 9 && bytes.len() <= 51);
    let s = Summary::parse(&bytes, Some(0)).unwrap();
    // Whatever it leaves out a peer sends again; it never claims what the gateway lacks.
    let resent = missing_for(&g, &s).count();
    assert!(resent > 0);
    for r in g.iter() {
        if let Some(rev) = s.held_revision(r.key()) {
            assert!(rev <= r.revision());
        }
    }
}

/// A summary of `store` from `from` on `profile`, parsed, checked against what the store holds:
/// it claims no key before `from`, nothing the store lacks and no revision above the one held.
fn summary_from(store: &Big, profile: &Profile, from: Key) -> Summary<'static> {
    let mut buf = vec![0xA5; profile.payload];
    let w = write_summary_from(store, profile, 0, from, &mut buf).unwrap();
    assert_eq!(measure_summary_from(store, profile, 0, from, profile.payload).unwrap(), w);
    buf.truncate(w.len);
    let s = Summary::parse(Vec::leak(buf), Some(0)).unwrap();
    assert_eq!(s.spaces() as usize, w.records);
    for r in store.iter() {
        if let Some(rev) = s.held_revision(r.key()) {
            assert!(r.key() >= from && rev <= r.revision(), "{:?} claimed at {rev}", r.key());
        }
    }
    s
}

#[test]
fn a_summary_for_one_device_acknowledges_it_whatever_else_the_gateway_holds() {
    // Twelve devices of 20 reports each and the six seed sources: too much for 51 bytes.
    let mut records: Vec<Record> = gateway(false).iter().filter(|r| r.kind() == Kind::Source).cloned().collect();
    for origin in 1..=12 {
        records.extend(reports_like_seed(origin, 20));
    }
    let g = store_of(&records);
    let device = store_of(&reports_like_seed(12, 20));
    let profile = Profile::LORAWAN_EU868_DR0;
    // From the sources the summary fills up before origin 12, which would resend all it has.
    let everything = summary_from(&g, &profile, Key::Source(0));
    assert_eq!(missing_for(&device, &everything).count(), 20);
    // From the device's first report, all 20 are acknowledged.
    let for_device = summary_from(&g, &profile, report_id(12, 0));
    assert_eq!(missing_for(&device, &for_device).count(), 0);
    assert_eq!((for_device.spaces(), for_device.held()), (1, 20));
    // From the middle of its log, what comes before is left unclaimed.
    let later = summary_from(&g, &profile, report_id(12, 11));
    assert_eq!(missing_for(&device, &later).count(), 10);
}

#[test]
fn a_space_too_big_for_the_frame_is_cut_between_runs() {
    // Thirty sources with a gap after each: thirty runs, 2 bytes each, do not fit 51 bytes.
    let sources: Vec<Record> = (0..30)
        .map(|i| Record::Source(swapwire::Source::new(1 + 2 * i, swapwire::SourceKind::Media, "outlet").unwrap()))
        .collect();
    let g = store_of(&sources);
    let profile = Profile::LORAWAN_EU868_DR0;
    let s = summary_from(&g, &profile, Key::Source(0));
    // One header byte, then space 0, the run count and the revision count (3 bytes) and 23
    // runs of 2 bytes: 50 bytes; a 24th run would make 52.
    assert_eq!((s.spaces(), s.held()), (1, 23));
    assert_eq!(s.held_revision(Key::Source(45)), Some(0));
    assert_eq!(s.held_revision(Key::Source(47)), None);
    // The rest is acknowledged by a summary from where this one stopped.
    let rest = summary_from(&g, &profile, Key::Source(46));
    assert_eq!((rest.spaces(), rest.held()), (1, 7));
    // On 11 bytes, 3 runs (10 bytes); before spaces were cut, nothing at all.
    assert_eq!(summary_from(&g, &Profile::LORAWAN_US915_DR0, Key::Source(0)).held(), 3);
}

#[test]
fn a_lost_frame_is_sent_again_and_a_duplicate_is_harmless() {
    let profile = Profile::LORAWAN_EU868_DR0;
    let device = store_of(&reports_like_seed(4, 12));
    let mut gw = Big::new();
    let mut frames = Vec::new();
    let mut sent = 0;
    while sent < 12 {
        let mut buf = [0u8; 51];
        let w = frame::write_records(&profile, 4, device.iter().skip(sent), &mut buf).unwrap();
        frames.push(buf[..w.len].to_vec());
        sent += w.records;
    }
    assert_eq!(frames.len(), 2);
    // The first frame is lost, the second arrives twice.
    gw.apply_frame(&frames[1], Some(4)).unwrap();
    gw.apply_frame(&frames[1], Some(4)).unwrap();
    // The gateway's summary acknowledges what it has; the device re-sends exactly the rest.
    let (ack, _) = summary_bytes(&gw, &profile);
    let ack = Summary::parse(&ack, Some(0)).unwrap();
    let resend: Vec<Record> = missing_for(&device, &ack).cloned().collect();
    assert_eq!(resend, device.iter().take(12 - gw.len()).cloned().collect::<Vec<_>>());
    let mut buf = [0u8; 51];
    let w = frame::write_records(&profile, 4, &resend, &mut buf).unwrap();
    assert_eq!(w.records, resend.len());
    gw.apply_frame(&buf[..w.len], Some(4)).unwrap();
    assert!(gw == device);
    let (ack, _) = summary_bytes(&gw, &profile);
    assert_eq!(missing_for(&device, &Summary::parse(&ack, Some(0)).unwrap()).count(), 0);
}

#[test]
fn bad_summaries_are_rejected() {
    let (bytes, _) = summary_bytes(&gateway(false), &Profile::LORAWAN_EU868_DR0);
    for cut in 0..bytes.len() {
        assert!(Summary::parse(&bytes[..cut], Some(0)).is_err(), "{cut}");
    }
    assert_eq!(Summary::parse(&[bytes.as_slice(), &[0]].concat(), Some(0)), Err(Error::TrailingBytes));
    let mut records_frame = bytes.clone();
    records_frame[0] &= !(1 << 4);
    assert_eq!(Summary::parse(&records_frame, Some(0)), Err(Error::Malformed));
}

fn records() -> impl Strategy<Value = Vec<Record>> {
    prop::collection::vec(field::record(), 0..24)
}

proptest! {
    #[test]
    fn supersedes_compares_revisions_then_encodings(a in field::record(), b in field::record()) {
        let expected = a.revision() > b.revision() || (a.revision() == b.revision() && a.to_vec().unwrap() > b.to_vec().unwrap());
        prop_assert_eq!(supersedes(&a, &b), expected);
        prop_assert!(!supersedes(&a, &a));
    }

    #[test]
    fn a_frame_lends_the_records_it_gives(records in records()) {
        let mut buf = [0u8; 512];
        let mut rest = &records[..];
        while !rest.is_empty() {
            let w = frame::write_records(&Profile::MESHTASTIC, 7, rest, &mut buf).unwrap();
            let (mut given, mut lent) = (Vec::new(), Vec::new());
            let header = frame::read_records(&buf[..w.len], None, |r| {
                given.push(r);
                Ok(())
            }).unwrap();
            prop_assert_eq!(frame::read_records_ref(&buf[..w.len], None, |r| {
                lent.push(r.clone());
                Ok(())
            }), Ok(header));
            prop_assert_eq!(&given, &rest[..w.records]);
            prop_assert_eq!(&lent, &given);
            rest = &rest[w.records..];
        }
    }

    #[test]
    fn merging_is_idempotent_commutative_and_associative(a in records(), b in records(), c in records()) {
        let (a, b, c) = (store_of(&a), store_of(&b), store_of(&c));
        prop_assert!(joined(&a, &a) == a);
        prop_assert!(joined(&a, &b) == joined(&b, &a));
        prop_assert!(joined(&joined(&a, &b), &c) == joined(&a, &joined(&b, &c)));
    }

    #[test]
    fn arrival_order_does_not_matter(records in records(), seed in any::<u64>()) {
        let mut shuffled = records.clone();
        let mut rng = swapwire::sim::Rng::new(seed);
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, rng.below(i + 1));
        }
        prop_assert!(store_of(&records) == store_of(&shuffled));
        // Caller slots and the heapless store agree.
        let mut slots = vec![Slot::EMPTY; 64];
        let mut in_slots = Store::in_slots(&mut slots);
        for r in &shuffled {
            in_slots.merge(r.clone()).unwrap();
        }
        prop_assert!(in_slots == store_of(&records));
    }

    #[test]
    fn a_summary_yields_exactly_what_the_peer_lacks(mine in records(), theirs in records()) {
        let (mine, theirs) = (store_of(&mine), store_of(&theirs));
        let (bytes, spaces) = summary_bytes(&theirs, &Profile::message("340-byte message", 340));
        let summary = Summary::parse(&bytes, None).unwrap();
        prop_assume!(spaces == summary.spaces() as usize);
        let sent: Vec<&Record> = missing_for(&mine, &summary).collect();
        let expected: Vec<&Record> = mine
            .iter()
            .filter(|r| theirs.get(r.key()).is_none_or(|held| held.revision() < r.revision()))
            .collect();
        prop_assert_eq!(sent, expected);
    }

    #[test]
    fn a_summary_from_any_key_claims_only_what_is_held(
        records in records(), origin in 0u32..4, seq in 0u32..40, payload in 11usize..=340,
    ) {
        let store = store_of(&records);
        summary_from(&store, &Profile::message("test", payload), report_id(origin, seq));
        summary_from(&store, &Profile::message("test", payload), Key::Source(seq));
    }

    #[test]
    fn random_bytes_never_panic_a_summary_reader(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(s) = Summary::parse(&bytes, Some(1)) {
            let _ = s.held_revision(report_id(1, 1));
        }
    }
}
