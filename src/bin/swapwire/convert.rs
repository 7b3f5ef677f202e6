//! `encode` and `decode`: records from any input to one output format, stopping at the first bad
//! record (an output file is then not created).

use std::io::IsTerminal;
use std::path::Path;

use crate::failure::Failure;
use crate::frames::{FrameWriter, Framed};
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
}

pub fn run(job: Job<'_>) -> Result<(), Failure> {
    let to_stdout = job.output.is_none_or(|p| p == Path::new("-"));
    if job.to == Format::Bytes && to_stdout && std::io::stdout().is_terminal() {
        return Err(Failure::usage("refusing to write bytes to a terminal: name a file with -o, or use --hex"));
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
    records::read_any(&mut input, format, job.frames_in, &mut |item| {
        let at = item.at(&name);
        let record = item.record.map_err(|reason| Failure::data(&at, reason))?;
        match &mut sink {
            Sink::Records(w) => w.write(&record).map_err(|e| write_failure(&out_name, &e)),
            Sink::Frames(w) => {
                w.write(record).map_err(|e| write_failure(&out_name, &e))?.map_err(|e| Failure::data(&at, e))
            }
        }
    })?;
    match sink {
        Sink::Records(w) => w.finish(),
        Sink::Frames(w) => w.finish().and_then(Output::finish),
    }
    .map_err(|e| write_failure(&out_name, &e))
}
