//! `encode` and `decode`: records from any input format to one output format, stopping at the
//! first bad record (the output file is then not created).

use std::io::IsTerminal;
use std::path::Path;

use crate::failure::Failure;
use crate::io::{Format, Input, Output};
use crate::out::{write_failure, Writer};
use crate::records::{self, Completion};

pub fn run(input: Option<&Path>, output: Option<&Path>, from: Option<Format>, to: Format) -> Result<(), Failure> {
    let to_stdout = output.is_none_or(|p| p == Path::new("-"));
    if to == Format::Bytes && to_stdout && std::io::stdout().is_terminal() {
        return Err(Failure::usage("refusing to write bytes to a terminal: name a file with -o, or use --hex"));
    }
    let mut input = Input::open(input)?;
    let format = input.format(from)?;
    let out = Output::create(output)?;
    let out_name = out.name.clone();
    let mut writer = Writer::new(to, out).map_err(|e| write_failure(&out_name, &e))?;
    let name = input.name.clone();
    let completion = records::read(&mut input, format, &mut |item| {
        let record = item.record.as_ref().map_err(|reason| Failure::data(&item.at(&name), reason))?;
        writer.write(record).map_err(|e| write_failure(&out_name, &e))
    })?;
    debug_assert_eq!(completion, Completion::Whole, "a stopped stream reports its broken record first");
    writer.finish().map_err(|e| write_failure(&out_name, &e))
}
