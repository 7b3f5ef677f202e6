//! Footprint: encode and decode of every record kind (`Record::decode` and `Record::encode`
//! dispatch to the Exchange, Count and Source walks).
#![no_std]
#![no_main]

use core::hint::black_box;
use cortex_m_rt::entry;
use swapwire::{Codec, Record};

use swapwire_firmware::SEED_EXCHANGE;

swapwire_firmware::park_on_panic!();

#[entry]
fn main() -> ! {
    let mut buf = [0u8; Record::MAX_SIZE];
    loop {
        if let Ok(record) = Record::decode(black_box(&SEED_EXCHANGE[..])) {
            let _ = black_box(record.encode(&mut buf));
        }
    }
}
