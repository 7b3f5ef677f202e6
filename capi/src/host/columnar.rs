//! Columnar decode: a buffer of records into caller-provided column arrays in one call, one
//! array per field, so Python (NumPy through `ffi.from_buffer`) or any other host gets a table
//! of a large capture without a per-record call or per-record objects.
//!
//! A row has every scalar field of all three kinds; a field the row's kind does not have is
//! `SWAPWIRE_COLUMN_NONE` (255) in a code column, 0 in a number column and empty (zero bytes)
//! in a text column. Compositions and mediators, which are lists, are given by their lengths
//! only; decode those records whole (`swapwire_records_decode`) when their parts are needed.

use swapwire::{Codec, Composition, Date, Grade, Kind, Party, Quantity, Record};

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

/// Writes one row's value of a field into its column, if the caller asked for the column.
///
/// # Safety
/// `column` is NULL or writable for more than `(row + 1) * W` elements of `T`.
unsafe fn put<T: Copy, const W: usize>(column: *mut T, row: usize, values: [T; W]) {
    if column.is_null() {
        return;
    }
    for (j, value) in values.into_iter().enumerate() {
        // SAFETY: `row * W + j < (row + 1) * W`, within the caller's array per the contract.
        unsafe { column.add(row * W + j).write(value) };
    }
}

/// Writes the three columns of a quantity.
///
/// # Safety
/// As [`put`], for each of the three columns.
unsafe fn put_quantity(columns: &swapwire_quantity_columns, row: usize, (qualifier, value, high): (u8, u32, u32)) {
    // SAFETY: the caller's contract, passed on.
    unsafe {
        put(columns.qualifier, row, [qualifier]);
        put(columns.value, row, [value]);
        put(columns.high, row, [high]);
    }
}

/// Writes every requested column, row by row: each column is written front to back, so the
/// writes stream through memory instead of striding over the rows once per column.
///
/// # Safety
/// Each non-NULL column of `c` is writable for `rows.len()` rows of its width.
unsafe fn write_columns(c: &swapwire_columns, rows: &[Row]) {
    for (i, r) in rows.iter().enumerate() {
        // SAFETY: the caller's contract, for each column in turn; `i < rows.len()`.
        unsafe {
            put(c.kind, i, [r.kind]);
            put(c.origin, i, [r.origin]);
            put(c.seq, i, [r.seq]);
            put(c.key, i, [r.key]);
            put(c.revision, i, [r.revision]);
            put(c.retracted, i, [r.retracted]);
            put(c.status, i, [r.status]);
            put(c.handover, i, [r.handover]);
            put(c.population, i, [r.population]);
            put(c.source_kind, i, [r.source_kind]);
            put(c.date_precision, i, [r.date.0]);
            put(c.date_year, i, [r.date.1]);
            put(c.date_month, i, [r.date.2]);
            put(c.date_day, i, [r.date.3]);
            put(c.side_a, i, r.side_a);
            put(c.side_b, i, r.side_b);
            put(c.holder, i, r.holder);
            put(c.people, i, r.people);
            put_quantity(&c.total, i, r.total);
            put_quantity(&c.to_a, i, r.to_a);
            put_quantity(&c.to_b, i, r.to_b);
            put_quantity(&c.quantity, i, r.quantity);
            put(c.composition_a_parts, i, [r.composition_a_parts]);
            put(c.composition_b_parts, i, [r.composition_b_parts]);
            put(c.mediator_count, i, [r.mediator_count]);
            put(c.has_part_of, i, [r.part_of.0]);
            put(c.part_of_origin, i, [r.part_of.1]);
            put(c.part_of_seq, i, [r.part_of.2]);
            put(c.source, i, [r.source]);
            put(c.grade, i, r.grade);
            put(c.name_len, i, [r.name_len]);
            put(c.name, i, r.name);
        }
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
        // One record decoded into again and again: a record of the same kind is overwritten in
        // place, with no 300-byte value moved per row.
        let mut record = Record::blank_of(Kind::Exchange);
        while at < bytes.len() && rows.len() < cap {
            let n = Record::decode_prefix_into(bytes.get(at..).unwrap_or(&[]), &mut record).map_err(|e| {
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
