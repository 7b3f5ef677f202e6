//! # swapwire
//!
//! Compact, fixed-size records of prisoner-of-war exchanges and captivity tallies, for
//! microcontrollers, gateways and analysts, over links that carry 11 to 340 bytes per message.
//!
//! A record is a *report*: what one source said at one time. Numbers keep their qualifiers
//! ("over 16,000", "not disclosed"), dates their precision ("2025-07"), and two claims that
//! disagree become a range. Three kinds of record exist — [`Exchange`], [`Count`] and
//! [`Source`] — and [`Record`] holds any one of them.
//!
//! The core is `#![no_std]`, needs no allocator, has no `unsafe`, and never panics on input.
//! The wire format is postcard with hand-chosen representations (see `docs/wire-format.md`);
//! the same types give readable JSON through serde's human-readable switch.
//!
//! ```
//! use swapwire::{Codec, Count, Date, Party, Population, Quantity, Record};
//!
//! // "Moscow holds over 16,000 Ukrainian civilians" (seed 000, as of 2025-03-06)
//! let mut c = Count::new(1, 2, Population::CiviliansHeld, Party::UA);
//! c.holder = Some(Party::RU);
//! c.quantity = Quantity::AtLeast(16_000);
//! c.date = Date::Day(2025, 3, 6);
//! c.source = 2;
//! c.grade = "B2".parse().unwrap();
//!
//! let record = Record::Count(c);
//! let mut buf = [0u8; Record::MAX_SIZE];
//! let n = record.encode(&mut buf).unwrap();
//! assert_eq!(n, 15); // one kind byte + 14
//! assert_eq!(Record::decode(&buf[..n]).unwrap(), record);
//! ```
//!
//! ## Features
//! - `std`: `std::error::Error` for [`Error`], `Codec::to_vec`, and the `json` module (plain
//!   names, not links: they do not exist in a build without the feature).
//! - `peers` (implies `std`): the `peers` module, the records in six other formats for comparison.
//! - `cli` (implies `peers`): the `swapwire` command-line tool (`cargo install --path . --features cli`).
//!
//! Without any feature, [`annotate`] labels each byte of an encoded record with its field and value.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

#[cfg(any(test, feature = "std"))]
extern crate std;

pub mod annotate;
mod codes;
mod composition;
mod count;
mod date;
mod error;
mod exchange;
pub mod frame;
mod human;
mod name;
mod party;
mod quantity;
mod record;
mod source;
pub mod store;
pub mod summary;
mod wire;

#[cfg(feature = "std")]
pub mod json;
#[cfg(feature = "peers")]
pub mod peers;
#[cfg(feature = "std")]
pub mod sim;

pub use codes::{Category, Credibility, Grade, Handover, Population, Reliability, SourceKind, Status};
pub use composition::{Composition, Part, Parts, MAX_PARTS};
pub use count::Count;
pub use date::{Date, ParseDateError, Precision, MAX_YEAR, MIN_YEAR};
pub use error::{Error, Field, Reason};
pub use exchange::{Exchange, RecordId, MAX_MEDIATORS};
pub use name::{Name, MAX_NAME_LEN};
pub use party::Party;
pub use quantity::{ParseQuantityError, Qualifier, Quantity};
pub use record::{Kind, Record};
pub use source::Source;
pub use wire::Codec;

/// The version of the wire format this crate reads and writes. It changes only when a byte
/// that version 1 defines changes meaning; see `docs/wire-format.md`.
pub const FORMAT_VERSION: u8 = 1;

/// The largest encoded [`Exchange`], in bytes.
pub const EXCHANGE_MAX_SIZE: usize = 207;
/// The largest encoded [`Count`], in bytes.
pub const COUNT_MAX_SIZE: usize = 38;
/// The largest encoded [`Source`], in bytes.
pub const SOURCE_MAX_SIZE: usize = 81;
/// The largest encoded [`Record`] (one kind byte plus the largest kind), in bytes.
pub const RECORD_MAX_SIZE: usize = 208;

/// README.md's code blocks, so that `cargo test --doc` compiles and runs its Rust example.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
