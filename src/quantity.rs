//! A number as a source stated it: a figure together with how sure the source was of it.

use core::fmt;
use core::str::FromStr;

use crate::error::Reason;

/// How a source qualified a number. The codes are part of the wire format and the C API.
///
/// Code 0 is `Unknown`, so a zero-filled C struct reads as "not reported".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Qualifier {
    /// The source does not report the number.
    Unknown = 0,
    /// The source says the number was not disclosed.
    Undisclosed = 1,
    /// Exactly this many.
    Exact = 2,
    /// A lower bound as stated: "over 16,000", "more than 19,500", "at least 40".
    AtLeast = 3,
    /// An upper bound as stated: "up to 300", "fewer than 50".
    AtMost = 4,
    /// About this many: "around 300".
    Approx = 5,
    /// Between two figures, typically two claims that disagree (189 vs 150).
    Range = 6,
    /// Everyone held by the other side, as in an "all-for-all" exchange.
    All = 7,
}

impl Qualifier {
    /// The qualifier for a numeric code, if the code is defined.
    pub const fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Qualifier::Unknown,
            1 => Qualifier::Undisclosed,
            2 => Qualifier::Exact,
            3 => Qualifier::AtLeast,
            4 => Qualifier::AtMost,
            5 => Qualifier::Approx,
            6 => Qualifier::Range,
            7 => Qualifier::All,
            _ => return None,
        })
    }
}

/// A number with its qualifier.
///
/// ```
/// use swapwire::Quantity;
/// let q: Quantity = ">16000".parse().unwrap();
/// assert_eq!(q, Quantity::AtLeast(16_000));
/// assert_eq!(Quantity::Range(150, 189).to_string(), "150-189");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Quantity {
    /// Not reported.
    #[default]
    Unknown,
    /// Reported as not disclosed.
    Undisclosed,
    /// Exactly this many.
    Exact(u32),
    /// At least this many, as stated ("over", "more than").
    AtLeast(u32),
    /// At most this many, as stated ("up to", "fewer than").
    AtMost(u32),
    /// About this many.
    Approx(u32),
    /// Between `low` and `high` inclusive; `low <= high`.
    Range(u32, u32),
    /// Everyone held by the other side ("all for all").
    All,
}

/// Number of low bits of a folded quantity that hold the qualifier code.
const QUALIFIER_BITS: u32 = 3;

impl Quantity {
    /// The qualifier of this quantity.
    pub const fn qualifier(&self) -> Qualifier {
        match self {
            Quantity::Unknown => Qualifier::Unknown,
            Quantity::Undisclosed => Qualifier::Undisclosed,
            Quantity::Exact(_) => Qualifier::Exact,
            Quantity::AtLeast(_) => Qualifier::AtLeast,
            Quantity::AtMost(_) => Qualifier::AtMost,
            Quantity::Approx(_) => Qualifier::Approx,
            Quantity::Range(..) => Qualifier::Range,
            Quantity::All => Qualifier::All,
        }
    }

    /// The stated figure (the low end of a range); 0 for qualifiers that carry none.
    pub const fn value(&self) -> u32 {
        match *self {
            Quantity::Exact(n) | Quantity::AtLeast(n) | Quantity::AtMost(n) | Quantity::Approx(n) => n,
            Quantity::Range(lo, _) => lo,
            Quantity::Unknown | Quantity::Undisclosed | Quantity::All => 0,
        }
    }

    /// The high end of a range; 0 for every other qualifier.
    pub const fn high(&self) -> u32 {
        match *self {
            Quantity::Range(_, hi) => hi,
            _ => 0,
        }
    }

    /// Builds a quantity from the flat form used by C and Python: a qualifier code, a value and,
    /// for ranges, a high end. Fields a qualifier does not use must be 0.
    pub fn from_parts(code: u8, value: u32, high: u32) -> Result<Self, Reason> {
        let q = Qualifier::from_code(code).ok_or(Reason::UnknownCode)?;
        let quantity = match q {
            Qualifier::Unknown => Quantity::Unknown,
            Qualifier::Undisclosed => Quantity::Undisclosed,
            Qualifier::All => Quantity::All,
            Qualifier::Exact => Quantity::Exact(value),
            Qualifier::AtLeast => Quantity::AtLeast(value),
            Qualifier::AtMost => Quantity::AtMost(value),
            Qualifier::Approx => Quantity::Approx(value),
            Qualifier::Range => Quantity::Range(value, high),
        };
        if quantity.value() != value || quantity.high() != high {
            return Err(Reason::NonCanonical);
        }
        quantity.check()?;
        Ok(quantity)
    }

    /// Checks the quantity on its own: a range must not be inverted.
    pub const fn check(&self) -> Result<(), Reason> {
        match *self {
            Quantity::Range(lo, hi) if lo > hi => Err(Reason::RangeInverted),
            _ => Ok(()),
        }
    }

    /// The smallest number the statement allows (0 when it gives no lower bound).
    pub const fn lower(&self) -> u64 {
        match *self {
            Quantity::Exact(n) | Quantity::AtLeast(n) => n as u64,
            Quantity::Range(lo, _) => lo as u64,
            _ => 0,
        }
    }

    /// The largest number the statement allows, if it gives an upper bound.
    pub const fn upper(&self) -> Option<u64> {
        match *self {
            Quantity::Exact(n) | Quantity::AtMost(n) => Some(n as u64),
            Quantity::Range(_, hi) => Some(hi as u64),
            _ => None,
        }
    }

    /// [`check`](Self::check), [`lower`](Self::lower) and [`upper`](Self::upper) (`u64::MAX`
    /// for no upper bound, so that sums of two saturate to "no bound") in one match, for the
    /// validators that need all three of one quantity: an Exchange's validation matched the
    /// variants of its three quantities twelve times before (fewer instructions now, by
    /// `scripts/instr-table.py`).
    #[inline(always)]
    pub(crate) const fn bounds(&self) -> Result<(u64, u64), Reason> {
        match *self {
            Quantity::Exact(n) => Ok((n as u64, n as u64)),
            Quantity::AtLeast(n) => Ok((n as u64, u64::MAX)),
            Quantity::AtMost(n) => Ok((0, n as u64)),
            Quantity::Range(lo, hi) if lo > hi => Err(Reason::RangeInverted),
            Quantity::Range(lo, hi) => Ok((lo as u64, hi as u64)),
            Quantity::Unknown | Quantity::Undisclosed | Quantity::Approx(_) | Quantity::All => Ok((0, u64::MAX)),
        }
    }

    /// The wire form of a quantity given as [`qualifier`](Self::qualifier),
    /// [`value`](Self::value) and [`high`](Self::high) (as a composition keeps it): the value
    /// shifted left by three bits with the qualifier code in the low bits, and for a range the
    /// distance from low to high end.
    #[inline(always)]
    pub(crate) const fn fold(qualifier: Qualifier, value: u32, high: u32) -> (u64, Option<u32>) {
        let head = (value as u64) << QUALIFIER_BITS | qualifier as u64;
        match qualifier {
            Qualifier::Range => (head, Some(high.wrapping_sub(value))),
            _ => (head, None),
        }
    }

    /// Whether a folded head announces a range, so a decoder knows a second varint follows.
    pub(crate) const fn head_is_range(head: u64) -> bool {
        head & 0b111 == Qualifier::Range as u64
    }

    /// The inverse of [`fold`](Self::fold), rejecting values that do not fit and non-canonical
    /// forms (a value under a qualifier that carries none).
    pub(crate) fn unfold(head: u64, delta: u32) -> Result<Self, Reason> {
        let value = u32::try_from(head >> QUALIFIER_BITS).map_err(|_| Reason::OutOfRange)?;
        let code = (head & 0b111) as u8;
        let high =
            if code == Qualifier::Range as u8 { value.checked_add(delta).ok_or(Reason::OutOfRange)? } else { 0 };
        Self::from_parts(code, value, high)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Quantity::Unknown => f.write_str("unknown"),
            Quantity::Undisclosed => f.write_str("undisclosed"),
            Quantity::All => f.write_str("all"),
            Quantity::Exact(n) => write!(f, "{n}"),
            Quantity::AtLeast(n) => write!(f, ">{n}"),
            Quantity::AtMost(n) => write!(f, "<{n}"),
            Quantity::Approx(n) => write!(f, "~{n}"),
            Quantity::Range(lo, hi) => write!(f, "{lo}-{hi}"),
        }
    }
}

/// Why a quantity text did not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseQuantityError(pub Reason);

impl fmt::Display for ParseQuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}; expected a quantity such as \"150\", \">16000\", \"<50\", \"~300\", \"150-189\", \"undisclosed\", \"unknown\" or \"all\"",
            self.0.message()
        )
    }
}

impl core::error::Error for ParseQuantityError {}

/// Parses plain decimal digits (no sign, no separators) into a `u32`.
pub(crate) fn parse_u32(s: &str) -> Result<u32, Reason> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Reason::UnknownCode);
    }
    s.parse().map_err(|_| Reason::OutOfRange)
}

impl FromStr for Quantity {
    type Err = ParseQuantityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let q = match s {
            "unknown" => Quantity::Unknown,
            "undisclosed" => Quantity::Undisclosed,
            "all" => Quantity::All,
            _ => {
                if let Some(rest) = s.strip_prefix('>') {
                    Quantity::AtLeast(parse_u32(rest).map_err(ParseQuantityError)?)
                } else if let Some(rest) = s.strip_prefix('<') {
                    Quantity::AtMost(parse_u32(rest).map_err(ParseQuantityError)?)
                } else if let Some(rest) = s.strip_prefix('~') {
                    Quantity::Approx(parse_u32(rest).map_err(ParseQuantityError)?)
                } else if let Some((lo, hi)) = s.split_once('-') {
                    let lo = parse_u32(lo).map_err(ParseQuantityError)?;
                    let hi = parse_u32(hi).map_err(ParseQuantityError)?;
                    Quantity::Range(lo, hi)
                } else {
                    Quantity::Exact(parse_u32(s).map_err(ParseQuantityError)?)
                }
            }
        };
        q.check().map_err(ParseQuantityError)?;
        Ok(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn text_round_trip() {
        for (text, q) in [
            ("150", Quantity::Exact(150)),
            (">16000", Quantity::AtLeast(16_000)),
            ("<50", Quantity::AtMost(50)),
            ("~300", Quantity::Approx(300)),
            ("150-189", Quantity::Range(150, 189)),
            ("undisclosed", Quantity::Undisclosed),
            ("unknown", Quantity::Unknown),
            ("all", Quantity::All),
            ("4294967295", Quantity::Exact(u32::MAX)),
        ] {
            assert_eq!(text.parse::<Quantity>(), Ok(q), "{text}");
            assert_eq!(q.to_string(), text);
        }
    }

    #[test]
    fn bad_text() {
        for (text, reason) in [
            ("", Reason::UnknownCode),
            ("+5", Reason::UnknownCode),
            ("1,000", Reason::UnknownCode),
            (">", Reason::UnknownCode),
            ("189-150", Reason::RangeInverted),
            ("4294967296", Reason::OutOfRange),
            ("many", Reason::UnknownCode),
        ] {
            assert_eq!(text.parse::<Quantity>(), Err(ParseQuantityError(reason)), "{text}");
        }
    }

    #[test]
    fn fold_round_trip_and_edges() {
        let cases = [
            Quantity::Unknown,
            Quantity::Exact(150),
            Quantity::Range(0, u32::MAX),
            Quantity::Range(u32::MAX, u32::MAX),
            Quantity::All,
        ];
        for q in cases {
            let (head, delta) = Quantity::fold(q.qualifier(), q.value(), q.high());
            assert_eq!(Quantity::unfold(head, delta.unwrap_or(0)), Ok(q));
        }
        assert_eq!(Quantity::fold(Qualifier::Exact, 150, 0), (150 << 3 | 2, None));
        assert_eq!(Quantity::fold(Qualifier::Range, 2, 6), (2 << 3 | 6, Some(4)));
        // A value under "unknown" has no meaning and is refused.
        assert_eq!(Quantity::unfold(5 << 3, 0), Err(Reason::NonCanonical));
        assert_eq!(Quantity::unfold((u32::MAX as u64 + 1) << 3 | 2, 0), Err(Reason::OutOfRange));
        assert_eq!(Quantity::unfold((u32::MAX as u64) << 3 | 6, 1), Err(Reason::OutOfRange));
        assert_eq!(Quantity::from_parts(8, 0, 0), Err(Reason::UnknownCode));
        assert_eq!(Quantity::from_parts(2, 5, 9), Err(Reason::NonCanonical));
        assert_eq!(Quantity::from_parts(6, 9, 5), Err(Reason::RangeInverted));
    }

    #[test]
    fn bounds_is_check_lower_and_upper_in_one() {
        let values = [0, 1, 150, u32::MAX - 1, u32::MAX];
        let mut cases = std::vec![Quantity::Unknown, Quantity::Undisclosed, Quantity::All];
        for n in values {
            cases.extend([Quantity::Exact(n), Quantity::AtLeast(n), Quantity::AtMost(n), Quantity::Approx(n)]);
            cases.extend(values.map(|hi| Quantity::Range(n, hi)));
        }
        for q in cases {
            let expected = q.check().map(|()| (q.lower(), q.upper().unwrap_or(u64::MAX)));
            assert_eq!(q.bounds(), expected, "{q:?}");
        }
        assert_eq!(Quantity::AtLeast(7).bounds(), Ok((7, u64::MAX)));
        assert_eq!(Quantity::Range(9, 5).bounds(), Err(Reason::RangeInverted));
    }
}
