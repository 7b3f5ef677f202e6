//! Frames as an output and input mode: records packed into the messages of a link profile, and
//! read back from captured messages or from a byte stream that may start mid-frame.

use std::io::{self, BufRead, Read, Write};

use swapwire::frame::{self, Feed, Framing, Profile, StreamDecoder};
use swapwire::{Error, Record};

use crate::failure::{Failure, Place};
use crate::io::{Format, Input};
use crate::records::{unhex, Completion, Item};

/// The link profiles, by the names the command line uses.
pub const PROFILES: [(&str, Profile); 7] = [
    ("lorawan-us915-dr0", Profile::LORAWAN_US915_DR0),
    ("lorawan-eu868-dr0", Profile::LORAWAN_EU868_DR0),
    ("lorawan-eu868-dr3", Profile::LORAWAN_EU868_DR3),
    ("lorawan-eu868-dr4", Profile::LORAWAN_EU868_DR4),
    ("meshtastic", Profile::MESHTASTIC),
    ("iridium-sbd-mo", Profile::IRIDIUM_SBD_MO),
    ("serial", Profile::SERIAL),
];

/// The profile a command-line name stands for.
pub fn profile(name: &str) -> Result<Profile, String> {
    PROFILES.iter().find(|(n, _)| *n == name).map(|(_, p)| *p).ok_or_else(|| {
        let names: Vec<&str> = PROFILES.iter().map(|(n, _)| *n).collect();
        format!("unknown link profile {name:?}; one of: {}", names.join(", "))
    })
}

/// The frame options of a command: the profile and the sender's origin.
#[derive(Clone, Copy)]
pub struct Framed {
    pub profile: Profile,
    /// Who sends: written into stream frames; message links attribute frames themselves, so
    /// reading message frames needs it from the command line.
    pub sender: Option<u32>,
}

impl Framed {
    /// Checks that the options make sense for writing (`writing`) or reading frames.
    pub fn check(&self, writing: bool) -> Result<(), Failure> {
        if self.sender.is_none() && (writing || self.profile.framing == Framing::Message) {
            let why = if writing { "frames are written for one sender" } else { "message links do not carry it" };
            return Err(Failure::usage(format!("--frames {} needs --sender ORIGIN ({why})", self.name())));
        }
        Ok(())
    }

    pub fn name(&self) -> &'static str {
        PROFILES.iter().find(|(_, p)| *p == self.profile).map_or("?", |(n, _)| *n)
    }
}

/// Why a [`FrameWriter`] did not take a record.
pub enum Refusal {
    /// No frame of the profile can carry the record, even alone.
    Oversized(Oversized),
    /// The record is invalid.
    Invalid(String),
}

/// A record too large for every frame of a link.
pub struct Oversized {
    /// The record's standalone encoding.
    pub record_len: usize,
    /// A frame carrying it alone, however large.
    pub frame_len: usize,
    /// What the record is about ([`key`]).
    pub key: String,
    pub profile: &'static str,
    pub payload: usize,
}

impl std::fmt::Display for Oversized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a {}-byte record ({} bytes as a frame of its own) does not fit a {} frame ({} bytes)",
            self.record_len, self.frame_len, self.profile, self.payload
        )
    }
}

/// The bytes of a frame of `profile`'s framing carrying `record` alone, whatever the payload
/// limit (0 for an invalid record).
pub fn alone_len(profile: &Profile, sender: u32, record: &Record) -> usize {
    let unlimited = Profile { payload: 4096, ..*profile };
    let mut buf = vec![0; unlimited.payload];
    frame::write_records(&unlimited, sender, [record], &mut buf).map_or(0, |w| w.len)
}

/// What a record is about, as people name it: `source key 3`, `exchange 1/5`, `count 1/2`.
pub fn key(record: &Record) -> String {
    match record {
        Record::Source(s) => format!("source key {}", s.key),
        Record::Exchange(x) => format!("exchange {}/{}", x.origin, x.seq),
        Record::Count(c) => format!("count {}/{}", c.origin, c.seq),
    }
}

/// Packs records into frames as they come, each frame as full as the profile allows. Records
/// wait in a batch that grows to about twice a frame's worth, so each is framed a few times at
/// most, and memory holds two frames' records at most.
pub struct FrameWriter<W> {
    framed: Framed,
    hex: bool,
    pending: Vec<Record>,
    /// How many pending records trigger an attempt to write full frames.
    batch: usize,
    out: W,
    buf: Vec<u8>,
    /// Frames written so far.
    pub frames: u64,
    /// Frame bytes written so far (as bytes, also when written as hex).
    pub bytes: u64,
}

impl<W: Write> FrameWriter<W> {
    pub fn new(framed: Framed, to: Format, out: W) -> Result<FrameWriter<W>, Failure> {
        framed.check(true)?;
        if to == Format::Bytes && framed.profile.framing == Framing::Message {
            return Err(Failure::usage(format!(
                "{} frames are whole messages with no delimiter between them: use --hex (one frame per line)",
                framed.name()
            )));
        }
        let buf = vec![0; framed.profile.payload];
        let hex = to == Format::Hex;
        Ok(FrameWriter { framed, hex, pending: Vec::new(), batch: 8, out, buf, frames: 0, bytes: 0 })
    }

    fn sender(&self) -> u32 {
        self.framed.sender.unwrap_or_default()
    }

    /// Adds a record. Fails, leaving the writer as it was, for a record that is invalid or that
    /// no frame of the profile can hold.
    pub fn write(&mut self, record: Record) -> io::Result<Result<(), Refusal>> {
        if let Err(e) = frame::write_records(&self.framed.profile, self.sender(), [&record], &mut self.buf) {
            return Ok(Err(match e {
                // The buffer is the profile's payload: too small for it is too large for the link.
                Error::BufferTooSmall | Error::TooLargeForLink => Refusal::Oversized(Oversized {
                    record_len: swapwire::Codec::encoded_len(&record),
                    frame_len: alone_len(&self.framed.profile, self.sender(), &record),
                    key: key(&record),
                    profile: self.framed.name(),
                    payload: self.framed.profile.payload,
                }),
                e => Refusal::Invalid(e.to_string()),
            }));
        }
        self.pending.push(record);
        if self.pending.len() >= self.batch {
            self.write_frames(false)?;
        }
        Ok(Ok(()))
    }

    /// Writes frames from the pending records: the full ones, and with `all` the last one too.
    fn write_frames(&mut self, all: bool) -> io::Result<()> {
        while !self.pending.is_empty() {
            let written = frame::write_records(&self.framed.profile, self.sender(), &self.pending, &mut self.buf)
                .map_err(io::Error::other)?;
            if written.records == self.pending.len() && !all {
                // Everything fits: the frame is not full yet.
                self.batch = self.batch.max(2 * written.records);
                return Ok(());
            }
            let bytes = &self.buf[..written.len];
            if self.hex {
                let line: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                writeln!(self.out, "{line}")?;
            } else {
                self.out.write_all(bytes)?;
            }
            self.pending.drain(..written.records);
            self.batch = self.batch.max(2 * written.records);
            self.frames += 1;
            self.bytes += written.len as u64;
        }
        Ok(())
    }

    /// Writes the last frames and hands back the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.write_frames(true)?;
        Ok(self.out)
    }

    /// Writes the last frames; returns how many frames and bytes were written in all.
    pub fn totals(mut self) -> io::Result<(u64, u64)> {
        self.write_frames(true)?;
        Ok((self.frames, self.bytes))
    }
}

/// The largest stream frame the reader accepts, delimiter included (every profile is smaller).
const STREAM_BUFFER: usize = 1024;

/// Reads the records of framed input: a byte stream of stream frames, or captured messages as
/// hex lines (one frame per line) or as one raw message.
pub fn read(
    input: &mut Input,
    format: Format,
    framed: Framed,
    each: &mut dyn FnMut(Item<'_>) -> Result<(), Failure>,
) -> Result<Completion, Failure> {
    framed.check(false)?;
    let mut reader = FrameReader { framed, frames: 0, records: 0, each };
    match (format, framed.profile.framing) {
        (Format::Hex, _) => reader.hex_lines(input),
        (Format::Bytes, Framing::Stream) => reader.stream(input),
        (Format::Bytes, Framing::Message) => {
            let mut message = Vec::new();
            input.reader.read_to_end(&mut message).map_err(|e| Failure::io(&input.name, &e))?;
            reader.frame(&message, Place::Byte(0))?;
            Ok(Completion::Whole)
        }
        (text, _) => Err(Failure::usage(format!("{}: frames are bytes or hex, not {}", input.name, text.name()))),
    }
}

struct FrameReader<'e> {
    framed: Framed,
    frames: u64,
    records: u64,
    each: &'e mut dyn FnMut(Item<'_>) -> Result<(), Failure>,
}

impl FrameReader<'_> {
    /// Why a frame of `len` bytes on the link (stream framing included; `more` when it is
    /// longer still) cannot be read, if it is longer than the profile allows.
    fn over_limit(&self, len: usize, more: bool) -> Option<String> {
        let payload = self.framed.profile.payload;
        (len > payload).then(|| {
            let more = if more { "over " } else { "" };
            format!(
                "a frame of {more}{len} bytes is longer than a {} frame can be ({payload} bytes)",
                self.framed.name()
            )
        })
    }

    /// Hands over the records of one frame (after stream framing is undone), or its error.
    fn frame(&mut self, frame: &[u8], place: Place) -> Result<(), Failure> {
        self.frames += 1;
        if self.framed.profile.framing == Framing::Message {
            if let Some(reason) = self.over_limit(frame.len(), false) {
                return self.item(place, Err(reason), frame);
            }
        }
        let link_sender = match self.framed.profile.framing {
            Framing::Message => self.framed.sender,
            Framing::Stream => None,
        };
        // Collect first: a frame that fails part-way gives none of its records.
        let mut records = Vec::new();
        match frame::read_records(frame, link_sender, |r| {
            records.push(r);
            Ok(())
        }) {
            Ok(_) => {
                for record in records {
                    self.records += 1;
                    self.item(place, Ok(record), frame)?;
                }
                Ok(())
            }
            Err(e) => self.item(place, Err(e.to_string()), frame),
        }
    }

    /// Hands over one record, or a frame's error, with the frame's bytes (stream framing undone).
    fn item(&mut self, place: Place, record: Result<Record, String>, frame: &[u8]) -> Result<(), Failure> {
        let number = record.is_ok().then_some(self.records);
        (self.each)(Item { number, frame: Some(self.frames), place, record, bytes: frame, offset: 0 })
    }

    fn hex_lines(&mut self, input: &mut Input) -> Result<Completion, Failure> {
        let mut line = String::new();
        let mut line_no = 0;
        loop {
            line.clear();
            if input.reader.read_line(&mut line).map_err(|e| Failure::io(&input.name, &e))? == 0 {
                return Ok(Completion::Whole);
            }
            line_no += 1;
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let place = Place::Line(line_no);
            let mut bytes = match unhex(&line) {
                // Frames are bytes or hex: a line of hex digits shows hex was the right guess.
                Ok(b) => {
                    input.recognised = true;
                    b
                }
                Err(e) => {
                    self.frames += 1;
                    self.item(place, Err(e), &[])?;
                    continue;
                }
            };
            match self.framed.profile.framing {
                Framing::Message => self.frame(&bytes, place)?,
                Framing::Stream => {
                    // On the link the frame has a delimiter on either side, whether the line
                    // shows them or not.
                    let core = bytes.iter().skip_while(|&&b| b == 0).take_while(|&&b| b != 0).count();
                    match self.over_limit(core + 2, false) {
                        Some(reason) => {
                            self.frames += 1;
                            self.item(place, Err(reason), &[])?;
                        }
                        None => match frame::unwrap_stream_frame(&mut bytes) {
                            Ok(frame) => self.frame(frame, place)?,
                            Err(e) => {
                                self.frames += 1;
                                self.item(place, Err(e.to_string()), &[])?;
                            }
                        },
                    }
                }
            }
        }
    }

    /// Cuts a byte stream at its delimiters. Bytes before the first delimiter that are not a good
    /// frame are the tail of a frame sent before the capture began: skipped, with a note.
    fn stream(&mut self, input: &mut Input) -> Result<Completion, Failure> {
        let mut decoder = StreamDecoder::<STREAM_BUFFER>::new();
        let (mut offset, mut frame_start) = (0u64, 0u64);
        loop {
            let chunk = input.reader.fill_buf().map_err(|e| Failure::io(&input.name, &e))?;
            if chunk.is_empty() {
                break;
            }
            let chunk_len = chunk.len();
            // Text has no zero byte: a delimiter shows the input is a byte stream.
            let delimited = chunk.contains(&0);
            let mut rest = chunk;
            // Frames completed by this chunk: where each starts and ends, and its bytes or error.
            let mut done: Vec<(u64, u64, Result<Vec<u8>, Error>)> = Vec::new();
            while !rest.is_empty() {
                if decoder.buffered() == 0 {
                    // Delimiters between frames (one leads every frame): a frame starts after them.
                    let zeros = rest.iter().take_while(|&&b| b == 0).count();
                    (offset, rest) = (offset + zeros as u64, &rest[zeros..]);
                    frame_start = offset;
                    if rest.is_empty() {
                        break;
                    }
                }
                let before = rest.len();
                let (result, remaining) = match decoder.feed(rest) {
                    Feed::Consumed => (None, &rest[rest.len()..]),
                    Feed::Frame { frame, remaining } => (Some(Ok(frame.to_vec())), remaining),
                    Feed::Rejected { error, remaining } => (Some(Err(error)), remaining),
                };
                offset += (before - remaining.len()) as u64;
                rest = remaining;
                if let Some(result) = result {
                    done.push((frame_start, offset, result));
                    frame_start = offset;
                }
            }
            input.reader.consume(chunk_len);
            input.recognised |= delimited;
            for (start, end, result) in done {
                // The frame's bytes on the link: from its leading delimiter to its closing one.
                let len = (end - start) as usize + 1;
                match result {
                    Ok(frame) => match self.over_limit(len, false) {
                        Some(reason) => {
                            self.frames += 1;
                            self.item(Place::Byte(start), Err(reason), &[])?;
                        }
                        None => self.frame(&frame, Place::Byte(start))?,
                    },
                    Err(_) if self.frames == 0 && start == 0 => eprintln!(
                        "swapwire: note: {}: skipped {end} bytes before the first delimiter (the input starts mid-frame)",
                        input.name
                    ),
                    Err(e) => {
                        self.frames += 1;
                        // The decoder's buffer is larger than any profile's frames.
                        let reason = match e {
                            Error::BufferTooSmall => self.over_limit(len, true),
                            _ => None,
                        };
                        self.item(Place::Byte(start), Err(reason.unwrap_or_else(|| e.to_string())), &[])?;
                    }
                }
            }
        }
        if offset > frame_start {
            self.frames += 1;
            let reason =
                format!("the input ends inside a frame ({} bytes after the last delimiter)", offset - frame_start);
            self.item(Place::Byte(frame_start), Err(reason), &[])?;
        }
        Ok(Completion::Whole)
    }
}
