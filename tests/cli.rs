//! The `swapwire` binary on good and bad inputs: round trips through bytes for every example and
//! edge record, every error path with its message and exit code, inspect and sizes output.

mod cli_common;
mod common;

use std::fs;

use assert_cmd::Command;
use cli_common::{run, swapwire};
use common::{edge_records, hex, root, seed_records, unhex};
use serde_json::Value;
use swapwire::{json, Codec, Record};

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

/// Every example and edge record, as NDJSON, and as the concatenation of their committed bytes.
fn all_records() -> (String, Vec<u8>, Vec<Record>) {
    let records: Vec<Record> = seed_records().into_iter().chain(edge_records()).map(|(_, r)| r).collect();
    let ndjson: String = records.iter().map(|r| json::to_string(r).unwrap() + "\n").collect();
    let bytes = records.iter().flat_map(|r| r.to_vec().unwrap()).collect();
    (ndjson, bytes, records)
}

#[test]
fn every_command_has_help_with_an_example() {
    for command in ["encode", "decode", "inspect", "validate", "sizes"] {
        let (code, out, _) = run(swapwire().args([command, "--help"]));
        let out = text(out);
        assert_eq!(code, 0, "{command}");
        assert!(out.contains("Example") && out.contains(&format!("swapwire {command} ")), "{command}: {out}");
    }
    let (code, out, _) = run(swapwire().arg("--help"));
    assert_eq!(code, 0);
    assert!(text(out).contains("Exit codes: 0 success, 1 invalid input data"));
}

#[test]
fn seeds_encode_to_their_committed_vectors_and_decode_back() {
    let (code, bytes, err) = run(swapwire().args(["encode", "examples/data/seeds.json", "--hex"]));
    assert_eq!((code, err.as_str()), (0, ""));
    let expected: Vec<String> = seed_records()
        .iter()
        .map(|(name, _)| fs::read_to_string(root().join(format!("tests/vectors/{name}.hex"))).unwrap())
        .collect();
    assert_eq!(text(bytes), expected.concat());

    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("seeds.bin");
    let (code, _, err) = run(swapwire().args(["encode", "examples/data/seeds.json", "-o"]).arg(&bin));
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(fs::metadata(&bin).unwrap().len(), 356);
    let (code, out, _) = run(swapwire().arg("decode").arg(&bin));
    assert_eq!(code, 0);
    let decoded: Vec<Value> = serde_json::from_slice(&out).unwrap();
    let originals: Vec<Value> = seed_records().iter().map(|(_, r)| serde_json::to_value(r).unwrap()).collect();
    assert_eq!(decoded, originals);
}

#[test]
fn every_record_round_trips_json_bytes_json_through_stdin_and_stdout() {
    let (ndjson, bytes, records) = all_records();
    let (code, out, err) = run(swapwire().arg("encode").write_stdin(ndjson.clone()));
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, bytes);
    let (code, out, _) = run(swapwire().args(["decode", "--to", "ndjson"]).write_stdin(bytes));
    assert_eq!(code, 0);
    assert_eq!(text(out), ndjson);
    assert!(records.len() > 20);
}

#[test]
fn committed_hex_vectors_decode_to_their_committed_json() {
    for entry in fs::read_dir(root().join("tests/vectors")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "hex") {
            continue;
        }
        let (code, out, err) = run(swapwire().args(["decode", "--to", "json"]).arg(&path));
        assert_eq!((code, err.as_str()), (0, ""), "{}", path.display());
        let decoded: Vec<Value> = serde_json::from_slice(&out).unwrap();
        let committed: Value = serde_json::from_str(&fs::read_to_string(path.with_extension("json")).unwrap()).unwrap();
        assert_eq!(decoded, vec![committed], "{}", path.display());
    }
}

#[test]
fn pretty_records_one_after_another_read_like_an_array() {
    // The committed vector JSON files are pretty-printed single records; concatenated, they form a
    // stream of multi-line values.
    let names = ["seed-exchange-1-7", "edge-worst-exchange", "seed-source-1"];
    let stream: String =
        names.iter().map(|n| fs::read_to_string(root().join(format!("tests/vectors/{n}.json"))).unwrap()).collect();
    let (code, out, _) = run(swapwire().args(["encode", "--hex"]).write_stdin(stream));
    assert_eq!(code, 0);
    let expected: String =
        names.iter().map(|n| fs::read_to_string(root().join(format!("tests/vectors/{n}.hex"))).unwrap()).collect();
    assert_eq!(text(out), expected);
}

/// Runs a failing command and checks exit code and the one-line message.
fn assert_fails(cmd: &mut Command, code: i32, message: &str) {
    let (got, out, err) = run(cmd);
    assert_eq!(got, code, "stderr: {err}");
    assert_eq!(err, format!("swapwire: {message}\n"));
    assert!(out.is_empty() || code == 1, "output on failure: {}", text(out));
}

#[test]
fn a_bad_field_names_file_line_record_field_and_reason_and_leaves_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("reports.json");
    let seeds = fs::read_to_string(root().join("examples/data/seeds.json")).unwrap();
    fs::write(&input, seeds.replace(r#""to_a": "150""#, r#""to_a": "150 POWs""#)).unwrap();
    let output = dir.path().join("reports.bin");
    fs::write(&output, b"previous contents").unwrap();
    let (code, _, err) = run(swapwire().arg("encode").arg(&input).arg("-o").arg(&output));
    assert_eq!(code, 1);
    let expected = format!("swapwire: {}:10: record 9: to_a: invalid quantity \"150 POWs\"", input.display());
    assert!(err.starts_with(&expected) && err.lines().count() == 1, "{err}");
    // The earlier file is untouched and no temporary file is left behind.
    assert_eq!(fs::read(&output).unwrap(), b"previous contents");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn broken_invariants_and_bad_syntax_are_located() {
    let ndjson = concat!(
        r#"{"record":"source","key":1,"kind":"media","name":"AFP"}"#,
        "\n",
        r#"{"record":"exchange","origin":1,"seq":1,"status":"completed","side_a":"UA","side_b":"UA","source":1,"grade":"B2"}"#,
        "\n"
    );
    assert_fails(
        swapwire().arg("encode").write_stdin(ndjson),
        1,
        "<stdin>:2: record 2: side_b: the same party appears twice",
    );
    assert_fails(
        swapwire().arg("encode").write_stdin("{\"record\":\"source\",\n\"key\": 1,,}"),
        1,
        "<stdin>:2: key must be a string (column 10)",
    );
    assert_fails(
        swapwire().arg("encode").write_stdin(r#"[{"record":"source","key":1,"kind":"press","name":"AFP"}]"#),
        1,
        "<stdin>:1: record 1: kind: invalid source kind \"press\": unknown code; expected one of: government, ombudsman, military, media, organisation, mediator, public",
    );
}

#[test]
fn json_structure_errors_give_the_line_and_column() {
    let source = r#"{"record":"source","key":1,"kind":"media","name":"AFP"}"#;
    assert_fails(
        swapwire().arg("encode").write_stdin(format!("[\n{source},\n{source}\n")),
        1,
        "<stdin>:3: the input ends inside the array (no closing `]`)",
    );
    assert_fails(
        swapwire().arg("encode").write_stdin(format!("[\n{source}\n{source}\n]\n")),
        1,
        "<stdin>:3: expected `,` or `]` after a record",
    );
    assert_fails(
        swapwire().arg("encode").write_stdin(format!("[{source}]\n[]")),
        1,
        "<stdin>:2: text after the end of the array",
    );
    // A pretty record after two others, broken on its third line: the line counts from the input's start.
    let pretty = fs::read_to_string(root().join("tests/vectors/seed-source-1.json")).unwrap();
    let broken = pretty.replacen("\"key\": 1", "\"key\": ,", 1);
    let key_line = 1 + pretty.lines().position(|l| l.contains("\"key\"")).unwrap();
    let input = format!("{source}\n{source}\n{broken}");
    let (code, _, err) = run(swapwire().arg("validate").write_stdin(input));
    assert_eq!(code, 1);
    assert_eq!(err, format!("swapwire: <stdin>:{}: expected value (column 10)\n", 2 + key_line));
}

#[test]
fn a_minified_array_on_one_line_streams_across_read_chunks() {
    let seeds: Vec<String> = seed_records().iter().map(|(_, r)| json::to_string(r).unwrap()).collect();
    let line = format!("[{}]", vec![seeds.join(","); 300].join(","));
    assert!(line.len() > 4 * 64 * 1024);
    let (code, out, err) = run(swapwire().args(["encode", "--hex"]).write_stdin(line));
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(text(out).lines().count(), 300 * seeds.len());
}

#[test]
fn bad_bytes_are_located_at_their_offset() {
    let mut bytes = Record::decode(&unhex("020300030853757370696c6e65")).unwrap().to_vec().unwrap();
    let exchange = unhex("000101000ecf47eebd1500b209000124"); // grade byte past F6
    bytes.extend(&exchange);
    assert_fails(
        swapwire().arg("decode").write_stdin(bytes.clone()),
        1,
        "<stdin>: byte 28: record 2: grade: value out of range",
    );
    bytes.truncate(20);
    assert_fails(
        swapwire().arg("decode").write_stdin(bytes),
        1,
        "<stdin>: byte 20: record 2: input ends before the record or frame is complete",
    );
    assert_fails(
        swapwire().args(["decode", "--from", "hex"]).write_stdin("0201\n02030003085375sp\n"),
        1,
        "<stdin>:1: record 1: byte 2: input ends before the record or frame is complete",
    );
    assert_fails(
        swapwire().args(["decode", "--from", "hex"]).write_stdin("020300030853757370696c6e6500\n"),
        1,
        "<stdin>:1: record 1: byte 13: trailing bytes after the record",
    );
}

#[test]
fn missing_files_and_bad_arguments_have_their_own_exit_codes() {
    assert_fails(
        swapwire().args(["decode", "no-such-file.bin"]),
        3,
        "no-such-file.bin: No such file or directory (os error 2)",
    );
    assert_fails(
        swapwire().args(["encode", "examples/data/seeds.json", "-o", "no-such-dir/seeds.bin"]),
        3,
        "no-such-dir/seeds.bin: No such file or directory (os error 2)",
    );
    assert_fails(swapwire().args(["decode", "examples/data"]), 3, "examples/data: Is a directory (os error 21)");
    let (code, _, err) = run(swapwire().args(["decode", "--to", "yaml"]));
    assert_eq!(code, 2, "{err}");
    assert_fails(
        swapwire().args(["inspect", "examples/data/seeds.json"]),
        2,
        "examples/data/seeds.json: inspect reads swapwire bytes or hex; use `swapwire encode` first for json input",
    );
}

#[test]
fn validate_reports_every_invalid_record() {
    let ndjson = concat!(
        r#"{"record":"source","key":1,"kind":"media","name":"AFP"}"#,
        "\n",
        r#"{"record":"count","origin":1,"seq":2,"population":"missing","people":"UA","quantity":"all","source":1,"grade":"B2"}"#,
        "\n\n",
        r#"{"record":"count","origin":1,"seq":3,"population":"missing","people":"UK","source":1,"grade":"B2"}"#,
        "\n"
    );
    let (code, out, err) = run(swapwire().arg("validate").write_stdin(ndjson));
    assert_eq!(code, 1);
    assert_eq!(
        text(out),
        concat!(
            "<stdin>:2: record 2: quantity: qualifier not allowed here\n",
            "<stdin>:4: record 3: people: invalid country code \"UK\": not an ISO 3166-1 alpha-2 code; expected a code ISO 3166-1 assigns (e.g. UA, GB) or a user-assigned one (XA-XZ, QM-QZ, AA, ZZ)\n",
            "<stdin>: 3 records checked, 1 valid, 2 invalid\n"
        )
    );
    assert_eq!(err, "swapwire: <stdin>: 2 invalid records\n");
    let (code, out, _) = run(swapwire().args(["validate", "examples/data/seeds.json"]));
    assert_eq!((code, text(out).as_str()), (0, "examples/data/seeds.json: 17 records checked, 17 valid, 0 invalid\n"));
}

#[test]
fn validate_rejects_every_committed_bad_vector() {
    let bad = fs::read_to_string(root().join("tests/vectors/bad.txt")).unwrap();
    let lines: Vec<&str> = bad
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .filter(|l| !l.is_empty() && !l.starts_with('-'))
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    let (code, out, _) = run(swapwire().args(["validate", "--from", "hex"]).write_stdin(lines.join("\n")));
    assert_eq!(code, 1);
    let out = text(out);
    let summary = format!("<stdin>: {n} records checked, 0 valid, {n} invalid\n", n = lines.len());
    assert!(out.ends_with(&summary), "{out}");
}

#[test]
fn inspect_labels_every_byte() {
    // Both sides Ukraine: found after the walk, located at the parties varint.
    let (code, out, err) = run(swapwire().arg("inspect").write_stdin("000101000ecf47a8be1500b209000107\n"));
    assert_eq!(
        (code, err.as_str()),
        (1, "swapwire: <stdin>:1: record 1: bytes 7..10: side_b: the same party appears twice\n")
    );
    assert!(text(out).contains("       7  a8 be 15                 !! side_b: the same party appears twice\n"));
    let vector = fs::read_to_string(root().join("tests/vectors/seed-exchange-1-7.hex")).unwrap();
    let (code, out, _) = run(swapwire().args(["inspect", "--from", "hex"]).write_stdin(vector));
    assert_eq!(code, 0);
    let expected = "\
record 1 (line 1): exchange
       0  00                       record         exchange
       1  01                       origin         1
       2  07                       seq            7
       3  00                       revision       0
       4  81                       flags          agreed, living, no date, details follow
       5  ee bd 15                 parties        side_a UA, side_b RU
       8  d2 13                    total          314
      10  01                       to_a           undisclosed
      11  01                       to_b           undisclosed
      12  05                       source         5
      13  07                       grade          B2
      14  01                       mediators      1 listed
      15  9a 04                    mediators      US
      17  00                       composition_a  none reported
      18  00                       composition_b  none reported

";
    assert_eq!(text(out), expected);
}

#[test]
fn inspect_points_at_the_offending_byte_of_a_capture() {
    let mut bytes = unhex("020300030853757370696c6e65");
    bytes.extend(unhex("000101000ecf47eebd1500b209000124"));
    let (code, out, err) = run(swapwire().arg("inspect").write_stdin(bytes));
    assert_eq!((code, err.as_str()), (1, "swapwire: <stdin>: byte 28: record 2: grade: value out of range\n"));
    let out = text(out);
    assert!(out.contains("record 2 (from byte 13): exchange\n"), "{out}");
    assert!(out.contains("      27  01                       source         1\n      28  24                       !! grade: value out of range\n"), "{out}");
}

#[test]
fn sizes_of_the_example_data_match_the_committed_table() {
    let (code, out, err) = run(swapwire().args(["sizes", "examples/data/"]));
    assert_eq!((code, err.as_str()), (0, ""));
    let committed = fs::read_to_string(root().join("tests/data/sizes-examples.md")).unwrap();
    assert_eq!(text(out), committed);
    // The swapwire row agrees with the library.
    let total: usize = seed_records().iter().map(|(_, r)| r.encoded_len()).sum();
    assert!(committed.contains(&format!("| {total} | 1.00x |")));
}

#[test]
fn long_byte_streams_cross_read_buffer_boundaries() {
    // 2,000 copies of the seed records (34,000 records, 712,000 bytes) span many 64 KiB reads, so
    // records straddle buffer refills. Memory use on large files is measured by hand (README).
    let seeds: Vec<u8> = seed_records().iter().flat_map(|(_, r)| r.to_vec().unwrap()).collect();
    let (code, out, _) = run(swapwire().args(["encode", "--from", "bytes", "--hex"]).write_stdin(seeds.repeat(2_000)));
    assert_eq!(code, 0);
    let lines: Vec<&[u8]> = out.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 34_000);
    assert_eq!(unhex(std::str::from_utf8(lines[33_999]).unwrap()), seed_records()[16].1.to_vec().unwrap());
    assert_eq!(hex(&seeds[..37]), std::str::from_utf8(lines[17]).unwrap());
}

/// Bytes that are not text are never guessed to be CSV, and a failure on a guessed format says
/// which one was assumed and which flag names another.
#[test]
fn a_guessed_format_is_named_in_the_error_with_the_flag_that_sets_it() {
    let guessed =
        |format: &str| format!(" (read as {format}, guessed from the first bytes; set the format with --from)");
    for binary in [&b"\x07\x00\xff\xfe binary"[..], b"\x89PNG\r\n\x1a\n\x00\x00", b"abc\x00def\n", b"\xff\xfe\xfd"] {
        let (code, _, err) = run(swapwire().arg("decode").write_stdin(binary));
        assert_eq!(code, 1, "{err}");
        assert!(!err.contains("CSV"), "{err}");
        assert!(err.starts_with("swapwire: <stdin>: byte 0: record 1: "), "{err}");
        assert!(err.ends_with(&format!("{}\n", guessed("bytes"))), "{err}");
    }
    let (code, out, _) = run(swapwire().arg("validate").write_stdin(&b"\x07\x00"[..]));
    assert_eq!(code, 1);
    assert!(text(out).contains("unknown record kind"));
    // Text is still guessed as text, UTF-8 cut anywhere included.
    assert_fails(
        swapwire().arg("encode").arg("--hex").write_stdin("garbage,café\n"),
        1,
        &format!(
            "<stdin>:1: column 1 \"garbage\" is not a record field (`swapwire decode --to hxl` shows every column and hashtag){}",
            guessed("csv")
        ),
    );
    // Named formats get no such note.
    assert_fails(
        swapwire().args(["decode", "--from", "bytes"]).write_stdin(&b"\x07\x00"[..]),
        1,
        "<stdin>: byte 0: record 1: unknown record kind",
    );
}

/// The README's CLI examples with output shown (its ```console blocks) give that output, stdout
/// then stderr; the sizes table under "Sizes on the example data" is the output of its command.
/// Commands other than `swapwire …` and `echo HEX | swapwire …` (Python scripts) are skipped.
#[test]
fn readme_cli_examples_print_what_the_readme_shows() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    // `reports.json` stands for the user's file: the seeds with record 7's to_a mistyped.
    let dir = tempfile::tempdir().unwrap();
    let seeds = fs::read_to_string(root().join("examples/data/seeds.json")).unwrap();
    assert_eq!(seeds.matches(r#""to_a": "150""#).count(), 1);
    fs::write(dir.path().join("reports.json"), seeds.replace(r#""to_a": "150""#, r#""to_a": "150 POWs""#)).unwrap();

    let mut checked = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line != "```console" {
            continue;
        }
        let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        let starts: Vec<usize> = (0..block.len()).filter(|&i| block[i].starts_with("$ ")).collect();
        for (n, &start) in starts.iter().enumerate() {
            let end = starts.get(n + 1).copied().unwrap_or(block.len());
            let command = &block[start][2..];
            let expected = block[start + 1..end].join("\n");
            let (stdin, args) = match command.split_once(" | ") {
                Some((echo, rest)) if echo.starts_with("echo ") => (format!("{}\n", &echo[5..]), rest),
                Some(_) => panic!("README: unexpected pipeline {command:?}"),
                None => (String::new(), command),
            };
            let Some(args) = args.strip_prefix("swapwire ") else { continue };
            let mut cmd = swapwire();
            if args.contains("reports.json") {
                cmd.current_dir(dir.path());
            }
            let (_, out, err) = run(cmd.args(args.split_whitespace()).write_stdin(stdin));
            let got = text(out) + &err;
            assert_eq!(got.trim_end(), expected.trim_end(), "README: $ {command}");
            checked.push(command.to_string());
        }
    }
    for must in ["swapwire validate", "swapwire inspect", "| swapwire inspect", "swapwire encode"] {
        assert!(checked.iter().any(|c| c.starts_with(must) || c.contains(must)), "{must} not in {checked:?}");
    }

    let intro = "**Sizes on the example data**, from `swapwire sizes examples/data/`";
    assert!(readme.contains(intro), "README: the sizes paragraph moved");
    let (code, out, err) = run(swapwire().args(["sizes", "examples/data/"]));
    assert_eq!((code, err.as_str()), (0, ""));
    let out = text(out);
    assert!(
        readme.contains(&out),
        "README: the sizes table is not the output of `swapwire sizes examples/data/`:\n{out}"
    );
}
