//! `sizes`: how many bytes each format needs for the records of some files.

use std::io::Write;
use std::path::PathBuf;

use swapwire::peers::Format as Peer;
use swapwire::{Codec, Record};

use crate::failure::Failure;
use crate::io::{Format, Input, Output};
use crate::out::write_failure;
use crate::records;

/// Message sizes the table counts fitting records for (LoRaWAN US915 DR0, EU868 DR0-2,
/// EU868 DR4-7, Iridium SBD mobile-originated).
pub const BUDGETS: [usize; 4] = [11, 51, 222, 340];

/// One row of the table: a format and how it measures a record.
struct Row {
    label: String,
    measure: Box<dyn Fn(&Record) -> usize>,
    sizes: Vec<usize>,
}

fn rows() -> Vec<Row> {
    let mut rows = vec![Row { label: "swapwire record".into(), measure: Box::new(Record::encoded_len), sizes: vec![] }];
    for peer in Peer::ALL {
        rows.push(Row {
            label: format!("{} ({})", peer_label(peer), peer.library()),
            measure: Box::new(move |r| peer.encode(r).len()),
            sizes: vec![],
        });
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

pub fn run(inputs: &[PathBuf], from: Option<Format>) -> Result<(), Failure> {
    let mut rows = rows();
    let mut names = Vec::new();
    for path in expand(inputs)? {
        let mut input = Input::open(path.as_deref())?;
        let format = input.format(from)?;
        let name = input.name.clone();
        records::read(&mut input, format, &mut |item| {
            let record = item.record.as_ref().map_err(|reason| Failure::data(&item.at(&name), reason))?;
            for row in &mut rows {
                row.sizes.push((row.measure)(record));
            }
            Ok(())
        })?;
        names.push(name);
    }
    let mut out = Output::create(None)?;
    out.write_all(table(&mut rows, &names).as_bytes()).map_err(|e| write_failure("<stdout>", &e))?;
    out.finish().map_err(|e| write_failure("<stdout>", &e))
}

/// The Markdown table.
fn table(rows: &mut [Row], names: &[String]) -> String {
    let count = rows.first().map_or(0, |r| r.sizes.len());
    let base: usize = rows.first().map_or(0, |r| r.sizes.iter().sum());
    let mut text = format!("{count} records from {}\n\n", names.join(", "));
    let budgets: Vec<String> = BUDGETS.iter().map(|b| format!("fit {b} B")).collect();
    text += &format!("| format | min | median | max | total | vs swapwire | {} |\n", budgets.join(" | "));
    text += &format!("|---|--:|--:|--:|--:|--:|{}\n", "--:|".repeat(BUDGETS.len()));
    for row in rows.iter_mut() {
        row.sizes.sort_unstable();
        let total: usize = row.sizes.iter().sum();
        let fits: Vec<String> =
            BUDGETS.iter().map(|&b| row.sizes.iter().filter(|&&s| s <= b).count().to_string()).collect();
        let ratio = if base == 0 { "-".into() } else { format!("{:.2}x", total as f64 / base as f64) };
        text += &format!(
            "| {} | {} | {} | {} | {total} | {ratio} | {} |\n",
            row.label,
            row.sizes.first().map_or("-".into(), usize::to_string),
            median(&row.sizes),
            row.sizes.last().map_or("-".into(), usize::to_string),
            fits.join(" | ")
        );
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
        let files = expand(&[dir.clone()]).unwrap();
        assert_eq!(files, vec![Some(dir.join("seeds.json"))]);
    }
}
