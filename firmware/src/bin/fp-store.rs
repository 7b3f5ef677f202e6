//! Footprint: everything — codec, frames with CRC and COBS, the record store and the
//! anti-entropy summaries (write, parse, what is missing).
#![no_std]
#![no_main]

use core::hint::black_box;
use cortex_m_rt::entry;
use swapwire::frame::{self, Feed, Profile, StreamDecoder};
use swapwire::store::FixedStore;
use swapwire::summary::{self, Summary};
use swapwire::{Codec, Record};

use swapwire_firmware::SEED_EXCHANGE;

swapwire_firmware::park_on_panic!();

#[entry]
fn main() -> ! {
    let mut buf = [0u8; 256];
    let mut decoder = StreamDecoder::<256>::new();
    let mut store = FixedStore::<8>::new();
    let mut other = FixedStore::<8>::new();
    loop {
        let Ok(record) = Record::decode(black_box(&SEED_EXCHANGE[..])) else { continue };
        let _ = black_box(record.encode(&mut buf));
        let _ = store.merge(record.clone());
        for profile in [black_box(Profile::MESHTASTIC), black_box(Profile::SERIAL)] {
            let Ok(w) = frame::write_records(&profile, 1, [&record], &mut buf) else { continue };
            let _ = black_box(other.apply_frame(black_box(&buf[..w.len]), Some(1)));
            if let Feed::Frame { frame, .. } = decoder.feed(black_box(&buf[..w.len])) {
                let _ = black_box(other.apply_frame(frame, None));
            }
            let Ok(w) = summary::write_summary(&store, &profile, 1, &mut buf) else { continue };
            if let Ok(peer) = Summary::parse(black_box(&buf[..w.len]), Some(2)) {
                for r in summary::missing_for(&other, &peer) {
                    black_box(r);
                }
            }
        }
    }
}
