//! The on-target test: decodes and re-encodes every golden vector byte-exact, checks every line
//! of `bad.txt` fails with its error, round-trips all vectors through message and stream
//! frames and a store, and measures each entry point's stack by painting. Prints one line per
//! failure, the stack table, and `N passed, N failed`; exits non-zero on any failure.
//!
//! Run: `cd firmware && cargo run --release --bin vectors` (QEMU, `mps2-an386`, semihosting).
#![no_std]
#![no_main]

use core::hint::black_box;

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};
use swapwire::frame::{self, Feed, Profile, StreamDecoder};
use swapwire::store::FixedStore;
use swapwire::summary::{self, Summary};
use swapwire::{Codec, Error, Kind, Record};
use swapwire_firmware::vectors::{BAD, VECTORS};
use swapwire_firmware::{error_matches, stack_used, SEED_EXCHANGE};

/// Room for every golden vector's record.
const MAX_VECTORS: usize = 32;

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    hprintln!("panic: {}", info);
    debug::exit(debug::EXIT_FAILURE);
    // Semihosting has ended the run; on real hardware without a debugger, park here.
    loop {
        core::hint::spin_loop();
    }
}

/// Tallies checks and the worst stack seen per entry point.
struct Run {
    passed: u32,
    failed: u32,
    stacks: [(&'static str, usize); 16],
}

impl Run {
    fn check(&mut self, ok: bool, what: &str, name: &str) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
            hprintln!("FAIL {}: {}", what, name);
        }
    }

    /// Runs `f` with stack painting and keeps the worst depth under `entry`.
    fn measure(&mut self, entry: &'static str, f: &mut dyn FnMut()) {
        let used = stack_used(f);
        if let Some(slot) = self.stacks.iter_mut().find(|(e, _)| *e == entry) {
            slot.1 = slot.1.max(used);
        }
    }
}

#[entry]
fn main() -> ! {
    let mut run = Run {
        passed: 0,
        failed: 0,
        stacks: [
            ("Record::decode", 0),
            ("Record::decode_into", 0),
            ("Record::encode", 0),
            ("frame::write_records", 0),
            ("frame::write_records_with_lent", 0),
            ("frame::read_records", 0),
            ("frame::read_records_ref", 0),
            ("frame::read_records_with", 0),
            ("StreamDecoder::feed", 0),
            ("frame::unwrap_stream_frame_into", 0),
            ("Store::merge", 0),
            ("Store::merge_ref", 0),
            ("Store::apply_frame", 0),
            ("Store::apply_frame_with", 0),
            ("summary::write_summary", 0),
            ("Summary::parse", 0),
        ],
    };
    let mut records = heapless::Vec::<Record, MAX_VECTORS>::new();

    // Golden vectors: decode, re-encode into a buffer pre-filled with 0xA5, compare.
    for &(name, bytes) in VECTORS {
        let mut decoded = Err(Error::Malformed);
        run.measure("Record::decode", &mut || decode_into(bytes, &mut decoded));
        let Ok(record) = decoded else {
            run.check(false, "decode", name);
            continue;
        };
        let (mut slot, mut in_place) = (Record::blank_of(record.kind()), Err(Error::Malformed));
        run.measure("Record::decode_into", &mut || decode_in_place(bytes, &mut slot, &mut in_place));
        run.check(in_place.is_ok() && slot == record, "decode_into", name);
        let mut buf = [0xA5u8; Record::MAX_SIZE + 8];
        let mut written = Err(Error::Malformed);
        run.measure("Record::encode", &mut || encode_into(&record, &mut buf, &mut written));
        let ok = matches!(written, Ok(n) if buf.get(..n) == Some(bytes) && buf[n..].iter().all(|&b| b == 0xA5));
        run.check(ok, "re-encode byte-exact", name);
        run.check(Record::decode_prefix(bytes).map(|(_, used)| used) == Ok(bytes.len()), "decode_prefix", name);
        if records.push(record).is_err() {
            run.check(false, "room for every vector", name);
        }
    }

    // The footprint binaries' input is the golden seed exchange.
    let seed = VECTORS.iter().find(|(name, _)| *name == "seed-exchange-1-1");
    run.check(seed.is_some_and(|(_, bytes)| *bytes == &SEED_EXCHANGE[..]), "footprint input", "SEED_EXCHANGE");

    // bad.txt: every line fails with the error it names.
    for &(bytes, expected) in BAD {
        let mut result = Err(Error::Malformed);
        run.measure("Record::decode", &mut || decode_into(bytes, &mut result));
        run.check(matches!(result, Err(e) if error_matches(e, expected)), "bad input", expected);
        let (mut slot, mut in_place) = (Record::blank_of(Kind::Exchange), Ok(()));
        run.measure("Record::decode_into", &mut || decode_in_place(bytes, &mut slot, &mut in_place));
        run.check(matches!(in_place, Err(e) if error_matches(e, expected)), "bad input in place", expected);
    }

    // Frames: every vector's record through message and stream frames, in order.
    let mut out = [0u8; 512];
    let mut decoder = StreamDecoder::<512>::new();
    // The record slot the `_with` readers decode into: the caller's, like `decode_into`'s.
    let mut slot = Record::blank_of(Kind::Source);
    for profile in [Profile::MESHTASTIC, Profile::SERIAL] {
        let mut done = 0;
        while done < records.len() {
            let rest = &records[done..];
            let mut written = None;
            run.measure("frame::write_records", &mut || {
                written = Some(frame::write_records(&profile, 7, rest, &mut out))
            });
            let Some(Ok(w)) = written else {
                run.check(false, "write frame", profile.name);
                break;
            };
            // The same frame from records filled into the caller's slot, into bytes asked for
            // once it is laid out: exactly those bytes, and nothing written past them.
            let (mut lent_out, mut asked, mut lent) = ([0xA5u8; 512], 0, None);
            run.measure("frame::write_records_with_lent", &mut || {
                let fill = |i: usize, r: &mut Record| match rest.get(i) {
                    Some(record) => {
                        r.clone_from(record);
                        Ok(())
                    }
                    None => Err(Error::Malformed),
                };
                lent = Some(frame::write_records_with_lent(&profile, 7, rest.len(), &mut slot, fill, 512, |n| {
                    asked = n;
                    lent_out.get_mut(..n).ok_or(Error::BufferTooSmall)
                }))
            });
            let same = matches!(lent, Some(Ok(l)) if l == w && lent_out[..w.len] == out[..w.len])
                && asked >= w.len
                && lent_out[asked..].iter().all(|&b| b == 0xA5);
            run.check(same, "write_records_with_lent gives write_records' frame", profile.name);
            // The frame as the receiver gets it: the message itself, or what the stream
            // decoder takes out of the length, CRC and COBS (copied out of its buffer).
            let mut copy = [0u8; 512];
            let input = &out[..w.len];
            let len = match profile.framing {
                frame::Framing::Message => {
                    copy[..w.len].copy_from_slice(input);
                    Some(w.len)
                }
                frame::Framing::Stream => {
                    let mut fed = None;
                    run.measure("StreamDecoder::feed", &mut || {
                        fed = match decoder.feed(input) {
                            Feed::Frame { frame, remaining: [] } => {
                                copy[..frame.len()].copy_from_slice(frame);
                                Some(frame.len())
                            }
                            _ => None,
                        }
                    });
                    // One stream frame unwrapped from bytes left as they are: the same frame.
                    let (mut alone, mut unwrapped) = ([0xA5u8; 512], None);
                    run.measure("frame::unwrap_stream_frame_into", &mut || {
                        unwrapped = Some(frame::unwrap_stream_frame_into(input, &mut alone))
                    });
                    let same = matches!((unwrapped, fed), (Some(Ok(n)), Some(m)) if n == m && alone[..n] == copy[..m]);
                    run.check(same, "unwrap_stream_frame_into gives the decoder's frame", profile.name);
                    fed
                }
            };
            let Some(len) = len else {
                run.check(false, "stream decoder yields the frame", profile.name);
                break;
            };
            let payload = &copy[..len];
            let sender = match profile.framing {
                frame::Framing::Message => Some(7),
                frame::Framing::Stream => None,
            };
            let mut got = heapless::Vec::<Record, MAX_VECTORS>::new();
            let mut read = None;
            run.measure("frame::read_records", &mut || {
                read = Some(frame::read_records(payload, sender, |r| got.push(r).map_err(|_| Error::BufferTooSmall)))
            });
            let ok = matches!(read, Some(Ok(_))) && got.as_slice() == &records[done..done + w.records];
            run.check(ok, "frame round trip", profile.name);
            let (mut seen, mut same, mut lent) = (0, true, None);
            run.measure("frame::read_records_ref", &mut || {
                lent = Some(frame::read_records_ref(payload, sender, |r| {
                    same &= records.get(done + seen) == Some(r);
                    seen += 1;
                    Ok(())
                }))
            });
            run.check(matches!(lent, Some(Ok(_))) && same && seen == w.records, "frame lent round trip", profile.name);
            // The same with the slot in the caller's frame, outside the measured span.
            let (mut seen, mut same, mut lent) = (0, true, None);
            run.measure("frame::read_records_with", &mut || {
                lent = Some(frame::read_records_with(payload, sender, &mut slot, |r| {
                    same &= records.get(done + seen) == Some(r);
                    seen += 1;
                    Ok(())
                }))
            });
            run.check(matches!(lent, Some(Ok(_))) && same && seen == w.records, "frame slot round trip", profile.name);
            done += w.records.max(1);
        }
    }

    // Store and anti-entropy: merge everything, send a frame, compare summaries.
    let mut a = FixedStore::<MAX_VECTORS>::new();
    let mut b = FixedStore::<MAX_VECTORS>::new();
    let mut c = FixedStore::<MAX_VECTORS>::new();
    // Merged twice, by value into one store and by reference into another: both must agree.
    let mut by_ref = FixedStore::<MAX_VECTORS>::new();
    for r in &records {
        // The record merge takes by value is the caller's, in the measured frame; the clone
        // that makes it is not merge's work, so it is made before the measurement.
        let (mut merged, mut owned) = (None, Some(r.clone()));
        run.measure("Store::merge", &mut || merged = owned.take().map(|r| a.merge(r)));
        run.check(matches!(merged, Some(Ok(_))), "store merge", "");
        let mut merged_ref = None;
        run.measure("Store::merge_ref", &mut || merged_ref = Some(by_ref.merge_ref(r)));
        run.check(merged_ref.is_some() && merged_ref == merged, "store merge_ref", "");
    }
    run.check(a == by_ref, "merge and merge_ref agree", "");
    let profile = Profile::MESHTASTIC;
    let mut written = None;
    run.measure("summary::write_summary", &mut || written = Some(summary::write_summary(&b, &profile, 2, &mut out)));
    let Some(Ok(w)) = written else {
        run.check(false, "write summary", "");
        finish(&run);
    };
    let summary_bytes = &out[..w.len];
    let mut parsed = None;
    run.measure("Summary::parse", &mut || parsed = Some(Summary::parse(summary_bytes, Some(2))));
    let Some(Ok(peer)) = parsed else {
        run.check(false, "parse summary", "");
        finish(&run);
    };
    let mut frame_buf = [0u8; 512];
    let missing = summary::missing_for(&a, &peer);
    let mut sent = 0;
    let all: heapless::Vec<&Record, MAX_VECTORS> = missing.collect();
    while sent < all.len() {
        let Ok(w) = frame::write_records(&profile, 1, all[sent..].iter().copied(), &mut frame_buf) else {
            run.check(false, "write sync frame", "");
            break;
        };
        let bytes = &frame_buf[..w.len];
        let mut applied = None;
        run.measure("Store::apply_frame", &mut || applied = Some(b.apply_frame(bytes, Some(1))));
        run.check(matches!(applied, Some(Ok(_))), "apply frame", "");
        let mut applied_with = None;
        run.measure("Store::apply_frame_with", &mut || {
            applied_with = Some(c.apply_frame_with(bytes, Some(1), &mut slot))
        });
        run.check(applied_with.is_some() && applied_with == applied, "apply frame with a slot", "");
        sent += w.records.max(1);
    }
    run.check(a.iter().eq(b.iter()), "stores converge", "");
    run.check(b == c, "apply_frame and apply_frame_with agree", "");
    finish(&run)
}

/// The decode call a measurement makes: the library function writing into the caller's slot,
/// with no harness temporaries around it, so the depth is the library's (plus one call).
#[inline(never)]
fn decode_into(bytes: &[u8], out: &mut Result<Record, Error>) {
    *out = Record::decode(black_box(bytes));
}

/// As [`decode_into`], for decoding in place into a record the caller keeps.
#[inline(never)]
fn decode_in_place(bytes: &[u8], record: &mut Record, out: &mut Result<(), Error>) {
    *out = Record::decode_into(black_box(bytes), record);
}

/// As [`decode_into`], for encoding.
#[inline(never)]
fn encode_into(record: &Record, buf: &mut [u8], out: &mut Result<usize, Error>) {
    *out = record.encode(black_box(buf));
}

fn finish(run: &Run) -> ! {
    hprintln!("stack (bytes, worst case over all inputs):");
    for (entry, used) in run.stacks {
        hprintln!("  {:<31} {}", entry, used);
    }
    hprintln!("{} passed, {} failed", run.passed, run.failed);
    debug::exit(if run.failed == 0 { debug::EXIT_SUCCESS } else { debug::EXIT_FAILURE });
    // Semihosting has ended the run; on real hardware without a debugger, park here.
    loop {
        core::hint::spin_loop();
    }
}
