//! Footprint baseline: the runtime alone (vector table, reset handler, RAM init, panic handler).
//! The other footprint binaries minus this one are what swapwire adds.
#![no_std]
#![no_main]

use core::hint::black_box;
use cortex_m_rt::entry;

swapwire_firmware::park_on_panic!();

#[entry]
fn main() -> ! {
    loop {
        black_box(());
    }
}
