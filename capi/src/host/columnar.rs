//! Columnar decode: a buffer of records into caller-provided column arrays in one call, one
//! array per field, so Python (NumPy through `ffi.from_buffer`) or any other host gets a table
//! of a large capture without a per-record call or per-record objects.
//!
//! A row has every scalar field of all three kinds; a field the row's kind does not have is
//! `SWAPWIRE_COLUMN_NONE` (255) in a code column, 0 in a number column and empty (zero bytes)
//! in a text column. Compositions and mediators, which are lists, are given by their lengths
//! only; decode those records whole (`swapwire_records_decode`) when their parts are needed.
//!
//! Rows are written as the records decode, so a failure leaves the rows before the bad record
//! written and every row from it on untouched (a table of the good prefix, never a torn row).

use swapwire::{Codec, Composition, Date, Grade, Kind, Quantity, Record};

use crate::boundary::{input, input_bytes, run, Failure, MaybeOut, Out};
use crate::status::{swapwire_error_detail, swapwire_status};

/// The value of a code column (a status, qualifier, precision, population, kind, handover) in a
/// row whose record kind has no such field.
pub const SWAPWIRE_COLUMN_NONE: u8 = 255;

/// The width in bytes of one row of a party column (`side_a`, `side_b`, `holder`, `people`)
/// and of the `grade` column: two ASCII letters, no NUL (both zero when absent).
pub const SWAPWIRE_COLUMN_CODE_WIDTH: usize = 2;

/// The width in bytes of one row of the `name` column: the name's UTF-8 bytes, zero-padded.
pub const SWAPWIRE_COLUMN_NAME_WIDTH: usize = 64;

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
/// `64 * cap` bytes). A NULL pointer skips that column.
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
    /// Exchange: 1 if it is another report of the exchange `same_as_origin`/`same_as_seq`
    /// (tallies skip it), else 0.
    pub has_same_as: *mut u8,
    /// Exchange: the origin of the report it is another report of, or 0.
    pub same_as_origin: *mut u32,
    /// Exchange: the seq of the report it is another report of, or 0.
    pub same_as_seq: *mut u32,
    /// Exchange and Count: the key of the source that reported it.
    pub source: *mut u32,
    /// Exchange and Count: the Admiralty grade, two characters per row (`B2`).
    pub grade: *mut u8,
    /// Source: the name's length in bytes.
    pub name_len: *mut u8,
    /// Source: the name, 64 bytes per row, zero-padded.
    pub name: *mut u8,
    /// Source: 1 if its words reached the report through the source `via`, else 0.
    pub has_via: *mut u8,
    /// Source: the key of the source through which its words reached the report, or 0.
    pub via: *mut u32,
}

/// Writes one row's value into a column, if the caller asked for the column.
///
/// # Safety
/// `column` is NULL or writable for more than `row` elements of `T`.
#[inline(always)]
unsafe fn put<T>(column: *mut T, row: usize, value: T) {
    if !column.is_null() {
        // SAFETY: `row` is within the caller's array per the contract.
        unsafe { column.add(row).write(value) };
    }
}

/// Writes a two-letter code (a party or a grade) into a column of `SWAPWIRE_COLUMN_CODE_WIDTH`
/// bytes per row.
///
/// # Safety
/// As [`put`], for a column of `2 * (row + 1)` bytes.
#[inline(always)]
unsafe fn put_code(column: *mut u8, row: usize, code: [u8; SWAPWIRE_COLUMN_CODE_WIDTH]) {
    // SAFETY: the caller's contract; `[u8; 2]` has alignment 1, as the bytes do.
    unsafe { put(column.cast::<[u8; SWAPWIRE_COLUMN_CODE_WIDTH]>(), row, code) };
}

/// Writes the three columns of a quantity.
///
/// # Safety
/// As [`put`], for each of the three columns.
#[inline(always)]
unsafe fn put_quantity(columns: &swapwire_quantity_columns, row: usize, (qualifier, value, high): (u8, u32, u32)) {
    // SAFETY: the caller's contract, passed on.
    unsafe {
        put(columns.qualifier, row, qualifier);
        put(columns.value, row, value);
        put(columns.high, row, high);
    }
}

const NO_QUANTITY: (u8, u32, u32) = (SWAPWIRE_COLUMN_NONE, 0, 0);
const NO_CODE: [u8; SWAPWIRE_COLUMN_CODE_WIDTH] = [0; SWAPWIRE_COLUMN_CODE_WIDTH];

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

fn grade(g: Grade) -> [u8; SWAPWIRE_COLUMN_CODE_WIDTH] {
    let letter = |name: &str| name.as_bytes().first().copied().unwrap_or(b'?');
    [letter(g.reliability.name()), letter(g.credibility.name())]
}

/// The fields an exchange and a count share, with a source's key and kind absent.
struct Common {
    origin: u32,
    seq: u32,
    key: u32,
    revision: u32,
    retracted: bool,
    date: (u8, u16, u8, u8),
    source: u32,
    grade: [u8; SWAPWIRE_COLUMN_CODE_WIDTH],
}

/// Writes every requested column of row `i` straight from the decoded record, with no row
/// staged in between: the record is written field by field where the caller's arrays are.
///
/// # Safety
/// Each non-NULL column of `c` is writable for more than `i` rows of its width.
unsafe fn write_row(c: &swapwire_columns, i: usize, record: &Record) {
    // Exchanges and counts are both reports: the same fields under the same names.
    macro_rules! report {
        ($r:expr) => {
            Common {
                origin: $r.origin,
                seq: $r.seq,
                key: 0,
                revision: $r.revision,
                retracted: $r.retracted,
                date: date(&$r.date),
                source: $r.source,
                grade: grade($r.grade),
            }
        };
    }
    let common = match record {
        Record::Exchange(x) => report!(x),
        Record::Count(k) => report!(k),
        Record::Source(s) => Common {
            origin: 0,
            seq: 0,
            key: s.key,
            revision: s.revision,
            retracted: s.retracted,
            date: (SWAPWIRE_COLUMN_NONE, 0, 0, 0),
            source: 0,
            grade: NO_CODE,
        },
    };
    // Per-kind fields, absent ("none", 0, empty) for the other kinds.
    let (status, handover, side_a, side_b, total, to_a, to_b, comp_a, comp_b, mediators, part_of, same_as) =
        match record {
            Record::Exchange(x) => (
                x.status as u8,
                x.handover as u8,
                x.side_a.code(),
                x.side_b.code(),
                quantity(&x.total),
                quantity(&x.to_a),
                quantity(&x.to_b),
                parts(&x.composition_a),
                parts(&x.composition_b),
                x.mediators.len() as u8,
                x.part_of.map_or((0, 0, 0), |id| (1, id.origin, id.seq)),
                x.same_as.map_or((0, 0, 0), |id| (1, id.origin, id.seq)),
            ),
            _ => (
                SWAPWIRE_COLUMN_NONE,
                SWAPWIRE_COLUMN_NONE,
                NO_CODE,
                NO_CODE,
                NO_QUANTITY,
                NO_QUANTITY,
                NO_QUANTITY,
                0,
                0,
                0,
                (0, 0, 0),
                (0, 0, 0),
            ),
        };
    let (population, holder, people, count_quantity) = match record {
        Record::Count(k) => {
            (k.population as u8, k.holder.map_or(NO_CODE, |h| h.code()), k.people.code(), quantity(&k.quantity))
        }
        _ => (SWAPWIRE_COLUMN_NONE, NO_CODE, NO_CODE, NO_QUANTITY),
    };
    let (source_kind, name, via) = match record {
        Record::Source(s) => (s.kind as u8, s.name.as_bytes(), s.via.map_or((0, 0), |key| (1, key))),
        _ => (SWAPWIRE_COLUMN_NONE, &[][..], (0, 0)),
    };
    // SAFETY: the caller's contract, for each column in turn.
    unsafe {
        put(c.kind, i, record.kind() as u8);
        put(c.origin, i, common.origin);
        put(c.seq, i, common.seq);
        put(c.key, i, common.key);
        put(c.revision, i, common.revision);
        put(c.retracted, i, common.retracted.into());
        put(c.status, i, status);
        put(c.handover, i, handover);
        put(c.population, i, population);
        put(c.source_kind, i, source_kind);
        put(c.date_precision, i, common.date.0);
        put(c.date_year, i, common.date.1);
        put(c.date_month, i, common.date.2);
        put(c.date_day, i, common.date.3);
        put_code(c.side_a, i, side_a);
        put_code(c.side_b, i, side_b);
        put_code(c.holder, i, holder);
        put_code(c.people, i, people);
        put_quantity(&c.total, i, total);
        put_quantity(&c.to_a, i, to_a);
        put_quantity(&c.to_b, i, to_b);
        put_quantity(&c.quantity, i, count_quantity);
        put(c.composition_a_parts, i, comp_a);
        put(c.composition_b_parts, i, comp_b);
        put(c.mediator_count, i, mediators);
        put(c.has_part_of, i, part_of.0);
        put(c.part_of_origin, i, part_of.1);
        put(c.part_of_seq, i, part_of.2);
        put(c.has_same_as, i, same_as.0);
        put(c.same_as_origin, i, same_as.1);
        put(c.same_as_seq, i, same_as.2);
        put(c.source, i, common.source);
        put_code(c.grade, i, common.grade);
        put(c.name_len, i, name.len() as u8);
        put(c.has_via, i, via.0);
        put(c.via, i, via.1);
        if !c.name.is_null() {
            // A name is at most `SWAPWIRE_COLUMN_NAME_WIDTH` bytes (the decoder checked): its
            // bytes, then zeros to the cell's end.
            let cell = c.name.add(i * SWAPWIRE_COLUMN_NAME_WIDTH);
            let n = name.len().min(SWAPWIRE_COLUMN_NAME_WIDTH);
            core::ptr::copy_nonoverlapping(name.as_ptr(), cell, n);
            core::ptr::write_bytes(cell.add(n), 0, SWAPWIRE_COLUMN_NAME_WIDTH - n);
        }
    }
}

/// Decodes records from the start of `bytes[0..len]` into the column arrays of `*columns`, one
/// row per record, until the input ends or `cap` rows are filled; stores the number of rows in
/// `*count` and the bytes they took in `*used` (when `*used < len`, call again from
/// `bytes + *used` with fresh or advanced columns). `len / SWAPWIRE_RECORD_MIN_SIZE` rows always
/// suffice for the whole input.
///
/// Each row is written as soon as its record has decoded, with no copy of the table staged
/// (staging every row first had halved the speed). So on failure `*count` and `*used` are not
/// written, `*failed_index` (if not NULL) receives the index, counted from this call's first
/// record, of the record that failed to decode, with the field and reason in `*detail` for
/// `SWAPWIRE_INVALID_VALUE`; the rows before that index hold the records before it, and no
/// column is written from that index on. Host builds only.
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
        let mut rows = 0;
        let mut at = 0;
        // One record decoded into again and again: a record of the same kind is overwritten in
        // place, with no 300-byte value moved per row.
        let mut record = Record::blank_of(Kind::Exchange);
        while at < bytes.len() && rows < cap {
            let n = Record::decode_prefix_into(bytes.get(at..).unwrap_or(&[]), &mut record).map_err(|e| {
                failed_index.set(rows);
                Failure::from(e)
            })?;
            // SAFETY: each non-NULL column holds `cap > rows` rows, per the contract.
            unsafe { write_row(columns, rows, &record) };
            rows += 1;
            at += n;
        }
        count.set(rows);
        used.set(at);
        Ok(())
    })
}
