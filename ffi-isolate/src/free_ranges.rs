//! The free ranges of the shared arena's allocator, indexed twice: by
//! start (to coalesce a returned range with its neighbours) and by length
//! (to find the smallest range that fits). Taking and giving back are
//! O(log n) in the number of ranges, whatever the order in which blocks are
//! freed: a list kept sorted in a vector made each give-back move every
//! range after it, so freeing many small blocks from the top down was
//! quadratic (half a million frees took most of a minute, under the lock).

use std::collections::{BTreeMap, BTreeSet};

/// Disjoint, never adjacent ranges `(start, len)` of a space of bytes.
#[derive(Debug, Default)]
pub(crate) struct FreeRanges {
    by_start: BTreeMap<usize, usize>,
    by_len: BTreeSet<(usize, usize)>,
    total: usize,
}

impl FreeRanges {
    /// One free range of `len` bytes at 0 (none for 0).
    pub(crate) fn whole(len: usize) -> Self {
        let mut r = FreeRanges::default();
        r.insert(0, len);
        r
    }

    fn insert(&mut self, start: usize, len: usize) {
        if len == 0 {
            return;
        }
        self.by_start.insert(start, len);
        self.by_len.insert((len, start));
        self.total += len;
    }

    fn remove(&mut self, start: usize, len: usize) {
        self.by_start.remove(&start);
        self.by_len.remove(&(len, start));
        self.total -= len;
    }

    /// The start of `want` bytes (`want > 0`) taken from the smallest range
    /// that holds them (the lowest of equal ones), or `None`.
    pub(crate) fn take(&mut self, want: usize) -> Option<usize> {
        let &(len, start) = self.by_len.range((want, 0)..).next()?;
        self.remove(start, len);
        self.insert(start + want, len - want);
        Some(start)
    }

    /// Gives `len` bytes at `start` back, merged with the free ranges just
    /// before and after. A range that overlaps one already free (a block
    /// given back twice) is ignored rather than counted twice.
    pub(crate) fn give(&mut self, start: usize, len: usize) {
        let Some(end) = start.checked_add(len).filter(|_| len > 0) else {
            return;
        };
        let before = self
            .by_start
            .range(..=start)
            .next_back()
            .map(|(&s, &l)| (s, l));
        let after = self.by_start.range(start..).next().map(|(&s, &l)| (s, l));
        if before.is_some_and(|(s, l)| s + l > start) || after.is_some_and(|(s, _)| s < end) {
            return;
        }
        let (mut lo, mut hi) = (start, end);
        if let Some((s, l)) = before.filter(|&(s, l)| s + l == start) {
            self.remove(s, l);
            lo = s;
        }
        if let Some((s, l)) = after.filter(|&(s, _)| s == end) {
            self.remove(s, l);
            hi = s + l;
        }
        self.insert(lo, hi - lo);
    }

    /// The free bytes.
    pub(crate) fn total(&self) -> usize {
        self.total
    }

    /// How many separate ranges are free.
    #[cfg(test)]
    pub(crate) fn count(&self) -> usize {
        self.by_start.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn takes_the_smallest_fit_and_coalesces_on_give() {
        let mut r = FreeRanges::whole(1000);
        assert_eq!(r.take(100), Some(0));
        assert_eq!(r.take(100), Some(100));
        assert_eq!(r.take(100), Some(200));
        r.give(0, 100);
        // The 100 bytes at 0 fit 50 better than the 700 at 300.
        assert_eq!(r.take(50), Some(0));
        assert_eq!(r.take(800), None);
        r.give(0, 50);
        r.give(200, 100);
        r.give(100, 100);
        assert_eq!((r.count(), r.total()), (1, 1000));
        assert_eq!(r.take(1000), Some(0));
        assert_eq!((r.count(), r.total()), (0, 0));
        assert_eq!(r.take(1), None);
    }

    #[test]
    fn a_range_given_twice_or_overlapping_is_ignored() {
        let mut r = FreeRanges::whole(300);
        assert_eq!(r.take(300), Some(0));
        r.give(100, 100);
        for (s, l) in [(100, 100), (50, 100), (150, 100), (0, 300), (120, 10)] {
            r.give(s, l);
            assert_eq!((r.count(), r.total()), (1, 100), "{s}+{l}");
        }
        r.give(0, 0);
        r.give(usize::MAX, 2);
        assert_eq!((r.count(), r.total()), (1, 100));
    }

    /// A million blocks, every other one given back from the top
    /// down, then the rest from the bottom up: each step is logarithmic.
    #[test]
    fn giving_back_in_any_order_is_not_quadratic() {
        let blocks = 1usize << 20;
        let mut r = FreeRanges::whole(blocks * 64);
        let starts: Vec<usize> = (0..blocks).map(|_| r.take(64).unwrap()).collect();
        let began = Instant::now();
        for &s in starts.iter().step_by(2).rev() {
            r.give(s, 64);
        }
        assert_eq!(r.count(), blocks / 2);
        assert_eq!(r.take(128), None);
        for &s in starts.iter().skip(1).step_by(2) {
            r.give(s, 64);
        }
        assert_eq!((r.count(), r.total()), (1, blocks * 64));
        let took = began.elapsed();
        assert!(took < Duration::from_secs(20), "{took:?}");
    }
}
