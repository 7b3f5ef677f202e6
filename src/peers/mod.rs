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
//! For repeated calls, [`Prepared::encode_into`] and [`Format::decode_with`] reuse one
//! [`Buffers`], as swapwire reuses its stack buffer: each format writes into storage kept from
//! the last call (serde_json `to_writer`, ciborium `into_writer`, rmp-serde `write_named` and
//! prost `encode` into a cleared `Vec`, bincode `encode_into_slice` into a kept slice, bitcode's
//! own `Buffer::encode`), and reads borrowed bytes its fastest way (serde_json `from_slice`,
//! ciborium with a kept scratch buffer instead of a zeroed 4 KiB one per call, rmp-serde's
//! zero-copy slice reader, prost and bincode from the slice, bitcode `Buffer::decode`).
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
//! // The same bytes through reused buffers.
//! let mut buffers = swapwire::peers::Buffers::new();
//! for format in Format::ALL {
//!     let prepared = format.prepare(&record);
//!     let bytes = prepared.encode_into(&mut buffers).to_vec();
//!     assert_eq!(bytes, format.encode(&record));
//!     assert_eq!(format.decode_with(&bytes, &mut buffers).unwrap(), record);
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
    bincode::config::Limit<BINCODE_LIMIT>,
> = bincode::config::standard().with_limit::<BINCODE_LIMIT>();

/// The bincode limit, and the size of the slice [`Buffers`] keeps for bincode's encoder.
const BINCODE_LIMIT: usize = 4096;

/// The scratch ciborium reads strings through: the size its `from_reader` puts on the stack
/// (and zeroes) for every call.
const CBOR_SCRATCH: usize = 4096;

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
        self.decode_with(bytes, &mut Buffers::new())
    }

    /// [`decode`](Format::decode), reusing `buffers` (ciborium's scratch, bitcode's decoder
    /// state) from earlier calls instead of setting them up anew.
    pub fn decode_with(self, bytes: &[u8], buffers: &mut Buffers) -> Result<Record, PeerError> {
        let malformed = |e: &dyn fmt::Display| PeerError::Malformed { format: self, message: e.to_string() };
        let m: model::Record = match self {
            Format::Protobuf => {
                let p: proto::Record = prost::Message::decode(bytes).map_err(|e| malformed(&e))?;
                return Record::try_from(p).map_err(PeerError::Invalid);
            }
            Format::Json => serde_json::from_slice(bytes).map_err(|e| malformed(&e))?,
            Format::Cbor => {
                let scratch = &mut buffers.cbor_scratch;
                if scratch.len() < CBOR_SCRATCH {
                    scratch.resize(CBOR_SCRATCH, 0);
                }
                let mut rest = bytes;
                let m = ciborium::de::from_reader_with_buffer(&mut rest, scratch).map_err(|e| malformed(&e))?;
                self.no_trailing(rest)?;
                m
            }
            Format::MessagePack => {
                // The zero-copy slice reader (`rmp_serde::from_slice`'s), which does not say
                // where it stopped: the input was all used if reading one more value finds its
                // end at once.
                let mut de = rmp_serde::Deserializer::from_read_ref(bytes);
                let m = serde::Deserialize::deserialize(&mut de).map_err(|e| malformed(&e))?;
                match <serde::de::IgnoredAny as serde::Deserialize>::deserialize(&mut de) {
                    Err(rmp_serde::decode::Error::InvalidMarkerRead(e))
                        if e.kind() == std::io::ErrorKind::UnexpectedEof => {}
                    _ => return Err(PeerError::TrailingBytes { format: self }),
                }
                m
            }
            Format::Bincode => {
                let (m, used) = bincode::decode_from_slice(bytes, BINCODE).map_err(|e| malformed(&e))?;
                self.no_trailing(bytes.get(used..).unwrap_or_default())?;
                m
            }
            Format::Bitcode => buffers.bitcode.decode(bytes).map_err(|e| malformed(&e))?,
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

    /// Serializes the value into a new vector (through [`encode_into`](Prepared::encode_into)).
    pub fn encode(&self) -> Vec<u8> {
        self.encode_into(&mut Buffers::new()).to_vec()
    }

    /// Serializes the value into storage `buffers` keeps from earlier calls, and returns the
    /// bytes: what a program encoding record after record would do. None of the encoders can
    /// fail (the model has only string map keys and no floats, the writers are a `Vec` and a
    /// 4 KiB slice); if one did, the result is empty, which `decode` refuses.
    pub fn encode_into<'b>(&self, buffers: &'b mut Buffers) -> &'b [u8] {
        let Buffers { out, bincode_out, bitcode, .. } = buffers;
        out.clear();
        let written = match &self.0 {
            Native::Protobuf(p) => prost::Message::encode(p, out).is_ok(),
            Native::Model(Format::Json, m) => serde_json::to_writer(&mut *out, m).is_ok(),
            Native::Model(Format::Cbor, m) => ciborium::into_writer(m, &mut *out).is_ok(),
            Native::Model(Format::MessagePack, m) => rmp_serde::encode::write_named(out, m).is_ok(),
            Native::Model(Format::Bincode, m) => {
                if bincode_out.len() < BINCODE_LIMIT {
                    bincode_out.resize(BINCODE_LIMIT, 0);
                }
                let n = bincode::encode_into_slice(m, bincode_out, BINCODE).unwrap_or(0);
                return bincode_out.get(..n).unwrap_or_default();
            }
            Native::Model(Format::Bitcode, m) => return bitcode.encode(m),
            Native::Model(Format::Protobuf, _) => false,
        };
        if written {
            out
        } else {
            &[]
        }
    }
}

/// Storage the peer formats reuse from one call to the next (see [`Prepared::encode_into`] and
/// [`Format::decode_with`]); one value serves every format. Empty until a call needs it.
#[derive(Default)]
pub struct Buffers {
    /// The writers' output (json, cbor, msgpack, protobuf).
    out: Vec<u8>,
    /// bincode's output slice.
    bincode_out: Vec<u8>,
    /// ciborium's scratch for strings.
    cbor_scratch: Vec<u8>,
    /// bitcode's encoder and decoder state.
    bitcode: bitcode::Buffer,
}

impl Buffers {
    /// Empty buffers; nothing is allocated until a format uses them.
    pub fn new() -> Self {
        Self::default()
    }
}

impl fmt::Debug for Buffers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Buffers").finish_non_exhaustive()
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
