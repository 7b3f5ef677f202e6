//! Reading CSV and HXL records, with the line each starts on.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;

use crate::failure::{At, Failure, Place};
use crate::io::Input;
use crate::records::{Completion, Item};
use crate::table::{is_hashtag_row, Layout};

pub fn read(input: &mut Input, each: &mut dyn FnMut(Item<'_>) -> Result<(), Failure>) -> Result<Completion, Failure> {
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
