//! The measured jobs, shared by the criterion benchmark (`benches/codecs.rs`, time) and
//! `examples/instructions.rs` (instruction counts under callgrind), so that both measure the
//! same calls on the same records.
//!
//! Workloads: every example and edge-case record of one kind (`exchange`, `count`, `source`),
//! and `batch`, 1,000 mixed records; with `SWAPWIRE_BENCH_DATA=FILE` (a JSON array or NDJSON of
//! records in the JSON form, as `swapwire decode --to ndjson` writes them) each kind's workload
//! is the file's first 1,000 records of that kind, as they are (a kind the file lacks is left
//! out), and `batch` the file's first 1,000 records as they are. Records that are fewer than
//! 1,000 (the examples, or a small file) are repeated to fill `batch`, and every copy after the
//! first is renumbered as a whole: the `seq`s of each origin and the `part_of`/`same_as`
//! references to them move by one offset, source keys and the `source` of the reports citing
//! them by another, so each copy keeps its references and seq gaps, and its own identities
//! (unless a number space spans most of `u32`, as the edge cases' do: see [`Renumbering`]). The frame workloads write
//! `batch` into frames and read them back. A file the benchmark cannot use (unreadable, not
//! JSON, an invalid record) stops it with the file, the record's place and the reason.
//!
//! - swapwire encodes into a stack buffer (`Codec::encode`) and decodes with `Record::decode`;
//!   both validate.
//! - A peer encodes a value already in its own type (`Format::prepare`, outside the measured
//!   job) into storage reused across iterations (`Prepared::encode_into` with one
//!   `peers::Buffers`), and decodes to a validated `Record` (`Format::decode_with`, the same
//!   `Buffers`): parse, convert, validate.
//! - `swapwire-c` is the C API (`swapwire_record_encode`/`_decode` on `swapwire_record`
//!   structs), called through the `swapwire-capi` rlib as a C program calls the staticlib.
//! - `frame-message` writes the batch into as many frames as it takes on a Meshtastic payload
//!   (233 B) and reads them back (`frame::write_records`/`read_records`); `frame-stream` does
//!   the same on a 255-byte serial link (length, CRC-32, COBS; reading goes through
//!   `StreamDecoder`). `swapwire-c` does both through the C API, from and to `swapwire_record`
//!   structs: `swapwire_frame_write`, then `swapwire_frame_read` (after `swapwire_stream_feed`
//!   for the stream).

use std::hint::black_box;

use std::fmt::Display;
use std::path::Path;
use swapwire::frame::{self, Feed, Profile, StreamDecoder};

use swapwire::peers::{Buffers, Format};
use swapwire::{json, Codec, Kind, Record, RecordId};
use swapwire_capi::codec::{swapwire_record_decode, swapwire_record_encode};
use swapwire_capi::status::SWAPWIRE_OK;
use swapwire_capi::sync::frames::{swapwire_frame_read, swapwire_frame_write};
use swapwire_capi::sync::stream::{
    swapwire_stream_decoder, swapwire_stream_decoder_init, swapwire_stream_event, swapwire_stream_feed,
};
use swapwire_capi::sync::{swapwire_link, SWAPWIRE_FRAMING_MESSAGE, SWAPWIRE_FRAMING_STREAM};
use swapwire_capi::types::swapwire_record;

/// One measured call: everything a benchmark iteration does, its inputs prepared beforehand.
pub type Job = Box<dyn FnMut()>;

/// The jobs of one direction and workload, e.g. `decode-count`.
pub struct Group {
    /// `encode-batch`, `decode-frame-stream`, …: criterion's group name.
    pub id: String,
    /// How many records one run of a job handles.
    pub records: usize,
    /// Each format's job, by its name in the tables (`swapwire`, `swapwire-c`, `json`, …).
    pub jobs: Vec<(&'static str, Job)>,
}

/// The groups whose id `wanted` accepts, in this order: encode and decode of each record
/// workload, then the frames of `batch`. Only those are prepared: a process that runs one job
/// under callgrind would otherwise encode every workload in every format first.
pub fn groups(wanted: impl Fn(&str) -> bool) -> Vec<Group> {
    let input = input();
    let workloads = workloads(&input);
    let mut groups = Vec::new();
    for (name, records) in &workloads {
        if wanted(&format!("encode-{name}")) {
            groups.push(encode_group(name, records));
        }
        if wanted(&format!("decode-{name}")) {
            groups.push(decode_group(&input, name, records));
        }
    }
    if let Some((_, batch)) = workloads.iter().find(|(name, _)| *name == "batch") {
        groups.extend(frame_groups(batch, &wanted));
    }
    groups
}

fn encode_group(name: &str, records: &[Record]) -> Group {
    let mut jobs: Vec<(&'static str, Job)> = Vec::new();
    let owned = records.to_vec();
    let mut buf = [0u8; Record::MAX_SIZE];
    jobs.push((
        "swapwire",
        Box::new(move || {
            for r in &owned {
                black_box(r.encode(&mut buf).expect("valid record"));
            }
        }),
    ));
    let structs: Vec<swapwire_record> = records.iter().map(to_c).collect();
    jobs.push((
        "swapwire-c",
        Box::new(move || {
            for r in &structs {
                let mut written = 0;
                // SAFETY: `r` is a valid struct, `buf` is writable for its length, `written`
                // is a valid out-parameter, and a null detail pointer is allowed.
                let status = unsafe {
                    swapwire_record_encode(r, buf.as_mut_ptr(), buf.len(), &mut written, std::ptr::null_mut())
                };
                assert_eq!(status, SWAPWIRE_OK);
                black_box(written);
            }
        }),
    ));
    for format in Format::ALL {
        let prepared: Vec<_> = records.iter().map(|r| format.prepare(r)).collect();
        // Kept across iterations, as `buf` is for swapwire.
        let mut buffers = Buffers::new();
        jobs.push((
            format.name(),
            Box::new(move || {
                for p in &prepared {
                    black_box(p.encode_into(&mut buffers));
                }
            }),
        ));
    }
    Group { id: format!("encode-{name}"), records: records.len(), jobs }
}

fn decode_group(input: &Input, name: &str, records: &[Record]) -> Group {
    let mut jobs: Vec<(&'static str, Job)> = Vec::new();
    let bytes: Vec<Vec<u8>> = records.iter().map(|r| r.to_vec().expect("valid record")).collect();
    let c_bytes = bytes.clone();
    jobs.push((
        "swapwire",
        Box::new(move || {
            for m in &bytes {
                black_box(Record::decode(m).expect("valid bytes"));
            }
        }),
    ));
    jobs.push((
        "swapwire-c",
        Box::new(move || {
            for m in &c_bytes {
                black_box(c_decode(m));
            }
        }),
    ));
    for format in Format::ALL {
        let mut buffers = Buffers::new();
        let bytes: Vec<Vec<u8>> = records.iter().map(|r| format.encode(r)).collect();
        // Once outside the measured job, so that a record this peer cannot carry is reported.
        for (i, (m, r)) in bytes.iter().zip(records).enumerate() {
            match format.decode_with(m, &mut buffers) {
                Ok(back) if back == *r => {}
                Ok(_) => fail(format!("{}: {name} record {}: {format} does not round-trip it", input.file, i + 1)),
                Err(e) => fail(format!("{}: {name} record {}: {format}: {e}", input.file, i + 1)),
            }
        }
        jobs.push((
            format.name(),
            Box::new(move || {
                for m in &bytes {
                    black_box(format.decode_with(m, &mut buffers).expect("valid message"));
                }
            }),
        ));
    }
    Group { id: format!("decode-{name}"), records: records.len(), jobs }
}

/// How many records `batch` and each kind's workload hold at most.
const BATCH: usize = 1000;

/// The records to measure, in file order, and where each came from.
struct Input {
    /// The file, for messages: `SWAPWIRE_BENCH_DATA` as given, or the examples.
    file: String,
    records: Vec<Record>,
    /// Each record's place in its file: `line 5`, `record 3`, `edge.json "min_count"`.
    places: Vec<String>,
}

/// Stops the benchmark with `message`: a run on data it cannot use is worse than none, and a
/// panic's backtrace and "valid record" say less than the file and record at fault.
fn fail(message: impl Display) -> ! {
    eprintln!("error: {message}");
    std::process::exit(2)
}

/// The records of `SWAPWIRE_BENCH_DATA`, or the examples and edge cases.
fn input() -> Input {
    match std::env::var_os("SWAPWIRE_BENCH_DATA") {
        Some(path) => own_records(Path::new(&path)),
        None => example_records(),
    }
}

/// The records of a JSON array or NDJSON file, in file order. Stops with the file, the record
/// and the reason on anything it cannot use.
fn own_records(path: &Path) -> Input {
    let file = format!("SWAPWIRE_BENCH_DATA={}", path.display());
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        // A relative path is read from the benchmark's working directory (cargo runs it in the
        // package root), which may not be where it was typed: say which file was tried.
        let tried = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        fail(format!("{file}: cannot read {}: {e}", tried.display()))
    });
    // Each value with where it stands: "record N" of an array, "line N" of NDJSON.
    let values: Vec<(String, serde_json::Value)> = if text.trim_start().starts_with('[') {
        let array: Vec<serde_json::Value> =
            serde_json::from_str(&text).unwrap_or_else(|e| fail(format!("{file}: not a JSON array of records: {e}")));
        array.into_iter().enumerate().map(|(i, v)| (format!("record {}", i + 1), v)).collect()
    } else {
        let lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
        lines
            .map(|(i, l)| {
                let at = format!("line {}", i + 1);
                let value = serde_json::from_str(l).unwrap_or_else(|e| fail(format!("{file}: {at}: not JSON: {e}")));
                (at, value)
            })
            .collect()
    };
    let (mut records, mut places) = (Vec::new(), Vec::new());
    for (at, v) in values {
        records.push(json::from_value(v).unwrap_or_else(|e| fail(format!("{file}: {at}: {e}"))));
        places.push(at);
    }
    if records.is_empty() {
        fail(format!("{file}: no records"));
    }
    Input { file, records, places }
}

/// The example and edge-case records, in file order.
fn example_records() -> Input {
    let root = env!("CARGO_MANIFEST_DIR");
    let seeds = std::fs::read_to_string(format!("{root}/examples/data/seeds.json")).expect("seeds.json");
    let seeds: Vec<serde_json::Value> = serde_json::from_str(&seeds).expect("seeds.json is an array");
    let edges = std::fs::read_to_string(format!("{root}/tests/data/edge.json")).expect("edge.json");
    let edges: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&edges).expect("edge.json is a map");
    let seeds = seeds.into_iter().enumerate().map(|(i, v)| (format!("seeds.json record {}", i + 1), v));
    let edges = edges.into_iter().filter(|(k, _)| !k.starts_with('_')).map(|(k, v)| (format!("edge.json {k:?}"), v));
    let (places, records) = seeds.chain(edges).map(|(at, v)| (at, json::from_value(v).expect("valid record"))).unzip();
    Input { file: "the examples".into(), records, places }
}

/// The first [`BATCH`] records as they are; fewer are repeated to [`BATCH`], every copy after the
/// first renumbered as a whole ([`Renumbering`]). Stops, naming the record, if a copy is invalid.
fn batch(input: &Input) -> Vec<Record> {
    let records = &input.records;
    if records.len() >= BATCH {
        return records[..BATCH].to_vec();
    }
    let spans = Renumbering::new(records);
    eprintln!(
        "{}: {} records, repeated to a batch of {BATCH}; each copy renumbered (seqs and references per origin, source keys and citations)",
        input.file,
        records.len()
    );
    (0..BATCH)
        .map(|i| {
            let (copy, at) = (i / records.len(), i % records.len());
            let r = spans.copy(&records[at], copy as u64);
            if let Err(e) = r.validate() {
                fail(format!(
                    "{}: {} (batch record {}, copy {} renumbered): {e}",
                    input.file,
                    input.places[at],
                    i + 1,
                    copy + 1
                ));
            }
            r
        })
        .collect()
}

/// How copies of a set of records are renumbered: copy `k` adds `k` × the span of each number
/// space, modulo 2^32. The seqs of one origin (its records' own and those its references point
/// at) are one space; source keys (Sources' own and those reports cite) another. A shift is a
/// bijection, so every reference of a copy points at the same record of that copy as in the
/// file (no reference becomes a self-reference), gaps between numbers stay, and while a space
/// spans less than 2^32 / copies the copies' numbers do not meet.
struct Renumbering {
    /// (origin, one more than its highest seq minus its lowest).
    seqs: Vec<(u32, u64)>,
    keys: u64,
}

impl Renumbering {
    fn new(records: &[Record]) -> Self {
        let mut seqs: Vec<(u32, u32, u32)> = Vec::new(); // (origin, lowest, highest)
        let mut keys = (u32::MAX, 0);
        let mut seq = |id: RecordId| match seqs.iter_mut().find(|(o, ..)| *o == id.origin) {
            Some((_, lo, hi)) => (*lo, *hi) = ((*lo).min(id.seq), (*hi).max(id.seq)),
            None => seqs.push((id.origin, id.seq, id.seq)),
        };
        for r in records {
            let key = match r {
                Record::Exchange(x) => {
                    [Some(x.id()), x.part_of, x.same_as].into_iter().flatten().for_each(&mut seq);
                    x.source
                }
                Record::Count(c) => {
                    seq(RecordId { origin: c.origin, seq: c.seq });
                    c.source
                }
                Record::Source(s) => s.key,
            };
            keys = (keys.0.min(key), keys.1.max(key));
        }
        let span = |(lo, hi): (u32, u32)| if lo > hi { 1 } else { u64::from(hi - lo) + 1 };
        Renumbering {
            seqs: seqs.into_iter().map(|(origin, lo, hi)| (origin, span((lo, hi)))).collect(),
            keys: span(keys),
        }
    }

    /// `record` as copy `copy` (0 is the record itself) holds it; origins stay.
    fn copy(&self, record: &Record, copy: u64) -> Record {
        let shift = |n: u32, span: u64| n.wrapping_add(copy.wrapping_mul(span) as u32);
        let seq = |origin: u32, seq: u32| {
            let span = self.seqs.iter().find(|(o, _)| *o == origin).map_or(1, |(_, s)| *s);
            shift(seq, span)
        };
        let id = |id: RecordId| RecordId { seq: seq(id.origin, id.seq), ..id };
        let mut r = record.clone();
        match &mut r {
            Record::Exchange(x) => {
                x.seq = seq(x.origin, x.seq);
                x.part_of = x.part_of.map(id);
                x.same_as = x.same_as.map(id);
                x.source = shift(x.source, self.keys);
            }
            Record::Count(c) => {
                c.seq = seq(c.origin, c.seq);
                c.source = shift(c.source, self.keys);
            }
            Record::Source(s) => s.key = shift(s.key, self.keys),
        }
        r
    }
}

fn workloads(input: &Input) -> Vec<(&'static str, Vec<Record>)> {
    let all = &input.records;
    // At most 1,000 of a kind, so that a large file of your own keeps runs short.
    let of = |kind: Kind| all.iter().filter(|r| r.kind() == kind).take(BATCH).cloned().collect::<Vec<_>>();
    let mut workloads = vec![
        ("exchange", of(Kind::Exchange)),
        ("count", of(Kind::Count)),
        ("source", of(Kind::Source)),
        ("batch", batch(input)),
    ];
    workloads.retain(|(_, records)| !records.is_empty()); // a kind your data does not hold
    workloads
}

/// Decodes standalone record bytes through the C API.
fn c_decode(bytes: &[u8]) -> swapwire_record {
    let mut out = swapwire_record::default();
    // SAFETY: `bytes` is readable for its length, `out` is a valid out-parameter, and a null
    // detail pointer is allowed.
    let status = unsafe { swapwire_record_decode(bytes.as_ptr(), bytes.len(), &mut out, std::ptr::null_mut()) };
    assert_eq!(status, SWAPWIRE_OK);
    out
}

/// A record as the C struct a C program would hold.
fn to_c(record: &Record) -> swapwire_record {
    c_decode(&record.to_vec().expect("valid record"))
}

/// Writes all of `records` into frames for `profile`, one after another into `out`, returning
/// each frame's length.
fn write_frames(profile: &Profile, records: &[Record], out: &mut [u8]) -> Vec<usize> {
    let (mut lens, mut done, mut at) = (Vec::new(), 0, 0);
    while done < records.len() {
        let w = frame::write_records(profile, 7, &records[done..], &mut out[at..]).expect("records fit");
        lens.push(w.len);
        done += w.records;
        at += w.len;
    }
    lens
}

/// [`write_frames`] through the C API, from C structs.
fn c_write_frames(link: swapwire_link, records: &[swapwire_record], out: &mut [u8]) -> Vec<usize> {
    let (mut lens, mut done, mut at) = (Vec::new(), 0, 0);
    while done < records.len() {
        let rest = &records[done..];
        let buf = &mut out[at..];
        let (mut written, mut taken) = (0usize, 0usize);
        // SAFETY: every pointer is valid for its length; the optional out-params are NULL.
        let status = unsafe {
            swapwire_frame_write(
                link,
                7,
                rest.as_ptr(),
                rest.len(),
                buf.as_mut_ptr(),
                buf.len(),
                &mut written,
                &mut taken,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        assert_eq!(status, SWAPWIRE_OK);
        lens.push(written);
        done += taken;
        at += written;
    }
    lens
}

/// Reads one records frame into `out` through the C API; how many records it held.
fn c_read_frame(frame: &[u8], link_sender: Option<u32>, out: &mut [swapwire_record]) -> usize {
    let mut count = 0usize;
    let sender = link_sender.as_ref().map_or(std::ptr::null(), |s| s as *const u32);
    // SAFETY: every pointer is valid for its length; `info` and `detail` are NULL.
    let status = unsafe {
        swapwire_frame_read(
            frame.as_ptr(),
            frame.len(),
            sender,
            out.as_mut_ptr(),
            out.len(),
            &mut count,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    };
    assert_eq!(status, SWAPWIRE_OK);
    count
}

/// Reads every frame of `wire` (frames of `lens` bytes, or one byte stream) through the C API,
/// as a C gateway would; how many records they held.
fn c_read_frames(framing: frame::Framing, wire: &[u8], lens: &[usize], out: &mut [swapwire_record]) -> usize {
    let mut n = 0;
    match framing {
        frame::Framing::Message => {
            let mut at = 0;
            for len in lens {
                n += c_read_frame(&wire[at..at + len], Some(7), out);
                at += len;
            }
        }
        frame::Framing::Stream => {
            // Zeroed: `swapwire_stream_decoder_init` sets it up whatever it held.
            // SAFETY: an all-zero `swapwire_stream_decoder` is plain bytes, written by init below.
            let mut decoder: Box<swapwire_stream_decoder> = Box::new(unsafe { std::mem::zeroed() });
            // SAFETY: a valid, writable decoder.
            assert_eq!(unsafe { swapwire_stream_decoder_init(&mut *decoder) }, SWAPWIRE_OK);
            let mut input = wire;
            while !input.is_empty() {
                let mut ev =
                    swapwire_stream_event { consumed: 0, frame: std::ptr::null(), frame_len: 0, rejected: SWAPWIRE_OK };
                // SAFETY: an initialised decoder, `input` readable for its length, `ev` writable.
                let status = unsafe { swapwire_stream_feed(&mut *decoder, input.as_ptr(), input.len(), &mut ev) };
                assert!(status == SWAPWIRE_OK && ev.rejected == SWAPWIRE_OK);
                if !ev.frame.is_null() {
                    // SAFETY: the decoder's frame, valid for `frame_len` bytes until it is fed again.
                    let frame = unsafe { std::slice::from_raw_parts(ev.frame, ev.frame_len) };
                    n += c_read_frame(frame, None, out);
                }
                input = &input[ev.consumed..];
            }
        }
    }
    n
}

/// Writing `records` into frames and reading them back, on a message link and a stream link:
/// the groups of those `wanted` accepts.
fn frame_groups(records: &[Record], wanted: impl Fn(&str) -> bool) -> Vec<Group> {
    let c_records: Vec<swapwire_record> = records.iter().map(to_c).collect();
    let mut groups = Vec::new();
    for (name, profile) in [("frame-message", Profile::MESHTASTIC), ("frame-stream", Profile::SERIAL)] {
        let (encode_id, decode_id) = (format!("encode-{name}"), format!("decode-{name}"));
        if !wanted(&encode_id) && !wanted(&decode_id) {
            continue;
        }
        let framing = match profile.framing {
            frame::Framing::Message => SWAPWIRE_FRAMING_MESSAGE,
            frame::Framing::Stream => SWAPWIRE_FRAMING_STREAM,
        };
        let link = swapwire_link { framing, payload: profile.payload };
        let mut out = vec![0u8; 512 * 1024];
        let lens = write_frames(&profile, records, &mut out);
        let wire = out[..lens.iter().sum()].to_vec();
        assert_eq!(c_write_frames(link, &c_records, &mut out), lens, "the C API writes the same frames");
        assert_eq!(&out[..wire.len()], &wire[..]);
        let (owned, c_owned, mut c_out) = (records.to_vec(), c_records.clone(), out.clone());
        let encode: Vec<(&'static str, Job)> = vec![
            ("swapwire", Box::new(move || drop(black_box(write_frames(&profile, &owned, &mut out))))),
            ("swapwire-c", Box::new(move || drop(black_box(c_write_frames(link, &c_owned, &mut c_out))))),
        ];
        if wanted(&encode_id) {
            groups.push(Group { id: encode_id, records: records.len(), jobs: encode });
        }
        let (n, c_wire, c_lens) = (records.len(), wire.clone(), lens.clone());
        let mut structs = vec![swapwire_record::default(); 256];
        let decode: Vec<(&'static str, Job)> = vec![
            ("swapwire", Box::new(move || assert_eq!(read_frames(profile.framing, &wire, &lens), n))),
            (
                "swapwire-c",
                Box::new(move || assert_eq!(c_read_frames(profile.framing, &c_wire, &c_lens, &mut structs), n)),
            ),
        ];
        if wanted(&decode_id) {
            groups.push(Group { id: decode_id, records: records.len(), jobs: decode });
        }
    }
    groups
}

/// Reads every frame of `wire` (frames of `lens` bytes, or one byte stream); how many records
/// they held.
fn read_frames(framing: frame::Framing, wire: &[u8], lens: &[usize]) -> usize {
    let mut n = 0;
    let mut count = |r: Record| {
        black_box(r);
        n += 1;
        Ok(())
    };
    match framing {
        frame::Framing::Message => {
            let mut at = 0;
            for len in lens {
                frame::read_records(&wire[at..at + len], Some(7), &mut count).expect("valid frame");
                at += len;
            }
        }
        frame::Framing::Stream => {
            let mut decoder = StreamDecoder::<512>::new();
            let mut input = wire;
            while !input.is_empty() {
                input = match decoder.feed(input) {
                    Feed::Frame { frame, remaining } => {
                        frame::read_records(frame, None, &mut count).expect("valid frame");
                        remaining
                    }
                    Feed::Consumed => &[],
                    Feed::Rejected { error, .. } => panic!("{error}"),
                };
            }
        }
    }
    n
}
