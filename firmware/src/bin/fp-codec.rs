//! Footprint: encode and decode of every record kind (`Record::decode` and `Record::encode`
//! dispatch to the Exchange, Count and Source walks).
#![no_std]
#![no_main]

use core::hint::black_box;
use cortex_m_rt::entry;
use swapwire::{Codec, Record};

swapwire_firmware::park_on_panic!();

/// The seed exchange; `black_box` hides it, so every kind's code stays in.
static INPUT: [u8; 14] = [0x00, 0x01, 0x01, 0x00, 0x0e, 0xcf, 0x47, 0xee, 0xbd, 0x15, 0x00, 0xb2, 0x09, 0x00];

#[entry]
fn main() -> ! {
    let mut buf = [0u8; Record::MAX_SIZE];
    loop {
        if let Ok(record) = Record::decode(black_box(&INPUT[..])) {
            let _ = black_box(record.encode(&mut buf));
        }
    }
}
