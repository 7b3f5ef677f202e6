//! Frames: the size targets of the links, golden bytes, round trips, and rejection of every
//! kind of bad frame.

mod field;

use field::{hex, reports_like_seed, reports_varying, seed_count, seed_exchange, unhex};
use proptest::prelude::*;
use swapwire::frame::{self, Feed, FrameKind, Header, Profile, StreamDecoder};
use swapwire::{Codec, Error, Field, Reason, Record};

/// Packs `records` into one frame and reads it back, returning the bytes and what they carry.
fn pack(profile: &Profile, sender: u32, records: &[Record]) -> (Vec<u8>, usize) {
    let mut buf = vec![0xA5; profile.payload];
    let w = frame::write_records(profile, sender, records, &mut buf).unwrap();
    buf.truncate(w.len);
    (buf, w.records)
}

/// The records of a frame (message, or already out of stream framing).
fn collect(frame: &[u8], sender: Option<u32>) -> Result<Vec<Record>, Error> {
    let mut got = Vec::new();
    frame::read_records(frame, sender, |r| {
        got.push(r);
        Ok(())
    })?;
    Ok(got)
}

/// Everything a frame of either framing carries.
fn unpack(profile: &Profile, sender: u32, bytes: &[u8]) -> Result<Vec<Record>, Error> {
    match profile.framing {
        frame::Framing::Message => collect(bytes, Some(sender)),
        frame::Framing::Stream => {
            let mut copy = bytes.to_vec();
            let inner = frame::unwrap_stream_frame(&mut copy)?;
            assert_eq!(Header::parse(inner, None)?.sender, Some(sender));
            collect(inner, None)
        }
    }
}

/// What a stream decoder with an `N`-byte buffer makes of `stream` fed in `piece`-byte chunks,
/// as a UART delivers them: for each delimiter, the records of a good frame or the error.
fn decode_stream<const N: usize>(stream: &[u8], piece: usize) -> Vec<Result<Vec<Record>, Error>> {
    let mut decoder = StreamDecoder::<N>::new();
    let mut out = Vec::new();
    for chunk in stream.chunks(piece) {
        let mut input = chunk;
        while !input.is_empty() {
            input = match decoder.feed(input) {
                Feed::Consumed => &[],
                Feed::Frame { frame, remaining } => {
                    out.push(collect(frame, None));
                    remaining
                }
                Feed::Rejected { error, remaining } => {
                    out.push(Err(error));
                    remaining
                }
            };
        }
    }
    out
}

#[test]
fn one_count_update_fits_us915_dr0() {
    let count = Record::Count(seed_count());
    assert_eq!(count.encoded_len(), 15); // kind byte + 14
    let (bytes, n) = pack(&Profile::LORAWAN_US915_DR0, 1, std::slice::from_ref(&count));
    assert_eq!(n, 1);
    assert!(bytes.len() <= 11);
    // header (v1, records, sender left to the link, 1 record), tag (count; seq 2 is a jump
    // from the start value 0+1), seq delta +1 zigzagged, flags, day 9196, parties RU holds UA
    // (table (1+1)*9+0), >16000, source 2 grade B2 (2*36+7)
    assert_eq!(hex(&bytes), "2109020bec471283e8074f");
    assert_eq!(unpack(&Profile::LORAWAN_US915_DR0, 1, &bytes).unwrap(), [count]);
}

#[test]
fn the_count_update_in_stream_framing() {
    let count = Record::Count(seed_count());
    let (bytes, _) = pack(&Profile::SERIAL, 1, std::slice::from_ref(&count));
    // COBS code 0x12 (no zero in the next 17 bytes), length 12, the frame — now naming sender 1
    // (header 0x29, then 01) — its CRC-32 as zlib computes it over length and frame, delimiter.
    assert_eq!(hex(&bytes), "120c290109020bec471283e8074f94be136300");
    assert_eq!(unpack(&Profile::SERIAL, 1, &bytes).unwrap(), [count]);
}

#[test]
fn seed_exchange_alone_in_a_frame() {
    let x = Record::Exchange(seed_exchange());
    assert_eq!(x.encoded_len(), 16);
    let (bytes, _) = pack(&Profile::LORAWAN_EU868_DR0, 1, std::slice::from_ref(&x));
    // header, tag (exchange, seq 1 follows the start value 0), the core's flags and date,
    // parties UA-RU (table 0*9+1), the three quantities, source 1 grade B2 (1*36+7)
    assert_eq!(hex(&bytes), "21000ecf470100b209002b");
}

#[test]
fn at_least_4_seed_like_reports_in_51_bytes() {
    for records in [reports_like_seed(1, 40), reports_varying(1, 40)] {
        let (bytes, n) = pack(&Profile::LORAWAN_EU868_DR0, 1, &records);
        assert!(n >= 4, "{n} reports in 51 bytes");
        assert!(bytes.len() <= 51);
        assert_eq!(unpack(&Profile::LORAWAN_EU868_DR0, 1, &bytes).unwrap(), records[..n]);
    }
    // The second report onwards: tag (same parties, source and date), flags, total, to_a, to_b.
    let (bytes, n) = pack(&Profile::LORAWAN_EU868_DR0, 1, &reports_like_seed(1, 40));
    assert_eq!((n, bytes.len()), (7, 50));
    // 0x27: seven records, so the count follows as a varint.
    assert_eq!(hex(&bytes[..18]), "2707000ecf470100b209002be00e00ea0900");
    assert_eq!(pack(&Profile::LORAWAN_EU868_DR0, 1, &reports_varying(1, 40)).1, 5);
}

#[test]
fn at_least_28_seed_like_reports_in_340_bytes() {
    // Iridium SBD through its serial modem: stream framing (length, CRC-32, COBS) included.
    let iridium = Profile::IRIDIUM_SBD_MO;
    for (records, expected) in [(reports_like_seed(1, 80), 51), (reports_varying(1, 80), 34)] {
        let (bytes, n) = pack(&iridium, 1, &records);
        assert!(n >= 28, "{n} reports in 340 bytes");
        assert_eq!(n, expected);
        assert!(bytes.len() <= 340);
        assert_eq!(unpack(&iridium, 1, &bytes).unwrap(), records[..n]);
    }
    let as_message = Profile::message("340-byte message", 340);
    assert_eq!(pack(&as_message, 1, &reports_like_seed(1, 80)).1, 52);
}

/// Reports per frame on every link: (profile, like the seed, varying in every elidable field).
/// The README's table comes from here.
const CAPACITY: [(Profile, usize, usize); 7] = [
    (Profile::LORAWAN_US915_DR0, 1, 1),
    (Profile::LORAWAN_EU868_DR0, 7, 5),
    (Profile::LORAWAN_EU868_DR3, 17, 11),
    (Profile::LORAWAN_EU868_DR4, 34, 23),
    (Profile::MESHTASTIC, 36, 24),
    (Profile::IRIDIUM_SBD_MO, 51, 34),
    (Profile::SERIAL, 38, 25),
];

#[test]
fn reports_per_frame_on_every_link() {
    for (profile, like_seed, varying) in CAPACITY {
        let fit = |records: Vec<Record>| {
            let mut buf = vec![0u8; profile.payload];
            match frame::write_records(&profile, 1, &records, &mut buf) {
                Ok(w) => w.records,
                Err(Error::BufferTooSmall) => 0,
                Err(e) => panic!("{e}"),
            }
        };
        let got = (fit(reports_like_seed(1, 100)), fit(reports_varying(1, 100)));
        assert_eq!(got, (like_seed, varying), "{}", profile.name);
    }
}

#[test]
fn every_profile_round_trips_the_seed_records() {
    let records: Vec<Record> = field::seed_records().into_iter().map(|(_, r)| r).collect();
    for profile in [
        Profile::LORAWAN_EU868_DR0,
        Profile::LORAWAN_EU868_DR3,
        Profile::LORAWAN_EU868_DR4,
        Profile::MESHTASTIC,
        Profile::IRIDIUM_SBD_MO,
        Profile::SERIAL,
    ] {
        let mut rest = &records[..];
        while !rest.is_empty() {
            let (bytes, n) = pack(&profile, 9, rest);
            assert!(n > 0 && bytes.len() <= profile.payload, "{}", profile.name);
            assert_eq!(unpack(&profile, 9, &bytes).unwrap(), rest[..n], "{}", profile.name);
            rest = &rest[n..];
        }
    }
}

/// `measure_records` lays out what `write_records` writes, and `write_records_with` (records
/// filled into one slot) writes the same bytes, on every link, for every start in the seeds.
#[test]
fn measured_and_filled_frames_match_write_records() {
    let records: Vec<Record> = field::seed_records().into_iter().map(|(_, r)| r).collect();
    for profile in [Profile::LORAWAN_EU868_DR0, Profile::MESHTASTIC, Profile::IRIDIUM_SBD_MO, Profile::SERIAL] {
        for start in 0..records.len() {
            let rest = &records[start..];
            let mut plain = vec![0xA5; 512];
            let w = frame::write_records(&profile, 9, rest, &mut plain).unwrap();
            let planned = frame::measure_records(&profile, 9, rest, 512).unwrap();
            assert_eq!(planned.records, w.records, "{} from {start}", profile.name);
            // Exact for messages; a bound for streams, whose COBS overhead depends on the bytes.
            assert!(planned.len >= w.len && planned.len <= w.len + 1, "{} from {start}", profile.name);
            if profile == Profile::MESHTASTIC {
                assert_eq!(planned.len, w.len);
            }
            // Into exactly the measured length: the same frame.
            let mut exact = vec![0xA5; planned.len];
            assert_eq!(frame::write_records(&profile, 9, rest, &mut exact), Ok(w));
            assert_eq!(exact[..w.len], plain[..w.len]);

            let mut slot = Record::blank_of(swapwire::Kind::Source);
            let mut calls = 0;
            let mut fill = |i: usize, slot: &mut Record| {
                calls += 1;
                slot.clone_from(&rest[i]);
                Ok(())
            };
            let measured = frame::measure_records_with(&profile, 9, rest.len(), &mut slot, &mut fill, 512);
            assert_eq!(measured, Ok(planned));
            let mut filled = vec![0xA5; 512];
            let got = frame::write_records_with(&profile, 9, rest.len(), &mut slot, &mut fill, &mut filled);
            assert_eq!(got, Ok(w), "{} from {start}", profile.name);
            assert_eq!(filled[..w.len], plain[..w.len]);
            // (Stream framing wraps in place, staging at the end of the buffer: only message
            // frames leave the bytes after them alone.)
            if profile == Profile::MESHTASTIC {
                assert!(filled[w.len..].iter().all(|&b| b == 0xA5), "nothing written past the frame");
            }
            assert!(calls >= 2 * w.records);
        }
    }
}

#[test]
fn a_failing_fill_fails_the_frame_and_writes_nothing() {
    let records = reports_like_seed(1, 3);
    let mut slot = Record::blank_of(swapwire::Kind::Count);
    let mut buf = [0xA5u8; 64];
    let fill = |i: usize, slot: &mut Record| {
        if i == 1 {
            return Err(Error::Invalid(Field::Quantity, Reason::RangeInverted));
        }
        slot.clone_from(&records[i]);
        Ok(())
    };
    let got = frame::write_records_with(&Profile::LORAWAN_EU868_DR0, 1, 3, &mut slot, fill, &mut buf);
    assert_eq!(got, Err(Error::Invalid(Field::Quantity, Reason::RangeInverted)));
    assert!(buf.iter().all(|&b| b == 0xA5));
    // An invalid record from `fill` is refused as write_records refuses it.
    let mut bad = records[0].clone();
    if let Record::Exchange(x) = &mut bad {
        x.side_b = x.side_a;
    }
    let fill = |_: usize, slot: &mut Record| {
        slot.clone_from(&bad);
        Ok(())
    };
    let got = frame::write_records_with(&Profile::LORAWAN_EU868_DR0, 1, 1, &mut slot, fill, &mut buf);
    assert_eq!(got, Err(Error::Invalid(Field::SideB, Reason::SameParty)));
    assert!(buf.iter().all(|&b| b == 0xA5));
    // No records: an empty frame, as write_records writes for none.
    let none: [Record; 0] = [];
    let mut empty = [0u8; 64];
    let w = frame::write_records(&Profile::LORAWAN_EU868_DR0, 1, none, &mut empty).unwrap();
    let got = frame::write_records_with(&Profile::LORAWAN_EU868_DR0, 1, 0, &mut slot, |_, _| Ok(()), &mut buf);
    assert_eq!(got, Ok(w));
}

#[test]
fn a_record_too_big_for_the_link_is_an_error() {
    let source = field::vector("edge-worst-source"); // 48-byte name
    let mut buf = [0u8; 11];
    assert_eq!(frame::write_records(&Profile::LORAWAN_US915_DR0, 1, [&source], &mut buf), Err(Error::BufferTooSmall));
}

#[test]
fn message_frames_need_a_sender_from_the_link() {
    let (bytes, _) = pack(&Profile::LORAWAN_EU868_DR0, 1, &reports_like_seed(1, 3));
    assert_eq!(frame::read_records(&bytes, None, |_| Ok(())), Err(Error::UnknownSender));
    // Records of another origin carry it, so they read without one.
    let relayed = reports_like_seed(5, 2);
    let (bytes, _) = pack(&Profile::LORAWAN_EU868_DR0, 1, &relayed);
    assert_eq!(collect(&bytes, None).unwrap(), relayed);
}

#[test]
fn every_truncation_of_a_frame_is_rejected() {
    let records = reports_varying(3, 6);
    let (bytes, n) = pack(&Profile::LORAWAN_EU868_DR3, 3, &records);
    assert_eq!(n, 6);
    for cut in 0..bytes.len() {
        let r = frame::read_records(&bytes[..cut], Some(3), |_| Ok(()));
        assert!(r.is_err(), "accepted {} of {} bytes", cut, bytes.len());
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(frame::read_records(&longer, Some(3), |_| Ok(())), Err(Error::TrailingBytes));
}

#[test]
fn bad_headers_are_rejected() {
    let (bytes, _) = pack(&Profile::LORAWAN_EU868_DR0, 1, &reports_like_seed(1, 2));
    for version in [0u8, 2, 7] {
        let mut b = bytes.clone();
        b[0] = b[0] & 0x1f | version << 5;
        assert_eq!(frame::read_records(&b, Some(1), |_| Ok(())), Err(Error::UnknownVersion));
    }
    // A count of 2 behind the escape: the same frame in one byte more.
    let mut escaped = vec![bytes[0] | 0b111, 2];
    escaped.extend_from_slice(&bytes[1..]);
    assert_eq!(frame::read_records(&escaped, Some(1), |_| Ok(())), Err(Error::NonCanonical));
    // A summary is not a records frame.
    let mut summary = bytes.clone();
    summary[0] |= 1 << 4;
    assert_eq!(Header::parse(&summary, Some(1)).unwrap().kind, FrameKind::Summary);
    assert_eq!(frame::read_records(&summary, Some(1), |_| Ok(())), Err(Error::Malformed));
}

#[test]
fn invalid_records_reject_the_frame() {
    let good = unhex("2109020bec471283e8074f");
    frame::read_records(&good, Some(1), |_| Ok(())).unwrap();
    // The seed count frame with its quantity replaced by 1 under the "unknown" qualifier.
    let bad = [&good[..7], &[0x08], &good[10..]].concat();
    assert_eq!(
        frame::read_records(&bad, Some(1), |_| Ok(())),
        Err(Error::Invalid(Field::Quantity, Reason::NonCanonical))
    );
    // A UK (reserved, not assigned) holder: 90 + ((UK + 1) * 676 + UA) in full form.
    let uk = 90 + (20 * 26 + 10 + 1) * 676 + 20 * 26;
    let mut parties = Vec::new();
    let mut v = uk;
    while v >= 0x80 {
        parties.push((v as u8) | 0x80);
        v >>= 7;
    }
    parties.push(v as u8);
    let bad = [&good[..6], &parties[..], &good[7..]].concat();
    assert_eq!(
        frame::read_records(&bad, Some(1), |_| Ok(())),
        Err(Error::Invalid(Field::Holder, Reason::UnknownCountry))
    );
    // An unknown record kind.
    let mut bad = good.clone();
    bad[1] |= 0b11;
    assert_eq!(frame::read_records(&bad, Some(1), |_| Ok(())), Err(Error::UnknownKind));
    // A padded varint.
    let mut bad = good[..2].to_vec();
    bad.extend_from_slice(&[0x82, 0x00]);
    bad.extend_from_slice(&good[3..]);
    assert_eq!(frame::read_records(&bad, Some(1), |_| Ok(())), Err(Error::NonCanonical));
}

#[test]
fn stream_frames_resynchronise_after_garbage() {
    let profile = Profile::SERIAL;
    let batches = [reports_like_seed(2, 5), reports_varying(2, 5), reports_like_seed(4, 3)];
    let frames: Vec<Vec<u8>> = batches.iter().map(|b| pack(&profile, 2, b).0).collect();
    // garbage, a frame's second half, a whole frame, a damaged frame, a whole frame
    let mut stream = vec![0x13, 0x37, 0xff];
    stream.extend_from_slice(&frames[0][frames[0].len() / 2..]);
    stream.extend_from_slice(&frames[1]);
    let mut damaged = frames[0].clone();
    damaged[5] ^= 0x10;
    stream.extend_from_slice(&damaged);
    stream.extend_from_slice(&frames[2]);

    let decoded = decode_stream::<512>(&stream, 7);
    let expected = [Err(Error::BadChecksum), Ok(batches[1].clone()), Err(Error::BadChecksum), Ok(batches[2].clone())];
    assert_eq!(decoded, expected);
}

#[test]
fn a_stream_frame_longer_than_the_decoder_is_rejected_and_the_next_one_read() {
    let big = pack(&Profile::IRIDIUM_SBD_MO, 1, &reports_like_seed(1, 40)).0;
    let small = pack(&Profile::SERIAL, 1, &reports_like_seed(1, 2)).0;
    let decoded = decode_stream::<64>(&[big, small].concat(), 1000);
    assert_eq!(decoded, [Err(Error::BufferTooSmall), Ok(reports_like_seed(1, 2))]);
}

proptest! {
    #[test]
    fn frames_round_trip(records in prop::collection::vec(field::record(), 1..30), sender in 0u32..4, big in any::<bool>()) {
        let profile = if big { Profile::IRIDIUM_SBD_MO } else { Profile::LORAWAN_EU868_DR3 };
        let mut rest = &records[..];
        while !rest.is_empty() {
            let mut buf = [0xA5u8; 340];
            let w = match frame::write_records(&profile, sender, rest, &mut buf) {
                Ok(w) => w,
                Err(Error::BufferTooSmall) => { rest = &rest[1..]; continue; }
                Err(e) => panic!("{e}"),
            };
            prop_assert!(w.records > 0 && w.len <= profile.payload);
            prop_assert_eq!(unpack(&profile, sender, &buf[..w.len]).unwrap(), &rest[..w.records]);
            rest = &rest[w.records..];
        }
    }

    #[test]
    fn random_bytes_never_panic_a_frame_reader(bytes in prop::collection::vec(any::<u8>(), 0..80), sender in prop::option::of(0u32..3)) {
        let _ = frame::read_records(&bytes, sender, |_| Ok(()));
        let _ = Header::parse(&bytes, sender);
    }

    #[test]
    fn random_bytes_never_yield_a_record_from_a_stream(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        for frame in decode_stream::<256>(&bytes, 64) {
            prop_assert!(frame.is_err() || frame.unwrap().is_empty(), "random bytes made a frame");
        }
    }

    #[test]
    fn damaged_frames_never_yield_other_records(records in prop::collection::vec(field::record(), 1..12), flips in prop::collection::vec(any::<u16>(), 1..4), cut in any::<u16>(), truncate in any::<bool>()) {
        let profile = Profile::SERIAL;
        let mut buf = [0u8; 255];
        let Ok(w) = frame::write_records(&profile, 1, &records, &mut buf) else { return Ok(()) };
        let mut damaged = buf[..w.len].to_vec();
        for f in &flips {
            let bit = *f as usize % (damaged.len() * 8);
            damaged[bit / 8] ^= 1 << (bit % 8);
        }
        if truncate {
            damaged.truncate(cut as usize % damaged.len());
        }
        if damaged != buf[..w.len] {
            for frame in decode_stream::<256>(&damaged, 16).into_iter().flatten() {
                prop_assert_eq!(&frame[..], &records[..w.records]);
            }
        }
    }
}
