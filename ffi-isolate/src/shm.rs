//! Shared memory for the ring, and where everything lives inside it.
//!
//! [`SharedMemory`] is a sealed memfd mapped `MAP_SHARED` read-write. The side
//! that creates it (in the process transport: the client) seals it against
//! shrinking and growing and then seals the seals, so the peer can neither make
//! our mapping fault (`SIGBUS` after a truncate) nor add seals of its own. The
//! side that receives the descriptor ([`SharedMemory::from_fd`]) refuses one
//! that is not sealed against shrinking, whose size is zero or not a page
//! multiple, or that is larger than [`MAX_SHARED_LEN`].
//!
//! One mapping holds the rings of every lane of a domain (see
//! [`crate::client`]'s threading model), one [`RingLayout`] after the other:
//! lane `i` starts at `i * layout.total_len()`, a page multiple.
//! [`SharedMemory::part`] gives a lane's part as a [`SharedMemory`] of its
//! own, which keeps the whole mapping alive.
//!
//! [`RingLayout`] places the pieces for a pair of ring orders, exactly as
//! `libxenvchan` does, followed by one page of our own:
//!
//! | offset | content |
//! | --- | --- |
//! | 0 | the vchan control page ([`crate::ring::ControlPage`]); an order-10 ring lives at 1024 and an order-11 ring at 2048 inside it |
//! | 4096 | the left ring, if its order is 12 or more (`2^(order-12)` pages) |
//! | after it | the right ring, if its order is 12 or more |
//! | after the rings | the event page ([`EventPage`]): the two futex words, the violation word and the two call slots |
//!
//! After every lane's rings come the lanes' bulk regions, one per lane and
//! all of one size (zero when the client passes no segments), which the
//! client announces in its hello: [`DomainLayout`] finds every part. A bulk
//! region is reserved at its largest size, but a memfd's pages take memory
//! only once written, so a region costs what the calls have used of it.

use std::io;
use std::marker::PhantomData;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU32, AtomicU64};

use rustix::fs::{MemfdFlags, SealFlags};
use rustix::mm::{MapFlags, ProtFlags};

use crate::ring::{Ring, Side};

/// The page size the layout is built on (the vchan control page is one page).
pub const PAGE_SIZE: usize = 4096;
/// `log2(PAGE_SIZE)`: rings of this order or more get pages of their own.
pub const PAGE_SHIFT: u16 = 12;
/// The smallest ring order (1 KiB), placed inside the control page at
/// [`SMALL_RING_OFFSET`].
pub const MIN_RING_ORDER: u16 = 10;
/// The largest ring order (1 MiB), as in `libxenvchan` (a larger one would not
/// leave room for its grant list in the control page).
pub const MAX_RING_ORDER: u16 = 20;
/// Where an order-10 ring lives inside the control page.
pub const SMALL_RING_OFFSET: usize = 1024;
/// Where an order-11 ring lives inside the control page.
pub const LARGE_RING_OFFSET: usize = 2048;
/// Offset of the grant list (`u32` each, left ring's pages first) in the
/// control page. The process transport leaves it zero; it is part of the
/// layout so that the page stays a valid vchan page.
pub const GRANTS_OFFSET: usize = 24;
/// The largest mapping any pair of orders needs: the control page, two rings
/// of the largest order, and the event page. [`SharedMemory::from_fd`]
/// refuses anything larger.
pub const MAX_MAPPING_LEN: usize = PAGE_SIZE + 2 * (1 << MAX_RING_ORDER) + PAGE_SIZE;
/// The most lanes (ring pairs) one mapping holds.
pub const MAX_LANES: usize = 16;
/// The largest bulk region of one lane.
pub const MAX_BULK_LEN: usize = 64 << 20;
/// The largest mapping [`SharedMemory::from_fd`] accepts: [`MAX_LANES`]
/// lanes of the largest layout, each with the largest bulk region.
pub const MAX_SHARED_LEN: usize = MAX_LANES * (MAX_MAPPING_LEN + MAX_BULK_LEN);

/// Offset, inside the event page, of the futex word that wakes the client.
pub const CLIENT_FUTEX_OFFSET: usize = 0;
/// Offset, inside the event page, of the futex word that wakes the server.
pub const SERVER_FUTEX_OFFSET: usize = 64;
/// Offset, inside the event page, of the violation word written by the
/// `SIGSYS` handler of a process that confined itself
/// ([`crate::sandbox::enter`]); a launched domain's violations are recorded by
/// the client's supervisor instead.
pub const VIOLATION_OFFSET: usize = 128;
/// Offset, inside the event page, of the call slot the client writes
/// ([`crate::slot`]); 1 KiB from every other word, so that no cache line
/// (nor the pair a prefetcher fetches together) holds two of them.
pub const REQUEST_SLOT_OFFSET: usize = 1024;
/// Offset, inside the event page, of the call slot the server writes.
pub const REPLY_SLOT_OFFSET: usize = 2048;
/// The 8-byte words of one call slot (two cache lines).
pub const SLOT_WORDS: usize = 16;
const _: () = assert!(REPLY_SLOT_OFFSET + 8 * SLOT_WORDS <= PAGE_SIZE);

/// Why a [`SharedMemory`] could not be created, received or mapped.
#[derive(Debug, thiserror::Error)]
pub enum ShmError {
    /// A system call failed.
    #[error("shared memory: {op}: {source}")]
    Io {
        /// The operation that failed.
        op: &'static str,
        /// The error the kernel returned.
        #[source]
        source: io::Error,
    },
    /// The size is zero, not a multiple of [`PAGE_SIZE`], or above
    /// [`MAX_SHARED_LEN`].
    #[error("shared memory: size {len} is not a non-zero multiple of {PAGE_SIZE} of at most {MAX_SHARED_LEN}")]
    BadSize {
        /// The size that was asked for or found.
        len: u64,
    },
    /// A received descriptor is not sealed against shrinking (or is not a
    /// memfd at all), so the peer could truncate it under our mapping.
    #[error("shared memory: descriptor is not a memfd sealed against shrinking")]
    NotSealed,
}

fn io_err(op: &'static str) -> impl FnOnce(rustix::io::Errno) -> ShmError {
    move |e| ShmError::Io {
        op,
        source: e.into(),
    }
}

fn check_len(len: u64) -> Result<usize, ShmError> {
    match usize::try_from(len) {
        Ok(l) if l != 0 && l % PAGE_SIZE == 0 && l <= MAX_SHARED_LEN => Ok(l),
        _ => Err(ShmError::BadSize { len }),
    }
}

/// A sealed memfd mapped `MAP_SHARED` read-write; unmapped on drop.
///
/// The memory is shared with a peer that may be hostile, so this type never
/// hands out references to plain bytes: only the base pointer, and views that
/// access it through atomics ([`EventPage`], [`crate::ring::ControlPage`]).
#[derive(Debug)]
pub struct SharedMemory {
    backing: Backing,
    base: NonNull<u8>,
    len: usize,
}

/// What a [`SharedMemory`] maps: a memfd of its own, or a part of another
/// mapping (a lane), which it keeps alive.
#[derive(Debug)]
enum Backing {
    Mapped(OwnedFd),
    Part(std::sync::Arc<SharedMemory>),
}

// SAFETY: the mapping is owned by this value and valid until drop, whichever
// thread drops it; the raw pointer carries no thread affinity.
unsafe impl Send for SharedMemory {}
// SAFETY: `&SharedMemory` only gives out the base pointer and atomic views;
// every access to the bytes goes through atomics (the memory is written
// concurrently by another process anyway), so sharing between threads adds
// no data race that is not already handled.
unsafe impl Sync for SharedMemory {}

impl SharedMemory {
    /// Creates a memfd of `len` bytes (a non-zero multiple of [`PAGE_SIZE`],
    /// at most [`MAX_SHARED_LEN`]), seals it against shrinking and growing,
    /// seals the seals, and maps it. The memory starts zeroed.
    pub fn create(len: usize) -> Result<Self, ShmError> {
        let len = check_len(len as u64)?;
        let fd = rustix::fs::memfd_create(
            "ffi-isolate-ring",
            MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING,
        )
        .map_err(io_err("memfd_create"))?;
        rustix::fs::ftruncate(&fd, len as u64).map_err(io_err("ftruncate"))?;
        rustix::fs::fcntl_add_seals(&fd, SealFlags::SHRINK | SealFlags::GROW | SealFlags::SEAL)
            .map_err(io_err("F_ADD_SEALS"))?;
        Self::map(fd, len)
    }

    /// Creates shared memory of exactly the size `layout` needs.
    pub fn create_for(layout: RingLayout) -> Result<Self, ShmError> {
        Self::create(layout.total_len())
    }

    /// Maps a descriptor received from a peer, at the size `fstat` reports.
    ///
    /// Refuses a size that is zero, not a page multiple or above
    /// [`MAX_SHARED_LEN`], and a descriptor that is not sealed against
    /// shrinking (a peer that could shrink it could make every access to our
    /// mapping fault).
    pub fn from_fd(fd: OwnedFd) -> Result<Self, ShmError> {
        let seals = rustix::fs::fcntl_get_seals(&fd).map_err(|_| ShmError::NotSealed)?;
        if !seals.contains(SealFlags::SHRINK) {
            return Err(ShmError::NotSealed);
        }
        let st = rustix::fs::fstat(&fd).map_err(io_err("fstat"))?;
        let len = check_len(u64::try_from(st.st_size).unwrap_or(0))?;
        Self::map(fd, len)
    }

    /// Maps `len` bytes at `offset` of a device that hands out shared pages
    /// (Xen's `gntalloc` and `gntdev`: the offset is the one their ioctl
    /// returned); unmapped on drop, then the descriptor is closed, which
    /// releases the pages to the device.
    #[cfg(feature = "xen")]
    pub(crate) fn map_device(fd: OwnedFd, offset: u64, len: usize) -> Result<Self, ShmError> {
        let len = check_len(len as u64)?;
        Self::map_at(fd, offset, len)
    }

    fn map(fd: OwnedFd, len: usize) -> Result<Self, ShmError> {
        Self::map_at(fd, 0, len)
    }

    fn map_at(fd: OwnedFd, offset: u64, len: usize) -> Result<Self, ShmError> {
        // SAFETY: a fresh mapping chosen by the kernel (null hint, no
        // MAP_FIXED), so no existing memory is replaced; `len` is non-zero and
        // the file is at least `len` long (we truncated it, or fstat said so
        // and the size is sealed against shrinking; a device's ioctl gave
        // out `len` bytes at `offset`).
        let ptr = unsafe {
            rustix::mm::mmap(
                std::ptr::null_mut(),
                len,
                ProtFlags::READ | ProtFlags::WRITE,
                MapFlags::SHARED,
                &fd,
                offset,
            )
        }
        .map_err(io_err("mmap"))?;
        let base = NonNull::new(ptr.cast::<u8>()).ok_or(ShmError::Io {
            op: "mmap",
            source: io::Error::other("mmap returned null"),
        })?;
        Ok(Self {
            backing: Backing::Mapped(fd),
            base,
            len,
        })
    }

    /// The `len` bytes at `offset` of `whole` as a mapping of their own (a
    /// lane's rings); `None` unless both are page multiples and the part
    /// lies inside `whole`.
    pub fn part(whole: &std::sync::Arc<SharedMemory>, offset: usize, len: usize) -> Option<Self> {
        let end = offset.checked_add(len)?;
        if len == 0 || offset % PAGE_SIZE != 0 || len % PAGE_SIZE != 0 || end > whole.len {
            return None;
        }
        // SAFETY: `offset + len <= whole.len`, so the part lies inside the
        // mapping, which the `Arc` in the backing keeps alive.
        let base = unsafe { NonNull::new_unchecked(whole.base.as_ptr().add(offset)) };
        Some(Self {
            backing: Backing::Part(whole.clone()),
            base,
            len,
        })
    }

    /// The memfd, to pass to the peer (for a part: the whole mapping's).
    pub fn fd(&self) -> BorrowedFd<'_> {
        match &self.backing {
            Backing::Mapped(fd) => fd.as_fd(),
            Backing::Part(whole) => whole.fd(),
        }
    }

    /// The start of the mapping (page aligned). Access it only through atomic
    /// or volatile operations: the peer writes it concurrently.
    pub fn as_ptr(&self) -> *mut u8 {
        self.base.as_ptr()
    }

    /// The length of the mapping in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always `false`: a mapping is never empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The event page of `layout` in this mapping, or `None` if the mapping is
    /// too small for `layout`.
    pub fn event_page(&self, layout: RingLayout) -> Option<EventPage<'_>> {
        if layout.total_len() > self.len {
            return None;
        }
        // SAFETY: `event_page_offset() + PAGE_SIZE == total_len() <= len`, so
        // the offset stays inside the mapping.
        let ptr = unsafe { self.base.as_ptr().add(layout.event_page_offset()) };
        Some(EventPage {
            // SAFETY: inside a non-null mapping, so non-null.
            base: unsafe { NonNull::new_unchecked(ptr) },
            _shm: PhantomData,
        })
    }
}

impl Drop for SharedMemory {
    fn drop(&mut self) {
        if let Backing::Part(_) = self.backing {
            // The whole mapping is unmapped when its last part is gone.
            return;
        }
        // SAFETY: `base`/`len` are exactly the mapping created in `map`, and
        // every view that borrows it (`EventPage`, `ControlPage`, endpoints
        // holding an `Arc`) has ended before drop can run.
        let _ = unsafe { rustix::mm::munmap(self.base.as_ptr().cast(), self.len) };
    }
}

/// Why a pair of ring orders does not make a valid layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// An order outside `MIN_RING_ORDER..=MAX_RING_ORDER`.
    #[error("{ring:?} ring order {order} is outside {MIN_RING_ORDER}..={MAX_RING_ORDER}")]
    OrderOutOfRange {
        /// Which ring.
        ring: Ring,
        /// The order found.
        order: u16,
    },
    /// Both rings want the same in-page slot (both order 10 or both 11).
    #[error("both rings have order {order}, which would share one slot of the control page")]
    SameInPageSlot {
        /// The shared order.
        order: u16,
    },
    /// The grant list would run into a ring inside the control page.
    #[error("grant list ends at {grants_end}, inside the ring at {ring_offset}")]
    GrantsOverlapRing {
        /// Where the grant list ends.
        grants_end: usize,
        /// Where the in-page ring starts.
        ring_offset: usize,
    },
    /// The mapping is smaller than the layout.
    #[error("mapping of {actual} bytes is smaller than the {needed} the ring orders need")]
    MappingTooSmall {
        /// Bytes the layout needs.
        needed: usize,
        /// Bytes mapped.
        actual: usize,
    },
}

/// The placement of both rings and the event page for a pair of ring orders.
///
/// The left ring is written by the client and read by the server, the right
/// ring the other way round (as in `libxenvchan`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RingLayout {
    left_order: u16,
    right_order: u16,
}

impl RingLayout {
    /// Validates a pair of orders: each in `10..=20`, not both in the same
    /// in-page slot, and a grant list that does not run into an in-page ring
    /// (the same checks `libxenvchan` makes, plus the one its header states).
    pub fn new(left_order: u16, right_order: u16) -> Result<Self, LayoutError> {
        for (ring, order) in [(Ring::Left, left_order), (Ring::Right, right_order)] {
            if !(MIN_RING_ORDER..=MAX_RING_ORDER).contains(&order) {
                return Err(LayoutError::OrderOutOfRange { ring, order });
            }
        }
        if left_order == right_order && left_order < PAGE_SHIFT {
            return Err(LayoutError::SameInPageSlot { order: left_order });
        }
        let layout = Self {
            left_order,
            right_order,
        };
        let grants_end = GRANTS_OFFSET + 4 * layout.grant_count();
        for ring in [Ring::Left, Ring::Right] {
            if layout.ring_pages(ring) == 0 && grants_end > layout.ring_offset(ring) {
                return Err(LayoutError::GrantsOverlapRing {
                    grants_end,
                    ring_offset: layout.ring_offset(ring),
                });
            }
        }
        Ok(layout)
    }

    /// The smallest layout whose rings hold at least `left_min` and
    /// `right_min` bytes, preferring the in-page slots as
    /// `libxenvchan_server_init` does.
    pub fn for_sizes(left_min: usize, right_min: usize) -> Result<Self, LayoutError> {
        fn min_order(size: usize) -> u16 {
            let mut order = PAGE_SHIFT;
            while size > (1usize << order) && order <= MAX_RING_ORDER {
                order += 1;
            }
            order
        }
        let small = 1 << MIN_RING_ORDER;
        let large = 1 << (MIN_RING_ORDER + 1);
        let (mut left, mut right) = (min_order(left_min), min_order(right_min));
        if left_min <= small && right_min <= large {
            (left, right) = (MIN_RING_ORDER, MIN_RING_ORDER + 1);
        } else if left_min <= large && right_min <= small {
            (left, right) = (MIN_RING_ORDER + 1, MIN_RING_ORDER);
        } else if left_min <= large {
            left = MIN_RING_ORDER + 1;
        } else if right_min <= large {
            right = MIN_RING_ORDER + 1;
        }
        Self::new(left, right)
    }

    /// The order of the left ring (client to server).
    pub fn left_order(&self) -> u16 {
        self.left_order
    }

    /// The order of the right ring (server to client).
    pub fn right_order(&self) -> u16 {
        self.right_order
    }

    /// The order of `ring`.
    pub fn order(&self, ring: Ring) -> u16 {
        match ring {
            Ring::Left => self.left_order,
            Ring::Right => self.right_order,
        }
    }

    /// The size in bytes of `ring` (`2^order`).
    pub fn ring_len(&self, ring: Ring) -> usize {
        1 << self.order(ring)
    }

    /// How many pages of its own `ring` has after the control page: 0 for
    /// orders 10 and 11, `2^(order-12)` otherwise.
    pub fn ring_pages(&self, ring: Ring) -> usize {
        let order = self.order(ring);
        if order < PAGE_SHIFT {
            0
        } else {
            1 << (order - PAGE_SHIFT)
        }
    }

    /// The number of grant references the control page lists (left ring's
    /// pages, then right ring's).
    pub fn grant_count(&self) -> usize {
        self.ring_pages(Ring::Left) + self.ring_pages(Ring::Right)
    }

    /// Offset of `ring`'s first byte from the start of the mapping.
    pub fn ring_offset(&self, ring: Ring) -> usize {
        match self.order(ring) {
            10 => SMALL_RING_OFFSET,
            11 => LARGE_RING_OFFSET,
            _ => match ring {
                Ring::Left => PAGE_SIZE,
                Ring::Right => PAGE_SIZE + self.ring_pages(Ring::Left) * PAGE_SIZE,
            },
        }
    }

    /// Offset of the event page from the start of the mapping.
    pub fn event_page_offset(&self) -> usize {
        PAGE_SIZE + self.grant_count() * PAGE_SIZE
    }

    /// The number of bytes the whole mapping needs.
    pub fn total_len(&self) -> usize {
        self.event_page_offset() + PAGE_SIZE
    }
}

/// Where the lanes' rings and bulk regions lie in a domain's mapping: `lanes`
/// ring parts of `lane_len` bytes from offset 0, then `lanes` bulk regions of
/// `bulk_len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DomainLayout {
    /// How many lanes.
    pub lanes: usize,
    /// The bytes of one lane's rings ([`RingLayout::total_len`]).
    pub lane_len: usize,
    /// The bytes of one lane's bulk region (a page multiple, maybe zero).
    pub bulk_len: usize,
}

impl DomainLayout {
    /// The layout of a mapping of `total` bytes whose lanes' rings take
    /// `lane_len` bytes each and whose bulk regions `bulk_len`: `None` unless
    /// it holds a whole number of at most [`MAX_LANES`] lanes.
    pub fn of_mapping(total: usize, lane_len: usize, bulk_len: usize) -> Option<Self> {
        if bulk_len % PAGE_SIZE != 0 || bulk_len > MAX_BULK_LEN || lane_len == 0 {
            return None;
        }
        let stride = lane_len.checked_add(bulk_len)?;
        let lanes = total / stride;
        (total % stride == 0 && (1..=MAX_LANES).contains(&lanes)).then_some(DomainLayout {
            lanes,
            lane_len,
            bulk_len,
        })
    }

    /// The bytes of the whole mapping.
    pub fn total_len(&self) -> usize {
        self.lanes * (self.lane_len + self.bulk_len)
    }

    /// Lane `lane`'s rings as a part of `whole`.
    pub fn rings(&self, whole: &std::sync::Arc<SharedMemory>, lane: usize) -> Option<SharedMemory> {
        (lane < self.lanes).then_some(())?;
        SharedMemory::part(whole, lane * self.lane_len, self.lane_len)
    }

    /// Lane `lane`'s bulk region as a part of `whole` (`None` without one).
    pub fn bulk(&self, whole: &std::sync::Arc<SharedMemory>, lane: usize) -> Option<SharedMemory> {
        (lane < self.lanes && self.bulk_len != 0).then_some(())?;
        let offset = self.lanes * self.lane_len + lane * self.bulk_len;
        SharedMemory::part(whole, offset, self.bulk_len)
    }
}

/// The page after the rings: one futex word per side and the violation word.
///
/// The futex word of a side is the one that side parks on and the peer bumps
/// before `FUTEX_WAKE`; see [`crate::wait`] for why it may be shared with a
/// hostile peer.
#[derive(Debug, Clone, Copy)]
pub struct EventPage<'a> {
    base: NonNull<u8>,
    _shm: PhantomData<&'a SharedMemory>,
}

impl<'a> EventPage<'a> {
    /// Builds a view of an event page at `base`.
    ///
    /// # Safety
    ///
    /// `base` must be 4-byte aligned and point to at least [`PAGE_SIZE`]
    /// bytes that stay mapped read-write for `'a` and are accessed by
    /// everyone (in this process) only atomically.
    pub unsafe fn from_raw(base: NonNull<u8>) -> Self {
        Self {
            base,
            _shm: PhantomData,
        }
    }

    fn word(&self, offset: usize) -> &'a AtomicU32 {
        // SAFETY: `offset + 4 <= PAGE_SIZE` for every caller (the constants
        // above), the page is page aligned so the word is 4-aligned, and the
        // memory stays mapped for `'a`. An `AtomicU32` has interior
        // mutability, so the peer writing it concurrently is allowed.
        unsafe { AtomicU32::from_ptr(self.base.as_ptr().add(offset).cast::<u32>()) }
    }

    /// The futex word that wakes `side`: `side` parks on it, its peer bumps it
    /// and calls `FUTEX_WAKE`.
    pub fn futex_word(&self, side: Side) -> &'a AtomicU32 {
        match side {
            Side::Client => self.word(CLIENT_FUTEX_OFFSET),
            Side::Server => self.word(SERVER_FUTEX_OFFSET),
        }
    }

    /// Word `i` of the call slot `side` writes ([`crate::slot`]); `None`
    /// past the slot's end.
    pub fn slot_word(&self, side: Side, i: usize) -> Option<&'a AtomicU64> {
        if i >= SLOT_WORDS {
            return None;
        }
        let offset = match side {
            Side::Client => REQUEST_SLOT_OFFSET,
            Side::Server => REPLY_SLOT_OFFSET,
        } + 8 * i;
        // SAFETY: `offset + 8 <= REPLY_SLOT_OFFSET + 8 * SLOT_WORDS <=
        // PAGE_SIZE`, the page is page aligned so the word is 8-aligned, and
        // the memory stays mapped for `'a`; atomics allow the peer's writes.
        Some(unsafe { AtomicU64::from_ptr(self.base.as_ptr().add(offset).cast::<u64>()) })
    }

    /// The word the `SIGSYS` handler of [`crate::sandbox::enter`] writes when
    /// the sandbox refuses a system call (reserved here; its values belong to
    /// the sandbox). A launched domain's refusals never pass through it.
    pub fn violation_word(&self) -> &'a AtomicU32 {
        self.word(VIOLATION_OFFSET)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    #[test]
    fn layout_matches_libxenvchan() {
        let l = RingLayout::new(10, 11).unwrap();
        assert_eq!(l.ring_offset(Ring::Left), 1024);
        assert_eq!(l.ring_offset(Ring::Right), 2048);
        assert_eq!(l.total_len(), 2 * PAGE_SIZE);
        let l = RingLayout::new(13, 12).unwrap();
        assert_eq!(l.ring_offset(Ring::Left), PAGE_SIZE);
        assert_eq!(l.ring_offset(Ring::Right), 3 * PAGE_SIZE);
        assert_eq!(l.event_page_offset(), 4 * PAGE_SIZE);
        let l = RingLayout::new(20, 20).unwrap();
        assert_eq!(l.total_len(), MAX_MAPPING_LEN);
        let l = RingLayout::new(20, 11).unwrap();
        assert_eq!(l.ring_offset(Ring::Right), LARGE_RING_OFFSET);
        assert_eq!(
            RingLayout::new(20, 10),
            Err(LayoutError::GrantsOverlapRing {
                grants_end: 24 + 1024,
                ring_offset: 1024
            })
        );
        assert!(RingLayout::new(19, 10).is_ok());
        assert_eq!(
            RingLayout::new(10, 10),
            Err(LayoutError::SameInPageSlot { order: 10 })
        );
        assert!(matches!(
            RingLayout::new(9, 12),
            Err(LayoutError::OrderOutOfRange { .. })
        ));
        assert!(matches!(
            RingLayout::new(12, 21),
            Err(LayoutError::OrderOutOfRange { .. })
        ));
    }

    #[test]
    fn for_sizes_prefers_in_page_slots() {
        assert_eq!(
            RingLayout::for_sizes(1000, 2000).unwrap(),
            RingLayout::new(10, 11).unwrap()
        );
        assert_eq!(
            RingLayout::for_sizes(2000, 1000).unwrap(),
            RingLayout::new(11, 10).unwrap()
        );
        assert_eq!(
            RingLayout::for_sizes(65536, 100).unwrap(),
            RingLayout::new(16, 11).unwrap()
        );
        assert_eq!(
            RingLayout::for_sizes(5000, 5000).unwrap(),
            RingLayout::new(13, 13).unwrap()
        );
        assert!(RingLayout::for_sizes(2 << 20, 0).is_err());
    }

    #[test]
    fn create_and_receive() {
        let layout = RingLayout::new(12, 13).unwrap();
        let a = SharedMemory::create_for(layout).unwrap();
        assert_eq!(a.len(), layout.total_len());
        let fd = a.fd().try_clone_to_owned().unwrap();
        let b = SharedMemory::from_fd(fd).unwrap();
        assert_eq!(b.len(), a.len());
        a.event_page(layout)
            .unwrap()
            .violation_word()
            .store(7, Ordering::SeqCst);
        assert_eq!(
            b.event_page(layout)
                .unwrap()
                .violation_word()
                .load(Ordering::SeqCst),
            7
        );
        assert!(b.event_page(RingLayout::new(20, 20).unwrap()).is_none());
        // The peer cannot shrink or grow it.
        assert!(rustix::fs::ftruncate(b.fd(), 0).is_err());
        assert!(rustix::fs::ftruncate(b.fd(), 1 << 30).is_err());
    }

    #[test]
    fn refuses_bad_sizes_and_unsealed() {
        for len in [0, 100, PAGE_SIZE + 1, MAX_SHARED_LEN + PAGE_SIZE] {
            assert!(matches!(
                SharedMemory::create(len),
                Err(ShmError::BadSize { .. })
            ));
        }
        let unsealed = rustix::fs::memfd_create("t", MemfdFlags::CLOEXEC).unwrap();
        rustix::fs::ftruncate(&unsealed, PAGE_SIZE as u64).unwrap();
        assert!(matches!(
            SharedMemory::from_fd(unsealed),
            Err(ShmError::NotSealed)
        ));
        for len in [0u64, 100, (MAX_SHARED_LEN + PAGE_SIZE) as u64] {
            let fd = rustix::fs::memfd_create("t", MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING)
                .unwrap();
            rustix::fs::ftruncate(&fd, len).unwrap();
            rustix::fs::fcntl_add_seals(&fd, SealFlags::SHRINK).unwrap();
            assert!(matches!(
                SharedMemory::from_fd(fd),
                Err(ShmError::BadSize { .. })
            ));
        }
    }
}
