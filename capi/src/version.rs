//! Sizes and versions, as `#define`s for C (`uint8_t buf[SWAPWIRE_RECORD_MAX_SIZE];`) and at run
//! time. The values are integer literals because cbindgen copies expressions as text; the tests
//! assert that they equal the core's constants and the crate version.

/// The largest encoded Exchange, in bytes.
pub const SWAPWIRE_EXCHANGE_MAX_SIZE: usize = 207;
/// The largest encoded Count, in bytes.
pub const SWAPWIRE_COUNT_MAX_SIZE: usize = 38;
/// The largest encoded Source, in bytes.
pub const SWAPWIRE_SOURCE_MAX_SIZE: usize = 81;
/// The largest encoded record of any kind (one kind byte plus the largest kind), in bytes.
pub const SWAPWIRE_RECORD_MAX_SIZE: usize = 208;
/// The smallest encoded record of any kind, in bytes (a Source with a one-byte name): an input
/// of `len` bytes holds at most `len / SWAPWIRE_RECORD_MIN_SIZE` records.
pub const SWAPWIRE_RECORD_MIN_SIZE: usize = 6;
/// The longest source name, in UTF-8 bytes.
pub const SWAPWIRE_MAX_NAME_LEN: usize = 64;
/// How many mediators an exchange can name.
pub const SWAPWIRE_MAX_MEDIATORS: usize = 3;
/// How many parts (one per category) a composition can hold.
pub const SWAPWIRE_MAX_PARTS: usize = 6;

/// The version of the wire format this library reads and writes.
pub const SWAPWIRE_FORMAT_VERSION: u32 = 1;

/// The library's major version.
pub const SWAPWIRE_VERSION_MAJOR: u32 = 0;
/// The library's minor version.
pub const SWAPWIRE_VERSION_MINOR: u32 = 1;
/// The library's patch version.
pub const SWAPWIRE_VERSION_PATCH: u32 = 0;
/// The library version as one number, `(major << 16) | (minor << 8) | patch`, to compare with
/// `swapwire_version()`.
pub const SWAPWIRE_VERSION: u32 = 256;

/// The version of the library linked at run time, `(major << 16) | (minor << 8) | patch`. A
/// program built against this header can check it equals `SWAPWIRE_VERSION`.
#[no_mangle]
pub extern "C" fn swapwire_version() -> u32 {
    SWAPWIRE_VERSION
}

/// The version of the wire format the linked library reads and writes.
#[no_mangle]
pub extern "C" fn swapwire_format_version() -> u32 {
    SWAPWIRE_FORMAT_VERSION
}

#[cfg(test)]
mod tests {
    use super::*;
    use swapwire::{Codec, Count, Exchange, Record, Source};

    #[test]
    fn sizes_equal_the_core() {
        assert_eq!(SWAPWIRE_EXCHANGE_MAX_SIZE, Exchange::MAX_SIZE);
        assert_eq!(SWAPWIRE_EXCHANGE_MAX_SIZE, swapwire::EXCHANGE_MAX_SIZE);
        assert_eq!(SWAPWIRE_COUNT_MAX_SIZE, Count::MAX_SIZE);
        assert_eq!(SWAPWIRE_SOURCE_MAX_SIZE, Source::MAX_SIZE);
        assert_eq!(SWAPWIRE_RECORD_MAX_SIZE, Record::MAX_SIZE);
        assert_eq!(SWAPWIRE_RECORD_MAX_SIZE, swapwire::RECORD_MAX_SIZE);
        assert_eq!(SWAPWIRE_MAX_NAME_LEN, swapwire::MAX_NAME_LEN);
        assert_eq!(SWAPWIRE_MAX_MEDIATORS, swapwire::MAX_MEDIATORS);
        assert_eq!(SWAPWIRE_MAX_PARTS, swapwire::MAX_PARTS);
        assert_eq!(SWAPWIRE_FORMAT_VERSION, u32::from(swapwire::FORMAT_VERSION));
    }

    #[test]
    fn versions_equal_the_crate() {
        let parse = |s: &str| s.parse::<u32>().unwrap();
        assert_eq!(SWAPWIRE_VERSION_MAJOR, parse(env!("CARGO_PKG_VERSION_MAJOR")));
        assert_eq!(SWAPWIRE_VERSION_MINOR, parse(env!("CARGO_PKG_VERSION_MINOR")));
        assert_eq!(SWAPWIRE_VERSION_PATCH, parse(env!("CARGO_PKG_VERSION_PATCH")));
        assert_eq!(
            SWAPWIRE_VERSION,
            SWAPWIRE_VERSION_MAJOR << 16 | SWAPWIRE_VERSION_MINOR << 8 | SWAPWIRE_VERSION_PATCH
        );
        assert_eq!(swapwire_version(), SWAPWIRE_VERSION);
        assert_eq!(swapwire_format_version(), 1);
    }
}
