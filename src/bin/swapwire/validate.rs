//! `validate`: every invalid record of a file, with where it is and why, then a summary.

use std::io::Write;
use std::path::Path;

use crate::failure::{At, Failure, Place, EXIT_DATA};
use crate::frames::Framed;
use crate::io::{Input, Output};
use crate::out::write_failure;
use crate::records::{self, Completion};

pub fn run(input: Option<&Path>, from: Option<crate::io::Format>, frames: Option<Framed>) -> Result<(), Failure> {
    let mut input = Input::open(input)?;
    let format = input.format(from, frames.is_some())?;
    let mut out = Output::create(None)?;
    let name = input.name.clone();
    let (mut total, mut invalid) = (0u64, 0u64);
    let completion = records::read_any(&mut input, format, frames, &mut |item| {
        total += 1;
        if let Err(reason) = &item.record {
            invalid += 1;
            writeln!(out, "{}: {reason}", item.at(&name)).map_err(|e| write_failure("<stdout>", &e))?;
        }
        Ok(())
    })?;
    if let Completion::StoppedAt(offset) = completion {
        let at = At { file: &name, place: Some(Place::Byte(offset)), frame: None, record: None };
        writeln!(
            out,
            "{at}: stopped: where the next record starts is unknown after a broken one in an unframed stream"
        )
        .map_err(|e| write_failure("<stdout>", &e))?;
    }
    let stopped = if completion == Completion::Whole { "" } else { " before the stream was lost" };
    let plural = |n: u64, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    // In framed input a bad frame yields no records, so frames and records are counted apart.
    let (summary, failed) = match frames {
        None => (
            format!("{} checked{stopped}, {} valid, {invalid} invalid", plural(total, "record"), total - invalid),
            plural(invalid, "invalid record"),
        ),
        Some(_) => (
            format!("{} valid in good frames, {}", plural(total - invalid, "record"), plural(invalid, "bad frame")),
            plural(invalid, "bad frame"),
        ),
    };
    writeln!(out, "{name}: {summary}").map_err(|e| write_failure("<stdout>", &e))?;
    out.finish().map_err(|e| write_failure("<stdout>", &e))?;
    if invalid > 0 || completion != Completion::Whole {
        let failure = Failure { code: EXIT_DATA, message: format!("{name}: {failed}") };
        return Err(input.explain(failure));
    }
    Ok(())
}
