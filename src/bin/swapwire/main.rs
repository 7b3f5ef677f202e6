//! `swapwire`: convert records between JSON, CSV/HXL and swapwire bytes, read captured bytes by
//! eye, check files of records, and compare sizes with other formats.

mod convert;
mod csv_in;
mod failure;
mod frames;
mod inspect;
mod io;
mod json_in;
mod out;
mod records;
mod sizes;
mod table;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use swapwire::frame::Profile;

use crate::convert::Job;
use crate::failure::Failure;
use crate::frames::Framed;
use crate::io::Format;

#[derive(Parser)]
#[command(
    name = "swapwire",
    version,
    about = "Compact records of prisoner exchanges and captivity tallies: convert, inspect, validate, compare sizes."
)]
#[command(after_help = "Every command reads stdin when no file is given and writes stdout unless -o names a file. \
An output file is written to a temporary file and moved into place only on success.\n\n\
Exit codes: 0 success, 1 invalid input data, 2 bad command line, 3 a file could not be read or written, \
4 (decode) damaged frames of a stream were skipped and the rest written.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Records in (JSON, NDJSON, CSV or HXL) -> swapwire bytes out.
    #[command(after_help = "Examples:\n  \
        swapwire encode examples/data/seeds.json -o seeds.bin\n  \
        swapwire encode --hex reports.csv\n  \
        cat reports.ndjson | swapwire encode > reports.bin\n  \
        swapwire encode seeds.json --frames serial --sender 1 -o link.bin\n  \
        swapwire encode seeds.json --frames lorawan-eu868-dr0 --sender 1 --hex\n  \
        swapwire encode seeds.json --frames lorawan-us915-dr0 --sender 1 --hex --skip-oversized\n\n\
        A record too large for every frame of the link, even alone, is an error (exit 1, no output) \
        unless --skip-oversized leaves it out: each one skipped is named on stderr (record number, \
        key, size, the link's limit), the rest are framed, and the exit status is 0.")]
    Encode {
        #[command(flatten)]
        io: InOut,
        #[command(flatten)]
        frames: FrameArgs,
        /// Write each record as a line of hexadecimal text instead of raw bytes.
        #[arg(long)]
        hex: bool,
        /// With --frames: leave out each record no frame of the link can carry, even alone (it
        /// can travel only over a bigger link), naming it on stderr, and frame the rest.
        #[arg(long, requires = "frames")]
        skip_oversized: bool,
    },
    /// swapwire bytes in -> JSON, NDJSON, CSV or HXL out.
    #[command(after_help = "Examples:\n  \
        swapwire decode seeds.bin\n  \
        swapwire decode seeds.bin --to hxl -o seeds.csv\n  \
        echo 000101000ecf47eebd1500b209000107 | swapwire decode --from hex --to ndjson\n  \
        swapwire decode --frames serial capture.bin      # a serial capture, may start mid-frame\n  \
        swapwire decode --frames lorawan-eu868-dr0 --sender 1 uplinks.hex\n\n\
        Frames longer than the link allows are errors. In a stream framing (iridium-sbd-mo, serial) \
        a bad frame (damaged, cut short, too long) is skipped: each is named on stderr with its byte \
        offset (line for hex input), the records of every good frame are written, and the exit \
        status is 4 when any frame was skipped (0 with --skip-damaged). With a message framing a bad \
        frame is an error (exit 1, no output).")]
    Decode {
        #[command(flatten)]
        io: InOut,
        #[command(flatten)]
        frames: FrameArgs,
        /// The output format.
        #[arg(long, value_enum, default_value = "json")]
        to: TextFormat,
        /// With a stream framing: exit 0, not 4, when bad frames were skipped (they are still
        /// reported on stderr).
        #[arg(long, requires = "frames")]
        skip_damaged: bool,
    },
    /// An annotated hex dump: each byte range with the field it encodes and its value.
    #[command(after_help = "Examples:\n  \
        swapwire inspect capture.bin\n  \
        echo 000101000ecf47eebd1500b209000107 | swapwire inspect\n  \
        swapwire inspect --frames serial link.bin\n\n\
        Input is raw bytes or hex text (one record per line, spaces allowed), found from the file name \
        or the first bytes; --from says which. Offsets are decimal byte offsets into the input.")]
    Inspect {
        /// The input file; stdin when absent or `-`.
        input: Option<PathBuf>,
        /// The input format.
        #[arg(long, value_enum)]
        from: Option<ByteFormat>,
        /// Where to write the dump; stdout when absent or `-`.
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        frames: FrameArgs,
    },
    /// Checks every record of a file and reports each invalid one with its position and reason.
    #[command(after_help = "Examples:\n  \
        swapwire validate examples/data/seeds.json\n  \
        swapwire validate reports.csv\n  \
        swapwire validate capture.bin\n  \
        swapwire validate --frames serial link.bin\n\n\
        Prints one line per invalid record (or damaged frame) and a summary; exits 1 if any is invalid.")]
    Validate {
        /// The input file; stdin when absent or `-`.
        input: Option<PathBuf>,
        /// The input format (by default from the file name, else from the first bytes).
        #[arg(long, value_enum)]
        from: Option<Format>,
        #[command(flatten)]
        frames: FrameArgs,
    },
    /// For the records of files, the bytes each format needs, and how many records fit a message.
    #[command(after_help = "Examples:\n  \
        swapwire sizes examples/data/\n  \
        swapwire sizes reports.csv more.ndjson\n\n\
        A directory stands for its .json, .ndjson, .jsonl, .csv and .hxl files. \"fit N\" counts the \
        records whose encoding alone fits in an N-byte message (11: LoRaWAN US915 DR0, 51: EU868 DR0-2, \
        222: EU868 DR4-7, 340: Iridium SBD).")]
    Sizes {
        /// Input files or directories; stdin when none.
        inputs: Vec<PathBuf>,
        /// The input format (by default from each file name, else from its first bytes).
        #[arg(long, value_enum)]
        from: Option<Format>,
        /// The origin that sends the frames (by default the origin of the first exchange or count).
        #[arg(long, value_name = "ORIGIN")]
        sender: Option<u32>,
    },
}

/// The input and output arguments of the converting commands.
#[derive(Args)]
struct InOut {
    /// The input file; stdin when absent or `-`.
    input: Option<PathBuf>,
    /// Where to write; stdout when absent or `-`.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The input format (by default from the file name, else from the first bytes).
    #[arg(long, value_enum)]
    from: Option<Format>,
}

/// Framed input or output.
#[derive(Args)]
struct FrameArgs {
    /// Frames of a link profile: lorawan-us915-dr0 (11 B), lorawan-eu868-dr0 (51 B),
    /// lorawan-eu868-dr3 (115 B), lorawan-eu868-dr4 (222 B), meshtastic (233 B), iridium-sbd-mo
    /// (340 B, stream framing), serial (255 B, stream framing). Message frames are read and
    /// written as hex lines, one frame per line; stream frames as bytes.
    #[arg(long, value_name = "PROFILE", value_parser = frames::profile)]
    frames: Option<Profile>,
    /// The sending device's origin: needed to write frames, and to read message frames (the link
    /// knows who sent them; the frame does not say).
    #[arg(long, value_name = "ORIGIN", requires = "frames")]
    sender: Option<u32>,
}

impl FrameArgs {
    fn framed(&self) -> Option<Framed> {
        self.frames.map(|profile| Framed { profile, sender: self.sender })
    }
}

/// Output formats of `decode`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum TextFormat {
    Json,
    Ndjson,
    Csv,
    Hxl,
}

impl From<TextFormat> for Format {
    fn from(f: TextFormat) -> Format {
        match f {
            TextFormat::Json => Format::Json,
            TextFormat::Ndjson => Format::Ndjson,
            TextFormat::Csv => Format::Csv,
            TextFormat::Hxl => Format::Hxl,
        }
    }
}

/// Input formats of `inspect`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ByteFormat {
    Bytes,
    Hex,
}

impl From<ByteFormat> for Format {
    fn from(f: ByteFormat) -> Format {
        match f {
            ByteFormat::Bytes => Format::Bytes,
            ByteFormat::Hex => Format::Hex,
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Encode { io, frames, hex, skip_oversized } => convert::run(Job {
            input: io.input.as_deref(),
            output: io.output.as_deref(),
            from: io.from,
            to: if hex { Format::Hex } else { Format::Bytes },
            frames_in: None,
            frames_out: frames.framed(),
            skip_oversized,
            skip_damaged: false,
        }),
        Command::Decode { io, frames, to, skip_damaged } => convert::run(Job {
            input: io.input.as_deref(),
            output: io.output.as_deref(),
            from: io.from,
            to: to.into(),
            frames_in: frames.framed(),
            frames_out: None,
            skip_oversized: false,
            skip_damaged,
        }),
        Command::Inspect { input, from, output, frames } => {
            inspect::run(input.as_deref(), from.map(Format::from), output.as_deref(), frames.framed())
        }
        Command::Validate { input, from, frames } => validate::run(input.as_deref(), from, frames.framed()),
        Command::Sizes { inputs, from, sender } => sizes::run(&inputs, from, sender),
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) if f.code == 0 => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("swapwire: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
