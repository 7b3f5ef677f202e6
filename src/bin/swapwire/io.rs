//! Inputs (a file or stdin, with their format found) and outputs (stdout, or a file that appears
//! only when the command succeeds).

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Stdout, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::failure::{Failure, EXIT_DAMAGED, EXIT_DATA, EXIT_IO};

/// How records are written in an input or output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// JSON: an array of records, one record, or records one after another (NDJSON).
    Json,
    /// Newline-delimited JSON: one record per line.
    Ndjson,
    /// CSV with one header row of column names.
    Csv,
    /// CSV with a header row and an HXL hashtag row.
    Hxl,
    /// swapwire records back to back, as bytes.
    Bytes,
    /// swapwire records as hexadecimal text, one record per line.
    Hex,
}

impl Format {
    /// The format a file name suggests.
    fn from_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "json" => Format::Json,
            "ndjson" | "jsonl" => Format::Ndjson,
            "csv" => Format::Csv,
            "hxl" => Format::Hxl,
            "bin" | "swr" => Format::Bytes,
            "hex" => Format::Hex,
            _ => return None,
        })
    }

    /// The format the first bytes of an input show. A record's first byte is its kind (0 to 2),
    /// which no text format starts with; bytes that are not text (not UTF-8, or control
    /// characters other than tab and line ends) are records too, never CSV.
    fn sniff(head: &[u8]) -> Format {
        if head.first().is_some_and(|&b| b <= 2) {
            return Format::Bytes;
        }
        let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        if !looks_like_text(text) {
            return Format::Bytes;
        }
        let text = &text[text.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(text.len())..];
        match text.first() {
            Some(b'[' | b'{') | None => Format::Json,
            _ => {
                let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
                let digits = line.iter().filter(|b| b.is_ascii_hexdigit()).count();
                let hexlike = line.iter().all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace());
                if hexlike && digits.is_multiple_of(2) {
                    Format::Hex
                } else {
                    Format::Csv
                }
            }
        }
    }

    /// The name the command line uses.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Csv => "csv",
            Format::Hxl => "hxl",
            Format::Bytes => "bytes",
            Format::Hex => "hex",
        }
    }

    /// Whether the format is one of the text forms of a record (as opposed to its bytes).
    pub fn is_text(self) -> bool {
        !matches!(self, Format::Bytes | Format::Hex)
    }
}

/// Whether the start of an input is text: UTF-8 (a character cut at the end of the buffer
/// allowed) without control characters other than tab, carriage return and newline.
fn looks_like_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    valid && !head.iter().any(|&b| b.is_ascii_control() && !matches!(b, b'\t' | b'\r' | b'\n'))
}

/// An open input.
pub struct Input {
    /// The name errors give: the path as typed, or `<stdin>`.
    pub name: String,
    pub reader: BufReader<Box<dyn Read>>,
    path: Option<PathBuf>,
    /// The format [`Input::format`] guessed from the first bytes, when neither the command line
    /// nor the file name said it.
    guessed: Option<Format>,
    /// Whether reading found something only the assumed format has: a good record; for framed
    /// input, which is bytes or hex, a delimiter in a byte stream (a zero byte, which no text
    /// has) or a line of hex digits. A guess is right then.
    pub recognised: bool,
}

/// Large enough to see the first line of any sensible input when sniffing.
const READ_BUFFER: usize = 64 * 1024;

impl Input {
    /// Opens a file, or stdin for `None` or `-`.
    pub fn open(path: Option<&Path>) -> Result<Input, Failure> {
        match path {
            None => Ok(Input::stdin()),
            Some(p) if p == Path::new("-") => Ok(Input::stdin()),
            Some(p) => {
                let name = p.display().to_string();
                let file = File::open(p).map_err(|e| Failure::io(&name, &e))?;
                let reader = BufReader::with_capacity(READ_BUFFER, Box::new(file) as Box<dyn Read>);
                Ok(Input { name, reader, path: Some(p.to_path_buf()), guessed: None, recognised: false })
            }
        }
    }

    fn stdin() -> Input {
        let reader = BufReader::with_capacity(READ_BUFFER, Box::new(io::stdin()) as Box<dyn Read>);
        Input { name: "<stdin>".into(), reader, path: None, guessed: None, recognised: false }
    }

    /// The input's format: the one asked for, else the one its extension names, else the one
    /// its first bytes show. Framed input is bytes unless it looks like hex text.
    pub fn format(&mut self, asked: Option<Format>, framed: bool) -> Result<Format, Failure> {
        if let Some(f) = asked.or_else(|| self.path.as_deref().and_then(Format::from_extension)) {
            return Ok(f);
        }
        let head = self.reader.fill_buf().map_err(|e| Failure::io(&self.name, &e))?;
        let format = match Format::sniff(head) {
            Format::Hex => Format::Hex,
            _ if framed => Format::Bytes,
            sniffed => sniffed,
        };
        self.guessed = Some(format);
        Ok(format)
    }

    /// A failure, saying which format was assumed and how to name another when a wrong guess
    /// could be its cause: bad bytes read as CSV, or text read as bytes, are otherwise a puzzle.
    /// That is when the format was guessed (not named by `--from` or the file name), the failure
    /// is about the data (bad data, or damaged frames skipped; not a file or usage error), and
    /// nothing read so far shows the guess was right ([`Input::recognised`]: no good record, no
    /// frame delimiter).
    pub fn explain(&self, failure: Failure) -> Failure {
        let about_data = matches!(failure.code, EXIT_DATA | EXIT_DAMAGED);
        match self.guessed {
            // JSON is guessed only from a leading `[` or `{`: no other format starts so.
            Some(format) if format != Format::Json && about_data && !self.recognised => Failure {
                message: format!(
                    "{} (read as {}, guessed from the first bytes; set the format with --from)",
                    failure.message,
                    format.name()
                ),
                ..failure
            },
            _ => failure,
        }
    }
}

/// Where a command writes: stdout, or a temporary file renamed over the target on success.
pub struct Output {
    pub name: String,
    dest: Dest,
}

enum Dest {
    Stdout(BufWriter<Stdout>),
    File { writer: BufWriter<tempfile::NamedTempFile>, path: PathBuf },
}

impl Output {
    /// Stdout for `None` or `-`, else a temporary file next to `path`.
    pub fn create(path: Option<&Path>) -> Result<Output, Failure> {
        let path = match path {
            Some(p) if p != Path::new("-") => p,
            _ => return Ok(Output { name: "<stdout>".into(), dest: Dest::Stdout(BufWriter::new(io::stdout())) }),
        };
        let name = path.display().to_string();
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new().prefix(".swapwire-").suffix(".partial").tempfile_in(dir).map_err(|e| {
            // Name the file asked for, not the temporary one tempfile adds to its message.
            let text = e.to_string();
            let reason = text.split(" at path ").next().unwrap_or_default();
            Failure { code: EXIT_IO, message: format!("{name}: {reason}") }
        })?;
        Ok(Output { name, dest: Dest::File { writer: BufWriter::new(tmp), path: path.to_path_buf() } })
    }

    /// Flushes and, for a file, moves it into place. Dropping an `Output` without finishing it
    /// deletes the temporary file, so a failed command leaves no partial output.
    pub fn finish(self) -> io::Result<()> {
        match self.dest {
            Dest::Stdout(mut w) => w.flush(),
            Dest::File { writer, path } => {
                let tmp = writer.into_inner().map_err(|e| e.into_error())?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    // Temporary files are private (0600); the result is an ordinary file.
                    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))?;
                }
                tmp.persist(&path).map_err(|e| e.error)?;
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.dest {
            Dest::Stdout(w) => w.write(buf),
            Dest::File { writer, .. } => writer.write(buf),
        }
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.dest {
            Dest::Stdout(w) => w.write_all(buf),
            Dest::File { writer, .. } => writer.write_all(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.dest {
            Dest::Stdout(w) => w.flush(),
            Dest::File { writer, .. } => writer.flush(),
        }
    }
}
