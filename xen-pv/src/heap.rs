//! The heap behind `alloc`: a first-fit allocator over one arena (a static
//! array of the image, so the domain builder has mapped it already), with
//! an address-ordered free list whose neighbours merge on free.
//!
//! `GlobalAlloc` hands the layout back on free, so blocks carry no header:
//! a block is the request rounded up to [`GRAIN`] bytes, and a free block
//! keeps its size and the next free block in its first two words.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::{self, NonNull};
use core::sync::atomic::{AtomicBool, Ordering};

/// Block sizes and addresses are multiples of this.
pub const GRAIN: usize = 16;

/// A free block, stored in the free memory itself.
#[repr(C)]
struct Free {
    size: usize,
    next: *mut Free,
}

/// The allocator's state: the free list of one arena.
pub struct Heap {
    head: *mut Free,
    free_bytes: usize,
}

fn block_size(layout: Layout) -> Option<usize> {
    let size = layout.size().max(core::mem::size_of::<Free>());
    size.checked_add(GRAIN - 1).map(|s| s & !(GRAIN - 1))
}

fn align_up(addr: usize, align: usize) -> Option<usize> {
    addr.checked_add(align - 1).map(|a| a & !(align - 1))
}

impl Heap {
    /// A heap with nothing to give.
    pub const fn empty() -> Heap {
        Heap {
            head: ptr::null_mut(),
            free_bytes: 0,
        }
    }

    /// Bytes currently free.
    pub fn free_bytes(&self) -> usize {
        self.free_bytes
    }

    /// Gives the heap `len` bytes at `start`.
    ///
    /// # Safety
    ///
    /// The memory must be valid for reads and writes, unused by anything
    /// else, for as long as the heap is used.
    pub unsafe fn add_region(&mut self, start: *mut u8, len: usize) {
        let Some(begin) = align_up(start as usize, GRAIN) else {
            return;
        };
        let end = (start as usize).saturating_add(len) & !(GRAIN - 1);
        if end > begin && end - begin >= core::mem::size_of::<Free>() {
            // SAFETY: the range is ours, aligned, and big enough for a node.
            unsafe { self.insert(begin as *mut u8, end - begin) };
        }
    }

    /// Allocates a block for `layout`, or `None` when no free block fits.
    pub fn allocate(&mut self, layout: Layout) -> Option<NonNull<u8>> {
        let size = block_size(layout)?;
        let align = layout.align().max(GRAIN);
        let mut prev: *mut Free = ptr::null_mut();
        let mut cur = self.head;
        while !cur.is_null() {
            // SAFETY: every node on the list is a free block we wrote.
            let (start, len, next) = unsafe { (cur as usize, (*cur).size, (*cur).next) };
            let end = start + len;
            // The front remainder must be empty or hold a node of its own.
            let mut at = align_up(start, align)?;
            if at != start && at - start < core::mem::size_of::<Free>() {
                at = align_up(start + core::mem::size_of::<Free>(), align)?;
            }
            if at.checked_add(size).is_some_and(|e| e <= end) {
                // SAFETY: `cur` is a list node; unlinking it leaves a valid list.
                unsafe { self.unlink(prev, cur, next) };
                let tail = end - (at + size);
                // SAFETY: the remainders are parts of the free block just
                // taken off the list, disjoint from the block handed out.
                unsafe {
                    if at > start {
                        self.insert(start as *mut u8, at - start);
                    }
                    if tail > 0 {
                        self.insert((at + size) as *mut u8, tail);
                    }
                }
                return NonNull::new(at as *mut u8);
            }
            prev = cur;
            cur = next;
        }
        None
    }

    /// Returns a block to the heap.
    ///
    /// # Safety
    ///
    /// `block` must come from [`Heap::allocate`] with the same `layout`,
    /// and not have been freed since.
    pub unsafe fn deallocate(&mut self, block: NonNull<u8>, layout: Layout) {
        let size = block_size(layout).expect("allocate computed it");
        // SAFETY: as the caller vouches, the block is ours and unused.
        unsafe { self.insert(block.as_ptr(), size) };
    }

    /// # Safety
    ///
    /// `prev` must be `cur`'s predecessor on the list (null when `cur` is
    /// the head) and `next` its successor.
    unsafe fn unlink(&mut self, prev: *mut Free, cur: *mut Free, next: *mut Free) {
        if prev.is_null() {
            self.head = next;
        } else {
            // SAFETY: `prev` is a node of the list.
            unsafe { (*prev).next = next };
        }
        // SAFETY: `cur` is a node of the list.
        self.free_bytes -= unsafe { (*cur).size };
    }

    /// Puts `len` free bytes at `start` on the list, in address order,
    /// merged with the free neighbours they touch.
    ///
    /// # Safety
    ///
    /// The range must be unused, aligned to [`GRAIN`], at least a node long,
    /// and overlap no block on the list.
    unsafe fn insert(&mut self, start: *mut u8, len: usize) {
        let addr = start as usize;
        let mut prev: *mut Free = ptr::null_mut();
        let mut next = self.head;
        // SAFETY: every node on the list is a free block we wrote, and the
        // new range (the caller's) overlaps none of them.
        unsafe {
            while !next.is_null() && (next as usize) < addr {
                prev = next;
                next = (*next).next;
            }
            let node = start.cast::<Free>();
            node.write(Free { size: len, next });
            if !next.is_null() && addr + len == next as usize {
                (*node).size += (*next).size;
                (*node).next = (*next).next;
            }
            if !prev.is_null() && prev as usize + (*prev).size == addr {
                (*prev).size += (*node).size;
                (*prev).next = (*node).next;
            } else if prev.is_null() {
                self.head = node;
            } else {
                (*prev).next = node;
            }
        }
        self.free_bytes += len;
    }
}

/// A [`Heap`] behind a spin lock, as the global allocator. The unikernel
/// has one vCPU and no interrupts, so the lock is never contended; it keeps
/// the type sound anyway.
pub struct LockedHeap {
    locked: AtomicBool,
    heap: UnsafeCell<Heap>,
}

// SAFETY: the heap is only reached while `locked` is held.
unsafe impl Sync for LockedHeap {}

impl LockedHeap {
    /// An empty heap; give it memory with [`LockedHeap::add_region`].
    pub const fn empty() -> LockedHeap {
        LockedHeap {
            locked: AtomicBool::new(false),
            heap: UnsafeCell::new(Heap::empty()),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut Heap) -> R) -> R {
        while self
            .locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            core::hint::spin_loop();
        }
        // SAFETY: the lock is held, so this is the only reference.
        let r = f(unsafe { &mut *self.heap.get() });
        self.locked.store(false, Ordering::Release);
        r
    }

    /// See [`Heap::add_region`].
    ///
    /// # Safety
    ///
    /// As [`Heap::add_region`].
    pub unsafe fn add_region(&self, start: *mut u8, len: usize) {
        // SAFETY: as the caller vouches.
        self.with(|h| unsafe { h.add_region(start, len) })
    }

    /// Bytes currently free.
    pub fn free_bytes(&self) -> usize {
        self.with(|h| h.free_bytes())
    }
}

// SAFETY: `Heap` hands out disjoint blocks of at least the layout's size
// and alignment, and takes back only what it handed out.
unsafe impl GlobalAlloc for LockedHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.with(|h| h.allocate(layout))
            .map_or(ptr::null_mut(), NonNull::as_ptr)
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        if let Some(b) = NonNull::new(block) {
            // SAFETY: `GlobalAlloc`'s contract is `deallocate`'s.
            self.with(|h| unsafe { h.deallocate(b, layout) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    #[repr(C, align(4096))]
    struct Arena([u8; 1 << 16]);

    fn heap(arena: &mut Arena) -> Heap {
        let mut h = Heap::empty();
        // SAFETY: the arena outlives the heap in each test.
        unsafe { h.add_region(arena.0.as_mut_ptr(), arena.0.len()) };
        h
    }

    /// A small deterministic generator (xorshift64*).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
    }

    #[test]
    fn random_blocks_are_disjoint_aligned_and_all_come_back() {
        let mut arena = Box::new(Arena([0; 1 << 16]));
        let mut h = heap(&mut arena);
        let total = h.free_bytes();
        let mut rng = Rng(0x1234_5678_9abc_def1);
        let mut live: Vec<(usize, Layout, u8)> = Vec::new();
        for round in 0..20_000u32 {
            if live.len() < 40 && rng.next() % 3 != 0 {
                let size = 1 + (rng.next() % 3000) as usize;
                let align = 1usize << (rng.next() % 9);
                let layout = Layout::from_size_align(size, align).unwrap();
                if let Some(p) = h.allocate(layout) {
                    let a = p.as_ptr() as usize;
                    assert_eq!(a % align, 0);
                    for &(b, l, _) in &live {
                        assert!(a + size <= b || b + l.size() <= a, "overlap");
                    }
                    let fill = round as u8;
                    // SAFETY: a fresh block of `size` bytes.
                    unsafe { ptr::write_bytes(p.as_ptr(), fill, size) };
                    live.push((a, layout, fill));
                }
            } else if !live.is_empty() {
                let i = (rng.next() as usize) % live.len();
                let (a, layout, fill) = live.swap_remove(i);
                // SAFETY: the block is live and `size` bytes long.
                let bytes = unsafe { std::slice::from_raw_parts(a as *const u8, layout.size()) };
                assert!(bytes.iter().all(|&b| b == fill), "a block was overwritten");
                // SAFETY: allocated with this layout, freed once.
                unsafe { h.deallocate(NonNull::new(a as *mut u8).unwrap(), layout) };
            }
        }
        for (a, layout, _) in live.drain(..) {
            // SAFETY: as above.
            unsafe { h.deallocate(NonNull::new(a as *mut u8).unwrap(), layout) };
        }
        assert_eq!(h.free_bytes(), total);
        // Everything merged back into one block: the whole arena fits again.
        let all = Layout::from_size_align(total, GRAIN).unwrap();
        assert!(h.allocate(all).is_some());
    }

    #[test]
    fn an_exhausted_heap_says_so() {
        let mut arena = Box::new(Arena([0; 1 << 16]));
        let mut h = heap(&mut arena);
        assert!(h
            .allocate(Layout::from_size_align(1 << 17, 8).unwrap())
            .is_none());
        assert!(h
            .allocate(Layout::from_size_align(isize::MAX as usize & !7, 8).unwrap())
            .is_none());
    }

    use std::boxed::Box;
}
