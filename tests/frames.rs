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
    // The leading delimiter, COBS code 0x12 (no zero in the next 17 bytes), length 12, the
    // frame — now naming sender 1 (header 0x29, then 01) — its CRC-32 as zlib computes it over
    // length and frame, the closing delimiter.
    assert_eq!(hex(&bytes), "00120c290109020bec471283e8074f94be136300");
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
    (Profile::SERIAL, 37, 25),
];

#[test]
fn reports_per_frame_on_every_link() {
    for (profile, like_seed, varying) in CAPACITY {
        let fit = |records: Vec<Record>| {
            let mut buf = vec![0u8; profile.payload];
            match frame::write_records(&profile, 1, &records, &mut buf) {
                Ok(w) => w.records,
                Err(Error::TooLargeForLink) => 0,
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

/// Every way of laying out a frame of `records` agrees on its error: the writers, the
/// measurer, and the filled forms.
fn frame_error(profile: &Profile, records: &[Record], out_len: usize) -> Error {
    let mut buf = vec![0xA5; out_len];
    let err = frame::write_records(profile, 1, records, &mut buf).unwrap_err();
    assert!(buf.iter().all(|&b| b == 0xA5), "wrote on {err}");
    assert_eq!(frame::measure_records(profile, 1, records, out_len), Err(err));
    let mut slot = Record::blank_of(swapwire::Kind::Count);
    let fill = |i: usize, slot: &mut Record| {
        *slot = records[i].clone();
        Ok(())
    };
    assert_eq!(frame::write_records_with(profile, 1, records.len(), &mut slot, fill, &mut buf), Err(err));
    assert_eq!(frame::measure_records_with(profile, 1, records.len(), &mut slot, fill, out_len), Err(err));
    err
}

#[test]
fn a_record_too_big_for_the_link_is_too_large_for_link() {
    let source = field::vector("edge-worst-source"); // 64-byte name, 76 bytes standalone
    let count = Record::Count(seed_count());
    let tiny_stream = Profile::stream("tiny stream", 24);
    for (profile, out_len) in [
        (Profile::LORAWAN_US915_DR0, 11),
        (Profile::LORAWAN_US915_DR0, 512), // a bigger buffer does not help
        (Profile::LORAWAN_EU868_DR0, 51),
        (tiny_stream, 24),
        (tiny_stream, 10), // nor does a smaller one change the answer: the link is the limit
    ] {
        let err = frame_error(&profile, std::slice::from_ref(&source), out_len);
        assert_eq!(err, Error::TooLargeForLink, "{} into {out_len} bytes", profile.name);
        assert_eq!(err.to_string(), "record too large for the link's frames");
        // Only the first record offered counts: the ones behind it are not blamed for it...
        let err = frame_error(&profile, &[source.clone(), count.clone()], out_len);
        assert_eq!(err, Error::TooLargeForLink);
    }
    // ...and once it is skipped the next one travels, as it does after records that fit.
    let mut buf = [0u8; 11];
    let w = frame::write_records(&Profile::LORAWAN_US915_DR0, 1, [&count, &source], &mut buf).unwrap();
    assert_eq!(w.records, 1);
    assert_eq!(unpack(&Profile::LORAWAN_US915_DR0, 1, &buf[..w.len]).unwrap(), std::slice::from_ref(&count));
    let mut buf = [0u8; 24];
    let w = frame::write_records(&tiny_stream, 1, [&count, &source], &mut buf).unwrap();
    assert_eq!(unpack(&tiny_stream, 1, &buf[..w.len]).unwrap(), [count]);
}

#[test]
fn a_record_that_fits_the_link_but_not_the_buffer_is_buffer_too_small() {
    let count = Record::Count(seed_count());
    let source = field::vector("edge-worst-source");
    // The count takes all 11 bytes of a US915 DR0 message: 10 bytes of buffer are the limit.
    for (profile, out_len) in [(Profile::LORAWAN_US915_DR0, 10), (Profile::LORAWAN_US915_DR0, 0), (Profile::SERIAL, 12)]
    {
        let err = frame_error(&profile, std::slice::from_ref(&count), out_len);
        assert_eq!(err, Error::BufferTooSmall, "{} into {out_len} bytes", profile.name);
        assert_eq!(err.to_string(), "output buffer too small");
    }
    // The source fits a serial frame, not 40 bytes of buffer.
    assert_eq!(frame_error(&Profile::SERIAL, &[source.clone(), count.clone()], 40), Error::BufferTooSmall);
    let mut buf = [0u8; 255];
    assert_eq!(frame::write_records(&Profile::SERIAL, 1, [&source], &mut buf).map(|w| w.records), Ok(1));
}

#[test]
fn a_missing_record_too_large_for_the_link_is_skipped_and_the_rest_sent() {
    use swapwire::store::FixedStore;
    use swapwire::summary::{missing_for, Summary};
    let mut count = seed_count();
    count.origin = 1;
    let mut store = FixedStore::<4>::new();
    store.merge(field::vector("edge-worst-source")).unwrap();
    store.merge(Record::Count(count.clone())).unwrap();
    let profile = Profile::LORAWAN_US915_DR0;
    let mut buf = [0u8; 11];
    // Sources sort first: the long-named one is the first record the peer lacks.
    let missing = || missing_for(&store, &Summary::EMPTY);
    assert_eq!(frame::write_records(&profile, 1, missing(), &mut buf), Err(Error::TooLargeForLink));
    assert_eq!(frame::measure_records(&profile, 1, missing(), 11), Err(Error::TooLargeForLink));
    let w = frame::write_records(&profile, 1, missing().skip(1), &mut buf).unwrap();
    assert_eq!(unpack(&profile, 1, &buf[..w.len]).unwrap(), [Record::Count(count)]);
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
                Err(Error::TooLargeForLink) => { rest = &rest[1..]; continue; }
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

/// Unwraps `bytes` both ways, `frame::unwrap_stream_frame` on a copy and
/// `frame::unwrap_stream_frame_into` from the bytes as they are, and checks that they agree
/// (and `frame::stream_frame_len` with them): the same frame (in an `out` of its exact size too) or the same error, with `out` (filled
/// with 0xA5) untouched on every failure, and `BufferTooSmall` with `out` one byte short.
fn unwrap_both_ways(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let mut copy = bytes.to_vec();
    let expected = frame::unwrap_stream_frame(&mut copy).map(<[u8]>::to_vec);
    let mut out = vec![0xA5u8; bytes.len() + 8];
    let got = frame::unwrap_stream_frame_into(bytes, &mut out);
    assert_eq!(frame::stream_frame_len(bytes), expected.as_ref().map(Vec::len).map_err(|e| *e), "{}", hex(bytes));
    match &expected {
        Ok(f) => {
            assert_eq!(got, Ok(f.len()), "{}", hex(bytes));
            assert_eq!(out[..f.len()], f[..], "{}", hex(bytes));
            assert!(out[f.len()..].iter().all(|&b| b == 0xA5), "wrote past the frame: {}", hex(bytes));
            let mut exact = vec![0xA5u8; f.len()];
            assert_eq!(frame::unwrap_stream_frame_into(bytes, &mut exact), Ok(f.len()));
            assert_eq!(exact, *f);
            if let Some(short) = f.len().checked_sub(1) {
                let mut short = vec![0xA5u8; short];
                assert_eq!(frame::unwrap_stream_frame_into(bytes, &mut short), Err(Error::BufferTooSmall));
                assert!(short.iter().all(|&b| b == 0xA5), "wrote on BufferTooSmall: {}", hex(bytes));
            }
        }
        Err(e) => {
            assert_eq!(got, Err(*e), "{}", hex(bytes));
            assert!(out.iter().all(|&b| b == 0xA5), "wrote on failure: {}", hex(bytes));
        }
    }
    expected
}

/// `varint(len) ‖ frame ‖ crc` COBS-encoded with its delimiter, from raw parts (a length
/// varint and CRC input of the test's choosing), for envelopes `write_records` never makes.
fn envelope(len: &[u8], frame: &[u8], crc_of_len: &[u8], extra: &[u8]) -> Vec<u8> {
    const CRC: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);
    let mut digest = CRC.digest();
    digest.update(crc_of_len);
    digest.update(frame);
    let inner = [len, frame, &digest.finalize().to_le_bytes()[..], extra].concat();
    let mut out = vec![0u8; cobs::max_encoding_length(inner.len()) + 1];
    let n = cobs::encode(&inner, &mut out);
    out.truncate(n);
    out.push(0);
    out
}

/// The minimal LEB128 varint of `v`.
fn varint(mut v: usize) -> Vec<u8> {
    let mut out = Vec::new();
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
    out
}

/// Every single-byte change (all 255 other values at each position, or `values` of them) and
/// every truncation of `bytes`: both unwrappers agree on each.
fn mutations_agree(bytes: &[u8], values: &[u8]) {
    for i in 0..bytes.len() {
        let mut copy = bytes.to_vec();
        let all: Vec<u8> = (0..=255).collect();
        for &v in if values.is_empty() { &all[..] } else { values } {
            if v != bytes[i] {
                copy[i] = v;
                unwrap_both_ways(&copy).ok();
            }
        }
    }
    for cut in 0..=bytes.len() {
        unwrap_both_ways(&bytes[..cut]).ok();
    }
}

#[test]
fn unwrapping_from_read_only_bytes_agrees_on_the_golden_vectors() {
    let mut names: Vec<String> = std::fs::read_dir(field::root().join("tests/vectors"))
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().into_string().unwrap().strip_suffix(".hex").map(String::from))
        .collect();
    names.sort();
    assert!(names.len() >= 20, "{names:?}");
    let records: Vec<Record> = names.iter().map(|n| field::vector(n)).collect();
    for profile in [Profile::SERIAL, Profile::IRIDIUM_SBD_MO] {
        let mut frames: Vec<(Vec<u8>, usize)> =
            records.iter().map(|r| pack(&profile, 5, std::slice::from_ref(r))).collect();
        frames.push(pack(&profile, 5, &records));
        for (stream, _) in &frames {
            let frame = unwrap_both_ways(stream).unwrap();
            assert_eq!(Header::parse(&frame, None).unwrap().sender, Some(5));
            // Without the delimiter; with garbage (and more frames) after it.
            assert_eq!(unwrap_both_ways(&stream[..stream.len() - 1]), Ok(frame.clone()));
            let mut after = stream.clone();
            after.extend_from_slice(&[0x13, 0x00, 0xff, 0x37]);
            assert_eq!(unwrap_both_ways(&after), Ok(frame.clone()));
            after.extend_from_slice(stream);
            assert_eq!(unwrap_both_ways(&after), Ok(frame.clone()));
        }
        // Every change of a byte and every cut of a one-record frame and of the full one.
        mutations_agree(&frames[0].0, &[]);
        mutations_agree(&frames[frames.len() - 1].0, &[0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff]);
    }
    // A full Iridium frame, longer than one COBS run.
    let (big, _) = pack(&Profile::IRIDIUM_SBD_MO, 1, &reports_like_seed(1, 60));
    assert!(big.len() > 320, "{}", big.len());
    unwrap_both_ways(&big).unwrap();
    mutations_agree(&big, &[0x00, 0x01, 0xfe, 0xff]);
}

#[test]
fn unwrapping_from_read_only_bytes_agrees_on_odd_envelopes() {
    let frame = unhex("2109020bec471283e8074f");
    let cases = [
        envelope(&[11], &frame, &[11], &[]),                 // good
        envelope(&[11], &frame, &[11], &[0x01]),             // a byte after the CRC
        envelope(&[0x8b, 0x00], &frame, &[0x8b, 0x00], &[]), // padded length
        envelope(&[0x8b, 0x00], &frame, &[11], &[]),
        envelope(&[12], &frame, &[12], &[]), // longer than what is there
        envelope(&[10], &frame, &[10], &[]), // shorter
        envelope(&[0x8c, 0x80, 0x80, 0x80, 0x80, 0x00], &[], &[], &[]), // six bytes
        envelope(&[0x80, 0x80, 0x80, 0x80, 0x10], &[], &[], &[]), // past u32
        envelope(&[0xff, 0xff, 0xff, 0xff, 0x0f], &[], &[0xff, 0xff, 0xff, 0xff, 0x0f], &[]), // u32::MAX
        envelope(&[0], &[], &[0], &[]),      // the empty frame is a frame
        envelope(&[], &[], &[], &[]),        // no length at all
        envelope(&[], &[0x01, 0x02, 0x03], &[], &[]),
    ];
    let results: Vec<_> = cases.iter().map(|c| unwrap_both_ways(c).map(|f| f.len())).collect();
    assert_eq!(results[0], Ok(11));
    assert_eq!(results[9], Ok(0));
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 2, "{results:?}");
    for case in &cases {
        mutations_agree(case, &[]);
    }
    // COBS edge cases: empty input, lone and leading delimiters, a code byte running past the
    // end, a run of 0xff codes, a final code byte of 1.
    for bytes in [
        &[][..],
        &[0],
        &[0, 0],
        &[0x05, 0x01, 0x00],
        &[0x05, 0x01],
        &[0xff],
        &[0xff, 0x00],
        &[0x01],
        &[0x01, 0x01, 0x01],
        &[0x02, 0x0b, 0x01, 0x00],
    ] {
        assert_eq!(unwrap_both_ways(bytes), Err(Error::BadChecksum));
    }
    // Leading delimiters are skipped (a written stream frame starts with one).
    let mut led = vec![0u8, 0];
    led.extend_from_slice(&cases[0]);
    assert!(unwrap_both_ways(&cases[0]).is_ok());
    assert_eq!(unwrap_both_ways(&led), unwrap_both_ways(&cases[0]));
    // Frames without zeros around one and two full COBS runs (0xff code bytes), and with
    // zeros only: every length from 240 to 520 bytes.
    for len in (0..20).chain(240..=270).chain(495..=520) {
        for fill in [0x11u8, 0x00] {
            let frame = vec![fill; len];
            let bytes = envelope(&varint(len), &frame, &varint(len), &[]);
            assert_eq!(unwrap_both_ways(&bytes), Ok(frame.clone()), "{len}");
            assert_eq!(unwrap_both_ways(&bytes[..bytes.len() - 1]), Ok(frame), "{len}");
            for cut in bytes.len().saturating_sub(8)..bytes.len() - 1 {
                unwrap_both_ways(&bytes[..cut]).ok();
            }
        }
    }
}

#[test]
fn unwrapping_from_read_only_bytes_agrees_on_random_bytes() {
    let mut rng = swapwire::sim::Rng::new(0x5EED_0007);
    let mut good = 0;
    for round in 0..4000 {
        let len = rng.below(600);
        let bytes: Vec<u8> = match round % 4 {
            // Random bytes, then random bytes with many zeros.
            0 => (0..len).map(|_| rng.next_u64() as u8).collect(),
            1 => (0..len).map(|_| if rng.chance(0.1) { 0 } else { rng.next_u64() as u8 }).collect(),
            // Random COBS without a zero in it (every code byte's run may be wrong).
            2 => (0..len).map(|_| (rng.next_u64() % 255) as u8 + 1).collect(),
            // A good envelope of a random frame, then damaged or cut now and then.
            _ => {
                let frame: Vec<u8> =
                    (0..len / 2).map(|_| if rng.chance(0.3) { 0 } else { rng.next_u64() as u8 }).collect();
                let mut bytes = envelope(&varint(frame.len()), &frame, &varint(frame.len()), &[]);
                if rng.chance(0.5) {
                    let at = rng.below(bytes.len());
                    bytes[at] = rng.next_u64() as u8;
                }
                if rng.chance(0.2) {
                    bytes.truncate(rng.below(bytes.len() + 1));
                }
                bytes
            }
        };
        good += usize::from(unwrap_both_ways(&bytes).is_ok());
    }
    assert!(good > 300, "{good} good envelopes");
}
