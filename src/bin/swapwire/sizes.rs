//! `sizes`: how many bytes each format needs for the records of some files.

use std::io::Write;
use std::path::PathBuf;

use swapwire::frame::{self, Framing, Profile};
use swapwire::peers::Format as Peer;
use swapwire::{Codec, Error, Record};

use crate::failure::Failure;
use crate::frames::{alone_len, FrameWriter, Framed, PROFILES};
use crate::io::{Format, Input, Output};
use crate::out::write_failure;
use crate::records;

/// Message sizes the table counts fitting records for (LoRaWAN US915 DR0, EU868 DR0-2,
/// EU868 DR4-7, Iridium SBD mobile-originated).
pub const BUDGETS: [usize; 4] = [11, 51, 222, 340];

/// One row of the table: a format, the size of each record in it, and the total.
struct Row {
    label: String,
    sizes: Vec<usize>,
    /// The bytes for all records, when the format can carry them all.
    total: Option<usize>,
    /// Stream frames: "fit N" (a message of N bytes) does not apply.
    stream: bool,
    /// For frames, the 1-based numbers of the records no frame of the link can carry.
    oversized: Vec<usize>,
    /// The link profile's name, for frame rows.
    profile: Option<(&'static str, usize)>,
}

impl Row {
    /// A row for a format that writes each record on its own.
    fn each(label: String, records: &[Record], measure: impl Fn(&Record) -> usize) -> Row {
        let sizes: Vec<usize> = records.iter().map(measure).collect();
        Row { label, total: Some(sizes.iter().sum()), sizes, stream: false, oversized: Vec::new(), profile: None }
    }

    /// A row for the frames of a link profile: per record, a frame carrying it alone (however
    /// large); in total, the frames carrying all records in order, each as full as the profile
    /// allows.
    fn frames(name: &'static str, profile: Profile, sender: u32, records: &[Record]) -> Row {
        let sizes = records.iter().map(|r| alone_len(&profile, sender, r)).collect();
        let mut buf = vec![0; profile.payload];
        let oversized = (1..)
            .zip(records)
            .filter(|(_, r)| {
                matches!(frame::write_records(&profile, sender, [*r], &mut buf), Err(Error::TooLargeForLink))
            })
            .map(|(i, _)| i)
            .collect();
        let framed = Framed { profile, sender: Some(sender) };
        let packed = FrameWriter::new(framed, Format::Hex, std::io::sink()).ok().and_then(|mut w| {
            for r in records {
                w.write(r.clone()).ok()?.ok()?;
            }
            w.totals().ok().map(|(frames, bytes)| (frames, bytes as usize))
        });
        let kind = match profile.framing {
            Framing::Message => "message",
            Framing::Stream => "stream",
        };
        let label = match packed {
            Some((frames, _)) => {
                let s = if frames == 1 { "" } else { "s" };
                format!("swapwire frames: {name} ({} B {kind}, {frames} frame{s})", profile.payload)
            }
            None => format!("swapwire frames: {name} ({} B {kind}, not all records fit)", profile.payload),
        };
        let stream = profile.framing == Framing::Stream;
        Row {
            label,
            sizes,
            total: packed.map(|(_, bytes)| bytes),
            stream,
            oversized,
            profile: Some((name, profile.payload)),
        }
    }
}

fn rows(records: &[Record], sender: u32) -> Vec<Row> {
    let mut rows = vec![Row::each("swapwire record".into(), records, Record::encoded_len)];
    for (name, profile) in PROFILES {
        rows.push(Row::frames(name, profile, sender, records));
    }
    for peer in Peer::ALL {
        let label = format!("{} ({})", peer_label(peer), peer.library());
        rows.push(Row::each(label, records, |r| peer.encode(r).len()));
    }
    rows
}

fn peer_label(peer: Peer) -> &'static str {
    match peer {
        Peer::Json => "JSON, compact",
        Peer::Cbor => "CBOR",
        Peer::MessagePack => "MessagePack",
        Peer::Protobuf => "protobuf",
        Peer::Bincode => "bincode 2",
        Peer::Bitcode => "bitcode",
    }
}

/// The files a list of paths stands for: files as given, directories by their record files.
fn expand(inputs: &[PathBuf]) -> Result<Vec<Option<PathBuf>>, Failure> {
    if inputs.is_empty() {
        return Ok(vec![None]);
    }
    let mut files = Vec::new();
    for path in inputs {
        if !path.is_dir() {
            files.push(Some(path.clone()));
            continue;
        }
        let name = path.display().to_string();
        let mut found: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Failure::io(&name, &e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
                matches!(ext, "json" | "ndjson" | "jsonl" | "csv" | "hxl")
            })
            .collect();
        found.sort();
        if found.is_empty() {
            return Err(Failure::usage(format!("{name}: no .json, .ndjson, .jsonl, .csv or .hxl files")));
        }
        files.extend(found.into_iter().map(Some));
    }
    Ok(files)
}

pub fn run(inputs: &[PathBuf], from: Option<Format>, sender: Option<u32>) -> Result<(), Failure> {
    let mut records = Vec::new();
    let mut names = Vec::new();
    for path in expand(inputs)? {
        let mut input = Input::open(path.as_deref())?;
        let format = input.format(from, false)?;
        let name = input.name.clone();
        records::read(&mut input, format, &mut |item| {
            let at = item.at(&name);
            records.push(item.record.map_err(|reason| Failure::data(&at, reason))?);
            Ok(())
        })?;
        names.push(name);
    }
    let sender = sender.or_else(|| records.iter().find_map(origin)).unwrap_or(0);
    let mut rows = rows(&records, sender);
    let mut out = Output::create(None)?;
    out.write_all(table(&mut rows, &names, sender).as_bytes()).map_err(|e| write_failure("<stdout>", &e))?;
    out.finish().map_err(|e| write_failure("<stdout>", &e))
}

/// The origin of a report (sources have none).
fn origin(record: &Record) -> Option<u32> {
    match record {
        Record::Exchange(x) => Some(x.origin),
        Record::Count(c) => Some(c.origin),
        Record::Source(_) => None,
    }
}

/// The Markdown table.
fn table(rows: &mut [Row], names: &[String], sender: u32) -> String {
    let count = rows.first().map_or(0, |r| r.sizes.len());
    let base = rows.first().and_then(|r| r.total).unwrap_or(0);
    let mut text = format!("{count} records from {}; frames sent by origin {sender}\n\n", names.join(", "));
    let budgets: Vec<String> = BUDGETS.iter().map(|b| format!("fit {b} B")).collect();
    text += &format!("| format | min | median | max | total | vs swapwire | {} |\n", budgets.join(" | "));
    text += &format!("|---|--:|--:|--:|--:|--:|{}\n", "--:|".repeat(BUDGETS.len()));
    for row in rows.iter_mut() {
        row.sizes.sort_unstable();
        // A stream frame is not a message: how many fit an N-byte message does not apply.
        let fits: Vec<String> = BUDGETS
            .iter()
            .map(|&b| if row.stream { "-".into() } else { row.sizes.iter().filter(|&&s| s <= b).count().to_string() })
            .collect();
        let (total, ratio) = match row.total {
            Some(t) if base > 0 => (t.to_string(), format!("{:.2}x", t as f64 / base as f64)),
            Some(t) => (t.to_string(), "-".into()),
            None => ("-".into(), "-".into()),
        };
        text += &format!(
            "| {} | {} | {} | {} | {total} | {ratio} | {} |\n",
            row.label,
            row.sizes.first().map_or("-".into(), usize::to_string),
            median(&row.sizes),
            row.sizes.last().map_or("-".into(), usize::to_string),
            fits.join(" | ")
        );
    }
    let notes: Vec<String> = rows
        .iter()
        .filter(|r| !r.oversized.is_empty())
        .map(|r| {
            let (name, payload) = r.profile.unwrap_or_default();
            let numbers: Vec<String> = r.oversized.iter().map(usize::to_string).collect();
            let s = if numbers.len() == 1 { "" } else { "s" };
            format!("- {name} ({payload} B): record{s} {} too large for any frame, even alone\n", numbers.join(", "))
        })
        .collect();
    if !notes.is_empty() {
        text += "\nRecords (numbered from 1 in input order) that a link cannot carry, so its total is \"-\" \
            (`swapwire encode --skip-oversized` leaves them out):\n\n";
        text += &notes.concat();
    }
    text
}

/// The median of sorted sizes: the middle one, or the mean of the middle two.
fn median(sorted: &[usize]) -> String {
    match sorted.len() {
        0 => "-".into(),
        n if n % 2 == 1 => sorted[n / 2].to_string(),
        n => {
            let twice = sorted[n / 2 - 1] + sorted[n / 2];
            if twice.is_multiple_of(2) {
                (twice / 2).to_string()
            } else {
                format!("{}.5", twice / 2)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn medians() {
        assert_eq!(median(&[]), "-");
        assert_eq!(median(&[3]), "3");
        assert_eq!(median(&[1, 2, 9]), "2");
        assert_eq!(median(&[1, 2, 3, 9]), "2.5");
        assert_eq!(median(&[2, 4]), "3");
    }

    #[test]
    fn a_directory_stands_for_its_record_files() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
        let files = expand(std::slice::from_ref(&dir)).unwrap();
        assert_eq!(files, vec![Some(dir.join("seeds.json"))]);
    }
}
