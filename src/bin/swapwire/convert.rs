//! `encode` and `decode`: records from any input to one output format, stopping at the first bad
//! record (an output file is then not created).

use std::io::IsTerminal;
use std::path::Path;

use swapwire::frame::Framing;

use crate::failure::{Failure, EXIT_DAMAGED};
use crate::frames::{FrameWriter, Framed, Refusal};
use crate::io::{Format, Input, Output};
use crate::out::{write_failure, Writer};
use crate::records;

/// Where converted records go: plain records, or frames of a link profile.
enum Sink {
    Records(Writer),
    Frames(FrameWriter<Output>),
}

/// Both sides of a conversion.
pub struct Job<'a> {
    pub input: Option<&'a Path>,
    pub output: Option<&'a Path>,
    pub from: Option<Format>,
    pub to: Format,
    /// The input holds frames of this profile.
    pub frames_in: Option<Framed>,
    /// Write frames of this profile.
    pub frames_out: Option<Framed>,
    /// Leave out, with a note, records too large for every frame of `frames_out`.
    pub skip_oversized: bool,
    /// Exit 0 when damaged frames of a stream (`frames_in`) were skipped.
    pub skip_damaged: bool,
}

pub fn run(job: Job<'_>) -> Result<(), Failure> {
    let to_stdout = job.output.is_none_or(|p| p == Path::new("-"));
    if job.to == Format::Bytes && to_stdout && std::io::stdout().is_terminal() {
        return Err(Failure::usage("refusing to write bytes to a terminal: name a file with -o, or use --hex"));
    }
    // Stream framing resynchronises after a bad frame; a message is one frame, and a bad one ends it.
    let stream_in = job.frames_in.filter(|f| f.profile.framing == Framing::Stream);
    if job.skip_damaged && stream_in.is_none() {
        return Err(Failure::usage(
            "--skip-damaged is for stream framings (--frames iridium-sbd-mo or serial): a bad message frame ends the command",
        ));
    }
    let mut input = Input::open(job.input)?;
    let format = input.format(job.from, job.frames_in.is_some())?;
    let out = Output::create(job.output)?;
    let out_name = out.name.clone();
    let mut sink = match job.frames_out {
        Some(framed) => Sink::Frames(FrameWriter::new(framed, job.to, out)?),
        None => Sink::Records(Writer::new(job.to, out).map_err(|e| write_failure(&out_name, &e))?),
    };
    let name = input.name.clone();
    let (mut written, mut oversized, mut damaged) = (0u64, 0u64, 0u64);
    records::read_any(&mut input, format, job.frames_in, &mut |item| {
        let at = item.at(&name);
        let record = match item.record {
            Ok(record) => record,
            // From a framed stream, errors are whole frames: skip them, say where, go on.
            Err(reason) if stream_in.is_some() => {
                damaged += 1;
                eprintln!("swapwire: {at}: {reason}; frame skipped");
                return Ok(());
            }
            Err(reason) => return Err(Failure::data(&at, reason)),
        };
        match &mut sink {
            Sink::Records(w) => w.write(&record).map_err(|e| write_failure(&out_name, &e))?,
            Sink::Frames(w) => match w.write(record).map_err(|e| write_failure(&out_name, &e))? {
                Ok(()) => {}
                Err(Refusal::Oversized(o)) if job.skip_oversized => {
                    oversized += 1;
                    eprintln!("swapwire: note: {at} ({}): skipped: {o}", o.key);
                    return Ok(());
                }
                Err(Refusal::Oversized(o)) => {
                    let hint = "--skip-oversized leaves such records out and frames the rest";
                    return Err(Failure::data(&at, format!("{o}; {hint}")));
                }
                Err(Refusal::Invalid(reason)) => return Err(Failure::data(&at, reason)),
            },
        }
        written += 1;
        Ok(())
    })?;
    match sink {
        Sink::Records(w) => w.finish(),
        Sink::Frames(w) => w.finish().and_then(Output::finish),
    }
    .map_err(|e| write_failure(&out_name, &e))?;
    let plural = |n: u64, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    if oversized > 0 {
        let framed = job.frames_out.map_or("?", |f| f.name());
        eprintln!(
            "swapwire: note: {name}: {} framed, {} skipped (too large for any {framed} frame)",
            plural(written, "record"),
            plural(oversized, "record")
        );
    }
    if damaged > 0 {
        let message = format!(
            "{name}: {} skipped; {} from good frames written",
            plural(damaged, "bad frame"),
            plural(written, "record")
        );
        let failure = input.explain(Failure { code: EXIT_DAMAGED, message });
        if !job.skip_damaged {
            return Err(failure);
        }
        eprintln!("swapwire: note: {}", failure.message);
    }
    Ok(())
}
