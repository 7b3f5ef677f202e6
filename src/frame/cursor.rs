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
    /// The bits above the low 32 of the last varint read.
    high: u32,
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
        Cursor { bytes, pos: 0, padding: Padding::Refuse, high: 0 }
    }

    /// A cursor that reads padded varints and remembers it saw one (or was told of another
    /// non-canonical form), so that a decoder can report invariant errors first.
    pub(crate) const fn noting_non_canonical(bytes: &'a [u8]) -> Self {
        Cursor { bytes, pos: 0, padding: Padding::Allow, high: 0 }
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
        let len = self.varint(10)?;
        // A length past 32 bits cannot be in the input (nor in a 32-bit `usize`).
        if self.high != 0 {
            return Err(Error::Truncated);
        }
        core::str::from_utf8(self.take(len as usize)?).map_err(|_| Error::BadUtf8)
    }

    /// An unsigned LEB128 varint of at most `max_bytes` bytes (5 or 10): returns its low 32
    /// bits and leaves the bits above them in `self.high`.
    ///
    /// One loop on 32-bit arithmetic for every varint: no 64-bit shifts (on a Cortex-M a
    /// variable `u64` shift is a call), one frame, one copy of the rules. The fifth byte's top
    /// three bits and everything after go to `high`; a tenth byte may carry only bit 63.
    #[inline(never)]
    fn varint(&mut self, max_bytes: u32) -> Result<u32, Error> {
        #[cfg(not(target_os = "none"))]
        if let Some(low) = self.word() {
            return Ok(low);
        }
        self.varint_loop(max_bytes)
    }

    /// [`varint`](Self::varint)'s loop, which decides every case.
    fn varint_loop(&mut self, max_bytes: u32) -> Result<u32, Error> {
        // Every byte read is consumed, also on error: annotations point at the bytes at fault.
        let (mut low, mut high, mut shift, mut pos) = (0u32, 0u32, 0u32, self.pos);
        let read = loop {
            let Some(&b) = self.bytes.get(pos) else { break Err(Error::Truncated) };
            pos += 1;
            let bits = u32::from(b & 0x7f);
            if shift < 32 {
                low |= bits << shift;
                if shift == 28 {
                    high = bits >> 4;
                }
            } else if shift == 63 && bits > 1 {
                break Err(Error::BadVarint); // bits past the 64th
            } else {
                high |= bits << (shift - 32);
            }
            if b < 0x80 {
                // A zero last byte is padding (0x81 0x00 for 1).
                if shift > 0 && b == 0 {
                    if self.padding == Padding::Refuse {
                        break Err(Error::NonCanonical);
                    }
                    self.padding = Padding::Seen;
                }
                break Ok(low);
            }
            shift += 7;
            if shift >= 7 * max_bytes {
                break Err(Error::BadVarint);
            }
        };
        (self.pos, self.high) = (pos, high);
        read
    }

    /// A canonical varint of up to five bytes read from one 64-bit load, on a host: the
    /// four- and five-byte varints the short path leaves (32-bit ids and keys, wide quantities)
    /// took the loop about 24 instructions a byte. `None` (the input ends first, more than five
    /// bytes, or a zero last byte, which is padding) leaves the varint to the loop.
    #[cfg(not(target_os = "none"))]
    #[inline(always)]
    fn word(&mut self) -> Option<u32> {
        let rest = self.bytes.get(self.pos..)?;
        let mut chunk = [0u8; 8];
        match rest.get(..8) {
            Some(eight) => chunk.copy_from_slice(eight),
            // Near the end: zeros past it end the varint there, which the length check refuses.
            None => chunk.iter_mut().zip(rest).for_each(|(c, &b)| *c = b),
        }
        let w = u64::from_le_bytes(chunk);
        let stops = !w & 0x80_8080_8080;
        if stops == 0 {
            return None;
        }
        let bits = stops.trailing_zeros() + 1; // through the last byte's stop bit
        let m = w & ((1u64 << bits) - 1);
        if bits as usize / 8 > rest.len() || bits > 8 && m >> (bits - 8) == 0 {
            return None;
        }
        let low =
            (m & 0x7f) | (m >> 1 & 0x3f80) | (m >> 2 & 0x1f_c000) | (m >> 3 & 0x0fe0_0000) | (m >> 4 & 0xf000_0000);
        (self.pos, self.high) = (self.pos + bits as usize / 8, (m >> 36) as u32);
        Some(low as u32)
    }

    /// A short varint read without the loop; `None` leaves the rest (and a zero last byte,
    /// which is padding) to [`varint`](Self::varint).
    ///
    /// On a host, one to three bytes: nearly every varint on the wire (flags-sized numbers,
    /// unknown quantities, seqs, keys, figures, day numbers). Reading two- and three-byte ones
    /// in the loop made decoding about a third slower (`decode-batch` in `benches/codecs.rs`).
    /// On bare metal (`target_os = "none"`), one byte only: the longer cases, inlined at every
    /// call, cost about 300 bytes of flash. Both read the same values (tested against the loop).
    #[inline(always)]
    fn short(&mut self) -> Option<u32> {
        let (v, n) = match *self.bytes.get(self.pos..)? {
            [b, ..] if b < 0x80 => (u32::from(b), 1),
            #[cfg(not(target_os = "none"))]
            [b0, b1, ..] if b1 < 0x80 && b1 != 0 => (u32::from(b0 & 0x7f) | u32::from(b1) << 7, 2),
            #[cfg(not(target_os = "none"))]
            [b0, b1, b2, ..] if b1 >= 0x80 && b2 < 0x80 && b2 != 0 => {
                (u32::from(b0 & 0x7f) | u32::from(b1 & 0x7f) << 7 | u32::from(b2) << 14, 3)
            }
            _ => return None,
        };
        self.pos += n;
        Some(v)
    }

    #[inline]
    pub(crate) fn u32(&mut self) -> Result<u32, Error> {
        // Postcard's rule: a u32 varint has at most five bytes and no bits past 32.
        if let Some(b) = self.short() {
            return Ok(b);
        }
        let v = self.varint(5)?;
        if self.high != 0 {
            return Err(Error::BadVarint);
        }
        Ok(v)
    }

    #[inline(always)]
    pub(crate) fn u64(&mut self) -> Result<u64, Error> {
        if let Some(b) = self.short() {
            return Ok(b.into());
        }
        let low = self.varint(10)?;
        Ok(u64::from(self.high) << 32 | u64::from(low))
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

    /// The inline short path (one to three bytes on a host) and the loop read the same
    /// values and leave padded forms to the loop.
    #[test]
    fn short_path_agrees_with_the_loop() {
        let mut buf = [0u8; 5];
        let edges = [0u32, 1, 127, 128, 255, 16_383, 16_384, 2_097_151, 2_097_152, u32::MAX];
        for v in (0..70_000).chain((0..3_000_000).step_by(997)).chain(edges) {
            let bytes = postcard::to_slice(&v, &mut buf).unwrap();
            let mut short = Cursor::new(bytes);
            if let Some(got) = short.short() {
                assert_eq!((got, short.position()), (v, bytes.len()), "{v}");
            }
            let mut looped = Cursor::new(bytes);
            assert_eq!((looped.varint(5), looped.position()), (Ok(v), bytes.len()), "{v}");
        }
        for padded in [&[0x81, 0x00][..], &[0x80, 0x80, 0x00], &[0x81, 0x80, 0x00]] {
            assert_eq!(Cursor::new(padded).short(), None, "{padded:?}");
        }
    }

    /// The host's one-load path and the loop read every input alike: value, high bits,
    /// position, error and padding noted, for both widths and both padding rules.
    #[test]
    fn word_path_agrees_with_the_loop() {
        let mut state = 0x9e37_79b9u32;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        let mut inputs = std::vec::Vec::new();
        for _ in 0..200_000 {
            // Continuation bits set three times in four, zero bytes often: every length and padding.
            let len = 1 + next() as usize % 12;
            let bytes: std::vec::Vec<u8> = (0..len)
                .map(|_| match next() % 8 {
                    0 => 0,
                    1 => 0x80,
                    2 | 3 => next() as u8 & 0x7f,
                    _ => next() as u8 | 0x80,
                })
                .collect();
            inputs.push(bytes);
        }
        let mut buf = [0u8; 16];
        for v in [0u64, 127, 128, 1 << 21, (1 << 28) - 1, 1 << 28, u64::from(u32::MAX), (1 << 35) - 1, 1 << 35] {
            let n = postcard::to_slice(&v, &mut buf).unwrap().len();
            inputs.push(buf[..n].iter().copied().chain([0x7f; 8]).collect());
        }
        for bytes in &inputs {
            for max in [5, 10] {
                for new in [Cursor::new, Cursor::noting_non_canonical] {
                    let (mut fast, mut slow) = (new(bytes), new(bytes));
                    let got = (fast.varint(max), fast.pos, fast.high, fast.padding == Padding::Seen);
                    let want = (slow.varint_loop(max), slow.pos, slow.high, slow.padding == Padding::Seen);
                    assert_eq!(got, want, "{bytes:02x?} max {max}");
                }
            }
        }
    }

    #[test]
    fn wide_varints_on_32_bit_halves() {
        let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(Cursor::new(&max).u64(), Ok(u64::MAX));
        let mut past = max;
        past[9] = 0x02;
        assert_eq!(Cursor::new(&past).u64(), Err(Error::BadVarint));
        past[9] = 0x81;
        assert_eq!(Cursor::new(&past).u64(), Err(Error::BadVarint));
        assert_eq!(Cursor::new(&max[..9]).u64(), Err(Error::Truncated));
        for v in [1u64 << 32, (1 << 35) - 1, 1 << 35, 0x1234_5678_9abc_def0, u64::from(u32::MAX) << 3 | 6] {
            let mut buf = [0u8; 10];
            let bytes = postcard::to_slice(&v, &mut buf).unwrap();
            let mut c = Cursor::new(bytes);
            assert_eq!(c.u64(), Ok(v), "{v}");
            assert!(c.is_empty());
            assert_eq!(Cursor::new(bytes).u32(), Err(Error::BadVarint), "{v}");
        }
        assert_eq!(Cursor::new(&[0x81, 0x80, 0x80, 0x80, 0x80, 0x00]).u64(), Err(Error::NonCanonical));
        // A text length is a varint too: the two-byte path must not swallow a one-byte length.
        let mut c = Cursor::new(&[1, 0x41, 0x42]);
        assert_eq!(c.text(), Ok("A"));
        assert_eq!(c.position(), 2);
        let mut long = [0x41u8; 130];
        (long[0], long[1]) = (0x80, 0x01);
        assert_eq!(Cursor::new(&long).text().map(str::len), Ok(128));
        assert_eq!(Cursor::new(&[0x80, 0x80, 0x80, 0x80, 0x10]).text(), Err(Error::Truncated));
    }

    #[test]
    fn text_follows_postcard() {
        assert_eq!(Cursor::new(&[3, b'A', b'F', b'P']).text(), Ok("AFP"));
        assert_eq!(Cursor::new(&[0]).text(), Ok(""));
        assert_eq!(Cursor::new(&[4, b'A', b'F', b'P']).text(), Err(Error::Truncated));
        assert_eq!(Cursor::new(&[1, 0xff]).text(), Err(Error::BadUtf8));
    }
}
