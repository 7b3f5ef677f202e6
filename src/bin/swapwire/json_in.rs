//! Reading JSON records: one array, one record, or records one after another (NDJSON).

use std::io::BufRead;

use serde_json::value::RawValue;
use swapwire::{json, Record};

use crate::failure::{At, Failure, Place};
use crate::io::Input;
use crate::records::{Completion, Item};

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
pub fn read(input: &mut Input, each: &mut dyn FnMut(Item<'_>) -> Result<(), Failure>) -> Result<Completion, Failure> {
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
