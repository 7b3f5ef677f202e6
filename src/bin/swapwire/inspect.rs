//! `inspect`: an annotated hex dump, one line per field, from the decoder's own field walk.

use std::io::Write;
use std::path::Path;

use swapwire::annotate::annotate;
use swapwire::frame::{FrameKind, Framing, Header};
use swapwire::{json, Record};

use crate::failure::{Failure, Place};
use crate::frames::{self, Framed};
use crate::io::{Format, Input, Output};
use crate::out::write_failure;
use crate::records::{self, Completion};

/// Bytes shown per dump line; longer fields continue on the next lines.
const PER_LINE: usize = 8;

pub fn run(
    input: Option<&Path>,
    from: Option<Format>,
    output: Option<&Path>,
    frames: Option<Framed>,
) -> Result<(), Failure> {
    let mut input = Input::open(input)?;
    let format = input.format(from, frames.is_some())?;
    if let Some(framed) = frames {
        return run_frames(input, format, output, framed);
    }
    if format.is_text() {
        return Err(Failure::usage(format!(
            "{}: inspect reads swapwire bytes or hex; use `swapwire encode` first for {} input",
            input.name,
            format.name()
        )));
    }
    let mut out = Output::create(output)?;
    let out_name = out.name.clone();
    let name = input.name.clone();
    let mut first_failure = None;
    let completion = records::read(&mut input, format, &mut |item| {
        let mut lines = Vec::new();
        let walked = annotate::<Record>(item.bytes, |s| {
            lines.push((s.start, s.end, s.label, s.value.to_string()));
        });
        let base = item.offset as usize;
        let heading = match (item.place, &walked) {
            (Place::Line(n), _) => format!("line {n}"),
            (Place::Byte(_), Ok(used)) => format!("bytes {base}..{}", base + used),
            (Place::Byte(_), Err(_)) => format!("from byte {base}"),
        };
        let kind = lines.first().filter(|l| l.2 == "record").map_or("", |l| l.3.as_str());
        let mut text = format!(
            "record {} ({heading}){}{kind}\n",
            item.number.unwrap_or_default(),
            if kind.is_empty() { "" } else { ": " }
        );
        for (start, end, label, value) in &lines {
            dump(&mut text, base, &item.bytes[*start..*end], *start, &format!("{label:<14} {value}"));
        }
        if let Err(located) = &walked {
            let end = located.end.max(located.start + 1).min(item.bytes.len());
            let bad = item.bytes.get(located.start..end).unwrap_or_default();
            dump(&mut text, base, bad, located.start, &format!("!! {}", located.error));
        }
        if let Err(reason) = &item.record {
            if walked.is_ok() {
                text.push_str(&format!("{:>8}  !! {reason}\n", ""));
            }
            first_failure.get_or_insert_with(|| Failure::data(&item.at(&name), reason));
        }
        text.push('\n');
        out.write_all(text.as_bytes()).map_err(|e| write_failure(&out_name, &e))
    })?;
    if let Completion::StoppedAt(offset) = completion {
        let note = format!("stopped at byte {offset}: where the next record starts is unknown in an unframed stream\n");
        out.write_all(note.as_bytes()).map_err(|e| write_failure(&out_name, &e))?;
    }
    out.finish().map_err(|e| write_failure(&out_name, &e))?;
    first_failure.map_or(Ok(()), Err)
}

/// Appends the dump lines of one field: offset, up to [`PER_LINE`] bytes in hex, and the note on
/// the first line.
fn dump(text: &mut String, base: usize, bytes: &[u8], start: usize, note: &str) {
    if bytes.is_empty() {
        text.push_str(&format!("{:>8}  {:<w$}  {note}\n", base + start, "(end of input)", w = PER_LINE * 3 - 1));
    }
    for (i, chunk) in bytes.chunks(PER_LINE).enumerate() {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        let note = if i == 0 { note } else { "" };
        let line = format!("{:>8}  {:<w$}  {note}", base + start + i * PER_LINE, hex.join(" "), w = PER_LINE * 3 - 1);
        text.push_str(line.trim_end());
        text.push('\n');
    }
}

/// Frames carry records in a shortened in-frame form (fields the frame header or an earlier
/// record already gives are left out), so a frame is shown as its header, its bytes, and each
/// record it carries in JSON; `swapwire encode --hex` then `inspect` shows the standalone bytes of
/// any of them field by field.
fn run_frames(mut input: Input, format: Format, output: Option<&Path>, framed: Framed) -> Result<(), Failure> {
    let mut out = Output::create(output)?;
    let out_name = out.name.clone();
    let name = input.name.clone();
    let link_sender = framed.sender.filter(|_| framed.profile.framing == Framing::Message);
    let (mut first_failure, mut shown) = (None, 0);
    frames::read(&mut input, format, framed, &mut |item| {
        let mut text = String::new();
        let frame = item.frame.unwrap_or_default();
        if frame != shown {
            shown = frame;
            let place = match item.place {
                Place::Line(n) => format!("line {n}"),
                Place::Byte(n) => format!("byte {n}"),
            };
            text += &format!("frame {frame} ({place})");
            if let Ok(h) = Header::parse(item.bytes, link_sender) {
                let sender = h.sender.map_or("no sender".into(), |s| format!("sender {s}"));
                let kind = match h.kind {
                    FrameKind::Records => "records",
                    FrameKind::Summary => "summary",
                };
                let s = if h.count == 1 { "" } else { "s" };
                text += &format!(": {} bytes; header: {kind}, {sender}, {} item{s}", item.bytes.len(), h.count);
            }
            text.push('\n');
            for (i, chunk) in item.bytes.chunks(PER_LINE * 2).enumerate() {
                let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
                text += &format!("{:>8}  {}\n", i * PER_LINE * 2, hex.join(" "));
            }
        }
        match &item.record {
            Ok(record) => {
                let json = json::to_string(record).map_err(|e| Failure::data(&item.at(&name), e))?;
                text += &format!("{:>8}  record {}: {json}\n", "", item.number.unwrap_or_default());
            }
            Err(reason) => {
                first_failure.get_or_insert_with(|| Failure::data(&item.at(&name), reason));
                text += &format!("{:>8}  !! {reason}\n", "");
            }
        }
        out.write_all(text.as_bytes()).map_err(|e| write_failure(&out_name, &e))
    })?;
    out.finish().map_err(|e| write_failure(&out_name, &e))?;
    first_failure.map_or(Ok(()), Err)
}
