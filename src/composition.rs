//! Who was on one side of an exchange, by category.

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

/// The composition of one side of an exchange: at most one [`Part`] per [`Category`], kept in
/// category order so that equal compositions are equal values and encode to equal bytes.
///
/// ```
/// use swapwire::{Category, Composition, Quantity};
/// let mut c = Composition::new();
/// c.set(Category::Civilians, Quantity::Exact(15));
/// c.set(Category::Military, Quantity::Exact(135));
/// assert_eq!(c.get(Category::Military), Some(Quantity::Exact(135)));
/// assert_eq!(c.parts()[0].category, Category::Military); // kept in order
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Composition {
    parts: Vec<Part, MAX_PARTS, u8>,
}

impl Composition {
    /// An empty composition (nothing reported).
    pub const fn new() -> Self {
        Composition { parts: Vec::new() }
    }

    /// The parts, in category order.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Whether no part is reported.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The quantity reported for a category, if any.
    pub fn get(&self, category: Category) -> Option<Quantity> {
        self.parts.iter().find(|p| p.category == category).map(|p| p.quantity)
    }

    /// Sets the quantity of a category, replacing an earlier one. Never fails: there is room
    /// for every category.
    pub fn set(&mut self, category: Category, quantity: Quantity) {
        let part = Part { category, quantity };
        match self.parts.binary_search_by_key(&category, |p| p.category) {
            Ok(i) => {
                if let Some(slot) = self.parts.get_mut(i) {
                    *slot = part;
                }
            }
            // Cannot overflow: one slot per category and the category is not present yet.
            Err(i) => {
                let _ = self.parts.insert(i, part);
            }
        }
    }

    /// Removes a category's part, returning its quantity.
    pub fn remove(&mut self, category: Category) -> Option<Quantity> {
        let i = self.parts.iter().position(|p| p.category == category)?;
        Some(self.parts.remove(i).quantity)
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

    /// Appends a part at the end, as a decoder does; the caller guarantees category order.
    pub(crate) fn push_ordered(&mut self, part: Part) -> Result<(), Reason> {
        self.parts.push(part).map_err(|_| Reason::TooLong)
    }

    /// Removes every part, as a decoder does before reading into a reused record.
    pub(crate) fn clear(&mut self) {
        self.parts.clear();
    }

    /// The bit mask of categories present, as on the wire.
    pub(crate) fn mask(&self) -> u8 {
        self.parts.iter().fold(0, |m, p| m | 1 << p.category as u8)
    }

    /// Checks the parts against the total of their side.
    ///
    /// Military and civilians split a side, so together they must fit in it; the other
    /// categories overlap, so each must fit on its own. "All" is not a composition figure.
    pub fn check(&self, side: &Quantity) -> Result<(), Reason> {
        let mut split = 0u64;
        for p in &self.parts {
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
}
