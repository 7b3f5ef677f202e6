//! Who was on one side of an exchange, by category.

use core::fmt;
use core::iter::FusedIterator;

use heapless::Vec;

use crate::codes::Category;
use crate::error::Reason;
use crate::quantity::{Qualifier, Quantity};

/// How many categories there are, and so how many parts a composition can hold.
pub const MAX_PARTS: usize = 6;

/// One category of a side and how many of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Part {
    /// The category.
    pub category: Category,
    /// How many, as stated.
    pub quantity: Quantity,
}

/// The composition of one side of an exchange: at most one [`Part`] per [`Category`], read in
/// category order so that equal compositions are equal values and encode to equal bytes.
///
/// ```
/// use swapwire::{Category, Composition, Quantity};
/// let mut c = Composition::new();
/// c.set(Category::Civilians, Quantity::Exact(15));
/// c.set(Category::Military, Quantity::Exact(135));
/// assert_eq!(c.get(Category::Military), Some(Quantity::Exact(135)));
/// assert_eq!(c.parts().next().map(|p| p.category), Some(Category::Military)); // kept in order
/// assert_eq!(c.parts().len(), 2);
/// ```
///
/// Held compactly, 56 bytes with no padding and no alignment: the bit mask of the categories
/// present, as on the wire, and their quantities in category order as 9-byte slots (qualifier,
/// value and range end). A slot holds exactly what its [`Quantity`] says and only held slots
/// are compared or hashed, so equal parts make equal values; an empty composition is two zero
/// bytes to write. [`Part`]s are rebuilt as they are read.
#[derive(PartialEq, Eq, Hash)]
pub struct Composition {
    /// Bit `c` is set when category code `c` has a part.
    mask: u8,
    /// The quantities of the categories in `mask`, lowest code first.
    slots: Vec<Slot, MAX_PARTS, u8>,
}

/// One quantity of a [`Composition`], flattened: [`Quantity::qualifier`], [`Quantity::value`]
/// and [`Quantity::high`], the numbers as little-endian bytes so that the slot needs no
/// alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Slot {
    qualifier: Qualifier,
    value: [u8; 4],
    high: [u8; 4],
}

impl Slot {
    #[inline]
    const fn of(q: &Quantity) -> Self {
        Slot { qualifier: q.qualifier(), value: q.value().to_le_bytes(), high: q.high().to_le_bytes() }
    }

    /// The quantity back, as [`Quantity::qualifier`], [`Quantity::value`] and
    /// [`Quantity::high`] took it apart.
    #[inline(always)]
    const fn quantity(&self) -> Quantity {
        let (value, high) = (u32::from_le_bytes(self.value), u32::from_le_bytes(self.high));
        match self.qualifier {
            Qualifier::Unknown => Quantity::Unknown,
            Qualifier::Undisclosed => Quantity::Undisclosed,
            Qualifier::Exact => Quantity::Exact(value),
            Qualifier::AtLeast => Quantity::AtLeast(value),
            Qualifier::AtMost => Quantity::AtMost(value),
            Qualifier::Approx => Quantity::Approx(value),
            Qualifier::Range => Quantity::Range(value, high),
            Qualifier::All => Quantity::All,
        }
    }
}

/// The bit of a category in a [`Composition`]'s mask.
const fn bit(category: Category) -> u8 {
    1 << category as u8
}

impl Composition {
    /// An empty composition (nothing reported).
    pub const fn new() -> Self {
        Composition { mask: 0, slots: Vec::new() }
    }

    /// The parts, in category order, rebuilt as they are read.
    pub fn parts(&self) -> Parts<'_> {
        Parts { left: self.mask, slots: self.slots.iter() }
    }

    /// The quantities of the parts, in category order, as qualifier, value and high end
    /// ([`Quantity::qualifier`], [`Quantity::value`], [`Quantity::high`]): what the wire
    /// carries after the mask, without rebuilding each quantity.
    pub(crate) fn folded(&self) -> impl Iterator<Item = (Qualifier, u32, u32)> + '_ {
        self.slots.iter().map(|s| (s.qualifier, u32::from_le_bytes(s.value), u32::from_le_bytes(s.high)))
    }

    /// Whether no part is reported.
    pub fn is_empty(&self) -> bool {
        self.mask == 0
    }

    /// How many parts are reported.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Where a category's slot is, or would go: how many lower categories have one.
    fn index(&self, category: Category) -> usize {
        (self.mask & (bit(category) - 1)).count_ones() as usize
    }

    /// The quantity reported for a category, if any.
    pub fn get(&self, category: Category) -> Option<Quantity> {
        if self.mask & bit(category) == 0 {
            return None;
        }
        self.slots.get(self.index(category)).map(Slot::quantity)
    }

    /// Sets the quantity of a category, replacing an earlier one. Never fails: there is room
    /// for every category.
    pub fn set(&mut self, category: Category, quantity: Quantity) {
        let (i, slot) = (self.index(category), Slot::of(&quantity));
        if self.mask & bit(category) != 0 {
            if let Some(held) = self.slots.get_mut(i) {
                *held = slot;
            }
        } else if self.slots.push(slot).is_ok() {
            // Cannot be full: one slot per category and this one has none. The slots from
            // `i` on move up by one, the new one takes `i` (a shift, not `rotate_right`, which
            // keeps a buffer on the stack and a panic path).
            let mut carry = slot;
            for held in self.slots.get_mut(i..).into_iter().flatten() {
                carry = core::mem::replace(held, carry);
            }
            self.mask |= bit(category);
        }
    }

    /// Removes a category's part, returning its quantity.
    pub fn remove(&mut self, category: Category) -> Option<Quantity> {
        let (q, i) = (self.get(category)?, self.index(category));
        // The slots after `i` move down by one; the last place, left over, goes.
        let mut carry = Slot::of(&Quantity::Unknown);
        for held in self.slots.get_mut(i..).into_iter().flatten().rev() {
            carry = core::mem::replace(held, carry);
        }
        self.slots.pop();
        self.mask &= !bit(category);
        Some(q)
    }

    /// Builds a composition from parts in any order; fails on a duplicate category.
    pub fn from_parts(parts: &[Part]) -> Result<Self, Reason> {
        let mut c = Composition::new();
        for p in parts {
            if c.get(p.category).is_some() {
                return Err(Reason::Duplicate);
            }
            c.set(p.category, p.quantity);
        }
        Ok(c)
    }

    /// Appends a part after those held, as a decoder does while it walks a mask: a category
    /// already held is [`Reason::Duplicate`], one before a held one [`Reason::Unordered`].
    pub(crate) fn push_ordered(&mut self, part: Part) -> Result<(), Reason> {
        let bit = bit(part.category);
        if self.mask >= bit {
            return Err(if self.mask & bit != 0 { Reason::Duplicate } else { Reason::Unordered });
        }
        self.slots.push(Slot::of(&part.quantity)).map_err(|_| Reason::TooLong)?;
        self.mask |= bit;
        Ok(())
    }

    /// Removes every part, as a decoder does before reading into a reused record.
    pub(crate) fn clear(&mut self) {
        self.mask = 0;
        self.slots.clear();
    }

    /// The bit mask of categories present, as on the wire.
    pub(crate) fn mask(&self) -> u8 {
        self.mask
    }

    /// Checks the parts against the total of their side.
    ///
    /// Military and civilians split a side, so together they must fit in it; the other
    /// categories overlap, so each must fit on its own. "All" is not a composition figure.
    pub fn check(&self, side: &Quantity) -> Result<(), Reason> {
        self.check_within(side.upper().unwrap_or(u64::MAX))
    }

    /// [`check`](Self::check) against the side's upper bound (`u64::MAX` for none), which an
    /// Exchange's validation has at hand.
    pub(crate) fn check_within(&self, limit: u64) -> Result<(), Reason> {
        // Most reports give no composition: nothing to weigh against the side.
        if self.slots.is_empty() {
            return Ok(());
        }
        let mut split = 0u64;
        // On the slots' numbers, without rebuilding each quantity: validation runs on every
        // encode and decode, so this keeps its frame shallow and its code short. The lower
        // bound is `Quantity::lower`'s: the figure of an exact, at-least or range quantity.
        let mut left = self.mask;
        for slot in &self.slots {
            let code = left.trailing_zeros();
            left &= left.wrapping_sub(1);
            let (value, high) = (u32::from_le_bytes(slot.value), u32::from_le_bytes(slot.high));
            let lower = match slot.qualifier {
                Qualifier::Range if value > high => return Err(Reason::RangeInverted),
                Qualifier::All => return Err(Reason::NotAllowed),
                Qualifier::Exact | Qualifier::AtLeast | Qualifier::Range => u64::from(value),
                _ => 0,
            };
            if matches!(Category::from_code(code as u8), Some(Category::Military | Category::Civilians)) {
                split += lower;
            }
            if lower > limit || split > limit {
                return Err(Reason::PartsExceedTotal);
            }
        }
        Ok(())
    }
}

impl Clone for Composition {
    fn clone(&self) -> Self {
        let mut c = Composition::new();
        c.clone_from(self);
        c
    }

    /// In place: the derived form builds the copy aside first and then moves it.
    fn clone_from(&mut self, source: &Self) {
        self.mask = source.mask;
        self.slots.clear();
        // Same capacity on both sides: this cannot fail.
        let _ = self.slots.extend_from_slice(&source.slots);
    }
}

impl Default for Composition {
    fn default() -> Self {
        Composition::new()
    }
}

impl fmt::Debug for Composition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Composition").field("parts", &self.parts()).finish()
    }
}

/// The parts of a [`Composition`], in category order: [`Composition::parts`].
#[derive(Clone)]
pub struct Parts<'a> {
    /// The categories not yet yielded, as mask bits: one per slot left.
    left: u8,
    slots: core::slice::Iter<'a, Slot>,
}

/// The part of the category with code `code`.
fn part(code: u32, slot: &Slot) -> Option<Part> {
    Some(Part { category: Category::from_code(code as u8)?, quantity: slot.quantity() })
}

impl Iterator for Parts<'_> {
    type Item = Part;

    #[inline]
    fn next(&mut self) -> Option<Part> {
        let slot = self.slots.next()?;
        let code = self.left.trailing_zeros();
        self.left &= self.left.wrapping_sub(1);
        part(code, slot)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.slots.size_hint()
    }
}

impl DoubleEndedIterator for Parts<'_> {
    fn next_back(&mut self) -> Option<Part> {
        let slot = self.slots.next_back()?;
        let code = (u8::BITS - 1).wrapping_sub(self.left.leading_zeros());
        self.left &= !1u8.wrapping_shl(code);
        part(code, slot)
    }
}

impl ExactSizeIterator for Parts<'_> {}

impl FusedIterator for Parts<'_> {}

impl fmt::Debug for Parts<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::hash::{Hash, Hasher};
    use std::collections::hash_map::DefaultHasher;
    use std::format;
    use std::vec::Vec;

    fn hash(c: &Composition) -> u64 {
        let mut h = DefaultHasher::new();
        c.hash(&mut h);
        h.finish()
    }

    #[test]
    fn parts_come_back_in_category_order_from_either_end() {
        let mut c = Composition::new();
        c.set(Category::Foreign, Quantity::Range(3, 9));
        c.set(Category::Military, Quantity::Exact(135));
        c.set(Category::Women, Quantity::Undisclosed);
        let forward: Vec<_> = c.parts().map(|p| (p.category, p.quantity)).collect();
        assert_eq!(
            forward,
            [
                (Category::Military, Quantity::Exact(135)),
                (Category::Women, Quantity::Undisclosed),
                (Category::Foreign, Quantity::Range(3, 9)),
            ]
        );
        let mut back: Vec<_> = c.parts().rev().map(|p| (p.category, p.quantity)).collect();
        back.reverse();
        assert_eq!(back, forward);
        let mut it = c.parts();
        assert_eq!(it.len(), 3);
        it.next();
        assert_eq!(it.len(), 2);
        assert_eq!(c.len(), 3);
        assert_eq!(
            format!("{c:?}"),
            "Composition { parts: [Part { category: Military, quantity: Exact(135) }, \
             Part { category: Women, quantity: Undisclosed }, Part { category: Foreign, quantity: Range(3, 9) }] }"
        );
    }

    #[test]
    fn equal_parts_are_equal_values_whatever_came_before() {
        let mut a = Composition::new();
        a.set(Category::Children, Quantity::Range(1, 2));
        a.set(Category::Wounded, Quantity::Exact(7));
        a.set(Category::Children, Quantity::Unknown); // replaced: its range end must not linger
        assert_eq!(a.remove(Category::Wounded), Some(Quantity::Exact(7)));
        assert_eq!(a.remove(Category::Wounded), None);
        let mut b = Composition::new();
        b.set(Category::Children, Quantity::Unknown);
        assert_eq!(a, b);
        assert_eq!(hash(&a), hash(&b));
        a.remove(Category::Children);
        assert_eq!(a, Composition::new());
        assert_eq!(hash(&a), hash(&Composition::default()));
        b.clear();
        assert!(b.is_empty() && b == Composition::new());
        // An unknown quantity is still a part.
        let mut c = Composition::new();
        c.set(Category::Civilians, Quantity::Unknown);
        assert_ne!(c, Composition::new());
        assert_eq!(c.mask(), 0b10);
    }

    /// `check` as it read before it worked on the slots: over rebuilt parts and the quantity
    /// methods.
    fn check_by_parts(c: &Composition, side: &Quantity) -> Result<(), Reason> {
        let mut split = 0u64;
        for p in c.parts() {
            p.quantity.check()?;
            if p.quantity.qualifier() == Qualifier::All {
                return Err(Reason::NotAllowed);
            }
            if matches!(p.category, Category::Military | Category::Civilians) {
                split += p.quantity.lower();
            }
            if let Some(limit) = side.upper() {
                if p.quantity.lower() > limit || split > limit {
                    return Err(Reason::PartsExceedTotal);
                }
            }
        }
        Ok(())
    }

    #[test]
    fn check_on_slots_agrees_with_check_on_parts() {
        let quantities = [
            Quantity::Unknown,
            Quantity::Undisclosed,
            Quantity::Exact(0),
            Quantity::Exact(6),
            Quantity::AtLeast(7),
            Quantity::AtMost(3),
            Quantity::Approx(9),
            Quantity::Range(2, 6),
            Quantity::Range(6, 2), // inverted: `set` takes it, `check` refuses it
            Quantity::Range(u32::MAX, u32::MAX),
            Quantity::All,
        ];
        let sides = [Quantity::Unknown, Quantity::Exact(10), Quantity::AtMost(4), Quantity::Range(3, 8)];
        let mut checked = 0;
        for side in &sides {
            for (i, a) in quantities.iter().enumerate() {
                for b in &quantities[i..] {
                    for (x, y) in [(Category::Military, Category::Civilians), (Category::Civilians, Category::Women)] {
                        let mut c = Composition::new();
                        c.set(x, *a);
                        c.set(y, *b);
                        c.set(Category::Foreign, *b);
                        assert_eq!(c.check(side), check_by_parts(&c, side), "{c:?} against {side:?}");
                        checked += usize::from(c.check(side).is_ok());
                    }
                }
            }
        }
        assert!(checked > 20, "some pass, not only failures: {checked}");
    }

    #[test]
    fn compact_in_memory() {
        use core::mem::size_of;
        // Two compositions were 200 of a record's 288 bytes; the same layout on Cortex-M.
        assert_eq!(size_of::<Composition>(), 56);
        // 200 before `same_as` (an `Option<RecordId>`, 12 bytes).
        assert_eq!(size_of::<crate::Exchange>(), 212);
        assert_eq!(size_of::<crate::Record>(), 212);
    }

    #[test]
    fn push_ordered_refuses_a_second_part_for_a_category() {
        let mut c = Composition::new();
        let part = Part { category: Category::Military, quantity: Quantity::All };
        assert_eq!(c.push_ordered(part), Ok(()));
        assert_eq!(c.push_ordered(part), Err(Reason::Duplicate));
        let earlier = Part { category: Category::Military, quantity: Quantity::Exact(1) };
        let mut d = Composition::new();
        d.set(Category::Civilians, Quantity::Exact(2));
        assert_eq!(d.push_ordered(earlier), Err(Reason::Unordered));
        assert_eq!(Composition::from_parts(&[d.parts().next().unwrap(), earlier]).map(|c| c.len()), Ok(2));
        assert_eq!(Composition::from_parts(&[part, part]), Err(Reason::Duplicate));
    }
}
