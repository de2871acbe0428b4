//! Where a vchan's two rings are, from the orders in its control page
//! (`io/libxenvchan.h`): order 10 is 1024 bytes at offset 1024 of the
//! control page, order 11 is 2048 bytes at offset 2048, and order 12 and up
//! is `1 << order` bytes in `1 << (order - 12)` pages of their own, whose
//! grant references follow the control page's header (the left ring's
//! first). Only one ring can live at each in-page offset, and the grant list
//! must end before the first in-page ring.
//!
//! The orders come from the peer: they are read once, into a private copy,
//! and checked here before anything is mapped or sized from them.

use crate::platform::PAGE_SIZE;

/// Offset of the grant list in the control page.
pub const GRANTS_OFFSET: usize = 24;

/// Largest ring order accepted (1 MiB), which bounds what a peer can make
/// us map.
pub const MAX_ORDER: u16 = 20;

/// Where one ring lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RingSite {
    /// Inside the control page, at this offset.
    InPage(usize),
    /// In pages of its own: `count` grants, from index `first` of the list.
    Granted {
        /// Index of its first grant in the control page's list.
        first: usize,
        /// How many pages (grants) it spans.
        count: usize,
    },
}

/// Why a peer's orders are refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayoutError {
    /// An order outside 10..=[`MAX_ORDER`].
    Order(u16),
    /// Both rings claim the same in-page offset.
    SameOffset(u16),
    /// The grant list would overlap an in-page ring or leave the page.
    GrantList(usize),
}

impl core::fmt::Display for LayoutError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            LayoutError::Order(o) => write!(f, "ring order {o} outside 10..={MAX_ORDER}"),
            LayoutError::SameOffset(o) => write!(f, "both rings have order {o} in one page"),
            LayoutError::GrantList(n) => write!(f, "a list of {n} grants does not fit the page"),
        }
    }
}

/// The checked layout of a vchan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Order of the left ring (client to server).
    pub left_order: u16,
    /// Order of the right ring (server to client).
    pub right_order: u16,
}

fn pages(order: u16) -> usize {
    if order >= 12 {
        1 << (order - 12)
    } else {
        0
    }
}

impl Layout {
    /// Checks a pair of orders.
    pub fn new(left_order: u16, right_order: u16) -> Result<Layout, LayoutError> {
        for o in [left_order, right_order] {
            if !(10..=MAX_ORDER).contains(&o) {
                return Err(LayoutError::Order(o));
            }
        }
        if left_order == right_order && left_order < 12 {
            return Err(LayoutError::SameOffset(left_order));
        }
        let layout = Layout {
            left_order,
            right_order,
        };
        let n = layout.grant_count();
        let limit = [left_order, right_order]
            .iter()
            .filter(|&&o| o < 12)
            .map(|&o| 1usize << o)
            .min()
            .unwrap_or(PAGE_SIZE);
        if GRANTS_OFFSET + 4 * n > limit {
            return Err(LayoutError::GrantList(n));
        }
        Ok(layout)
    }

    /// Grants listed in the control page (both rings').
    pub fn grant_count(&self) -> usize {
        pages(self.left_order) + pages(self.right_order)
    }

    /// Where the left ring is.
    pub fn left(&self) -> RingSite {
        Self::site(self.left_order, 0)
    }

    /// Where the right ring is.
    pub fn right(&self) -> RingSite {
        Self::site(self.right_order, pages(self.left_order))
    }

    fn site(order: u16, first: usize) -> RingSite {
        if order < 12 {
            RingSite::InPage(1 << order)
        } else {
            RingSite::Granted {
                first,
                count: pages(order),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_page_and_granted_rings() {
        let l = Layout::new(10, 11).unwrap();
        assert_eq!(
            (l.left(), l.right()),
            (RingSite::InPage(1024), RingSite::InPage(2048))
        );
        assert_eq!(l.grant_count(), 0);
        let l = Layout::new(16, 16).unwrap();
        assert_eq!(
            l.left(),
            RingSite::Granted {
                first: 0,
                count: 16
            }
        );
        assert_eq!(
            l.right(),
            RingSite::Granted {
                first: 16,
                count: 16
            }
        );
        let l = Layout::new(11, 13).unwrap();
        assert_eq!(
            (l.left(), l.right()),
            (
                RingSite::InPage(2048),
                RingSite::Granted { first: 0, count: 2 }
            )
        );
    }

    #[test]
    fn hostile_orders_are_refused() {
        assert_eq!(Layout::new(9, 11), Err(LayoutError::Order(9)));
        assert_eq!(Layout::new(10, 21), Err(LayoutError::Order(21)));
        assert_eq!(Layout::new(u16::MAX, 12), Err(LayoutError::Order(u16::MAX)));
        assert_eq!(Layout::new(10, 10), Err(LayoutError::SameOffset(10)));
        assert_eq!(Layout::new(11, 11), Err(LayoutError::SameOffset(11)));
        // A ring at 1024 leaves room for 250 grants before it.
        assert_eq!(Layout::new(10, 20), Err(LayoutError::GrantList(256)));
        assert!(Layout::new(10, 19).is_ok());
        assert!(Layout::new(20, 20).is_ok());
    }
}
