//! Dates known to the day, the month, the year, or not at all.

use core::fmt;
use core::str::FromStr;

use crate::error::Reason;

/// The first year the format can carry. Day numbers count from 2000-01-01, which keeps every
/// date up to 2044 in a two-byte varint.
pub const MIN_YEAR: u16 = 2000;
/// The last year the format can carry.
pub const MAX_YEAR: u16 = 2999;

/// How precisely a date is known. The codes are part of the wire format and the C API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Precision {
    /// No date reported.
    Unknown = 0,
    /// Only the year ("2024").
    Year = 1,
    /// Year and month ("2025-07").
    Month = 2,
    /// A calendar day ("2025-02-05").
    Day = 3,
}

impl Precision {
    /// The precision for a numeric code, if the code is defined.
    pub const fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Precision::Unknown,
            1 => Precision::Year,
            2 => Precision::Month,
            3 => Precision::Day,
            _ => return None,
        })
    }
}

/// A date with its precision.
///
/// ```
/// use swapwire::Date;
/// let d: Date = "2025-02".parse().unwrap();
/// assert_eq!(d, Date::Month(2025, 2));
/// assert!("2025-02-30".parse::<Date>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Date {
    /// Not reported.
    #[default]
    Unknown,
    /// A year.
    Year(u16),
    /// A year and a month (1–12).
    Month(u16, u8),
    /// A year, a month (1–12) and a day of that month.
    Day(u16, u8, u8),
}

const fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 2000-01-01 to the given valid date (a form of the well-known civil-from-days
/// algorithm with March-based years, so leap days fall at the end of a year).
///
/// Total: for parts that name no date in range (which [`Date::check`] rejects) it gives some
/// number rather than overflowing, so that measuring an invalid record cannot panic.
const fn days_since_epoch(year: u16, month: u8, day: u8) -> u32 {
    let y = if month <= 2 { (year as u32).wrapping_sub(1) } else { year as u32 };
    let m = month as u32;
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = ((153 * mp + 2) / 5 + day as u32).wrapping_sub(1);
    let doe = (yoe * 365 + yoe / 4 - yoe / 100).wrapping_add(doy);
    // 730_425 is the day number of 2000-01-01 counted from 0000-03-01.
    era.wrapping_mul(146_097).wrapping_add(doe).wrapping_sub(730_425)
}

/// The inverse of [`days_since_epoch`].
const fn civil_from_days(days: u32) -> (u16, u8, u8) {
    let z = days + 730_425;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year as u16, month as u8, day as u8)
}

/// The largest day number the format accepts (2999-12-31).
pub(crate) const MAX_DAY_NUMBER: u32 = days_since_epoch(MAX_YEAR, 12, 31);

impl Date {
    /// The precision of this date.
    pub const fn precision(&self) -> Precision {
        match self {
            Date::Unknown => Precision::Unknown,
            Date::Year(_) => Precision::Year,
            Date::Month(..) => Precision::Month,
            Date::Day(..) => Precision::Day,
        }
    }

    /// The flat form used by C and Python: (year, month, day), 0 where the precision has none.
    pub const fn parts(&self) -> (u16, u8, u8) {
        match *self {
            Date::Unknown => (0, 0, 0),
            Date::Year(y) => (y, 0, 0),
            Date::Month(y, m) => (y, m, 0),
            Date::Day(y, m, d) => (y, m, d),
        }
    }

    /// Builds a date from a precision code and year, month, day (0 where unused) and checks it.
    pub fn from_parts(precision: u8, year: u16, month: u8, day: u8) -> Result<Self, Reason> {
        let date = match Precision::from_code(precision).ok_or(Reason::UnknownCode)? {
            Precision::Unknown => Date::Unknown,
            Precision::Year => Date::Year(year),
            Precision::Month => Date::Month(year, month),
            Precision::Day => Date::Day(year, month, day),
        };
        if date.parts() != (year, month, day) {
            return Err(Reason::NonCanonical);
        }
        date.check()?;
        Ok(date)
    }

    /// Checks that the date exists and lies within [`MIN_YEAR`]..=[`MAX_YEAR`].
    pub const fn check(&self) -> Result<(), Reason> {
        // One match, not one for the parts and one for the precision: validation runs on every
        // encode. A year or a month stands for its first day, which passes the checks below.
        let (year, month, day) = match *self {
            Date::Unknown => return Ok(()),
            Date::Year(y) => (y, 1, 1),
            Date::Month(y, m) => (y, m, 1),
            Date::Day(y, m, d) => (y, m, d),
        };
        if year < MIN_YEAR || year > MAX_YEAR {
            return Err(Reason::OutOfRange);
        }
        // Every month has 28 days: only a later day needs the calendar.
        if month < 1 || month > 12 || day < 1 || (day > 28 && day > days_in_month(year, month)) {
            return Err(Reason::NoSuchDate);
        }
        Ok(())
    }

    /// The number the wire carries for a valid date: years, months or days since the start of
    /// 2000, depending on the precision; `None` for an unknown date. Some number, without
    /// overflow, for an invalid one (encoders validate first; `encoded_len` need not).
    #[cfg_attr(not(target_os = "none"), inline(always))]
    pub(crate) const fn wire_value(&self) -> Option<u32> {
        const fn years(y: u16) -> u32 {
            (y as u32).wrapping_sub(MIN_YEAR as u32)
        }
        match *self {
            Date::Unknown => None,
            Date::Year(y) => Some(years(y)),
            Date::Month(y, m) => Some(years(y).wrapping_mul(12).wrapping_add((m as u32).wrapping_sub(1))),
            Date::Day(y, m, d) => Some(days_since_epoch(y, m, d)),
        }
    }

    /// The inverse of [`wire_value`](Self::wire_value) for a known precision.
    pub(crate) const fn from_wire(precision: Precision, value: u32) -> Result<Self, Reason> {
        let span = (MAX_YEAR - MIN_YEAR) as u32 + 1;
        match precision {
            Precision::Unknown => Ok(Date::Unknown),
            Precision::Year if value < span => Ok(Date::Year(MIN_YEAR + value as u16)),
            Precision::Month if value < span * 12 => {
                Ok(Date::Month(MIN_YEAR + (value / 12) as u16, (value % 12) as u8 + 1))
            }
            Precision::Day if value <= MAX_DAY_NUMBER => {
                let (y, m, d) = civil_from_days(value);
                Ok(Date::Day(y, m, d))
            }
            _ => Err(Reason::OutOfRange),
        }
    }
}

impl fmt::Display for Date {
    /// ISO 8601 at the date's precision: `2025-02-05`, `2025-02`, `2025`, or `unknown`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Date::Unknown => f.write_str("unknown"),
            Date::Year(y) => write!(f, "{y:04}"),
            Date::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            Date::Day(y, m, d) => write!(f, "{y:04}-{m:02}-{d:02}"),
        }
    }
}

/// Why a date text did not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseDateError(pub Reason);

impl fmt::Display for ParseDateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}; expected \"YYYY-MM-DD\", \"YYYY-MM\", \"YYYY\" or \"unknown\" with a year {MIN_YEAR}-{MAX_YEAR}",
            self.0.message()
        )
    }
}

impl core::error::Error for ParseDateError {}

fn digits<T: FromStr>(s: &str, len: usize) -> Result<T, ParseDateError> {
    if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseDateError(Reason::UnknownCode));
    }
    s.parse().map_err(|_| ParseDateError(Reason::OutOfRange))
}

impl FromStr for Date {
    type Err = ParseDateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "unknown" {
            return Ok(Date::Unknown);
        }
        let mut it = s.split('-');
        let year = digits(it.next().unwrap_or(""), 4)?;
        let date = match (it.next(), it.next(), it.next()) {
            (None, _, _) => Date::Year(year),
            (Some(m), None, _) => Date::Month(year, digits(m, 2)?),
            (Some(m), Some(d), None) => Date::Day(year, digits(m, 2)?, digits(d, 2)?),
            _ => return Err(ParseDateError(Reason::UnknownCode)),
        };
        date.check().map_err(ParseDateError)?;
        Ok(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn epoch_arithmetic() {
        assert_eq!(days_since_epoch(2000, 1, 1), 0);
        assert_eq!(days_since_epoch(2000, 3, 1), 60);
        assert_eq!(days_since_epoch(2025, 2, 5), 9167);
        assert_eq!(MAX_DAY_NUMBER, 365_242);
        // Every day of the supported span maps back to itself.
        for n in 0..=MAX_DAY_NUMBER {
            let (y, m, d) = civil_from_days(n);
            assert_eq!(Date::Day(y, m, d).check(), Ok(()));
            assert_eq!(days_since_epoch(y, m, d), n);
        }
    }

    #[test]
    fn check_accepts_exactly_the_days_of_the_calendar() {
        let days: std::collections::HashSet<_> = (0..=MAX_DAY_NUMBER).map(civil_from_days).collect();
        for year in [MIN_YEAR - 1, MIN_YEAR, 2023, 2024, 2100, 2400, MAX_YEAR, MAX_YEAR + 1] {
            let in_span = (MIN_YEAR..=MAX_YEAR).contains(&year);
            let year_only = if in_span { Ok(()) } else { Err(Reason::OutOfRange) };
            assert_eq!(Date::Year(year).check(), year_only, "{year}");
            for month in 0..=13 {
                let month_only = if !in_span {
                    Err(Reason::OutOfRange)
                } else if (1..=12).contains(&month) {
                    Ok(())
                } else {
                    Err(Reason::NoSuchDate)
                };
                assert_eq!(Date::Month(year, month).check(), month_only, "{year}-{month}");
                for day in 0..=32 {
                    let expected = if !in_span {
                        Err(Reason::OutOfRange)
                    } else if days.contains(&(year, month, day)) {
                        Ok(())
                    } else {
                        Err(Reason::NoSuchDate)
                    };
                    assert_eq!(Date::Day(year, month, day).check(), expected, "{year}-{month}-{day}");
                }
            }
        }
    }

    #[test]
    fn calendar_checks() {
        assert_eq!(Date::Day(2025, 2, 30).check(), Err(Reason::NoSuchDate));
        assert_eq!(Date::Day(2024, 2, 29).check(), Ok(()));
        assert_eq!(Date::Day(2100, 2, 29).check(), Err(Reason::NoSuchDate));
        assert_eq!(Date::Month(2025, 13).check(), Err(Reason::NoSuchDate));
        assert_eq!(Date::Month(2025, 0).check(), Err(Reason::NoSuchDate));
        assert_eq!(Date::Year(1999).check(), Err(Reason::OutOfRange));
        assert_eq!(Date::Year(3000).check(), Err(Reason::OutOfRange));
        assert_eq!(Date::from_parts(4, 2025, 0, 0), Err(Reason::UnknownCode));
        assert_eq!(Date::from_parts(1, 2025, 3, 0), Err(Reason::NonCanonical));
        assert_eq!(Date::from_parts(2, 2025, 7, 0), Ok(Date::Month(2025, 7)));
    }

    #[test]
    fn text_forms() {
        for (text, date) in [
            ("2025-02-05", Date::Day(2025, 2, 5)),
            ("2025-07", Date::Month(2025, 7)),
            ("2024", Date::Year(2024)),
            ("unknown", Date::Unknown),
        ] {
            assert_eq!(text.parse::<Date>(), Ok(date));
            assert_eq!(date.to_string(), text);
        }
        for bad in ["2025-2-5", "25-02-05", "2025-02-05-01", "2025/02/05", "", "2025-13", "1999"] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn wire_values() {
        for date in [Date::Year(2999), Date::Month(2999, 12), Date::Day(2999, 12, 31), Date::Day(2000, 1, 1)] {
            let v = date.wire_value().unwrap();
            assert_eq!(Date::from_wire(date.precision(), v), Ok(date));
        }
        assert_eq!(Date::from_wire(Precision::Year, 1000), Err(Reason::OutOfRange));
        assert_eq!(Date::from_wire(Precision::Month, 12_000), Err(Reason::OutOfRange));
        assert_eq!(Date::from_wire(Precision::Day, MAX_DAY_NUMBER + 1), Err(Reason::OutOfRange));
    }
}
