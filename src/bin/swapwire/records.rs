//! Reading records from an input in any format, one at a time, with where each one is. Inputs are
//! streamed: memory stays flat however long the file is.

use std::io::{self, BufRead, Read};

use swapwire::annotate::{annotate, Located};
use swapwire::{Codec, Error, Record, RECORD_MAX_SIZE};

use crate::failure::{At, Failure, Place};
use crate::frames::Framed;
use crate::io::{Format, Input};
use crate::{csv_in, json_in};

/// One record read from an input, or why it could not be.
pub struct Item<'a> {
    /// The record's 1-based number in the input (none for a frame that yields no records).
    pub number: Option<u64>,
    /// The 1-based frame it came in, for framed input.
    pub frame: Option<u64>,
    /// Where it starts (a line), or for bytes where it starts or where its error is.
    pub place: Place,
    pub record: Result<Record, String>,
    /// For binary inputs, the record's bytes; for a broken record, the bytes from its start on;
    /// for framed input, the frame the record came in.
    pub bytes: &'a [u8],
    /// For binary inputs, the offset of the record's first byte.
    pub offset: u64,
}

impl Item<'_> {
    pub fn at<'a>(&self, file: &'a str) -> At<'a> {
        At { file, place: Some(self.place), frame: self.frame, record: self.number }
    }
}

/// Reads every record of `input` in `format`, handing each to `each`; stops at the first error
/// `each` returns. Returns whether the input was read to its end (an unframed byte stream cannot
/// be read past a record whose length is unknown).
pub fn read(
    input: &mut Input,
    format: Format,
    each: &mut dyn FnMut(Item<'_>) -> Result<(), Failure>,
) -> Result<Completion, Failure> {
    explaining_guess(input, each, |input, each| match format {
        Format::Json | Format::Ndjson => json_in::read(input, each),
        Format::Csv | Format::Hxl => csv_in::read(input, each),
        Format::Bytes => read_bytes(input, each),
        Format::Hex => read_hex(input, each),
    })
}

/// Reads records as [`read`] does, or out of frames when `frames` says the input is framed.
pub fn read_any(
    input: &mut Input,
    format: Format,
    frames: Option<Framed>,
    each: &mut dyn FnMut(Item<'_>) -> Result<(), Failure>,
) -> Result<Completion, Failure> {
    match frames {
        Some(framed) => explaining_guess(input, each, |input, each| crate::frames::read(input, format, framed, each)),
        None => read(input, format, each),
    }
}

/// Runs `reader`, and if it fails, says the format was a guess when that could be why
/// ([`Input::explain`]): a good record read shows the guess was right.
fn explaining_guess(
    input: &mut Input,
    each: &mut dyn FnMut(Item<'_>) -> Result<(), Failure>,
    reader: impl FnOnce(&mut Input, &mut dyn FnMut(Item<'_>) -> Result<(), Failure>) -> Result<Completion, Failure>,
) -> Result<Completion, Failure> {
    let mut read_one = false;
    let mut each = |item: Item<'_>| {
        read_one |= item.record.is_ok();
        each(item)
    };
    let result = reader(input, &mut each);
    input.recognised |= read_one;
    result.map_err(|f| input.explain(f))
}

/// How far a reader got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// Every record was read.
    Whole,
    /// A broken record in a byte stream hid where the next one starts.
    StoppedAt(u64),
}

/// Locates a decoding error inside a record that starts at `offset`.
fn locate(bytes: &[u8], err: Error) -> Located {
    annotate::<Record>(bytes, |_| {}).err().unwrap_or(Located { error: err, start: 0, end: 0, record_len: None })
}

fn read_bytes(input: &mut Input, each: &mut dyn FnMut(Item<'_>) -> Result<(), Failure>) -> Result<Completion, Failure> {
    let name = input.name.clone();
    let mut window = ByteWindow::new();
    let mut offset = 0u64;
    let mut number = 0;
    loop {
        let bytes = window.fill(&mut input.reader).map_err(|e| Failure::io(&name, &e))?;
        if bytes.is_empty() {
            return Ok(Completion::Whole);
        }
        number += 1;
        let (item, used) = match Record::decode_prefix(bytes) {
            Ok((record, used)) => {
                let item = Item {
                    number: Some(number),
                    frame: None,
                    place: Place::Byte(offset),
                    record: Ok(record),
                    bytes: &bytes[..used],
                    offset,
                };
                (item, Some(used))
            }
            Err(e) => {
                let located = locate(bytes, e);
                let item = Item {
                    number: Some(number),
                    frame: None,
                    place: Place::Byte(offset + located.start as u64),
                    record: Err(located.error.to_string()),
                    bytes,
                    offset,
                };
                (item, located.record_len)
            }
        };
        each(item)?;
        match used {
            Some(n) => {
                window.consume(n);
                offset += n as u64;
            }
            None => return Ok(Completion::StoppedAt(offset)),
        }
    }
}

/// A window over a byte stream that always holds a whole record when the stream has one.
struct ByteWindow {
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
}

impl ByteWindow {
    fn new() -> Self {
        ByteWindow { buf: vec![0; 64 * 1024], start: 0, end: 0, eof: false }
    }

    /// The unread bytes, holding at least `RECORD_MAX_SIZE` of them unless the stream ends first.
    fn fill(&mut self, reader: &mut impl Read) -> io::Result<&[u8]> {
        if self.end - self.start < RECORD_MAX_SIZE && !self.eof {
            self.buf.copy_within(self.start..self.end, 0);
            (self.end, self.start) = (self.end - self.start, 0);
            while self.end < RECORD_MAX_SIZE && !self.eof {
                match reader.read(&mut self.buf[self.end..]) {
                    Ok(0) => self.eof = true,
                    Ok(n) => self.end += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
    }
}

/// Parses one line of hex text (spaces allowed between bytes).
pub fn unhex(line: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = line.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if let Some(bad) = digits.iter().find(|b| !b.is_ascii_hexdigit()) {
        return Err(format!("{:?} is not a hex digit", *bad as char));
    }
    if !digits.len().is_multiple_of(2) {
        return Err("odd number of hex digits".into());
    }
    let value = |d: u8| (d as char).to_digit(16).unwrap_or(0) as u8;
    Ok(digits.chunks(2).map(|p| value(p[0]) << 4 | value(p[1])).collect())
}

fn read_hex(input: &mut Input, each: &mut dyn FnMut(Item<'_>) -> Result<(), Failure>) -> Result<Completion, Failure> {
    let name = input.name.clone();
    let mut line = String::new();
    let (mut line_no, mut number) = (0, 0);
    loop {
        line.clear();
        if input.reader.read_line(&mut line).map_err(|e| Failure::io(&name, &e))? == 0 {
            return Ok(Completion::Whole);
        }
        line_no += 1;
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        number += 1;
        let (record, bytes) = match unhex(&line) {
            Err(e) => (Err(e), vec![]),
            Ok(bytes) => match Record::decode(&bytes) {
                Ok(r) => (Ok(r), bytes),
                Err(Error::TrailingBytes) => {
                    let used = Record::decode_prefix(&bytes).map_or(0, |(_, n)| n);
                    (Err(format!("byte {used}: {}", Error::TrailingBytes)), bytes)
                }
                Err(e) => (Err(locate(&bytes, e).to_string()), bytes),
            },
        };
        each(Item {
            number: Some(number),
            frame: None,
            place: Place::Line(line_no),
            record,
            bytes: &bytes,
            offset: 0,
        })?;
    }
}
