//! Writing records in each output format.

use std::io::{self, Write};

use swapwire::{json, Codec, Record, RECORD_MAX_SIZE};

use crate::failure::{is_broken_pipe, Failure};
use crate::io::{Format, Output};
use crate::table::{self, Column};

/// Writes records one at a time in one format; nothing is held back but a buffer.
pub struct Writer {
    target: Target,
    first: bool,
}

enum Target {
    Json(Output),
    Ndjson(Output),
    Table(Box<csv::Writer<Output>>, Vec<Column>),
    Bytes(Output),
    Hex(Output),
}

impl Writer {
    /// Starts writing `format` to `out` (CSV and HXL write their header rows here).
    pub fn new(format: Format, out: Output) -> io::Result<Writer> {
        let target = match format {
            Format::Json => Target::Json(out),
            Format::Ndjson => Target::Ndjson(out),
            Format::Csv | Format::Hxl => {
                let columns = table::columns();
                let mut w = csv::WriterBuilder::new().from_writer(out);
                w.write_record(columns.iter().map(|c| &c.name))?;
                if format == Format::Hxl {
                    w.write_record(columns.iter().map(|c| &c.hashtag))?;
                }
                Target::Table(Box::new(w), columns)
            }
            Format::Bytes => Target::Bytes(out),
            Format::Hex => Target::Hex(out),
        };
        Ok(Writer { target, first: true })
    }

    pub fn write(&mut self, record: &Record) -> io::Result<()> {
        let first = std::mem::replace(&mut self.first, false);
        match &mut self.target {
            Target::Json(out) => {
                out.write_all(if first { b"[\n" } else { b",\n" })?;
                out.write_all(text(record)?.as_bytes())
            }
            Target::Ndjson(out) => {
                out.write_all(text(record)?.as_bytes())?;
                out.write_all(b"\n")
            }
            Target::Table(w, columns) => Ok(w.write_record(table::row(columns, record))?),
            Target::Bytes(out) => out.write_all(encode(record, &mut [0; RECORD_MAX_SIZE])?),
            Target::Hex(out) => {
                for b in encode(record, &mut [0; RECORD_MAX_SIZE])? {
                    write!(out, "{b:02x}")?;
                }
                out.write_all(b"\n")
            }
        }
    }

    /// Ends the output (closing a JSON array) and puts the file in place.
    pub fn finish(self) -> io::Result<()> {
        match self.target {
            Target::Json(mut out) => {
                out.write_all(if self.first { b"[]\n" } else { b"\n]\n" })?;
                out.finish()
            }
            Target::Table(w, _) => w.into_inner().map_err(|e| e.into_error())?.finish(),
            Target::Ndjson(out) | Target::Bytes(out) | Target::Hex(out) => out.finish(),
        }
    }
}

fn text(record: &Record) -> io::Result<String> {
    json::to_string(record).map_err(io::Error::other)
}

fn encode<'b>(record: &Record, buf: &'b mut [u8; RECORD_MAX_SIZE]) -> io::Result<&'b [u8]> {
    let n = record.encode(buf).map_err(io::Error::other)?;
    Ok(&buf[..n])
}

/// The failure for an error while writing `name`; a closed stdout reader ends the command quietly.
pub fn write_failure(name: &str, err: &io::Error) -> Failure {
    if is_broken_pipe(err) {
        Failure { code: 0, message: String::new() }
    } else {
        Failure::io(name, err)
    }
}
