//! The CSV form of records: one column per field of any record kind, named as in JSON, each with
//! an HXL hashtag so that humanitarian data tools can read the same file.
//!
//! A row is turned into the JSON form of its record and read by `swapwire::json`, so CSV input is
//! checked by exactly the rules (and with exactly the messages) JSON input is.

use serde_json::{Map, Value};
use swapwire::{json, Category, Record};

/// How a column's text maps to a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    /// A JSON string (codes, quantities, dates, countries).
    Text,
    /// A JSON number (identities, keys, revisions).
    Number,
    /// `true` or `false`.
    Flag,
    /// Countries separated by spaces: `US TR`.
    Countries,
    /// A record identity written `origin/seq`: `1/5`.
    Identity,
    /// One category of one side's composition: the field and the category.
    Part(&'static str, Category),
}

/// One column: its header name, its HXL hashtag and its cell kind.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub hashtag: String,
    cell: Cell,
}

impl Column {
    fn new(name: &str, hashtag: &str, cell: Cell) -> Self {
        Column { name: name.into(), hashtag: hashtag.into(), cell }
    }
}

/// Every column, in the order files are written.
pub fn columns() -> Vec<Column> {
    use Cell::*;
    let mut cols = vec![
        Column::new("record", "#x_record", Text),
        Column::new("origin", "#x_origin", Number),
        Column::new("seq", "#x_seq", Number),
        Column::new("revision", "#x_revision", Number),
        Column::new("retracted", "#x_retracted", Flag),
        Column::new("status", "#status", Text),
        Column::new("date", "#date", Text),
        Column::new("handover", "#x_handover", Text),
        Column::new("side_a", "#country+code+side_a", Text),
        Column::new("side_b", "#country+code+side_b", Text),
        Column::new("total", "#affected+total", Text),
        Column::new("to_a", "#affected+returned+side_a", Text),
        Column::new("to_b", "#affected+returned+side_b", Text),
    ];
    for (field, side) in [("composition_a", "side_a"), ("composition_b", "side_b")] {
        for &category in Category::ALL {
            cols.push(Column {
                name: format!("{field}.{category}"),
                hashtag: format!("#affected+returned+{side}+{category}"),
                cell: Part(field, category),
            });
        }
    }
    cols.extend([
        Column::new("mediators", "#country+code+mediator", Countries),
        Column::new("part_of", "#x_part_of", Identity),
        Column::new("same_as", "#x_same_as", Identity),
        Column::new("population", "#x_population", Text),
        Column::new("holder", "#country+code+holder", Text),
        Column::new("people", "#country+code+people", Text),
        Column::new("quantity", "#affected+count", Text),
        Column::new("source", "#meta+source", Number),
        Column::new("grade", "#x_grade", Text),
        Column::new("key", "#x_source_key", Number),
        Column::new("kind", "#x_source_kind", Text),
        Column::new("name", "#x_source_name", Text),
        Column::new("via", "#x_source_via", Number),
    ]);
    cols
}

/// A hashtag as HXL compares them: the tag and the set of attributes, case and order ignored.
fn hxl_key(hashtag: &str) -> Option<(String, Vec<String>)> {
    let lower = hashtag.trim().to_ascii_lowercase();
    let mut parts = lower.strip_prefix('#')?.split('+').map(|p| p.trim().to_string());
    let tag = parts.next().filter(|t| !t.is_empty())?;
    let mut attributes: Vec<String> = parts.filter(|a| !a.is_empty()).collect();
    attributes.sort();
    attributes.dedup();
    Some((tag, attributes))
}

/// Whether a row is an HXL hashtag row: every non-empty cell is a hashtag, and there is one.
pub fn is_hashtag_row<'a>(cells: impl IntoIterator<Item = &'a str>) -> bool {
    let mut any = false;
    for cell in cells.into_iter().map(str::trim).filter(|c| !c.is_empty()) {
        if hxl_key(cell).is_none() {
            return false;
        }
        any = true;
    }
    any
}

/// Which known column each input column is, from its header name or its hashtag.
pub struct Layout {
    slots: Vec<Option<Column>>,
}

impl Layout {
    /// Maps header names (and, when the file has one, the hashtag row). A column is known by its
    /// name or by its hashtag; a column with neither a name nor a hashtag is ignored; any other
    /// column is an error, so a misspelt header cannot drop data silently.
    pub fn new(names: Option<&[String]>, hashtags: Option<&[String]>) -> Result<Layout, String> {
        let known = columns();
        let width = names.map_or(0, <[String]>::len).max(hashtags.map_or(0, <[String]>::len));
        let mut slots = Vec::with_capacity(width);
        for i in 0..width {
            let name = names.and_then(|n| n.get(i)).map(|s| s.trim()).filter(|s| !s.is_empty());
            let tag = hashtags.and_then(|h| h.get(i)).map(|s| s.trim()).filter(|s| !s.is_empty());
            let by_name = name.and_then(|n| known.iter().find(|c| c.name == n));
            let by_tag = tag.and_then(|t| {
                let key = hxl_key(t);
                known.iter().find(|c| hxl_key(&c.hashtag) == key)
            });
            let column = match (by_name.or(by_tag), name, tag) {
                (Some(c), _, _) => Some(c.clone()),
                (None, None, None) => None,
                (None, shown, tag) => {
                    let shown = shown.or(tag).unwrap_or_default();
                    return Err(format!(
                        "column {} {shown:?} is not a record field (`swapwire decode --to hxl` shows every column and hashtag)",
                        i + 1
                    ));
                }
            };
            if let Some(c) = &column {
                if slots.iter().flatten().any(|s: &Column| s.name == c.name) {
                    return Err(format!("column {} repeats {:?}", i + 1, c.name));
                }
            }
            slots.push(column);
        }
        Ok(Layout { slots })
    }

    /// Reads one row as a record. Empty cells are fields not given.
    pub fn record<'a>(&self, cells: impl IntoIterator<Item = &'a str>) -> Result<Record, String> {
        let mut object = Map::new();
        for (slot, text) in self.slots.iter().zip(cells) {
            let text = text.trim();
            if let (Some(column), false) = (slot, text.is_empty()) {
                put(&mut object, column, text);
            }
        }
        json::from_value::<Record>(Value::Object(object)).map_err(|e| e.to_string())
    }
}

/// Puts one cell into the JSON object of its row. Text that does not fit the column's kind is
/// kept as a string so that the JSON reader names the field in its error.
fn put(object: &mut Map<String, Value>, column: &Column, text: &str) {
    let value = match column.cell {
        Cell::Text => Value::String(text.into()),
        Cell::Number => text.parse::<u64>().map_or_else(|_| Value::String(text.into()), Value::from),
        Cell::Flag => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.into()),
        },
        Cell::Countries => Value::Array(
            text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.into()))
                .collect(),
        ),
        // `origin/seq` is a record id's text form, which the JSON reader reads itself.
        Cell::Identity => Value::String(text.into()),
        Cell::Part(field, category) => {
            let side = object.entry(field).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(parts) = side {
                parts.insert(category.name().into(), Value::String(text.into()));
            }
            return;
        }
    };
    object.insert(column.name.clone(), value);
}

/// The cells of one record, in [`columns`] order.
pub fn row(columns: &[Column], record: &Record) -> Vec<String> {
    let value = serde_json::to_value(record).unwrap_or(Value::Null);
    columns.iter().map(|c| cell(&value, c)).collect()
}

fn cell(record: &Value, column: &Column) -> String {
    let field = match column.cell {
        Cell::Part(field, category) => record.get(field).and_then(|side| side.get(category.name())),
        _ => record.get(&column.name),
    };
    match (field, column.cell) {
        (None | Some(Value::Null), _) => String::new(),
        (Some(Value::String(s)), _) => s.clone(),
        (Some(Value::Array(items)), _) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" "),
        (Some(id), Cell::Identity) => format!("{}/{}", id["origin"], id["seq"]),
        (Some(other), _) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_match_in_any_order_and_case() {
        assert_eq!(hxl_key("#Affected +side_a+returned"), hxl_key("#affected+returned+side_a"));
        assert_ne!(hxl_key("#affected+returned+side_a"), hxl_key("#affected+returned+side_a+military"));
        assert!(is_hashtag_row(["#date", "", "#x_seq"]));
        assert!(!is_hashtag_row(["date", "#x_seq"]));
        assert!(!is_hashtag_row(["", ""]));
    }

    #[test]
    fn names_and_hashtags_are_unique() {
        let cols = columns();
        for (i, a) in cols.iter().enumerate() {
            for b in &cols[i + 1..] {
                assert_ne!(a.name, b.name);
                assert_ne!(hxl_key(&a.hashtag), hxl_key(&b.hashtag), "{} {}", a.name, b.name);
            }
        }
    }
}
