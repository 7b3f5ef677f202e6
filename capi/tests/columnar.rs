//! `swapwire_records_decode_columns`: every golden record lands in its row with the values the
//! record decoder gives, absent fields read as "none", a failure writes no row from the bad record
//! on (only the good rows before it), and random
//! bytes never break that contract.

use std::path::Path;
use std::ptr::{null, null_mut};

use proptest::prelude::*;
use swapwire::{Codec, Record};
use swapwire_capi::host::columnar::*;
use swapwire_capi::status::*;

/// Owned column arrays, pre-filled with 0xA5 so that unwritten rows show.
struct Table {
    cap: usize,
    u8s: Vec<Vec<u8>>,
    u16s: Vec<u16>,
    u32s: Vec<Vec<u32>>,
}

const U32_COLUMNS: usize = 9 + 8 + 2 + 1;

/// The bytes per row of each `u8` column of a [`Table`], in its order.
const U8_WIDTHS: [usize; 23] =
    [1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 2, 1, SWAPWIRE_COLUMN_NAME_WIDTH, 1, 1, 1, 1];

impl Table {
    fn new(cap: usize) -> Table {
        Table {
            cap,
            u8s: U8_WIDTHS.iter().map(|w| vec![0xA5; w * cap]).collect(),
            u16s: vec![0xA5A5; cap],
            u32s: (0..U32_COLUMNS).map(|_| vec![0xA5A5_A5A5; cap]).collect(),
        }
    }

    fn columns(&mut self) -> swapwire_columns {
        let [kind, retracted, status, handover, population, source_kind, date_precision, date_month, side_a, side_b, holder, people, composition_a_parts, composition_b_parts, mediator_count, has_part_of, grade, name_len, name, date_day, q, has_same_as, has_via] =
            self.u8s.iter_mut().map(|v| v.as_mut_ptr()).collect::<Vec<_>>().try_into().unwrap();
        let [origin, seq, key, revision, part_of_origin, part_of_seq, source, tv, th, av, ah, bv, bh, qv, qh, _, _, same_as_origin, same_as_seq, via] =
            self.u32s.iter_mut().map(|v| v.as_mut_ptr()).collect::<Vec<_>>().try_into().unwrap();
        // The four qualifier columns share one array here: the tests read them from the struct
        // decoder instead, except the count's, which is last written and so checkable.
        let quantity = |value, high| swapwire_quantity_columns { qualifier: q, value, high };
        swapwire_columns {
            kind,
            origin,
            seq,
            key,
            revision,
            retracted,
            status,
            handover,
            population,
            source_kind,
            date_precision,
            date_year: self.u16s.as_mut_ptr(),
            date_month,
            date_day,
            side_a,
            side_b,
            holder,
            people,
            total: quantity(tv, th),
            to_a: quantity(av, ah),
            to_b: quantity(bv, bh),
            quantity: quantity(qv, qh),
            composition_a_parts,
            composition_b_parts,
            mediator_count,
            has_part_of,
            part_of_origin,
            part_of_seq,
            has_same_as,
            same_as_origin,
            same_as_seq,
            source,
            grade,
            name_len,
            name,
            has_via,
            via,
        }
    }

    /// Whether no column holds anything written from row `row` on.
    fn untouched_from(&self, row: usize) -> bool {
        self.u8s.iter().zip(U8_WIDTHS).all(|(column, w)| column[row * w..].iter().all(|&b| b == 0xA5))
            && self.u16s[row..].iter().all(|&v| v == 0xA5A5)
            && self.u32s.iter().all(|column| column[row..].iter().all(|&v| v == 0xA5A5_A5A5))
    }
}

struct Decoded {
    status: swapwire_status,
    count: usize,
    used: usize,
    failed: usize,
    detail: swapwire_error_detail,
}

fn decode_into(table: &mut Table, bytes: &[u8]) -> Decoded {
    let columns = table.columns();
    let mut d = Decoded { status: 0, count: 7, used: 7, failed: 7, detail: swapwire_error_detail::default() };
    // SAFETY: every column holds `table.cap` rows of its width; the out-params are valid.
    d.status = unsafe {
        swapwire_records_decode_columns(
            bytes.as_ptr(),
            bytes.len(),
            &columns,
            table.cap,
            &mut d.count,
            &mut d.used,
            &mut d.failed,
            &mut d.detail,
        )
    };
    d
}

fn golden() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hex"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let text = text.trim();
            (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
        })
        .collect()
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap().trim_end_matches('\0')
}

#[test]
fn every_golden_record_fills_its_row() {
    let vectors = golden();
    let joined: Vec<u8> = vectors.concat();
    let mut table = Table::new(vectors.len() + 3);
    let d = decode_into(&mut table, &joined);
    assert_eq!((d.status, d.count, d.used), (SWAPWIRE_OK, vectors.len(), joined.len()));
    let t = &table;
    for (i, bytes) in vectors.iter().enumerate() {
        let record = Record::decode(bytes).unwrap();
        let row = |column: usize| t.u8s[column][i];
        let code = |column: usize, width: usize| text(&t.u8s[column][i * width..(i + 1) * width]).to_owned();
        assert_eq!(row(0), record.kind() as u8);
        match &record {
            Record::Exchange(x) => {
                assert_eq!((t.u32s[0][i], t.u32s[1][i], t.u32s[2][i], t.u32s[3][i]), (x.origin, x.seq, 0, x.revision));
                assert_eq!((row(1), row(2), row(3)), (x.retracted as u8, x.status as u8, x.handover as u8));
                assert_eq!((row(4), row(5)), (SWAPWIRE_COLUMN_NONE, SWAPWIRE_COLUMN_NONE));
                assert_eq!(row(6), x.date.precision() as u8);
                assert_eq!((t.u16s[i], row(7), row(19)), x.date.parts());
                assert_eq!((code(8, 2), code(9, 2)), (x.side_a.to_string(), x.side_b.to_string()));
                assert_eq!((code(10, 2), code(11, 2)), (String::new(), String::new()));
                assert_eq!((t.u32s[7][i], t.u32s[8][i]), (x.total.value(), x.total.high()));
                assert_eq!((t.u32s[9][i], t.u32s[10][i]), (x.to_a.value(), x.to_a.high()));
                assert_eq!((t.u32s[11][i], t.u32s[12][i]), (x.to_b.value(), x.to_b.high()));
                assert_eq!(
                    (row(12), row(13)),
                    (x.composition_a.parts().len() as u8, x.composition_b.parts().len() as u8)
                );
                assert_eq!((row(14), row(15)), (x.mediators.len() as u8, x.part_of.is_some() as u8));
                let part_of = x.part_of.map_or((0, 0), |p| (p.origin, p.seq));
                assert_eq!((t.u32s[4][i], t.u32s[5][i], t.u32s[6][i]), (part_of.0, part_of.1, x.source));
                let same_as = x.same_as.map_or((0, 0), |p| (p.origin, p.seq));
                assert_eq!((row(21), t.u32s[17][i], t.u32s[18][i]), (x.same_as.is_some() as u8, same_as.0, same_as.1));
                assert_eq!((row(22), t.u32s[19][i]), (0, 0));
                assert_eq!(code(16, 2), x.grade.to_string());
                // The count's quantity is absent, and its qualifier column says so.
                assert_eq!((t.u32s[13][i], t.u32s[14][i], row(20)), (0, 0, SWAPWIRE_COLUMN_NONE));
            }
            Record::Count(c) => {
                assert_eq!((t.u32s[0][i], t.u32s[1][i], t.u32s[2][i], t.u32s[3][i]), (c.origin, c.seq, 0, c.revision));
                assert_eq!((row(2), row(3), row(4), row(5)), (255, 255, c.population as u8, 255));
                assert_eq!((t.u16s[i], row(7), row(19)), c.date.parts());
                assert_eq!(code(10, 2), c.holder.map_or(String::new(), |h| h.to_string()));
                assert_eq!(code(11, 2), c.people.to_string());
                assert_eq!(
                    (row(20), t.u32s[13][i], t.u32s[14][i]),
                    (c.quantity.qualifier() as u8, c.quantity.value(), c.quantity.high())
                );
                assert_eq!((t.u32s[6][i], code(16, 2)), (c.source, c.grade.to_string()));
                assert_eq!((row(21), t.u32s[17][i], t.u32s[18][i]), (0, 0, 0));
                assert_eq!((row(22), t.u32s[19][i]), (0, 0));
            }
            Record::Source(s) => {
                assert_eq!((t.u32s[0][i], t.u32s[1][i], t.u32s[2][i], t.u32s[3][i]), (0, 0, s.key, s.revision));
                assert_eq!((row(1), row(5), row(6)), (s.retracted as u8, s.kind as u8, SWAPWIRE_COLUMN_NONE));
                assert_eq!(
                    (row(17) as usize, code(18, SWAPWIRE_COLUMN_NAME_WIDTH)),
                    (s.name.len(), s.name.to_string())
                );
                assert_eq!(code(16, 2), "");
                assert_eq!((row(22), t.u32s[19][i]), (s.via.is_some() as u8, s.via.unwrap_or(0)));
            }
        }
    }
    // Rows past the count are left alone.
    assert!(t.u8s[0][vectors.len()..].iter().all(|&b| b == 0xA5));
}

#[test]
fn a_bad_record_anywhere_writes_only_the_rows_before_it_and_names_its_index() {
    let vectors = golden();
    let mut bytes = vectors[..3].concat();
    bytes.extend_from_slice(&[0x01, 0x01, 0x02, 0x00, 0x3b]); // a count with population code 7
    let mut table = Table::new(8);
    let d = decode_into(&mut table, &bytes);
    assert_eq!((d.status, d.failed), (SWAPWIRE_INVALID_VALUE, 3));
    assert_eq!(
        d.detail,
        swapwire_error_detail { field: SWAPWIRE_FIELD_POPULATION, reason: SWAPWIRE_REASON_UNKNOWN_CODE }
    );
    assert_eq!((d.count, d.used), (7, 7));
    let kinds: Vec<u8> = vectors[..3].iter().map(|v| v[0]).collect();
    assert_eq!(table.u8s[0][..3], kinds[..]);
    assert!(table.untouched_from(3));
    let mut table = Table::new(8);
    let d = decode_into(&mut table, &vectors[0][..vectors[0].len() - 1]);
    assert_eq!((d.status, d.failed), (SWAPWIRE_TRUNCATED, 0));
    assert!(table.untouched_from(0));
}

#[test]
fn a_full_table_stops_at_a_record_boundary() {
    let vectors = golden();
    let joined = vectors.concat();
    let mut table = Table::new(2);
    let d = decode_into(&mut table, &joined);
    assert_eq!((d.status, d.count, d.used), (SWAPWIRE_OK, 2, vectors[0].len() + vectors[1].len()));
    let d = decode_into(&mut Table::new(0), &joined);
    assert_eq!((d.status, d.count, d.used), (SWAPWIRE_OK, 0, 0));
}

#[test]
fn null_columns_are_skipped_and_null_arguments_refused() {
    let bytes = golden().concat();
    let mut kinds = vec![0xA5u8; 64];
    // SAFETY: an all-NULL columns struct is valid to read.
    let mut only_kind: swapwire_columns = unsafe { std::mem::zeroed() };
    only_kind.kind = kinds.as_mut_ptr();
    let (mut count, mut used) = (0, 0);
    // SAFETY: `kinds` holds 64 rows; the other columns are NULL and so skipped.
    let status = unsafe {
        swapwire_records_decode_columns(
            bytes.as_ptr(),
            bytes.len(),
            &only_kind,
            64,
            &mut count,
            &mut used,
            null_mut(),
            null_mut(),
        )
    };
    assert_eq!((status, used), (SWAPWIRE_OK, bytes.len()));
    assert!(kinds[..count].iter().all(|&k| k <= 2) && kinds[count..].iter().all(|&k| k == 0xA5));
    let call = |bytes: *const u8, columns: *const swapwire_columns, count: *mut usize, used: *mut usize| {
        // SAFETY: each pointer is NULL or valid for its type; `kinds` holds 64 rows.
        unsafe { swapwire_records_decode_columns(bytes, 1, columns, 64, count, used, null_mut(), null_mut()) }
    };
    let (input, table, n, u) = (bytes.as_ptr(), &only_kind as *const _, &mut count as *mut _, &mut used as *mut _);
    let calls = [
        call(null(), table, n, u),
        call(input, null(), n, u),
        call(input, table, null_mut(), u),
        call(input, table, n, null_mut()),
    ];
    assert_eq!(calls, [SWAPWIRE_NULL_ARGUMENT; 4]);
}

proptest! {
    #[test]
    fn random_bytes_fill_rows_the_decoder_agrees_with_or_nothing(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut table = Table::new(bytes.len() / 6 + 1);
        let d = decode_into(&mut table, &bytes);
        let mut expected = Vec::new();
        let mut at = 0;
        let walk = loop {
            if at == bytes.len() { break Ok(()); }
            match Record::decode_prefix(&bytes[at..]) {
                Ok((r, n)) => { expected.push(r); at += n; }
                Err(e) => break Err(e),
            }
        };
        match walk {
            Ok(()) => {
                prop_assert_eq!((d.status, d.count, d.used), (SWAPWIRE_OK, expected.len(), bytes.len()));
                for (i, r) in expected.iter().enumerate() {
                    prop_assert_eq!(table.u8s[0][i], r.kind() as u8);
                }
            }
            Err(_) => {
                prop_assert_ne!(d.status, SWAPWIRE_OK);
                prop_assert_eq!(d.failed, expected.len());
                for (i, r) in expected.iter().enumerate() {
                    prop_assert_eq!(table.u8s[0][i], r.kind() as u8);
                }
                prop_assert!(table.untouched_from(expected.len()));
            }
        }
    }
}
