//! Columnar decode: a buffer of records into caller-provided column arrays in one call, one
//! array per field, so Python (NumPy through `ffi.from_buffer`) or any other host gets a table
//! of a large capture without a per-record call or per-record objects.
//!
//! A row has every scalar field of all three kinds; a field the row's kind does not have is
//! `SWAPWIRE_COLUMN_NONE` (255) in a code column, 0 in a number column and empty (zero bytes)
//! in a text column. Compositions and mediators, which are lists, are given by their lengths
//! only; decode those records whole (`swapwire_records_decode`) when their parts are needed.

use swapwire::{Codec, Composition, Date, Grade, Party, Quantity, Record};

use crate::boundary::{input, input_bytes, run, Failure, MaybeOut, Out};
use crate::status::{swapwire_error_detail, swapwire_status};

/// The value of a code column (a status, qualifier, precision, population, kind, handover) in a
/// row whose record kind has no such field.
pub const SWAPWIRE_COLUMN_NONE: u8 = 255;

/// The width in bytes of one row of a party column (`side_a`, `side_b`, `holder`, `people`)
/// and of the `grade` column: two ASCII letters, no NUL (both zero when absent).
pub const SWAPWIRE_COLUMN_CODE_WIDTH: usize = 2;

/// The width in bytes of one row of the `name` column: the name's UTF-8 bytes, zero-padded.
pub const SWAPWIRE_COLUMN_NAME_WIDTH: usize = 48;

/// One quantity as three columns: a qualifier code, the figure and a range's high end.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct swapwire_quantity_columns {
    /// A `SWAPWIRE_QUALIFIER_*` code per row.
    pub qualifier: *mut u8,
    /// The figure per row (the low end of a range).
    pub value: *mut u32,
    /// A range's high end per row; 0 otherwise.
    pub high: *mut u32,
}

/// Where `swapwire_records_decode_columns` writes each field: one array per field, each with
/// room for the `cap` rows the call is given (party and grade columns `2 * cap` bytes, `name`
/// `48 * cap` bytes). A NULL pointer skips that column.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct swapwire_columns {
    /// The `SWAPWIRE_KIND_*` code of each row.
    pub kind: *mut u8,
    /// Exchange and Count: the writer of the record.
    pub origin: *mut u32,
    /// Exchange and Count: the record's number at its origin.
    pub seq: *mut u32,
    /// Source: the key reports cite.
    pub key: *mut u32,
    /// Every kind: the revision.
    pub revision: *mut u32,
    /// Every kind: 1 if retracted, else 0.
    pub retracted: *mut u8,
    /// Exchange: a `SWAPWIRE_STATUS_*` code.
    pub status: *mut u8,
    /// Exchange: a `SWAPWIRE_HANDOVER_*` code.
    pub handover: *mut u8,
    /// Count: a `SWAPWIRE_POPULATION_*` code.
    pub population: *mut u8,
    /// Source: a `SWAPWIRE_SOURCE_*` code.
    pub source_kind: *mut u8,
    /// Exchange and Count: a `SWAPWIRE_PRECISION_*` code.
    pub date_precision: *mut u8,
    /// The date's year, 0 when the precision has none.
    pub date_year: *mut u16,
    /// The date's month, 0 when the precision has none.
    pub date_month: *mut u8,
    /// The date's day, 0 when the precision has none.
    pub date_day: *mut u8,
    /// Exchange: one party, two letters per row.
    pub side_a: *mut u8,
    /// Exchange: the other party.
    pub side_b: *mut u8,
    /// Count: the holder, or zero bytes when not stated.
    pub holder: *mut u8,
    /// Count: whose people they are.
    pub people: *mut u8,
    /// Exchange: both directions together.
    pub total: swapwire_quantity_columns,
    /// Exchange: returned to `side_a`.
    pub to_a: swapwire_quantity_columns,
    /// Exchange: returned to `side_b`.
    pub to_b: swapwire_quantity_columns,
    /// Count: how many.
    pub quantity: swapwire_quantity_columns,
    /// Exchange: how many parts `composition_a` has (0 to 6).
    pub composition_a_parts: *mut u8,
    /// Exchange: how many parts `composition_b` has.
    pub composition_b_parts: *mut u8,
    /// Exchange: how many mediators it names (0 to 3).
    pub mediator_count: *mut u8,
    /// Exchange: 1 if it is a stage of the agreement `part_of_origin`/`part_of_seq`, else 0.
    pub has_part_of: *mut u8,
    /// Exchange: the origin of the agreement it is a stage of, or 0.
    pub part_of_origin: *mut u32,
    /// Exchange: the seq of the agreement it is a stage of, or 0.
    pub part_of_seq: *mut u32,
    /// Exchange and Count: the key of the source that reported it.
    pub source: *mut u32,
    /// Exchange and Count: the Admiralty grade, two characters per row (`B2`).
    pub grade: *mut u8,
    /// Source: the name's length in bytes.
    pub name_len: *mut u8,
    /// Source: the name, 48 bytes per row, zero-padded.
    pub name: *mut u8,
}

/// One decoded row, held until the whole input has decoded so that a failure writes nothing.
#[derive(Clone, Copy)]
struct Row {
    kind: u8,
    origin: u32,
    seq: u32,
    key: u32,
    revision: u32,
    retracted: u8,
    status: u8,
    handover: u8,
    population: u8,
    source_kind: u8,
    date: (u8, u16, u8, u8),
    side_a: [u8; 2],
    side_b: [u8; 2],
    holder: [u8; 2],
    people: [u8; 2],
    total: (u8, u32, u32),
    to_a: (u8, u32, u32),
    to_b: (u8, u32, u32),
    quantity: (u8, u32, u32),
    composition_a_parts: u8,
    composition_b_parts: u8,
    mediator_count: u8,
    part_of: (u8, u32, u32),
    source: u32,
    grade: [u8; 2],
    name_len: u8,
    name: [u8; SWAPWIRE_COLUMN_NAME_WIDTH],
}

const NO_QUANTITY: (u8, u32, u32) = (SWAPWIRE_COLUMN_NONE, 0, 0);

impl Row {
    /// A row with every field absent, as a kind that has none of them would read.
    const EMPTY: Row = Row {
        kind: SWAPWIRE_COLUMN_NONE,
        origin: 0,
        seq: 0,
        key: 0,
        revision: 0,
        retracted: 0,
        status: SWAPWIRE_COLUMN_NONE,
        handover: SWAPWIRE_COLUMN_NONE,
        population: SWAPWIRE_COLUMN_NONE,
        source_kind: SWAPWIRE_COLUMN_NONE,
        date: (SWAPWIRE_COLUMN_NONE, 0, 0, 0),
        side_a: [0; 2],
        side_b: [0; 2],
        holder: [0; 2],
        people: [0; 2],
        total: NO_QUANTITY,
        to_a: NO_QUANTITY,
        to_b: NO_QUANTITY,
        quantity: NO_QUANTITY,
        composition_a_parts: 0,
        composition_b_parts: 0,
        mediator_count: 0,
        part_of: (0, 0, 0),
        source: 0,
        grade: [0; 2],
        name_len: 0,
        name: [0; SWAPWIRE_COLUMN_NAME_WIDTH],
    };

    fn of(record: &Record) -> Row {
        let row = Row { kind: record.kind() as u8, ..Row::EMPTY };
        match record {
            Record::Exchange(x) => {
                let part_of = x.part_of.map_or((0, 0, 0), |id| (1, id.origin, id.seq));
                Row {
                    origin: x.origin,
                    seq: x.seq,
                    revision: x.revision,
                    retracted: x.retracted.into(),
                    status: x.status as u8,
                    handover: x.handover as u8,
                    date: date(&x.date),
                    side_a: x.side_a.code(),
                    side_b: x.side_b.code(),
                    total: quantity(&x.total),
                    to_a: quantity(&x.to_a),
                    to_b: quantity(&x.to_b),
                    composition_a_parts: parts(&x.composition_a),
                    composition_b_parts: parts(&x.composition_b),
                    mediator_count: x.mediators.len() as u8,
                    part_of,
                    source: x.source,
                    grade: grade(x.grade),
                    ..row
                }
            }
            Record::Count(c) => Row {
                origin: c.origin,
                seq: c.seq,
                revision: c.revision,
                retracted: c.retracted.into(),
                population: c.population as u8,
                date: date(&c.date),
                holder: c.holder.map_or([0; 2], |h: Party| h.code()),
                people: c.people.code(),
                quantity: quantity(&c.quantity),
                source: c.source,
                grade: grade(c.grade),
                ..row
            },
            Record::Source(s) => {
                let mut name = [0; SWAPWIRE_COLUMN_NAME_WIDTH];
                for (slot, b) in name.iter_mut().zip(s.name.as_bytes()) {
                    *slot = *b;
                }
                Row {
                    key: s.key,
                    revision: s.revision,
                    retracted: s.retracted.into(),
                    source_kind: s.kind as u8,
                    name_len: s.name.len() as u8,
                    name,
                    ..row
                }
            }
        }
    }
}

fn date(d: &Date) -> (u8, u16, u8, u8) {
    let (year, month, day) = d.parts();
    (d.precision() as u8, year, month, day)
}

fn quantity(q: &Quantity) -> (u8, u32, u32) {
    (q.qualifier() as u8, q.value(), q.high())
}

fn parts(c: &Composition) -> u8 {
    c.parts().len() as u8
}

fn grade(g: Grade) -> [u8; 2] {
    let letter = |name: &str| name.as_bytes().first().copied().unwrap_or(b'?');
    [letter(g.reliability.name()), letter(g.credibility.name())]
}

/// Writes one field of every row into a column, if the caller asked for it.
///
/// # Safety
/// `column` is NULL or writable for `rows.len() * width` elements of `T`.
unsafe fn fill<T: Copy, const W: usize>(column: *mut T, rows: &[Row], field: impl Fn(&Row) -> [T; W]) {
    if column.is_null() {
        return;
    }
    for (i, row) in rows.iter().enumerate() {
        for (j, value) in field(row).into_iter().enumerate() {
            // SAFETY: `i * W + j < rows.len() * W`, within the caller's array per the contract.
            unsafe { column.add(i * W + j).write(value) };
        }
    }
}

/// Writes the three columns of a quantity.
///
/// # Safety
/// As [`fill`], for each of the three columns.
unsafe fn fill_quantity(columns: &swapwire_quantity_columns, rows: &[Row], field: impl Fn(&Row) -> (u8, u32, u32)) {
    // SAFETY: the caller's contract, passed on.
    unsafe {
        fill(columns.qualifier, rows, |r| [field(r).0]);
        fill(columns.value, rows, |r| [field(r).1]);
        fill(columns.high, rows, |r| [field(r).2]);
    }
}

/// Writes every requested column.
///
/// # Safety
/// Each non-NULL column of `c` is writable for `rows.len()` rows of its width.
unsafe fn write_columns(c: &swapwire_columns, rows: &[Row]) {
    // SAFETY: the caller's contract, for each column in turn.
    unsafe {
        fill(c.kind, rows, |r| [r.kind]);
        fill(c.origin, rows, |r| [r.origin]);
        fill(c.seq, rows, |r| [r.seq]);
        fill(c.key, rows, |r| [r.key]);
        fill(c.revision, rows, |r| [r.revision]);
        fill(c.retracted, rows, |r| [r.retracted]);
        fill(c.status, rows, |r| [r.status]);
        fill(c.handover, rows, |r| [r.handover]);
        fill(c.population, rows, |r| [r.population]);
        fill(c.source_kind, rows, |r| [r.source_kind]);
        fill(c.date_precision, rows, |r| [r.date.0]);
        fill(c.date_year, rows, |r| [r.date.1]);
        fill(c.date_month, rows, |r| [r.date.2]);
        fill(c.date_day, rows, |r| [r.date.3]);
        fill(c.side_a, rows, |r| r.side_a);
        fill(c.side_b, rows, |r| r.side_b);
        fill(c.holder, rows, |r| r.holder);
        fill(c.people, rows, |r| r.people);
        fill_quantity(&c.total, rows, |r| r.total);
        fill_quantity(&c.to_a, rows, |r| r.to_a);
        fill_quantity(&c.to_b, rows, |r| r.to_b);
        fill_quantity(&c.quantity, rows, |r| r.quantity);
        fill(c.composition_a_parts, rows, |r| [r.composition_a_parts]);
        fill(c.composition_b_parts, rows, |r| [r.composition_b_parts]);
        fill(c.mediator_count, rows, |r| [r.mediator_count]);
        fill(c.has_part_of, rows, |r| [r.part_of.0]);
        fill(c.part_of_origin, rows, |r| [r.part_of.1]);
        fill(c.part_of_seq, rows, |r| [r.part_of.2]);
        fill(c.source, rows, |r| [r.source]);
        fill(c.grade, rows, |r| r.grade);
        fill(c.name_len, rows, |r| [r.name_len]);
        fill(c.name, rows, |r| r.name);
    }
}

/// Decodes records from the start of `bytes[0..len]` into the column arrays of `*columns`, one
/// row per record, until the input ends or `cap` rows are filled; stores the number of rows in
/// `*count` and the bytes they took in `*used` (when `*used < len`, call again from
/// `bytes + *used` with fresh or advanced columns). `len / SWAPWIRE_RECORD_MIN_SIZE` rows always
/// suffice for the whole input.
///
/// On failure no column, `*count` or `*used` is written, and `*failed_index` (if not NULL)
/// receives the index, counted from this call's first record, of the record that failed to
/// decode, with the field and reason in `*detail` for `SWAPWIRE_INVALID_VALUE`. Host builds
/// only.
///
/// # Safety
/// `bytes` is NULL or valid for `len` bytes; `columns` is NULL or valid, and each of its
/// non-NULL arrays is writable for `cap` rows of its width and overlaps no other argument;
/// `count`, `used`, `failed_index` and `detail` are NULL or writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // each buffer with its length, each result its own out-param
pub unsafe extern "C" fn swapwire_records_decode_columns(
    bytes: *const u8,
    len: usize,
    columns: *const swapwire_columns,
    cap: usize,
    count: *mut usize,
    used: *mut usize,
    failed_index: *mut usize,
    detail: *mut swapwire_error_detail,
) -> swapwire_status {
    run(detail, || {
        // SAFETY: the header's contract: each pointer is NULL or valid for its type and length.
        let (bytes, columns, count, used, failed_index) = unsafe {
            (input_bytes(bytes, len)?, input(columns)?, Out::new(count)?, Out::new(used)?, MaybeOut::new(failed_index))
        };
        let mut rows = Vec::with_capacity(cap.min(len / crate::version::SWAPWIRE_RECORD_MIN_SIZE + 1));
        let mut at = 0;
        while at < bytes.len() && rows.len() < cap {
            let (record, n) = Record::decode_prefix(bytes.get(at..).unwrap_or(&[])).map_err(|e| {
                failed_index.set(rows.len());
                Failure::from(e)
            })?;
            rows.push(Row::of(&record));
            at += n;
        }
        // SAFETY: each non-NULL column holds `cap >= rows.len()` rows, per the contract.
        unsafe { write_columns(columns, &rows) };
        count.set(rows.len());
        used.set(at);
        Ok(())
    })
}
