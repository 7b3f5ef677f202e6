//! What goes wrong, where, and which exit code it gives.

use std::fmt;
use std::io;

/// Exit code for bad input data: a record that does not parse, decode or validate.
pub const EXIT_DATA: u8 = 1;
/// Exit code for a bad command line (clap uses the same).
pub const EXIT_USAGE: u8 = 2;
/// Exit code for a file that cannot be read or written.
pub const EXIT_IO: u8 = 3;
/// Exit code of `decode` for a stream whose damaged frames were skipped: the records of every
/// good frame were written (`--skip-damaged` makes it 0).
pub const EXIT_DAMAGED: u8 = 4;

/// Where in an input something was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A 1-based line of a text input.
    Line(u64),
    /// A 0-based byte offset of a binary input.
    Byte(u64),
}

/// A record's position: the input it came from, where in it, and its 1-based number.
#[derive(Debug, Clone)]
pub struct At<'a> {
    pub file: &'a str,
    pub place: Option<Place>,
    /// The 1-based frame, for framed input.
    pub frame: Option<u64>,
    pub record: Option<u64>,
}

impl fmt::Display for At<'_> {
    /// `seeds.json:7: record 3`, `capture.bin: byte 17: record 2`, `link.bin: byte 60: frame 3: record 9`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file)?;
        match self.place {
            Some(Place::Line(n)) => write!(f, ":{n}")?,
            Some(Place::Byte(n)) => write!(f, ": byte {n}")?,
            None => {}
        }
        if let Some(n) = self.frame {
            write!(f, ": frame {n}")?;
        }
        if let Some(n) = self.record {
            write!(f, ": record {n}")?;
        }
        Ok(())
    }
}

/// A failure that ends the command: one line for stderr and an exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    /// Bad data at a known position.
    pub fn data(at: &At<'_>, reason: impl fmt::Display) -> Self {
        Failure { code: EXIT_DATA, message: format!("{at}: {reason}") }
    }

    /// A file that cannot be read or written.
    pub fn io(file: &str, err: &io::Error) -> Self {
        Failure { code: EXIT_IO, message: format!("{file}: {err}") }
    }

    /// A command line that cannot work (checked after clap's own parsing).
    pub fn usage(message: impl fmt::Display) -> Self {
        Failure { code: EXIT_USAGE, message: message.to_string() }
    }
}

/// Whether an error is the reader of stdout going away (`swapwire decode | head`), which ends
/// the command quietly and successfully.
pub fn is_broken_pipe(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::BrokenPipe
}
