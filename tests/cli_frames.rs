//! Frames through the `swapwire` binary: records packed for a link profile and read back,
//! from a stream that starts mid-frame or has a damaged frame, and from captured messages.

mod cli_common;
mod common;

use cli_common::{run, swapwire};
use common::{root, seed_records};
use swapwire::{json, Codec};

/// The seed records three times over, as NDJSON: 51 records, four serial frames.
fn seeds_thrice() -> String {
    let once: String = seed_records().iter().map(|(_, r)| json::to_string(r).unwrap() + "\n").collect();
    once.repeat(3)
}

/// A serial-link stream of [`seeds_thrice`], and the offsets where its frames end (after each
/// closing `0x00` delimiter; a frame is `0x00`, COBS bytes with no zero, `0x00`).
fn serial_stream() -> (Vec<u8>, Vec<usize>) {
    let (code, bytes, err) =
        run(swapwire().args(["encode", "--frames", "serial", "--sender", "1"]).write_stdin(seeds_thrice()));
    assert_eq!((code, err.as_str()), (0, ""));
    let zeros: Vec<usize> = bytes.iter().enumerate().filter(|(_, &b)| b == 0).map(|(i, _)| i).collect();
    assert!(zeros.chunks(2).all(|pair| pair.len() == 2 && pair[1] > pair[0] + 1), "delimiter pairs");
    let ends = zeros.chunks(2).map(|pair| pair[1] + 1).collect();
    (bytes, ends)
}

#[test]
fn serial_frames_round_trip_and_are_smaller_than_the_records() {
    let (bytes, ends) = serial_stream();
    assert_eq!(ends.len(), 4);
    assert_eq!(*ends.last().unwrap(), bytes.len());
    let standalone: usize = seed_records().iter().map(|(_, r)| r.encoded_len()).sum::<usize>() * 3;
    assert!(bytes.len() < standalone, "{} >= {standalone}", bytes.len());
    let (code, out, err) = run(swapwire().args(["decode", "--frames", "serial", "--to", "ndjson"]).write_stdin(bytes));
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(String::from_utf8(out).unwrap(), seeds_thrice());
}

#[test]
fn a_stream_joined_mid_frame_yields_the_frames_after_the_first_delimiter() {
    let (bytes, ends) = serial_stream();
    let joined = bytes[5..].to_vec();
    let (code, out, err) = run(swapwire().args(["decode", "--frames", "serial", "--to", "ndjson"]).write_stdin(joined));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        format!(
            "swapwire: note: <stdin>: skipped {} bytes before the first delimiter (the input starts mid-frame)\n",
            ends[0] - 5
        )
    );
    let out = String::from_utf8(out).unwrap();
    let all = seeds_thrice();
    assert!(all.ends_with(&out) && out.lines().count() > 16 && out.lines().count() < 48, "{out}");
}

/// The seed records of frames 1, 3 and 4 of [`serial_stream`] (13, 15 and 12 records), as NDJSON.
fn seeds_without_frame_2() -> String {
    let all = seeds_thrice();
    let lines: Vec<&str> = all.lines().collect();
    lines[..13].iter().chain(&lines[24..]).map(|l| format!("{l}\n")).collect()
}

#[test]
fn a_damaged_frame_is_skipped_by_decode_with_exit_4_and_validate_reports_it_and_goes_on() {
    let (mut bytes, ends) = serial_stream();
    bytes[ends[0] + 3] ^= 0x40; // inside frame 2
    let decode = ["decode", "--frames", "serial", "--to", "ndjson"];
    let (code, out, err) = run(swapwire().args(decode).write_stdin(bytes.clone()));
    assert_eq!(code, 4, "{err}");
    assert_eq!(String::from_utf8(out).unwrap(), seeds_without_frame_2());
    // Frame 2's bytes start after its leading delimiter.
    let skipped =
        format!("swapwire: <stdin>: byte {}: frame 2: frame checksum does not match; frame skipped\n", ends[0] + 1);
    assert_eq!(err, format!("{skipped}swapwire: <stdin>: 1 bad frame skipped; 40 records from good frames written\n"));
    // --skip-damaged: the same output and reports, exit 0.
    let (code, out, err) = run(swapwire().args(decode).arg("--skip-damaged").write_stdin(bytes.clone()));
    assert_eq!(code, 0, "{err}");
    assert_eq!(String::from_utf8(out).unwrap(), seeds_without_frame_2());
    assert_eq!(
        err,
        format!("{skipped}swapwire: note: <stdin>: 1 bad frame skipped; 40 records from good frames written\n")
    );
    // An output file is written all the same: the good frames' records are the result.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.ndjson");
    let (code, _, _) = run(swapwire().args(decode).arg("-o").arg(&path).write_stdin(bytes.clone()));
    assert_eq!(code, 4);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), seeds_without_frame_2());
    let (code, out, _) = run(swapwire().args(["validate", "--frames", "serial"]).write_stdin(bytes));
    assert_eq!(code, 1);
    let out = String::from_utf8(out).unwrap();
    let frame2_records = out.lines().count(); // only the report and the summary remain
    assert_eq!(
        out.lines().next().unwrap(),
        format!("<stdin>: byte {}: frame 2: frame checksum does not match", ends[0] + 1)
    );
    // The four frames hold 13, 11, 15 and 12 records: frame 2's are lost, the others read.
    assert_eq!(out.lines().last(), Some("<stdin>: 40 records valid in good frames, 1 bad frame"), "{out}");
    assert_eq!(frame2_records, 2);
}

#[test]
fn a_capture_cut_inside_a_frame_is_an_error() {
    let (bytes, ends) = serial_stream();
    let cut = bytes[..ends[1] + 5].to_vec(); // frame 3's leading delimiter and four bytes
    let (code, out, err) = run(swapwire().args(["decode", "--frames", "serial", "--to", "ndjson"]).write_stdin(cut));
    assert_eq!(code, 4);
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 24, "frames 1 and 2");
    assert_eq!(
        err,
        format!(
            "swapwire: <stdin>: byte {}: frame 3: the input ends inside a frame (4 bytes after the last delimiter); frame skipped\n\
            swapwire: <stdin>: 1 bad frame skipped; 24 records from good frames written\n",
            ends[1] + 1
        )
    );
    // Delimiters alone after the last frame (an idle line) are no cut frame.
    let mut idle = bytes[..ends[1]].to_vec();
    idle.extend([0, 0, 0]);
    let (code, _, err) = run(swapwire().args(["decode", "--frames", "serial", "--to", "ndjson"]).write_stdin(idle));
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn message_frames_are_hex_lines_and_need_the_link_sender() {
    let args = ["encode", "--frames", "lorawan-eu868-dr0", "--sender", "1", "--hex", "examples/data/seeds.json"];
    let (code, hex, err) = run(swapwire().args(args));
    assert_eq!((code, err.as_str()), (0, ""));
    let hex = String::from_utf8(hex).unwrap();
    assert!(hex.lines().all(|l| l.len() <= 2 * 51), "{hex}");
    let (code, out, err) = run(swapwire()
        .args(["decode", "--frames", "lorawan-eu868-dr0", "--sender", "1", "--to", "ndjson"])
        .write_stdin(hex.clone()));
    assert_eq!((code, err.as_str()), (0, ""));
    let seeds: String = seed_records().iter().map(|(_, r)| json::to_string(r).unwrap() + "\n").collect();
    assert_eq!(String::from_utf8(out).unwrap(), seeds);

    let (code, _, err) = run(swapwire().args(["decode", "--frames", "lorawan-eu868-dr0"]).write_stdin(hex));
    assert_eq!(
        (code, err.as_str()),
        (2, "swapwire: --frames lorawan-eu868-dr0 needs --sender ORIGIN (message links do not carry it)\n")
    );
    let (code, _, err) = run(swapwire().args([
        "encode",
        "--frames",
        "lorawan-eu868-dr0",
        "--sender",
        "1",
        "-o",
        "x.bin",
        "examples/data/seeds.json",
    ]));
    assert_eq!(code, 2);
    assert!(err.contains("use --hex (one frame per line)"), "{err}");
    assert!(!root().join("x.bin").exists());
}

#[test]
fn a_record_no_frame_can_hold_is_named() {
    let (code, _, err) = run(swapwire().args([
        "encode",
        "--frames",
        "lorawan-us915-dr0",
        "--sender",
        "1",
        "--hex",
        "examples/data/seeds.json",
    ]));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "swapwire: examples/data/seeds.json:2: record 1: a 37-byte record (37 bytes as a frame of its own) does not fit \
        a lorawan-us915-dr0 frame (11 bytes); --skip-oversized leaves such records out and frames the rest\n"
    );
    let (code, _, err) = run(swapwire().args(["encode", "--frames", "lorawan-x"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown link profile \"lorawan-x\""), "{err}");
}

#[test]
fn skip_oversized_names_each_record_left_out_and_frames_the_rest() {
    let args = ["encode", "--frames", "lorawan-us915-dr0", "--sender", "1", "--hex", "--skip-oversized"];
    let (code, hex, err) = run(swapwire().args(args).arg("examples/data/seeds.json"));
    assert_eq!(code, 0, "{err}");
    let notes: Vec<&str> = err.lines().collect();
    assert_eq!(notes.len(), 13, "{err}");
    assert_eq!(
        notes[0],
        "swapwire: note: examples/data/seeds.json:2: record 1 (source key 1): skipped: a 37-byte record \
        (37 bytes as a frame of its own) does not fit a lorawan-us915-dr0 frame (11 bytes)"
    );
    assert!(notes[7].contains(": record 13 (exchange 1/5): skipped: a 17-byte record (13 bytes as a frame"), "{err}");
    assert_eq!(
        notes[12],
        "swapwire: note: examples/data/seeds.json: 5 records framed, 12 records skipped (too large for any lorawan-us915-dr0 frame)"
    );
    // The five that fit (the counts, an exchange, the AFP source) come back, one per frame.
    let hex = String::from_utf8(hex).unwrap();
    assert!(hex.lines().all(|l| l.len() <= 2 * 11), "{hex}");
    let (code, out, err) = run(swapwire()
        .args(["decode", "--frames", "lorawan-us915-dr0", "--sender", "1", "--to", "ndjson"])
        .write_stdin(hex));
    assert_eq!((code, err.as_str()), (0, ""));
    let expected: String =
        [3, 8, 9, 10, 11].iter().map(|&i| json::to_string(&seed_records()[i].1).unwrap() + "\n").collect();
    assert_eq!(String::from_utf8(out).unwrap(), expected);
    // Only with --frames.
    let (code, _, _) = run(swapwire().args(["encode", "--skip-oversized", "examples/data/seeds.json"]));
    assert_eq!(code, 2);
}

#[test]
fn frames_longer_than_the_link_allows_are_errors() {
    // A 219-byte message frame offered to an 11-byte link.
    let args = ["encode", "--frames", "lorawan-eu868-dr4", "--sender", "1", "--hex", "examples/data/seeds.json"];
    let (_, hex, _) = run(swapwire().args(args));
    let (code, out, err) =
        run(swapwire().args(["decode", "--frames", "lorawan-us915-dr0", "--sender", "1"]).write_stdin(hex));
    assert_eq!((code, out.as_slice()), (1, &b""[..]));
    assert_eq!(
        err,
        "swapwire: <stdin>:1: frame 1: a frame of 219 bytes is longer than a lorawan-us915-dr0 frame can be (11 bytes)\n"
    );
    // Stream frames for Iridium (up to 340 bytes) read as serial (255): the first two are too
    // long, the last (14 records) fits and is read.
    let (_, bytes, _) =
        run(swapwire().args(["encode", "--frames", "iridium-sbd-mo", "--sender", "1"]).write_stdin(seeds_thrice()));
    let (code, out, err) =
        run(swapwire().args(["decode", "--frames", "serial", "--to", "ndjson"]).write_stdin(bytes.clone()));
    assert_eq!(code, 4, "{err}");
    let all = seeds_thrice();
    let out = String::from_utf8(out).unwrap();
    assert!(all.ends_with(&out) && out.lines().count() == 14, "{out}");
    let first = bytes.iter().skip(1).position(|&b| b == 0).unwrap() + 2; // both delimiters
    assert!(first > 255 && first <= 340, "{first}");
    assert!(
        err.starts_with(&format!(
            "swapwire: <stdin>: byte 1: frame 1: a frame of {first} bytes is longer than a serial frame can be (255 bytes); frame skipped\n"
        )),
        "{err}"
    );
    assert!(err.ends_with("swapwire: <stdin>: 2 bad frames skipped; 14 records from good frames written\n"), "{err}");
    let (code, out, err) =
        run(swapwire().args(["decode", "--frames", "iridium-sbd-mo", "--to", "ndjson"]).write_stdin(bytes));
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(String::from_utf8(out).unwrap(), seeds_thrice());
}

/// The format guess is blamed only while nothing read shows it right: a damaged first frame of
/// a capture (its delimiters show it is bytes) gets no "guessed" note; text read as a stream does.
#[test]
fn a_damaged_first_frame_does_not_blame_the_format_guess() {
    let (mut bytes, _) = serial_stream();
    bytes[3] ^= 0x40; // inside frame 1
    let (code, out, err) =
        run(swapwire().args(["decode", "--frames", "serial", "--to", "ndjson"]).write_stdin(bytes.clone()));
    assert_eq!(code, 4);
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 38);
    assert!(!err.contains("guessed"), "{err}");
    let (code, _, err) = run(swapwire().args(["validate", "--frames", "serial"]).write_stdin(bytes.clone()));
    assert_eq!(code, 1);
    assert_eq!(err, "swapwire: <stdin>: 1 bad frame\n");
    // Frame 1 alone, damaged: no record at all, still no guess to blame.
    let (_, ends) = serial_stream();
    let (code, _, err) =
        run(swapwire().args(["validate", "--frames", "serial"]).write_stdin(bytes[..ends[0]].to_vec()));
    assert_eq!((code, err.as_str()), (1, "swapwire: <stdin>: 1 bad frame\n"));
    // Text has no delimiter: read as a stream it is one cut frame, and the guess is named.
    let (code, _, err) = run(swapwire().args(["decode", "--frames", "serial"]).write_stdin(seeds_thrice()));
    assert_eq!(code, 4);
    assert!(err.ends_with(" (read as bytes, guessed from the first bytes; set the format with --from)\n"), "{err}");
    // --skip-damaged is for streams only.
    let (code, _, err) = run(swapwire()
        .args(["decode", "--frames", "lorawan-eu868-dr0", "--sender", "1", "--skip-damaged"])
        .write_stdin(""));
    assert_eq!(code, 2);
    assert!(err.contains("--skip-damaged is for stream framings"), "{err}");
}

#[test]
fn inspect_shows_each_frame_with_its_header_bytes_and_records() {
    let args = ["encode", "--frames", "lorawan-eu868-dr0", "--sender", "1", "--hex", "examples/data/seeds.json"];
    let (_, hex, _) = run(swapwire().args(args));
    let (code, out, err) =
        run(swapwire().args(["inspect", "--frames", "lorawan-eu868-dr0", "--sender", "1"]).write_stdin(hex));
    assert_eq!((code, err.as_str()), (0, ""));
    let out = String::from_utf8(out).unwrap();
    let expected_start = "\
frame 1 (line 1): 37 bytes; header: records, sender 1, 1 item
       0  21 02 01 03 20 55 6e 6e 61 6d 65 64 20 6e 65 77
      16  73 20 72 65 70 6f 72 74 20 28 32 30 32 35 2d 30
      32  33 2d 30 36 29
          record 1: {\"record\":\"source\",\"key\":1,\"revision\":0,\"retracted\":false,\"kind\":\"media\",\"name\":\"Unnamed news report (2025-03-06)\",\"via\":null}
frame 2 (line 2): 50 bytes; header: records, sender 1, 3 items
";
    assert!(out.starts_with(expected_start), "{out}");
    assert_eq!(out.lines().filter(|l| l.starts_with("frame ")).count(), 7);
    assert_eq!(out.lines().filter(|l| l.trim_start().starts_with("record ")).count(), 17);
}
