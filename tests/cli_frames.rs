//! Frames through the `swapwire` binary: records packed for a link profile and read back,
//! from a stream that starts mid-frame or has a damaged frame, and from captured messages.

mod cli_common;
mod common;

use cli_common::{run, swapwire};
use common::{root, seed_records};
use swapwire::{json, Codec};

/// The seed records three times over, as NDJSON: 45 records, three serial frames.
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
    assert_eq!(ends.len(), 3);
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
    assert!(all.ends_with(&out) && out.lines().count() > 14 && out.lines().count() < 42, "{out}");
}

#[test]
fn a_damaged_frame_fails_decode_and_validate_reports_it_and_goes_on() {
    let (mut bytes, ends) = serial_stream();
    bytes[ends[0] + 3] ^= 0x40; // inside frame 2
    let (code, out, err) = run(swapwire().args(["decode", "--frames", "serial", "-o", "-"]).write_stdin(bytes.clone()));
    assert_eq!(code, 1);
    assert!(!out.is_empty(), "frame 1 streams out before the damage is found");
    // Frame 2's bytes start after its leading delimiter.
    assert_eq!(err, format!("swapwire: <stdin>: byte {}: frame 2: frame checksum does not match\n", ends[0] + 1));
    let (code, out, _) = run(swapwire().args(["validate", "--frames", "serial"]).write_stdin(bytes));
    assert_eq!(code, 1);
    let out = String::from_utf8(out).unwrap();
    let frame2_records = out.lines().count(); // only the report and the summary remain
    assert_eq!(
        out.lines().next().unwrap(),
        format!("<stdin>: byte {}: frame 2: frame checksum does not match", ends[0] + 1)
    );
    // The three frames hold 15 records each: frame 2's are lost, the others read.
    assert_eq!(out.lines().last(), Some("<stdin>: 30 records valid in good frames, 1 bad frame"), "{out}");
    assert_eq!(frame2_records, 2);
}

#[test]
fn a_capture_cut_inside_a_frame_is_an_error() {
    let (bytes, ends) = serial_stream();
    let cut = bytes[..ends[1] + 5].to_vec(); // frame 3's leading delimiter and four bytes
    let (code, _, err) = run(swapwire().args(["decode", "--frames", "serial", "--to", "ndjson"]).write_stdin(cut));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        format!(
            "swapwire: <stdin>: byte {}: frame 3: the input ends inside a frame (4 bytes after the last delimiter)\n",
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
    assert_eq!(err, "swapwire: examples/data/seeds.json:2: record 1: a 37-byte record does not fit a lorawan-us915-dr0 frame (11 bytes)\n");
    let (code, _, err) = run(swapwire().args(["encode", "--frames", "lorawan-x"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown link profile \"lorawan-x\""), "{err}");
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
    assert_eq!(out.lines().filter(|l| l.starts_with("frame ")).count(), 6);
    assert_eq!(out.lines().filter(|l| l.trim_start().starts_with("record ")).count(), 15);
}
