//! The C API of swapwire: plain C structs with integer fields, one status code per call, and
//! functions that encode, decode, validate and size records in caller buffers.
//!
//! `include/swapwire.h` is generated from this crate by cbindgen 0.29.2 (the version maturin
//! embeds) and committed; `SWAPWIRE_BLESS=1 cargo test -p swapwire-capi --test header`
//! regenerates it, and the same test fails while the committed header is stale.
//!
//! Built as a staticlib and a cdylib on hosts, and as a staticlib for bare-metal targets such as
//! `thumbv7em-none-eabihf`, where the crate is `no_std` and brings the panic handler a staticlib
//! needs (the `swapwire` crate that Rust users depend on defines none). The JSON and batch
//! functions of [`host`] exist only on hosts.
//!
//! Conventions, for every exported function:
//! - the return value is a [`status::swapwire_status`], `SWAPWIRE_OK` (0) on success;
//! - out-params are written only on success, so a failed call changes nothing the caller owns
//!   (the optional `detail` and `message` out-params are the exception: they describe the
//!   failure and are written only on failure);
//! - every buffer pointer is followed by its `size_t` length; a NULL required pointer gives
//!   `SWAPWIRE_NULL_ARGUMENT`;
//! - every code in a C struct is checked, and a code this version does not define gives
//!   `SWAPWIRE_INVALID_VALUE` with the field and reason in `detail`;
//! - no function allocates on the embedded build or keeps global state; on hosts, a panic (a
//!   bug) is caught at the boundary and reported as `SWAPWIRE_INTERNAL`.
#![cfg_attr(target_os = "none", no_std)]
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]
// The exported names follow C conventions, as the header shows them.
#![allow(non_camel_case_types)]

mod boundary;
pub mod codec;
mod convert;
pub mod status;
pub mod sync;
pub mod types;
pub mod version;

#[cfg(not(target_os = "none"))]
pub mod host;

/// A bare-metal staticlib must bring a panic handler. The core never panics on any input, so
/// this is unreachable in practice; spinning lets a firmware's watchdog reset the device, as it
/// would for any other hang, without pulling in formatting machinery.
#[cfg(all(target_os = "none", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {
        core::hint::spin_loop();
    }
}
