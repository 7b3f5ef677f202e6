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
    let s = if total == 1 { "" } else { "s" };
    writeln!(out, "{name}: {total} record{s} checked{stopped}, {} valid, {invalid} invalid", total - invalid)
        .map_err(|e| write_failure("<stdout>", &e))?;
    out.finish().map_err(|e| write_failure("<stdout>", &e))?;
    if invalid > 0 || completion != Completion::Whole {
        let s = if invalid == 1 { "" } else { "s" };
        return Err(Failure { code: EXIT_DATA, message: format!("{name}: {invalid} invalid record{s}") });
    }
    Ok(())
}
