//! Reading wire bytes: LEB128 varints and raw bytes from a slice, without serde.
//!
//! One cursor for frames and for records. Frames are read record by record with context from
//! the records before, which a plain cursor expresses more directly than a serde visitor; the
//! record decoder uses it for speed and a shallow stack (serde's visitor returned records through
//! nested results). Writing goes through the core's [`Sink`](crate::wire::Sink), so the varint
//! encoding is postcard's in both directions. A cursor rejects over-long varints; padded ones
//! (`0x81 0x00` for 1) it either refuses at once (frames, which also re-count every frame they
//! accept) or notes for the record decoder, which reports them after validation.

use crate::error::Error;

/// A position in a byte slice.
pub(crate) struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
    padding: Padding,
}

/// What a cursor does with a varint padded with `0x80` bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Padding {
    Refuse,
    Allow,
    Seen,
}

impl<'a> Cursor<'a> {
    /// A cursor that refuses padded varints with [`Error::NonCanonical`].
    pub(crate) const fn new(bytes: &'a [u8]) -> Self {
        Cursor { bytes, pos: 0, padding: Padding::Refuse }
    }

    /// A cursor that reads padded varints and remembers it saw one (or was told of another
    /// non-canonical form), so that a decoder can report invariant errors first.
    pub(crate) const fn noting_non_canonical(bytes: &'a [u8]) -> Self {
        Cursor { bytes, pos: 0, padding: Padding::Allow }
    }

    /// Records that what was read is not the canonical encoding.
    pub(crate) fn mark_non_canonical(&mut self) {
        self.padding = Padding::Seen;
    }

    /// Whether a padded varint was read, or [`mark_non_canonical`](Self::mark_non_canonical) called.
    pub(crate) fn saw_non_canonical(&self) -> bool {
        self.padding == Padding::Seen
    }

    /// How many bytes have been read.
    pub(crate) const fn position(&self) -> usize {
        self.pos
    }

    /// Whether every byte has been read.
    pub(crate) const fn is_empty(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    #[inline]
    pub(crate) fn byte(&mut self) -> Result<u8, Error> {
        let b = *self.bytes.get(self.pos).ok_or(Error::Truncated)?;
        self.pos += 1;
        Ok(b)
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let end = self.pos.checked_add(n).ok_or(Error::Truncated)?;
        let out = self.bytes.get(self.pos..end).ok_or(Error::Truncated)?;
        self.pos = end;
        Ok(out)
    }

    /// A varint length and that many bytes of UTF-8, as postcard writes a `str`.
    pub(crate) fn text(&mut self) -> Result<&'a str, Error> {
        let len = usize::try_from(self.u64()?).map_err(|_| Error::Truncated)?;
        core::str::from_utf8(self.take(len)?).map_err(|_| Error::BadUtf8)
    }

    /// An unsigned LEB128 varint of at most `max_bytes` bytes whose value fits `limit`.
    #[inline]
    fn varint(&mut self, max_bytes: u32, limit: u64) -> Result<u64, Error> {
        // Most varints on the wire are one byte, most others two (seqs, keys, figures in the
        // hundreds and thousands) or three (day numbers): read those without the loop. 21 bits
        // fit every limit; a zero last byte is padding, left to the loop to judge.
        match self.bytes.get(self.pos..) {
            Some(&[b, ..]) if b < 0x80 => {
                self.pos += 1;
                Ok(b.into())
            }
            Some(&[b0, b1, ..]) if b1 < 0x80 && b1 != 0 => {
                self.pos += 2;
                Ok(u64::from(b0 & 0x7f) | u64::from(b1) << 7)
            }
            Some(&[b0, b1, b2, ..]) if b1 >= 0x80 && b2 < 0x80 && b2 != 0 => {
                self.pos += 3;
                Ok(u64::from(b0 & 0x7f) | u64::from(b1 & 0x7f) << 7 | u64::from(b2) << 14)
            }
            _ => self.varint_long(max_bytes, limit),
        }
    }

    fn varint_long(&mut self, max_bytes: u32, limit: u64) -> Result<u64, Error> {
        let mut value = 0u64;
        for i in 0..max_bytes {
            let b = self.byte()?;
            if i == 9 && b & 0x7e != 0 {
                return Err(Error::BadVarint); // bits past the 64th
            }
            value |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return if value > limit {
                    Err(Error::BadVarint)
                } else if i > 0 && b == 0 && self.padding == Padding::Refuse {
                    Err(Error::NonCanonical) // padded with 0x80 bytes
                } else {
                    if i > 0 && b == 0 {
                        self.padding = Padding::Seen;
                    }
                    Ok(value)
                };
            }
        }
        Err(Error::BadVarint)
    }

    #[inline]
    pub(crate) fn u32(&mut self) -> Result<u32, Error> {
        // Postcard's rule: a u32 varint has at most five bytes and no bits past 32.
        self.varint(5, u32::MAX.into()).map(|v| v as u32)
    }

    #[inline]
    pub(crate) fn u64(&mut self) -> Result<u64, Error> {
        self.varint(10, u64::MAX)
    }
}

/// Zigzag: small signed numbers as small unsigned ones (0, -1, 1, -2 … → 0, 1, 2, 3 …).
pub(crate) const fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// The inverse of [`zigzag`].
pub(crate) const fn unzigzag(v: u64) -> i64 {
    (v >> 1) as i64 ^ -((v & 1) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zigzag_round_trips() {
        for v in [0i64, -1, 1, -2, 2, 63, -64, 64, i64::MAX, i64::MIN] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
        assert_eq!([zigzag(0), zigzag(-1), zigzag(1), zigzag(-2)], [0, 1, 2, 3]);
    }

    #[test]
    fn varints_follow_postcard() {
        let mut c = Cursor::new(&[0xff, 0xff, 0xff, 0xff, 0x0f, 0x80, 0x01]);
        assert_eq!(c.u32(), Ok(u32::MAX));
        assert_eq!(c.u32(), Ok(128));
        assert!(c.is_empty());
        assert_eq!(Cursor::new(&[0xff, 0xff, 0xff, 0xff, 0x1f]).u32(), Err(Error::BadVarint));
        assert_eq!(Cursor::new(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).u32(), Err(Error::BadVarint));
        assert_eq!(Cursor::new(&[0x80]).u32(), Err(Error::Truncated));
        assert_eq!(Cursor::new(&[0x81, 0x00]).u32(), Err(Error::NonCanonical));
        assert_eq!(Cursor::new(&[1, 2]).take(3), Err(Error::Truncated));
        let mut noting = Cursor::noting_non_canonical(&[0x81, 0x00, 0x05]);
        assert_eq!((noting.u32(), noting.saw_non_canonical()), (Ok(1), true));
        assert_eq!(noting.u64(), Ok(5));
        let mut plain = Cursor::noting_non_canonical(&[0x81, 0x01]);
        assert_eq!((plain.u32(), plain.saw_non_canonical()), (Ok(129), false));
        // The two-byte fast path and the loop agree at its edges.
        let mut two = Cursor::new(&[0xff, 0x7f, 0x80, 0x01, 0xe8, 0x07, 0x80, 0x80, 0x01]);
        assert_eq!((two.u32(), two.u32(), two.u32(), two.u32()), (Ok(16_383), Ok(128), Ok(1000), Ok(16_384)));
        assert!(two.is_empty());
        assert_eq!(Cursor::new(&[0x80, 0x00]).u32(), Err(Error::NonCanonical));
        let mut three = Cursor::new(&[0xff, 0xff, 0x7f, 0x80, 0x80, 0x01, 0xe7, 0xa2, 0x01]);
        assert_eq!((three.u32(), three.u32(), three.u32()), (Ok(2_097_151), Ok(16_384), Ok(20_839)));
        assert_eq!(Cursor::new(&[0x80, 0x80, 0x00]).u32(), Err(Error::NonCanonical));
        assert_eq!(Cursor::new(&[0x80, 0x80]).u32(), Err(Error::Truncated));
    }

    #[test]
    fn text_follows_postcard() {
        assert_eq!(Cursor::new(&[3, b'A', b'F', b'P']).text(), Ok("AFP"));
        assert_eq!(Cursor::new(&[0]).text(), Ok(""));
        assert_eq!(Cursor::new(&[4, b'A', b'F', b'P']).text(), Err(Error::Truncated));
        assert_eq!(Cursor::new(&[1, 0xff]).text(), Err(Error::BadUtf8));
    }
}
