//! Reading records from an input in any format, one at a time, with where each one is. Inputs are
//! streamed: memory stays flat however long the file is.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use serde::de::{self, Deserializer as _, SeqAccess, Visitor};
use serde_json::value::RawValue;
use swapwire::annotate::{annotate, Located};
use swapwire::{json, Codec, Error, Record, RECORD_MAX_SIZE};

use crate::failure::{At, Failure, Place};
use crate::frames::Framed;
use crate::io::{Format, Input};
use crate::table::{is_hashtag_row, Layout};

/// One record read from an input, or why it could not be.
pub struct Item<'a> {
    /// The record's 1-based number in the input (none for a frame that yields no records).
    pub number: Option<u64>,
    /// The 1-based frame it came in, for framed input.
    pub frame: Option<u64>,
    /// Where it starts (a line), or for bytes where it starts or where its error is.
    pub place: Place,
    pub record: Result<Record, String>,
    /// For binary inputs, the record's bytes; for a broken record, the bytes from its start on.
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
    match format {
        Format::Json | Format::Ndjson => read_json(input, each),
        Format::Csv | Format::Hxl => read_csv(input, each),
        Format::Bytes => read_bytes(input, each),
        Format::Hex => read_hex(input, each),
    }
}

/// Reads records as [`read`] does, or out of frames when `frames` says the input is framed.
pub fn read_any(
    input: &mut Input,
    format: Format,
    frames: Option<Framed>,
    each: &mut dyn FnMut(Item<'_>) -> Result<(), Failure>,
) -> Result<Completion, Failure> {
    match frames {
        Some(framed) => crate::frames::read(input, format, framed, each),
        None => read(input, format, each),
    }
}

/// How far a reader got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// Every record was read.
    Whole,
    /// A broken record in a byte stream hid where the next one starts.
    StoppedAt(u64),
}

/// Counts the lines a JSON reader has consumed, so records can be given line numbers.
struct LineCounter<R> {
    inner: R,
    newlines: Rc<Cell<u64>>,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let seen = buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        self.newlines.set(self.newlines.get() + seen);
        Ok(n)
    }
}

fn read_json(input: &mut Input, each: &mut dyn FnMut(Item<'_>) -> Result<(), Failure>) -> Result<Completion, Failure> {
    let name = input.name.clone();
    let newlines = Rc::new(Cell::new(0));
    let is_array = {
        let head = input.reader.fill_buf().map_err(|e| Failure::io(&name, &e))?;
        head.iter().find(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF)) == Some(&b'[')
    };
    let reader = LineCounter { inner: &mut input.reader, newlines: newlines.clone() };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut number = 0;
    // The record a raw JSON value holds, numbered, placed at the line where it starts.
    let mut handle = |raw: Box<RawValue>, number: &mut u64| {
        *number += 1;
        let inside = raw.get().bytes().filter(|&b| b == b'\n').count() as u64;
        let place = Place::Line(newlines.get() - inside + 1);
        let record = json::from_str::<Record>(raw.get()).map_err(|e| e.to_string());
        each(Item { number: Some(*number), frame: None, place, record, bytes: &[], offset: 0 })
    };
    let syntax = |e: serde_json::Error| {
        Failure::data(&At { file: &name, place: Some(Place::Line(e.line() as u64)), frame: None, record: None }, e)
    };
    if is_array {
        let mut stop = None;
        let visitor = ArrayVisitor { each: &mut |raw| handle(raw, &mut number), stop: &mut stop };
        let walked = de.deserialize_seq(visitor);
        if let Some(failure) = stop {
            return Err(failure);
        }
        walked.map_err(syntax)?;
        de.end().map_err(syntax)?;
    } else {
        for raw in de.into_iter::<Box<RawValue>>() {
            handle(raw.map_err(syntax)?, &mut number)?;
        }
    }
    Ok(Completion::Whole)
}

/// Hands each element of a JSON array over as it is parsed, without holding the array.
struct ArrayVisitor<'a> {
    each: &'a mut dyn FnMut(Box<RawValue>) -> Result<(), Failure>,
    stop: &'a mut Option<Failure>,
}

impl<'de> Visitor<'de> for ArrayVisitor<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            if let Err(failure) = (self.each)(raw) {
                *self.stop = Some(failure);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

fn read_csv(input: &mut Input, each: &mut dyn FnMut(Item<'_>) -> Result<(), Failure>) -> Result<Completion, Failure> {
    let name = input.name.clone();
    // The csv crate does not count the blank lines it skips; the line numbers come from here.
    let lines = Rc::new(RefCell::new(Lines::default()));
    let reader = NewlineOffsets { inner: &mut input.reader, lines: lines.clone(), offset: 0, filled: 0 };
    let mut rows = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(reader);
    let line_of = |pos: Option<&csv::Position>| pos.map_or(0, |p| lines.borrow_mut().line_at(p.byte()));
    let at_line = |line: u64| At { file: &name, place: Some(Place::Line(line)), frame: None, record: None };
    let bad_csv = |e: csv::Error| Failure::data(&at_line(line_of(e.position())), e);
    let mut row = csv::StringRecord::new();
    if !rows.read_record(&mut row).map_err(bad_csv)? {
        return Ok(Completion::Whole);
    }
    let first: Vec<String> = row.iter().map(String::from).collect();
    // Either a header row, optionally followed by a hashtag row, or a hashtag row alone.
    let (names, mut hashtags, mut pending) = if is_hashtag_row(first.iter().map(String::as_str)) {
        (None, Some(first), false)
    } else {
        (Some(first), None, rows.read_record(&mut row).map_err(bad_csv)?)
    };
    if pending && hashtags.is_none() && is_hashtag_row(row.iter()) {
        hashtags = Some(row.iter().map(String::from).collect());
        pending = false;
    }
    let layout = Layout::new(names.as_deref(), hashtags.as_deref()).map_err(|e| Failure::data(&at_line(1), e))?;
    let mut number = 0;
    loop {
        if !pending && !rows.read_record(&mut row).map_err(bad_csv)? {
            break;
        }
        pending = false;
        let line = line_of(row.position());
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        number += 1;
        each(Item {
            number: Some(number),
            frame: None,
            place: Place::Line(line),
            record: layout.record(row.iter()),
            bytes: &[],
            offset: 0,
        })?;
    }
    Ok(Completion::Whole)
}

/// Newlines a CSV reader has read past whose lines have not been asked for yet: their offsets,
/// and whether they end a blank line.
#[derive(Default)]
struct Lines {
    pending: VecDeque<(u64, bool)>,
    before: u64,
}

impl Lines {
    /// The 1-based line of a record whose parse began at `offset` (the csv crate reports the
    /// start of the blank lines it skipped); offsets must be asked for in order.
    fn line_at(&mut self, offset: u64) -> u64 {
        while self.pending.front().is_some_and(|&(n, blank)| n < offset || blank) {
            self.pending.pop_front();
            self.before += 1;
        }
        self.before + 1
    }
}

/// Notes every newline that passes through.
struct NewlineOffsets<R> {
    inner: R,
    lines: Rc<RefCell<Lines>>,
    offset: u64,
    /// Bytes other than `\r` since the last newline.
    filled: u64,
}

impl<R: Read> Read for NewlineOffsets<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut lines = self.lines.borrow_mut();
        for (i, &b) in buf[..n].iter().enumerate() {
            match b {
                b'\n' => {
                    lines.pending.push_back((self.offset + i as u64, self.filled == 0));
                    self.filled = 0;
                }
                b'\r' => {}
                _ => self.filled += 1,
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
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
