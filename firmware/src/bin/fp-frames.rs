//! Footprint: the codec plus frames on both framings (message frames; stream frames with
//! length, CRC-32 and COBS, read back through the stream decoder).
#![no_std]
#![no_main]

use core::hint::black_box;
use cortex_m_rt::entry;
use swapwire::frame::{self, Feed, Profile, StreamDecoder};
use swapwire::{Codec, Record};

use swapwire_firmware::SEED_EXCHANGE;

swapwire_firmware::park_on_panic!();

#[entry]
fn main() -> ! {
    let mut buf = [0u8; 256];
    let mut decoder = StreamDecoder::<256>::new();
    loop {
        let Ok(record) = Record::decode(black_box(&SEED_EXCHANGE[..])) else { continue };
        let _ = black_box(record.encode(&mut buf));
        for profile in [black_box(Profile::MESHTASTIC), black_box(Profile::SERIAL)] {
            let Ok(w) = frame::write_records(&profile, 1, [&record], &mut buf) else { continue };
            let _ = frame::read_records(black_box(&buf[..w.len]), Some(1), |r| {
                black_box(r);
                Ok(())
            });
            if let Feed::Frame { frame, .. } = decoder.feed(black_box(&buf[..w.len])) {
                black_box(frame);
            }
        }
    }
}
