//! The Source record: what a source key stands for.

use crate::codes::SourceKind;
use crate::error::{invalid, Error, Field, Reason};
use crate::name::Name;

/// A source that reports cite by key.
///
/// Keys are one namespace shared by all devices (assigned where the deployment is planned);
/// a changed name or kind is a new revision of the same key.
///
/// ```
/// use swapwire::{Codec, Source, SourceKind};
/// let s = Source::new(3, SourceKind::Media, "Suspilne").unwrap();
/// assert_eq!(s.encoded_len(), 12);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Source {
    /// The key reports cite.
    pub key: u32,
    /// Grows with each correction; 0 is the first version.
    pub revision: u32,
    /// A retracted source is a tombstone: it stays, marked withdrawn.
    pub retracted: bool,
    /// What kind of body it is.
    pub kind: SourceKind,
    /// A short name, at most [`MAX_NAME_LEN`](crate::MAX_NAME_LEN) bytes of UTF-8, no control
    /// characters (which [`Name`] holds by construction), and not empty.
    pub name: Name,
    /// The key of the Source through which this source's words reached the report: the outlet
    /// or person that reported what this source said. "Zelenskyy stated, as reported by AFP" is
    /// a Source for Zelenskyy with `via` = AFP's key, and the reports cite Zelenskyy's key; who
    /// said it is the cited source, who carried it is its `via`. A chain is followed key by key
    /// (the outlet's own Source may have a `via`). `None`: the source's words reached the report
    /// directly.
    ///
    /// Validation sees one record, so it rejects only a source that is its own `via`
    /// (`Invalid(Via, SelfReference)`); a cycle over several sources (A via B, B via A) cannot
    /// be seen in one record and is not rejected.
    pub via: Option<u32>,
}

impl Source {
    /// A first-revision source with no `via`; fails if the name is empty, too long or has
    /// control characters.
    pub fn new(key: u32, kind: SourceKind, name: &str) -> Result<Self, Error> {
        let name = Name::new(name)?;
        let s = Source { key, revision: 0, retracted: false, kind, name, via: None };
        s.validate()?;
        Ok(s)
    }

    /// Checks every invariant; decoders call this on everything they accept. The name's text
    /// rules (length, no control characters) hold by construction of [`Name`]; what is left of
    /// them is that a Source's name is not empty.
    pub fn validate(&self) -> Result<(), Error> {
        if self.name.is_empty() {
            return Err(invalid(Field::Name, Reason::Empty));
        }
        if self.via == Some(self.key) {
            return Err(invalid(Field::Via, Reason::SelfReference));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MAX_NAME_LEN;

    /// The Ukrainian body that announces most exchange figures, by its full English name: 63
    /// bytes, which the 64-byte limit holds without an invented abbreviation.
    const HEADQUARTERS: &str = "Coordination Headquarters for the Treatment of Prisoners of War";

    #[test]
    fn the_coordination_headquarters_fits_by_its_full_name() {
        use crate::{Codec, Error, Field, Record};
        assert_eq!(HEADQUARTERS.len(), 63);
        let s = Source::new(7, SourceKind::Government, HEADQUARTERS).unwrap();
        let mut buf = [0u8; Source::MAX_SIZE];
        let n = s.encode(&mut buf).unwrap();
        // key, revision, flags, the one-byte length, the name.
        assert_eq!(n, 1 + 1 + 1 + 1 + 63);
        assert_eq!(buf[3], 63);
        assert_eq!(Source::decode(&buf[..n]).unwrap(), s);
        let mut buf = [0u8; Record::MAX_SIZE];
        let n = Record::Source(s.clone()).encode(&mut buf).unwrap();
        assert_eq!(Record::decode(&buf[..n]).unwrap(), Record::Source(s));
        // 64 bytes is the limit; 65 is too long, whether built or decoded.
        let at_limit = std::format!("{HEADQUARTERS}.");
        assert_eq!(Source::new(7, SourceKind::Government, &at_limit).unwrap().name.len(), MAX_NAME_LEN);
        let over = std::format!("{HEADQUARTERS}..");
        assert_eq!(Source::new(7, SourceKind::Government, &over), Err(Error::Invalid(Field::Name, Reason::TooLong)));
        let mut wire = std::vec![7, 0, 0, 65];
        wire.extend_from_slice(over.as_bytes());
        assert_eq!(Source::decode(&wire), Err(Error::Invalid(Field::Name, Reason::TooLong)));
    }
}
