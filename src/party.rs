//! Parties to an exchange: countries by ISO 3166-1 alpha-2 code.

use core::fmt;
use core::str::FromStr;

use crate::error::Reason;

/// The officially assigned ISO 3166-1 alpha-2 codes, sorted.
const ASSIGNED: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ \
BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ \
DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT \
GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY \
KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX \
MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS \
RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN \
TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Number of two-letter combinations; party indexes run from 0 to `PARTY_SPACE - 1`.
pub(crate) const PARTY_SPACE: u32 = 26 * 26;

/// A country or other party, by its ISO 3166-1 alpha-2 code.
///
/// Accepted: every officially assigned code, and the user-assigned ones (`AA`, `QM`–`QZ`,
/// `XA`–`XZ`, `ZZ`) for parties ISO does not list, such as `XK` for Kosovo.
///
/// ```
/// use swapwire::Party;
/// let ua: Party = "UA".parse().unwrap();
/// assert_eq!(ua, Party::UA);
/// assert!("UK".parse::<Party>().is_err()); // reserved, not assigned: the code is GB
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Party([u8; 2]);

const fn is_user_assigned(a: u8, b: u8) -> bool {
    matches!((a, b), (b'A', b'A') | (b'Q', b'M'..=b'Z') | (b'X', _) | (b'Z', b'Z'))
}

/// [`ASSIGNED`] as a bit set, one word per first letter and one bit per second letter, so that
/// a decoder checks a party in one load instead of scanning 249 codes (the scan was two thirds
/// of decoding time). Built at compile time; 104 bytes of flash instead of the 747-byte list.
const ASSIGNED_BITS: [u32; 26] = assigned_bits();

// Runs only at compile time, where an index out of bounds is a build error, not a panic.
#[allow(clippy::indexing_slicing)]
const fn assigned_bits() -> [u32; 26] {
    let list = ASSIGNED.as_bytes();
    let mut bits = [0u32; 26];
    let mut i = 0;
    while i + 1 < list.len() {
        bits[(list[i] - b'A') as usize] |= 1 << (list[i + 1] - b'A');
        i += 3;
    }
    bits
}

/// Every accepted party (assigned or user-assigned) as a bit set over the dense index, so that
/// a decoder checks an index with one load instead of splitting it into letters first.
const ACCEPTED_BY_INDEX: [u32; PARTY_SPACE.div_ceil(32) as usize] = accepted_by_index();

// Runs only at compile time, where an index out of bounds is a build error, not a panic.
#[allow(clippy::indexing_slicing)]
const fn accepted_by_index() -> [u32; PARTY_SPACE.div_ceil(32) as usize] {
    let mut bits = [0u32; PARTY_SPACE.div_ceil(32) as usize];
    let mut index = 0;
    while index < PARTY_SPACE {
        let (a, b) = (b'A' + (index / 26) as u8, b'A' + (index % 26) as u8);
        let word = ASSIGNED_BITS[(a - b'A') as usize];
        if is_user_assigned(a, b) || word >> (b - b'A') & 1 != 0 {
            bits[(index / 32) as usize] |= 1 << (index % 32);
        }
        index += 1;
    }
    bits
}

/// Whether two uppercase ASCII letters are an officially assigned code.
fn is_assigned([a, b]: [u8; 2]) -> bool {
    ASSIGNED_BITS
        .get(usize::from(a.wrapping_sub(b'A')))
        .is_some_and(|word| word >> (b.wrapping_sub(b'A') & 31) & 1 != 0)
}

impl Party {
    /// Ukraine.
    pub const UA: Party = Party(*b"UA");
    /// Russia.
    pub const RU: Party = Party(*b"RU");

    /// The party for a two-letter code, if it is an assigned or user-assigned one.
    pub fn new(code: [u8; 2]) -> Result<Self, Reason> {
        let [a, b] = code;
        if !a.is_ascii_uppercase() || !b.is_ascii_uppercase() {
            return Err(Reason::UnknownCountry);
        }
        if is_user_assigned(a, b) || is_assigned(code) {
            Ok(Party(code))
        } else {
            Err(Reason::UnknownCountry)
        }
    }

    /// The two ASCII letters.
    pub const fn code(&self) -> [u8; 2] {
        self.0
    }

    /// The code as a string slice.
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII uppercase letters by construction.
        core::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// The dense index used on the wire: `(first - 'A') * 26 + (second - 'A')`, 0..=675.
    pub(crate) const fn index(&self) -> u32 {
        (self.0[0] - b'A') as u32 * 26 + (self.0[1] - b'A') as u32
    }

    /// The party at a dense index, if the index is in range and the code is accepted.
    pub(crate) fn from_index(index: u32) -> Result<Self, Reason> {
        if index >= PARTY_SPACE {
            return Err(Reason::OutOfRange);
        }
        let accepted = ACCEPTED_BY_INDEX.get((index / 32) as usize).is_some_and(|word| word >> (index % 32) & 1 != 0);
        if accepted {
            Ok(Party([b'A' + (index / 26) as u8, b'A' + (index % 26) as u8]))
        } else {
            Err(Reason::UnknownCountry)
        }
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Party {
    type Err = Reason;

    fn from_str(s: &str) -> Result<Self, Reason> {
        match s.as_bytes() {
            &[a, b] => Party::new([a, b]),
            _ => Err(Reason::UnknownCountry),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        let codes: heapless::Vec<[u8; 2], 300> = ASSIGNED.as_bytes().chunks(3).map(|c| [c[0], c[1]]).collect();
        assert_eq!(codes.len(), 249);
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
        // The bit set holds exactly the listed codes.
        let listed = (b'A'..=b'Z').flat_map(|a| (b'A'..=b'Z').map(move |b| [a, b])).filter(|&c| is_assigned(c));
        assert!(listed.eq(codes.iter().copied()));
    }

    #[test]
    fn accepts_and_rejects() {
        for ok in ["UA", "RU", "US", "TR", "AE", "SA", "QA", "XK", "ZZ", "AA", "QM"] {
            assert!(ok.parse::<Party>().is_ok(), "{ok}");
        }
        for bad in ["UK", "EU", "ua", "U", "UAA", "", "Q1", "QL"] {
            assert_eq!(bad.parse::<Party>(), Err(Reason::UnknownCountry), "{bad}");
        }
        assert_eq!(Party::from_index(676), Err(Reason::OutOfRange));
        assert_eq!(Party::from_index(Party::UA.index()), Ok(Party::UA));
    }

    #[test]
    fn index_bit_set_agrees_with_the_code_rules() {
        let mut accepted = 0;
        for index in 0..PARTY_SPACE {
            let code = [b'A' + (index / 26) as u8, b'A' + (index % 26) as u8];
            assert_eq!(Party::from_index(index), Party::new(code), "{index}");
            accepted += usize::from(Party::new(code).is_ok());
        }
        // 249 assigned codes, plus the user-assigned AA, QM-QZ, XA-XZ and ZZ.
        assert_eq!(accepted, 249 + 1 + 14 + 26 + 1);
    }
}
