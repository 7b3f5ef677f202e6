//! Reading records from an input in any format, one at a time, with where each one is. Inputs are
//! streamed: memory stays flat however long the file is.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

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

/// Where a JSON reader is in the input's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Records one after another (NDJSON, or pretty records back to back).
    Values,
    /// The `[` of an array.
    Open,
    /// The first element, or the `]` of an empty array.
    First,
    /// A `,` or the closing `]`.
    Separator,
    /// An element after a `,`.
    Element,
    /// Nothing but whitespace after the array.
    End,
}

/// Reads JSON records: one array, or values one after another. The input is read in chunks and
/// each record parsed once its text is complete, so memory holds one record and one chunk
/// whatever the layout (a minified array on one line included).
fn read_json(input: &mut Input, each: &mut dyn FnMut(Item<'_>) -> Result<(), Failure>) -> Result<Completion, Failure> {
    let name = input.name.clone();
    // Unparsed text; `line` is the line its first byte is on.
    let (mut pending, mut line, mut number) = (Vec::<u8>::new(), 1u64, 0u64);
    let mut expect = None;
    loop {
        let chunk = input.reader.fill_buf().map_err(|e| Failure::io(&name, &e))?;
        let eof = chunk.is_empty();
        pending.extend_from_slice(chunk);
        let n = chunk.len();
        input.reader.consume(n);
        if line == 1 && pending.starts_with(b"\xEF\xBB\xBF") {
            pending.drain(..3);
        }
        // `line` is the line of `pending[counted]`.
        let (mut pos, mut counted) = (0, 0);
        // The line of the byte at `at`, and a failure there.
        let fail = |pending: &[u8], line: u64, at: usize, reason: String| {
            let line_of = |at: usize| line + newlines(&pending[..at]);
            Failure::data(&At { file: &name, place: Some(Place::Line(line_of(at))), frame: None, record: None }, reason)
        };
        loop {
            let blank = pending[pos..].iter().take_while(|b| b.is_ascii_whitespace()).count();
            // Trailing whitespace stays pending, so an error at the end points at the last text.
            let Some(&next) = pending.get(pos + blank) else { break };
            pos += blank;
            let state = *expect.get_or_insert(if next == b'[' { Expect::Open } else { Expect::Values });
            match (state, next) {
                (Expect::Open, b'[') => (pos, expect) = (pos + 1, Some(Expect::First)),
                (Expect::First | Expect::Separator, b']') => (pos, expect) = (pos + 1, Some(Expect::End)),
                (Expect::Separator, b',') => (pos, expect) = (pos + 1, Some(Expect::Element)),
                (Expect::Separator, _) => {
                    return Err(fail(
                        &pending[counted..],
                        line,
                        pos - counted,
                        "expected `,` or `]` after a record".into(),
                    ))
                }
                (Expect::End, _) => {
                    return Err(fail(
                        &pending[counted..],
                        line,
                        pos - counted,
                        "text after the end of the array".into(),
                    ))
                }
                (Expect::Values | Expect::First | Expect::Element, _) => {
                    let mut values = serde_json::Deserializer::from_slice(&pending[pos..]).into_iter::<&RawValue>();
                    match values.next() {
                        Some(Ok(raw)) => {
                            number += 1;
                            let record = json::from_str::<Record>(raw.get()).map_err(|e| e.to_string());
                            // Counted from the last record on, not from the chunk's start.
                            (line, counted) = (line + newlines(&pending[counted..pos]), pos);
                            let place = Place::Line(line);
                            each(Item { number: Some(number), frame: None, place, record, bytes: &[], offset: 0 })?;
                            pos += values.byte_offset();
                            expect = Some(if state == Expect::Values { Expect::Values } else { Expect::Separator });
                        }
                        Some(Err(e)) if e.is_eof() && !eof => break,
                        Some(Err(e)) => {
                            let at = pos + offset_of(&pending[pos..], e.line(), e.column());
                            return Err(fail(
                                &pending[counted..],
                                line,
                                at - counted,
                                json_syntax(&e, column(&pending, at)),
                            ));
                        }
                        None => break,
                    }
                }
                (Expect::Open, _) => unreachable!("an array is chosen by its `[`"),
            }
        }
        if eof {
            if matches!(expect, Some(Expect::First | Expect::Separator | Expect::Element)) {
                let last = pending[..pos].iter().rposition(|b| !b.is_ascii_whitespace()).unwrap_or(0);
                return Err(fail(
                    &pending[counted..],
                    line,
                    last.saturating_sub(counted),
                    "the input ends inside the array (no closing `]`)".into(),
                ));
            }
            return Ok(Completion::Whole);
        }
        line += newlines(&pending[counted..pos]);
        pending.drain(..pos);
    }
}

fn newlines(text: &[u8]) -> u64 {
    text.iter().filter(|&&b| b == b'\n').count() as u64
}

/// The offset of serde_json's (1-based) line and column within `text`.
fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        text.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1)
    };
    (start + column.saturating_sub(1)).min(text.len())
}

/// The 1-based column of the byte at `at`.
fn column(text: &[u8], at: usize) -> usize {
    at - text[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1
}

/// A JSON syntax error with the column in the input (serde_json's position is relative to the
/// text it was given; the line is in the message prefix).
fn json_syntax(e: &serde_json::Error, column: usize) -> String {
    let text = e.to_string();
    let reason = text.rsplit_once(" at line ").map_or(text.as_str(), |(reason, _)| reason);
    format!("{reason} (column {column})")
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
