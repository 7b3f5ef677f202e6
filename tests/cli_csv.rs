//! CSV and HXL through the `swapwire` binary: round trips of every example and edge record,
//! hashtag rows matched the way HXL tools match them, and located errors.

mod cli_common;
mod common;

use assert_cmd::Command;
use cli_common::swapwire;
use common::{edge_records, seed_records};
use swapwire::{json, Codec, Record};

/// Runs the binary; stdout as text.
fn run(cmd: &mut Command) -> (i32, String, String) {
    let (code, out, err) = cli_common::run(cmd);
    (code, String::from_utf8(out).unwrap(), err)
}

fn records() -> Vec<Record> {
    seed_records().into_iter().chain(edge_records()).map(|(_, r)| r).collect()
}

fn ndjson(records: &[Record]) -> String {
    records.iter().map(|r| json::to_string(r).unwrap() + "\n").collect()
}

fn hex_lines(records: &[Record]) -> String {
    records.iter().map(|r| r.to_vec().unwrap().iter().map(|b| format!("{b:02x}")).collect::<String>() + "\n").collect()
}

/// Converts NDJSON to a table format and back to hex, checking the bytes are unchanged.
fn round_trip(to: &str) -> String {
    let all = records();
    let (code, table, err) = run(swapwire().args(["decode", "--from", "ndjson", "--to", to]).write_stdin(ndjson(&all)));
    assert_eq!((code, err.as_str()), (0, ""));
    let (code, hex, err) = run(swapwire().args(["encode", "--from", "csv", "--hex"]).write_stdin(table.clone()));
    assert_eq!((code, err.as_str()), (0, ""), "{table}");
    assert_eq!(hex, hex_lines(&all));
    table
}

const HEADER: &str = "record,origin,seq,revision,retracted,status,date,handover,side_a,side_b,total,to_a,to_b,\
composition_a.military,composition_a.civilians,composition_a.wounded,composition_a.women,composition_a.children,\
composition_a.foreign,composition_b.military,composition_b.civilians,composition_b.wounded,composition_b.women,\
composition_b.children,composition_b.foreign,mediators,part_of,same_as,population,holder,people,quantity,source,grade,key,kind,name,via";

#[test]
fn csv_round_trips_every_record() {
    let table = round_trip("csv");
    assert_eq!(table.lines().next(), Some(HEADER));
    assert_eq!(table.lines().count(), records().len() + 1);
    // The worst-case exchange fills the composition, mediator, part_of and same_as columns.
    assert!(table.lines().any(|l| l.contains(",1/5,") || l.contains("/")), "{table}");
    // Seed exchange 1/8 is another report of 1/7.
    assert!(table.lines().any(|l| l.starts_with("exchange,1,8,") && l.contains(",,1/7,")), "{table}");
    // Seed source 7 (Zelenskyy) spoke through source 4 (AFP).
    assert!(
        table.lines().any(|l| l.starts_with("source,") && l.ends_with(",7,government,Volodymyr Zelenskyy,4")),
        "{table}"
    );
}

#[test]
fn hxl_round_trips_every_record_and_carries_the_hashtag_row() {
    let table = round_trip("hxl");
    let mut lines = table.lines();
    assert_eq!(lines.next(), Some(HEADER));
    let tags = lines.next().unwrap();
    for tag in ["#date", "#affected+returned+side_a", "#affected+returned+side_a+military", "#meta+source", "#x_grade"]
    {
        assert!(tags.split(',').any(|t| t == tag), "{tag} missing from {tags}");
    }
    // HXL tools may drop the text header: the hashtag row alone is enough.
    let tags_only: String = table.lines().skip(1).map(|l| format!("{l}\n")).collect();
    let (code, hex, err) = run(swapwire().args(["encode", "--hex", "--from", "hxl"]).write_stdin(tags_only));
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(hex, hex_lines(&records()));
}

#[test]
fn hashtags_match_in_any_order_case_and_column_order() {
    let table = "#X_GRADE,#affected+side_a+returned,#Date,#x_record,#x_origin,#x_seq,#status,#country+side_a+code,#country+code+side_b,#meta+source,#x_comment\n\
                 B2,150,2025-02-05,exchange,1,1,completed,UA,RU,1,\n";
    // An unknown #x_ column is not a record field: refused, so nothing is dropped silently.
    let (code, _, err) = run(swapwire().args(["encode", "--hex", "--from", "csv"]).write_stdin(table));
    assert_eq!(code, 1);
    assert!(err.starts_with("swapwire: <stdin>:1: column 11 \"#x_comment\" is not a record field"), "{err}");
    // A column with neither a name nor a hashtag is not data, as HXL tools treat untagged columns.
    let table = table.replace(",#x_comment", ",").replace(",1,\n", ",1,a note\n");
    let (code, hex, err) = run(swapwire().args(["encode", "--hex", "--from", "csv"]).write_stdin(table));
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(hex, hex_lines(&records()[8..9]));
}

#[test]
fn bad_cells_name_line_record_field_and_reason() {
    let csv = "record,key,kind,name\nsource,1,media,AFP\n\nsource,2,press,Reuters\n";
    let (code, out, err) = run(swapwire().args(["encode", "--hex", "--from", "csv"]).write_stdin(csv));
    // Stdout streams: the record before the bad one is already out (with -o nothing would be).
    assert_eq!((code, out.as_str()), (1, "0201000303414650\n"));
    assert_eq!(err, "swapwire: <stdin>:4: record 2: kind: invalid source kind \"press\": unknown code; expected one of: government, ombudsman, military, media, organisation, mediator, public\n");
    let csv = "record,key,kind,nmae\nsource,1,media,AFP\n";
    let (code, _, err) = run(swapwire().args(["validate", "--from", "csv"]).write_stdin(csv));
    assert_eq!(code, 1);
    assert_eq!(err, "swapwire: <stdin>:1: column 4 \"nmae\" is not a record field (`swapwire decode --to hxl` shows every column and hashtag)\n");
    let csv =
        "record,origin,seq,population,people,quantity,source,grade,retracted\ncount,1,x,missing,UA,5,1,B2,maybe\n";
    let (code, out, _) = run(swapwire().args(["validate", "--from", "csv"]).write_stdin(csv));
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "<stdin>:2: record 1: retracted: invalid type: string \"maybe\", expected a boolean\n<stdin>: 1 record checked, 0 valid, 1 invalid\n"
    );
    // A record id is `origin/seq` in CSV, and the same text in a JSON string reads the same.
    let csv = "record,origin,seq,status,side_a,side_b,source,grade,part_of\nexchange,1,3,completed,UA,RU,1,B2,1-2\n";
    let (code, out, _) = run(swapwire().args(["validate", "--from", "csv"]).write_stdin(csv));
    assert_eq!(code, 1);
    assert!(
        out.starts_with(
            "<stdin>:2: record 1: part_of: expected {\"origin\": N, \"seq\": N} or \"origin/seq\", got \"1-2\"\n"
        ),
        "{out}"
    );
    let csv = csv.replace("1-2", " 1 / 2 ");
    let (code, hex, err) = run(swapwire().args(["encode", "--hex", "--from", "csv"]).write_stdin(csv));
    assert_eq!((code, err.as_str()), (0, ""));
    let json = r#"{"record":"exchange","origin":1,"seq":3,"status":"completed","side_a":"UA","side_b":"RU","source":1,"grade":"B2","part_of":"1/2"}"#;
    let (code, from_json, err) = run(swapwire().args(["encode", "--hex", "--from", "json"]).write_stdin(json));
    assert_eq!((code, err.as_str(), from_json), (0, "", hex));
}

#[test]
fn a_header_alone_is_no_records() {
    let (code, out, err) =
        run(swapwire().args(["decode", "--from", "csv", "--to", "ndjson"]).write_stdin(format!("{HEADER}\n")));
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
}
