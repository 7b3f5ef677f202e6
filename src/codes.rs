//! The small closed vocabularies of the model. Each code's number is part of the wire format and
//! the C API; a new code may be appended in a later format version, a number is never reused.

use core::fmt;
use core::str::FromStr;

use crate::error::Reason;

/// Declares a `#[repr(u8)]` code enum with its numeric codes and the names used in JSON and CSV.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal => $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum $name {
            $($(#[$vmeta])* $variant = $code,)+
        }

        impl $name {
            /// Every value, in code order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The value for a numeric code, if the code is defined.
            pub const fn from_code(code: u8) -> Option<Self> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The name used in the JSON and CSV forms.
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl FromStr for $name {
            type Err = Reason;

            fn from_str(s: &str) -> Result<Self, Reason> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(Reason::UnknownCode),
                }
            }
        }
    };
}

code_enum! {
    /// Where an exchange stands, as the report tells it.
    Status {
        /// Put forward by at least one side, not agreed.
        Proposed = 0 => "proposed",
        /// Agreed by both sides, not (yet) carried out.
        Agreed = 1 => "agreed",
        /// Carried out.
        Completed = 2 => "completed",
        /// Agreed, then not carried out.
        Cancelled = 3 => "cancelled",
        /// Put forward by one side and refused by the other.
        Refused = 4 => "refused",
        /// Called for publicly by people who are not a side (families of prisoners, protesters,
        /// organisations): neither side's position.
        Demanded = 5 => "demanded",
    }
}

code_enum! {
    /// What was handed over. Living people and remains are never counted in one number: an
    /// exchange that returned both is two reports.
    Handover {
        /// Living prisoners or detainees.
        Living = 0 => "living",
        /// Bodies of the dead.
        Remains = 1 => "remains",
    }
}

code_enum! {
    /// A category in the composition of one side of an exchange. `Military` and `Civilians`
    /// split a side; the others are subsets that may overlap them and each other.
    Category {
        /// Soldiers, prisoners of war.
        Military = 0 => "military",
        /// Civilians.
        Civilians = 1 => "civilians",
        /// Wounded or seriously ill.
        Wounded = 2 => "wounded",
        /// Women.
        Women = 3 => "women",
        /// Children (under 18).
        Children = 4 => "children",
        /// Nationals of a third country.
        Foreign = 5 => "foreign",
    }
}

code_enum! {
    /// The population a [`Count`](crate::Count) tallies.
    Population {
        /// Prisoners of war held.
        PrisonersOfWar = 0 => "prisoners_of_war",
        /// Civilians held.
        CiviliansHeld = 1 => "civilians_held",
        /// Children deported.
        ChildrenDeported = 2 => "children_deported",
        /// Missing persons.
        Missing = 3 => "missing",
        /// People returned so far.
        ReturnedSoFar = 4 => "returned_so_far",
        /// People who died in captivity.
        DiedInCaptivity = 5 => "died_in_captivity",
        /// Remains (bodies) held or returned.
        Remains = 6 => "remains",
    }
}

code_enum! {
    /// What kind of body a [`Source`](crate::Source) is.
    SourceKind {
        /// A ministry, coordination headquarters or other government body.
        Government = 0 => "government",
        /// An ombudsman or human-rights commissioner.
        Ombudsman = 1 => "ombudsman",
        /// Armed forces or intelligence.
        Military = 2 => "military",
        /// News media.
        Media = 3 => "media",
        /// A non-governmental or intergovernmental organisation (ICRC, UN bodies).
        Organisation = 4 => "organisation",
        /// A mediating state or its envoy.
        Mediator = 5 => "mediator",
        /// Members of the public and their groups (families of prisoners, protesters,
        /// witnesses), speaking for themselves.
        Public = 6 => "public",
    }
}

code_enum! {
    /// Admiralty-code source reliability, A (completely reliable) to F (cannot be judged).
    Reliability {
        /// Completely reliable.
        A = 0 => "A",
        /// Usually reliable.
        B = 1 => "B",
        /// Fairly reliable.
        C = 2 => "C",
        /// Not usually reliable.
        D = 3 => "D",
        /// Unreliable.
        E = 4 => "E",
        /// Reliability cannot be judged.
        F = 5 => "F",
    }
}

code_enum! {
    /// Admiralty-code information credibility, 1 (confirmed) to 6 (cannot be judged).
    Credibility {
        /// Confirmed by other sources.
        Confirmed = 1 => "1",
        /// Probably true.
        Probable = 2 => "2",
        /// Possibly true.
        Possible = 3 => "3",
        /// Doubtful.
        Doubtful = 4 => "4",
        /// Improbable.
        Improbable = 5 => "5",
        /// Truth cannot be judged.
        Unjudged = 6 => "6",
    }
}

/// An Admiralty (NATO) grading of a report: source reliability and information credibility.
///
/// ```
/// use swapwire::{Credibility, Grade, Reliability};
/// let g: Grade = "B2".parse().unwrap();
/// assert_eq!(g, Grade::new(Reliability::B, Credibility::Probable));
/// assert_eq!(g.to_string(), "B2");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Grade {
    /// How reliable the source is.
    pub reliability: Reliability,
    /// How credible this piece of information is.
    pub credibility: Credibility,
}

impl Grade {
    /// The grade F6: nothing can be judged. The natural default for an unassessed report.
    pub const UNJUDGED: Grade = Grade::new(Reliability::F, Credibility::Unjudged);

    /// A grade from its two halves.
    pub const fn new(reliability: Reliability, credibility: Credibility) -> Self {
        Grade { reliability, credibility }
    }

    /// A grade from its two ASCII characters, as C and text carry it: a reliability letter
    /// `A` to `F`, then a credibility digit `1` to `6`.
    ///
    /// ```
    /// use swapwire::{Credibility, Grade, Reason, Reliability};
    /// assert_eq!(Grade::from_ascii(*b"B2"), Ok(Grade::new(Reliability::B, Credibility::Probable)));
    /// assert_eq!(Grade::from_ascii(*b"G2"), Err(Reason::UnknownCode));
    /// ```
    pub const fn from_ascii(code: [u8; 2]) -> Result<Self, Reason> {
        let [r, c] = code;
        match (Reliability::from_code(r.wrapping_sub(b'A')), Credibility::from_code(c.wrapping_sub(b'0'))) {
            (Some(r), Some(c)) => Ok(Grade::new(r, c)),
            _ => Err(Reason::UnknownCode),
        }
    }

    /// The single byte on the wire: `reliability * 6 + (credibility - 1)`, 0..=35.
    pub(crate) const fn wire(self) -> u8 {
        self.reliability as u8 * 6 + (self.credibility as u8 - 1)
    }

    /// The inverse of [`wire`](Self::wire).
    pub(crate) const fn from_wire(byte: u8) -> Result<Self, Reason> {
        match (Reliability::from_code(byte / 6), Credibility::from_code(byte % 6 + 1)) {
            (Some(r), Some(c)) => Ok(Grade::new(r, c)),
            _ => Err(Reason::OutOfRange),
        }
    }
}

impl Default for Grade {
    fn default() -> Self {
        Grade::UNJUDGED
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.reliability, self.credibility)
    }
}

impl FromStr for Grade {
    type Err = Reason;

    fn from_str(s: &str) -> Result<Self, Reason> {
        match *s.as_bytes() {
            [r, c] => Grade::from_ascii([r, c]),
            _ => Err(Reason::UnknownCode),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn grade_from_ascii_takes_exactly_the_36_grades() {
        let mut accepted = 0;
        for [r, c] in (0..=u16::MAX).map(u16::to_be_bytes) {
            let expected = match (r, c) {
                (b'A'..=b'F', b'1'..=b'6') => Ok(()),
                _ => Err(Reason::UnknownCode),
            };
            let got = Grade::from_ascii([r, c]);
            assert_eq!(got.map(|_| ()), expected, "{r:#x} {c:#x}");
            if let Ok(g) = got {
                assert_eq!(g.to_string().as_bytes(), [r, c]);
                accepted += 1;
            }
        }
        assert_eq!(accepted, 36);
        for bad in ["", "B", "B22", "b2", "Ä", "2B"] {
            assert_eq!(bad.parse::<Grade>(), Err(Reason::UnknownCode), "{bad}");
        }
    }

    #[test]
    fn grade_wire_covers_every_grade_once() {
        let mut seen = [false; 36];
        for &r in Reliability::ALL {
            for &c in Credibility::ALL {
                let g = Grade::new(r, c);
                let b = g.wire();
                assert!(!seen[b as usize]);
                seen[b as usize] = true;
                assert_eq!(Grade::from_wire(b), Ok(g));
                assert_eq!(g.to_string().parse::<Grade>(), Ok(g));
            }
        }
        assert_eq!(Grade::from_wire(36), Err(Reason::OutOfRange));
        assert_eq!("B2".parse::<Grade>().map(Grade::wire), Ok(7));
        assert!("G1".parse::<Grade>().is_err() && "A7".parse::<Grade>().is_err() && "A".parse::<Grade>().is_err());
    }

    #[test]
    fn codes_round_trip_through_numbers_and_names() {
        for &s in Status::ALL {
            assert_eq!(Status::from_code(s as u8), Some(s));
            assert_eq!(s.name().parse::<Status>(), Ok(s));
        }
        assert_eq!(Status::from_code(6), None);
        assert_eq!(Population::from_code(7), None);
        assert_eq!(Category::from_code(6), None);
        assert_eq!(SourceKind::from_code(7), None);
        assert_eq!(Handover::from_code(2), None);
    }
}
