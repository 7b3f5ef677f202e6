//! The same records in six widely used formats, for comparing sizes and speeds with swapwire
//! (needs the `peers` feature; benchmarks and the command-line tool use it, firmware never does).
//!
//! Each peer gets the shape its users would naturally write, carrying exactly the content of a
//! swapwire [`Record`]:
//!
//! | [`Format`] | crate | shape |
//! |---|---|---|
//! | [`Json`](Format::Json) | `serde_json` | serde derive, compact text: named fields, enum names, `{"exchange": {...}}` |
//! | [`Cbor`](Format::Cbor) | `ciborium` | the same serde derive: string-keyed maps |
//! | [`MessagePack`](Format::MessagePack) | `rmp-serde` | the same serde derive, `to_vec_named`: string-keyed maps |
//! | [`Protobuf`](Format::Protobuf) | `prost` | `prost::Message` derive: a `oneof`, optional sub-messages, proto3 enums (schema in the `proto` module source) |
//! | [`Bincode`](Format::Bincode) | `bincode` 2 | `bincode::Encode`/`Decode` derive, `config::standard()` (varints), 4 KiB decode limit |
//! | [`Bitcode`](Format::Bitcode) | `bitcode` | `bitcode::Encode`/`Decode` derive |
//!
//! In the serde formats, lists and optional fields are left out when empty (`skip_serializing_if`)
//! and parties are two-letter strings; codes are enums everywhere. Encoding converts the
//! [`Record`] to the peer's type and serializes it; decoding parses, converts back, and checks
//! every invariant with [`Record::validate`], so both sides of a comparison end with the same
//! validated [`Record`]. Peer encoders do not validate (swapwire's does), which favours the peers.
//!
//! ```
//! use swapwire::peers::Format;
//! use swapwire::{Record, Source, SourceKind};
//!
//! let record = Record::Source(Source::new(3, SourceKind::Media, "Suspilne").unwrap());
//! for format in Format::ALL {
//!     let bytes = format.encode(&record);
//!     assert_eq!(format.decode(&bytes).unwrap(), record, "{}", format.name());
//! }
//! assert_eq!(Format::Json.encode(&record), br#"{"source":{"key":3,"revision":0,"retracted":false,"kind":"media","name":"Suspilne"}}"#);
//! ```

mod model;
mod proto;

use core::fmt;
use core::str::FromStr;
use std::string::{String, ToString};
use std::vec::Vec;

use crate::{Error, Record};

/// One of the peer formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// Compact JSON through `serde_json`.
    Json,
    /// CBOR through `ciborium`.
    Cbor,
    /// MessagePack through `rmp-serde`, with field names.
    MessagePack,
    /// Protocol Buffers through `prost`.
    Protobuf,
    /// `bincode` 2 with its standard (varint) configuration.
    Bincode,
    /// `bitcode`.
    Bitcode,
}

/// The bincode configuration: the crate's standard one, with a limit so that a hostile length
/// prefix cannot make the decoder reserve gigabytes (no record comes near 4 KiB).
const BINCODE: bincode::config::Configuration<
    bincode::config::LittleEndian,
    bincode::config::Varint,
    bincode::config::Limit<4096>,
> = bincode::config::standard().with_limit::<4096>();

impl Format {
    /// Every peer format, in the order tables list them.
    pub const ALL: [Format; 6] =
        [Format::Json, Format::Cbor, Format::MessagePack, Format::Protobuf, Format::Bincode, Format::Bitcode];

    /// The short name used on command lines and in benchmark ids: `json`, `cbor`, `msgpack`,
    /// `protobuf`, `bincode`, `bitcode`.
    pub const fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Cbor => "cbor",
            Format::MessagePack => "msgpack",
            Format::Protobuf => "protobuf",
            Format::Bincode => "bincode",
            Format::Bitcode => "bitcode",
        }
    }

    /// The Rust crate that implements the format here.
    pub const fn library(self) -> &'static str {
        match self {
            Format::Json => "serde_json",
            Format::Cbor => "ciborium",
            Format::MessagePack => "rmp-serde",
            Format::Protobuf => "prost",
            Format::Bincode => "bincode",
            Format::Bitcode => "bitcode",
        }
    }

    /// Encodes a record. The record is not validated (decoding checks it).
    pub fn encode(self, record: &Record) -> Vec<u8> {
        self.prepare(record).encode()
    }

    /// Converts a record to this format's own type, so that [`Prepared::encode`] measures the
    /// serializer alone, as for a program that keeps its data in that type.
    pub fn prepare(self, record: &Record) -> Prepared {
        Prepared(match self {
            Format::Protobuf => Native::Protobuf(proto::Record::from(record)),
            format => Native::Model(format, model::Record::from(record)),
        })
    }

    /// Decodes one record that fills `bytes` exactly, and validates it.
    pub fn decode(self, bytes: &[u8]) -> Result<Record, PeerError> {
        let malformed = |e: &dyn fmt::Display| PeerError::Malformed { format: self, message: e.to_string() };
        let m: model::Record = match self {
            Format::Protobuf => {
                let p: proto::Record = prost::Message::decode(bytes).map_err(|e| malformed(&e))?;
                return Record::try_from(p).map_err(PeerError::Invalid);
            }
            Format::Json => serde_json::from_slice(bytes).map_err(|e| malformed(&e))?,
            Format::Cbor => {
                let mut rest = bytes;
                let m = ciborium::from_reader(&mut rest).map_err(|e| malformed(&e))?;
                self.no_trailing(rest)?;
                m
            }
            Format::MessagePack => {
                let mut rest = bytes;
                let m = serde::Deserialize::deserialize(&mut rmp_serde::Deserializer::new(&mut rest))
                    .map_err(|e| malformed(&e))?;
                self.no_trailing(rest)?;
                m
            }
            Format::Bincode => {
                let (m, used) = bincode::decode_from_slice(bytes, BINCODE).map_err(|e| malformed(&e))?;
                self.no_trailing(bytes.get(used..).unwrap_or_default())?;
                m
            }
            Format::Bitcode => bitcode::decode(bytes).map_err(|e| malformed(&e))?,
        };
        Record::try_from(m).map_err(PeerError::Invalid)
    }

    fn no_trailing(self, rest: &[u8]) -> Result<(), PeerError> {
        if rest.is_empty() {
            Ok(())
        } else {
            Err(PeerError::TrailingBytes { format: self })
        }
    }
}

/// A record held in one peer format's own type (see [`Format::prepare`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared(Native);

#[derive(Debug, Clone, PartialEq)]
enum Native {
    Model(Format, model::Record),
    Protobuf(proto::Record),
}

impl Prepared {
    /// The format this value is prepared for.
    pub fn format(&self) -> Format {
        match &self.0 {
            Native::Model(format, _) => *format,
            Native::Protobuf(_) => Format::Protobuf,
        }
    }

    /// Serializes the value with its format's usual "to a new vector" call.
    pub fn encode(&self) -> Vec<u8> {
        // None of these can fail: the model has only string map keys and no floats, and every
        // writer is a `Vec`. An empty vector would still be refused by `decode`.
        match &self.0 {
            Native::Protobuf(p) => prost::Message::encode_to_vec(p),
            Native::Model(Format::Json, m) => serde_json::to_vec(m).unwrap_or_default(),
            Native::Model(Format::Cbor, m) => {
                let mut out = Vec::new();
                ciborium::into_writer(m, &mut out).map(|()| out).unwrap_or_default()
            }
            Native::Model(Format::MessagePack, m) => rmp_serde::to_vec_named(m).unwrap_or_default(),
            Native::Model(Format::Bincode, m) => bincode::encode_to_vec(m, BINCODE).unwrap_or_default(),
            Native::Model(Format::Bitcode, m) => bitcode::encode(m),
            Native::Model(Format::Protobuf, _) => Vec::new(),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Reads a [`Format::name`].
    fn from_str(s: &str) -> Result<Self, UnknownFormat> {
        Format::ALL.into_iter().find(|f| f.name() == s).ok_or_else(|| UnknownFormat(s.into()))
    }
}

/// A format name that is none of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown format {:?}; expected one of", self.0)?;
        Format::ALL.iter().try_for_each(|p| write!(f, " {}", p.name()))
    }
}

impl std::error::Error for UnknownFormat {}

/// Why a peer message did not decode to a record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PeerError {
    /// The bytes are not a well-formed message of the format; the message is its decoder's.
    Malformed {
        /// The format that was read.
        format: Format,
        /// What the format's decoder reported.
        message: String,
    },
    /// A complete message is followed by more bytes.
    TrailingBytes {
        /// The format that was read.
        format: Format,
    },
    /// The message is well-formed but its record breaks an invariant of the model.
    Invalid(Error),
}

impl fmt::Display for PeerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeerError::Malformed { format, message } => write!(f, "malformed {format}: {message}"),
            PeerError::TrailingBytes { format } => write!(f, "trailing bytes after the {format} message"),
            PeerError::Invalid(e) => write!(f, "invalid record: {e}"),
        }
    }
}

impl std::error::Error for PeerError {}
