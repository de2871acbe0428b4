//! The vchan ring: the control page of Xen's `libxenvchan`, byte for byte, and
//! an [`Endpoint`] that reads and writes it without trusting the peer.
//!
//! # The control page
//!
//! | offset | field | written by |
//! | --- | --- | --- |
//! | 0, 4 | left ring `cons`, `prod` (`u32`) | server (`cons`), client (`prod`) |
//! | 8, 12 | right ring `cons`, `prod` (`u32`) | client (`cons`), server (`prod`) |
//! | 16, 18 | `left_order`, `right_order` (`u16`) | the creator, once |
//! | 20, 21 | `cli_live`, `srv_live` (`u8`: 0 gone, 1 connected, 2 not yet) | each side its own |
//! | 22, 23 | `cli_notify`, `srv_notify` (`u8`: [`NOTIFY_WRITE`], [`NOTIFY_READ`]) | see below |
//! | 24 | grant list (`u32` each; left ring's pages first) | the creator (zero in the process transport) |
//!
//! The left ring carries client-to-server bytes, the right ring
//! server-to-client bytes. Indices are free-running `u32`s masked with the
//! ring size; `prod - cons` (wrapping) is the number of bytes in flight.
//!
//! # Notification, as `libxenvchan` does it
//!
//! A side's own notify byte (`cli_notify` for the client) holds the requests
//! its *peer* made of it. A side that wants to be told when something happens
//! sets a bit in the peer's byte (`fetch_or`, then a full fence, then it
//! re-reads the indices); a side that has moved an index issues a full fence
//! and then clears that bit in its own byte (`fetch_and`), and wakes the peer
//! only if the bit was set. The Dekker-style pair of full fences guarantees
//! that either the waiter sees the new index or the actor sees the request.
//! [`NOTIFY_WRITE`] asks to be told of new data, [`NOTIFY_READ`] of consumed
//! data (free space).
//!
//! Barriers match `libxenvchan`'s: the reader loads `prod` with acquire before
//! it copies data and publishes `cons` with release after; the writer loads
//! `cons` with acquire before it writes data and publishes `prod` with
//! release after.
//!
//! # Who creates the page
//!
//! In Xen the server allocates and grants the page, and the client attaches.
//! In our process transport the client creates the shared memory (it starts
//! the domain and hands it the memfd), so [`Endpoint::create`] works for
//! either side: the creator zeroes the control page, writes the orders and the
//! starting indices, marks itself connected and the peer "not yet", and asks
//! the peer to report writes; [`Endpoint::attach`] validates the orders
//! against the mapping, adopts the indices it finds (after checking them),
//! asks the creator to report writes, marks itself connected and wakes the
//! creator. The page is then the same as a `libxenvchan` one.
//!
//! # Distrust
//!
//! Shared bytes are only touched through atomic operations; no `&`/`&mut` to
//! a plain byte the peer can write is ever made. Each endpoint keeps private
//! copies of its own indices and never reads them back from the page after
//! attaching. A peer index that puts more than the ring size in flight or
//! moves backwards, a bad order or a bad live byte is a typed
//! [`RingError::Violation`], and the endpoint stays poisoned from then on.

use std::cmp::min;
use std::marker::PhantomData;
use std::ptr::NonNull;
use std::sync::atomic::{fence, AtomicU16, AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;

use crate::shm::{EventPage, LayoutError, RingLayout, SharedMemory, GRANTS_OFFSET, PAGE_SIZE};

/// Offset of the left ring's `cons` in the control page.
pub const LEFT_CONS_OFFSET: usize = 0;
/// Offset of the left ring's `prod` in the control page.
pub const LEFT_PROD_OFFSET: usize = 4;
/// Offset of the right ring's `cons` in the control page.
pub const RIGHT_CONS_OFFSET: usize = 8;
/// Offset of the right ring's `prod` in the control page.
pub const RIGHT_PROD_OFFSET: usize = 12;
/// Offset of `left_order` (`u16`) in the control page.
pub const LEFT_ORDER_OFFSET: usize = 16;
/// Offset of `right_order` (`u16`) in the control page.
pub const RIGHT_ORDER_OFFSET: usize = 18;
/// Offset of `cli_live` (`u8`) in the control page.
pub const CLI_LIVE_OFFSET: usize = 20;
/// Offset of `srv_live` (`u8`) in the control page.
pub const SRV_LIVE_OFFSET: usize = 21;
/// Offset of `cli_notify` (`u8`) in the control page.
pub const CLI_NOTIFY_OFFSET: usize = 22;
/// Offset of `srv_notify` (`u8`) in the control page.
pub const SRV_NOTIFY_OFFSET: usize = 23;

/// Notify bit (`VCHAN_NOTIFY_WRITE`): "wake me when you have written data".
pub const NOTIFY_WRITE: u8 = 1;
/// Notify bit (`VCHAN_NOTIFY_READ`): "wake me when you have consumed data".
pub const NOTIFY_READ: u8 = 2;

/// One of the two ends of a vchan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// Writes the left ring, reads the right ring; its live byte is `cli_live`.
    Client,
    /// Writes the right ring, reads the left ring; its live byte is `srv_live`.
    Server,
}

impl Side {
    /// The other side.
    pub fn peer(self) -> Side {
        match self {
            Side::Client => Side::Server,
            Side::Server => Side::Client,
        }
    }

    /// The ring this side produces into.
    pub fn write_ring(self) -> Ring {
        match self {
            Side::Client => Ring::Left,
            Side::Server => Ring::Right,
        }
    }

    /// The ring this side consumes from.
    pub fn read_ring(self) -> Ring {
        self.peer().write_ring()
    }
}

/// One of the two rings of a vchan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ring {
    /// Client to server.
    Left,
    /// Server to client.
    Right,
}

/// The value of a live byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Live {
    /// 0: that side has closed (or exited cleanly).
    Gone,
    /// 1: that side is connected.
    Connected,
    /// 2: that side has not connected yet.
    NotYet,
}

impl Live {
    /// Decodes a live byte; `None` for values other than 0, 1, 2.
    pub fn from_byte(b: u8) -> Option<Live> {
        match b {
            0 => Some(Live::Gone),
            1 => Some(Live::Connected),
            2 => Some(Live::NotYet),
            _ => None,
        }
    }

    /// The byte stored in the page.
    pub fn to_byte(self) -> u8 {
        match self {
            Live::Gone => 0,
            Live::Connected => 1,
            Live::NotYet => 2,
        }
    }
}

/// A breach of the ring protocol by the peer. The endpoint that saw it stays
/// poisoned: the caller should treat the peer as dead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    /// The orders in the control page do not make a valid layout, or do not
    /// fit the mapping.
    #[error("bad ring orders: {0}")]
    Layout(#[from] LayoutError),
    /// `prod - cons` (wrapping) exceeds the ring size.
    #[error("{ring:?} ring: prod {prod} - cons {cons} exceeds ring size {size}")]
    IndexRange {
        /// Which ring.
        ring: Ring,
        /// The producer index used in the check.
        prod: u32,
        /// The consumer index used in the check.
        cons: u32,
        /// The ring size.
        size: u32,
    },
    /// The peer moved its index backwards.
    #[error("{ring:?} ring: peer index moved backwards from {previous} to {current}")]
    IndexBackwards {
        /// Which ring.
        ring: Ring,
        /// The value seen before.
        previous: u32,
        /// The value seen now.
        current: u32,
    },
    /// A message in a call slot breaks the slot's rules ([`crate::slot`]).
    #[error("call slot: {what}")]
    Slot {
        /// What was wrong.
        what: &'static str,
    },
    /// A live byte holds a value other than 0, 1 or 2.
    #[error("{side:?} live byte holds {value}")]
    LiveByte {
        /// Whose live byte.
        side: Side,
        /// The value found.
        value: u8,
    },
}

/// Errors of ring operations, blocking or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RingError {
    /// The peer broke the protocol (see [`Violation`]).
    #[error("ring protocol violation: {0}")]
    Violation(#[from] Violation),
    /// The peer has closed its end (its live byte is 0) and, for a read, no
    /// data is left.
    #[error("peer closed the ring")]
    PeerClosed,
    /// A blocking wait reached its deadline.
    #[error("timed out waiting on the ring")]
    Timeout,
    /// A blocking wait was cancelled by its abort check.
    #[error("wait on the ring aborted")]
    Aborted,
}

/// A typed view of the vchan control page (page 0 of the mapping).
///
/// Every accessor returns an atomic: the peer may write any byte at any time.
#[derive(Debug, Clone, Copy)]
pub struct ControlPage<'a> {
    base: NonNull<u8>,
    _shm: PhantomData<&'a SharedMemory>,
}

impl<'a> ControlPage<'a> {
    /// The control page of `shm` (its first page).
    pub fn new(shm: &'a SharedMemory) -> Self {
        Self {
            // SAFETY: the mapping is non-null by construction.
            base: unsafe { NonNull::new_unchecked(shm.as_ptr()) },
            _shm: PhantomData,
        }
    }

    /// A view of a control page at `base` (for instance one mapped by other
    /// means, or a test page).
    ///
    /// # Safety
    ///
    /// `base` must be 4-byte aligned and point to [`PAGE_SIZE`] bytes that
    /// stay mapped read-write for `'a` and that everyone in this process
    /// accesses only atomically (or through other processes).
    pub unsafe fn from_raw(base: NonNull<u8>) -> Self {
        Self {
            base,
            _shm: PhantomData,
        }
    }

    /// The base pointer.
    pub fn as_ptr(&self) -> *mut u8 {
        self.base.as_ptr()
    }

    fn u32_at(&self, off: usize) -> &'a AtomicU32 {
        debug_assert!(off % 4 == 0 && off + 4 <= PAGE_SIZE);
        // SAFETY: callers pass a 4-aligned offset inside the page (fixed
        // offsets above, or a bounds-checked grant index); the page is valid
        // for 'a and only accessed atomically.
        unsafe { AtomicU32::from_ptr(self.base.as_ptr().add(off).cast()) }
    }

    fn u16_at(&self, off: usize) -> &'a AtomicU16 {
        // SAFETY: as in `u32_at`; the order offsets are 2-aligned.
        unsafe { AtomicU16::from_ptr(self.base.as_ptr().add(off).cast()) }
    }

    fn u8_at(&self, off: usize) -> &'a AtomicU8 {
        // SAFETY: as in `u32_at`; bytes need no alignment.
        unsafe { AtomicU8::from_ptr(self.base.as_ptr().add(off)) }
    }

    /// `cons` of `ring`: written by the side that reads `ring`.
    pub fn cons(&self, ring: Ring) -> &'a AtomicU32 {
        match ring {
            Ring::Left => self.u32_at(LEFT_CONS_OFFSET),
            Ring::Right => self.u32_at(RIGHT_CONS_OFFSET),
        }
    }

    /// `prod` of `ring`: written by the side that writes `ring`.
    pub fn prod(&self, ring: Ring) -> &'a AtomicU32 {
        match ring {
            Ring::Left => self.u32_at(LEFT_PROD_OFFSET),
            Ring::Right => self.u32_at(RIGHT_PROD_OFFSET),
        }
    }

    /// `left_order` or `right_order`.
    pub fn order(&self, ring: Ring) -> &'a AtomicU16 {
        match ring {
            Ring::Left => self.u16_at(LEFT_ORDER_OFFSET),
            Ring::Right => self.u16_at(RIGHT_ORDER_OFFSET),
        }
    }

    /// `cli_live` or `srv_live`: written by that side.
    pub fn live(&self, side: Side) -> &'a AtomicU8 {
        match side {
            Side::Client => self.u8_at(CLI_LIVE_OFFSET),
            Side::Server => self.u8_at(SRV_LIVE_OFFSET),
        }
    }

    /// `cli_notify` or `srv_notify`: `side`'s byte, holding the requests its
    /// peer made of it. The peer sets bits; `side` clears them when it acts.
    pub fn notify(&self, side: Side) -> &'a AtomicU8 {
        match side {
            Side::Client => self.u8_at(CLI_NOTIFY_OFFSET),
            Side::Server => self.u8_at(SRV_NOTIFY_OFFSET),
        }
    }

    /// Grant reference number `index`, if it lies inside the page.
    pub fn grant(&self, index: usize) -> Option<&'a AtomicU32> {
        let off = index.checked_mul(4)?.checked_add(GRANTS_OFFSET)?;
        (off + 4 <= PAGE_SIZE).then(|| self.u32_at(off))
    }
}

/// Copies `dst.len()` bytes out of shared memory at `src`, with relaxed atomic
/// loads (8 bytes at a time where aligned).
///
/// # Safety
///
/// `src..src + dst.len()` must be mapped readable for the call and accessed
/// by everyone in this process only atomically.
unsafe fn copy_from_shared(dst: &mut [u8], src: *const u8) {
    let len = dst.len();
    let mut i = 0;
    while i < len && (src as usize + i) % 8 != 0 {
        // SAFETY: `i < len`, so inside the range the caller vouches for.
        dst[i] = unsafe { AtomicU8::from_ptr(src.add(i).cast_mut()) }.load(Ordering::Relaxed);
        i += 1;
    }
    while i + 8 <= len {
        // SAFETY: `i + 8 <= len` keeps the word inside the range; the loop
        // above made `src + i` 8-aligned.
        let w =
            unsafe { AtomicU64::from_ptr(src.add(i).cast_mut().cast()) }.load(Ordering::Relaxed);
        dst[i..i + 8].copy_from_slice(&w.to_ne_bytes());
        i += 8;
    }
    while i < len {
        // SAFETY: `i < len`.
        dst[i] = unsafe { AtomicU8::from_ptr(src.add(i).cast_mut()) }.load(Ordering::Relaxed);
        i += 1;
    }
}

/// Copies `src` into shared memory at `dst`, with relaxed atomic stores.
///
/// # Safety
///
/// `dst..dst + src.len()` must be mapped writable for the call and accessed
/// by everyone in this process only atomically.
unsafe fn copy_to_shared(dst: *mut u8, src: &[u8]) {
    let len = src.len();
    let mut i = 0;
    while i < len && (dst as usize + i) % 8 != 0 {
        // SAFETY: `i < len`, inside the caller's range.
        unsafe { AtomicU8::from_ptr(dst.add(i)) }.store(src[i], Ordering::Relaxed);
        i += 1;
    }
    while i + 8 <= len {
        let mut w = [0u8; 8];
        w.copy_from_slice(&src[i..i + 8]);
        // SAFETY: `i + 8 <= len`, and `dst + i` is 8-aligned.
        unsafe { AtomicU64::from_ptr(dst.add(i).cast()) }
            .store(u64::from_ne_bytes(w), Ordering::Relaxed);
        i += 8;
    }
    while i < len {
        // SAFETY: `i < len`.
        unsafe { AtomicU8::from_ptr(dst.add(i)) }.store(src[i], Ordering::Relaxed);
        i += 1;
    }
}

/// One end of a vchan over a [`SharedMemory`]: non-blocking reads and writes
/// (blocking ones are in [`crate::wait`]).
///
/// The endpoint keeps the mapping alive. It marks its side gone and wakes the
/// peer when dropped.
#[derive(Debug)]
pub struct Endpoint {
    shm: Arc<SharedMemory>,
    side: Side,
    layout: RingLayout,
    /// Start of the ring we write.
    tx_buf: NonNull<u8>,
    tx_size: u32,
    /// Start of the ring we read.
    rx_buf: NonNull<u8>,
    rx_size: u32,
    /// Private copy of our producer index on the write ring.
    wr_prod: u32,
    /// The last valid consumer index the peer published on the write ring.
    wr_cons_seen: u32,
    /// Private copy of our consumer index on the read ring.
    rd_cons: u32,
    /// The last valid producer index the peer published on the read ring.
    rd_prod_seen: u32,
    /// The consumer index last published on the read ring (equal to
    /// `rd_cons` unless publication is deferred).
    rd_cons_published: u32,
    /// Whether [`Endpoint::read`] may defer publishing `cons` (see
    /// [`Endpoint::defer_consumption`]).
    defer_cons: bool,
    /// The call slots ([`crate::slot`]): the number of the last message
    /// written into our slot, and of the last taken from the peer's.
    pub(crate) slot_sent: u32,
    pub(crate) slot_taken: u32,
    poisoned: Option<Violation>,
}

// SAFETY: the endpoint owns an `Arc` of the mapping its pointers point into,
// and all access through them is atomic; moving it to another thread changes
// nothing about that.
unsafe impl Send for Endpoint {}

impl Endpoint {
    /// Initialises a fresh vchan in `shm` as `side` (the creator), with all
    /// indices starting at 0. See [`Endpoint::create_at`].
    pub fn create(
        shm: Arc<SharedMemory>,
        side: Side,
        layout: RingLayout,
    ) -> Result<Self, RingError> {
        Self::create_at(shm, side, layout, 0)
    }

    /// Initialises a fresh vchan in `shm` as `side`, with all four indices
    /// starting at `start` (any value is valid; a start near `u32::MAX`
    /// exercises wrap-around).
    ///
    /// Zeroes the control page and the event page, writes the orders and the
    /// indices, asks the peer to report writes (`NOTIFY_WRITE` in the peer's
    /// notify byte, as `libxenvchan`'s server does), marks the peer "not yet"
    /// and itself connected. Fails with a [`Violation::Layout`] if `shm` is
    /// smaller than `layout` needs.
    pub fn create_at(
        shm: Arc<SharedMemory>,
        side: Side,
        layout: RingLayout,
        start: u32,
    ) -> Result<Self, RingError> {
        let mut ep = Self::new(shm, side, layout)?;
        {
            let base = ep.shm.as_ptr();
            // SAFETY: the control page and the event page lie inside the
            // mapping (checked in `new`) and are only accessed atomically.
            unsafe {
                copy_to_shared(base, &[0u8; PAGE_SIZE]);
                copy_to_shared(base.add(layout.event_page_offset()), &[0u8; PAGE_SIZE]);
            }
        }
        let ctrl = ep.ctrl();
        ctrl.order(Ring::Left)
            .store(layout.left_order(), Ordering::Relaxed);
        ctrl.order(Ring::Right)
            .store(layout.right_order(), Ordering::Relaxed);
        for ring in [Ring::Left, Ring::Right] {
            ctrl.cons(ring).store(start, Ordering::Relaxed);
            ctrl.prod(ring).store(start, Ordering::Relaxed);
        }
        ctrl.notify(side.peer())
            .store(NOTIFY_WRITE, Ordering::Relaxed);
        ctrl.live(side.peer())
            .store(Live::NotYet.to_byte(), Ordering::Relaxed);
        ctrl.live(side)
            .store(Live::Connected.to_byte(), Ordering::Release);
        ep.wr_prod = start;
        ep.wr_cons_seen = start;
        ep.rd_cons = start;
        ep.rd_cons_published = start;
        ep.rd_prod_seen = start;
        Ok(ep)
    }

    /// Attaches as `side` to a vchan the peer created in `shm`.
    ///
    /// Reads the orders once and validates them (range, slots, fit in the
    /// mapping); reads the four indices once, adopts its own as the starting
    /// values of its private copies and checks that neither ring has more
    /// than its size in flight. Then asks the creator to report writes, marks
    /// itself connected and wakes the creator. Fails with
    /// [`RingError::PeerClosed`] if the creator has already gone.
    pub fn attach(shm: Arc<SharedMemory>, side: Side) -> Result<Self, RingError> {
        let page = Arc::clone(&shm);
        let ctrl = ControlPage::new(&page);
        let left = ctrl.order(Ring::Left).load(Ordering::Acquire);
        let right = ctrl.order(Ring::Right).load(Ordering::Acquire);
        let layout = RingLayout::new(left, right).map_err(Violation::Layout)?;
        let mut ep = Self::new(shm, side, layout)?;
        if ep.peer_live()? == Live::Gone {
            return Err(RingError::PeerClosed);
        }
        let (wr, rd) = (side.write_ring(), side.read_ring());
        let wr_prod = ctrl.prod(wr).load(Ordering::Acquire);
        let wr_cons = ctrl.cons(wr).load(Ordering::Acquire);
        let rd_prod = ctrl.prod(rd).load(Ordering::Acquire);
        let rd_cons = ctrl.cons(rd).load(Ordering::Acquire);
        for (ring, prod, cons, size) in [
            (wr, wr_prod, wr_cons, ep.tx_size),
            (rd, rd_prod, rd_cons, ep.rx_size),
        ] {
            if prod.wrapping_sub(cons) > size {
                return Err(Violation::IndexRange {
                    ring,
                    prod,
                    cons,
                    size,
                }
                .into());
            }
        }
        ep.wr_prod = wr_prod;
        ep.wr_cons_seen = wr_cons;
        ep.rd_cons = rd_cons;
        ep.rd_cons_published = rd_cons;
        ep.rd_prod_seen = rd_prod;
        ctrl.notify(side.peer())
            .store(NOTIFY_WRITE, Ordering::Relaxed);
        ctrl.live(side)
            .store(Live::Connected.to_byte(), Ordering::Release);
        ep.wake_peer();
        Ok(ep)
    }

    fn new(shm: Arc<SharedMemory>, side: Side, layout: RingLayout) -> Result<Self, RingError> {
        if layout.total_len() > shm.len() {
            return Err(Violation::Layout(LayoutError::MappingTooSmall {
                needed: layout.total_len(),
                actual: shm.len(),
            })
            .into());
        }
        let at = |ring: Ring| {
            // SAFETY: `ring_offset + ring_len <= total_len <= shm.len()`, so
            // the ring lies inside the mapping (whose base is non-null).
            unsafe { NonNull::new_unchecked(shm.as_ptr().add(layout.ring_offset(ring))) }
        };
        let (tx_buf, rx_buf) = (at(side.write_ring()), at(side.read_ring()));
        Ok(Self {
            side,
            layout,
            tx_buf,
            tx_size: layout.ring_len(side.write_ring()) as u32,
            rx_buf,
            rx_size: layout.ring_len(side.read_ring()) as u32,
            wr_prod: 0,
            wr_cons_seen: 0,
            rd_cons: 0,
            rd_prod_seen: 0,
            rd_cons_published: 0,
            defer_cons: false,
            slot_sent: 0,
            slot_taken: 0,
            poisoned: None,
            shm,
        })
    }

    /// This endpoint's side.
    pub fn side(&self) -> Side {
        self.side
    }

    /// The layout in use (fixed when the endpoint was made; later changes of
    /// the orders in the page are ignored).
    pub fn layout(&self) -> RingLayout {
        self.layout
    }

    /// The shared memory this endpoint lives in.
    pub fn shared_memory(&self) -> &Arc<SharedMemory> {
        &self.shm
    }

    /// The control page.
    pub fn ctrl(&self) -> ControlPage<'_> {
        ControlPage::new(&self.shm)
    }

    /// The event page (futex words and violation word).
    pub fn event_page(&self) -> EventPage<'_> {
        // SAFETY: `new` checked `layout.total_len() <= shm.len()`, so the
        // event page lies inside the mapping, which `self` keeps alive; the
        // offset is a page multiple, so it is aligned.
        unsafe {
            EventPage::from_raw(NonNull::new_unchecked(
                self.shm.as_ptr().add(self.layout.event_page_offset()),
            ))
        }
    }

    /// The violation word of the event page (written by the `SIGSYS` handler
    /// of [`crate::sandbox::enter`]).
    pub fn violation_word(&self) -> &AtomicU32 {
        self.event_page().violation_word()
    }

    /// Size in bytes of the ring this endpoint writes.
    pub fn write_ring_size(&self) -> usize {
        self.tx_size as usize
    }

    /// Size in bytes of the ring this endpoint reads.
    pub fn read_ring_size(&self) -> usize {
        self.rx_size as usize
    }

    /// The violation that poisoned this endpoint, if any.
    pub fn poisoned(&self) -> Option<Violation> {
        self.poisoned
    }

    pub(crate) fn poison(&mut self, v: Violation) -> RingError {
        self.poisoned.get_or_insert(v);
        RingError::Violation(self.poisoned.unwrap_or(v))
    }

    pub(crate) fn check_poison(&self) -> Result<(), RingError> {
        match self.poisoned {
            Some(v) => Err(RingError::Violation(v)),
            None => Ok(()),
        }
    }

    /// The peer's live byte, decoded. A value other than 0, 1, 2 poisons the
    /// endpoint.
    pub fn peer_live(&mut self) -> Result<Live, RingError> {
        self.check_poison()?;
        let peer = self.side.peer();
        let b = self.ctrl().live(peer).load(Ordering::Acquire);
        match Live::from_byte(b) {
            Some(l) => Ok(l),
            None => Err(self.poison(Violation::LiveByte {
                side: peer,
                value: b,
            })),
        }
    }

    /// Loads the peer's `prod` on the read ring and validates it against our
    /// private `cons` and the last value seen. Returns the bytes ready.
    fn observe_rd_prod(&mut self) -> Result<u32, RingError> {
        self.check_poison()?;
        let ring = self.side.read_ring();
        // Acquire: the data loads that follow see the bytes the peer wrote
        // before publishing this index.
        let prod = self.ctrl().prod(ring).load(Ordering::Acquire);
        let ready = prod.wrapping_sub(self.rd_cons);
        if ready > self.rx_size {
            return Err(self.poison(Violation::IndexRange {
                ring,
                prod,
                cons: self.rd_cons,
                size: self.rx_size,
            }));
        }
        if ready < self.rd_prod_seen.wrapping_sub(self.rd_cons) {
            return Err(self.poison(Violation::IndexBackwards {
                ring,
                previous: self.rd_prod_seen,
                current: prod,
            }));
        }
        self.rd_prod_seen = prod;
        Ok(ready)
    }

    /// Loads the peer's `cons` on the write ring and validates it against our
    /// private `prod` and the last value seen. Returns the free space.
    fn observe_wr_cons(&mut self) -> Result<u32, RingError> {
        self.check_poison()?;
        let ring = self.side.write_ring();
        // Acquire: our data stores that follow cannot overtake this load, so
        // we never overwrite bytes the peer is still copying out.
        let cons = self.ctrl().cons(ring).load(Ordering::Acquire);
        let used = self.wr_prod.wrapping_sub(cons);
        if used > self.tx_size {
            return Err(self.poison(Violation::IndexRange {
                ring,
                prod: self.wr_prod,
                cons,
                size: self.tx_size,
            }));
        }
        // `cons` must lie in [wr_cons_seen, wr_prod].
        if cons.wrapping_sub(self.wr_cons_seen) > self.wr_prod.wrapping_sub(self.wr_cons_seen) {
            return Err(self.poison(Violation::IndexBackwards {
                ring,
                previous: self.wr_cons_seen,
                current: cons,
            }));
        }
        self.wr_cons_seen = cons;
        Ok(self.tx_size - used)
    }

    /// Bytes ready to read, after validating the peer's index. Does not
    /// request a notification.
    pub fn data_ready(&mut self) -> Result<usize, RingError> {
        self.observe_rd_prod().map(|n| n as usize)
    }

    /// Bytes of free space in the write ring, after validating the peer's
    /// index. Does not request a notification.
    pub fn buffer_space(&mut self) -> Result<usize, RingError> {
        self.observe_wr_cons().map(|n| n as usize)
    }

    /// Copies as many bytes of `data` as fit into the write ring and returns
    /// how many (0 if the ring is full or `data` is empty). Wakes the peer if
    /// it asked to be told of writes.
    ///
    /// Fails with [`RingError::PeerClosed`] if the peer's live byte is 0 (as
    /// `libxenvchan_write` does), or a [`RingError::Violation`].
    pub fn write(&mut self, data: &[u8]) -> Result<usize, RingError> {
        let n = self.write_unnotified(data)?;
        if n > 0 {
            self.send_notify(NOTIFY_WRITE);
        }
        Ok(n)
    }

    /// [`Endpoint::write`] without waking the peer: the index is published
    /// but no notification is sent (fault injection uses it to die in between).
    pub(crate) fn write_unnotified(&mut self, data: &[u8]) -> Result<usize, RingError> {
        if self.peer_live()? == Live::Gone {
            return Err(RingError::PeerClosed);
        }
        let space = self.observe_wr_cons()?;
        let n = min(space as usize, data.len());
        if n == 0 {
            return Ok(0);
        }
        let off = (self.wr_prod & (self.tx_size - 1)) as usize;
        let first = min(n, self.tx_size as usize - off);
        // SAFETY: `off + first <= tx_size` and `n - first <= tx_size`, so both
        // pieces lie inside the write ring, which lies inside the mapping; the
        // bytes are free (the peer has consumed them) and are written
        // atomically.
        unsafe {
            copy_to_shared(self.tx_buf.as_ptr().add(off), &data[..first]);
            copy_to_shared(self.tx_buf.as_ptr(), &data[first..n]);
        }
        self.wr_prod = self.wr_prod.wrapping_add(n as u32);
        // Release: the data stores above are visible before the new index.
        self.ctrl()
            .prod(self.side.write_ring())
            .store(self.wr_prod, Ordering::Release);
        Ok(n)
    }

    /// Copies as many ready bytes as fit into `buf` and returns how many (0 if
    /// none are ready or `buf` is empty). Wakes the peer if it asked to be
    /// told of reads.
    ///
    /// Bytes the peer wrote before closing are still returned; once none are
    /// left and the peer's live byte is 0 it fails with
    /// [`RingError::PeerClosed`] (as `libxenvchan_read` does).
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, RingError> {
        let mut ready = self.observe_rd_prod()?;
        if ready == 0 {
            if self.peer_live()? != Live::Gone {
                return Ok(0);
            }
            // The peer may have written its last bytes and left between the
            // two loads: its writes come before its live byte, so they are
            // read before its end is.
            ready = self.observe_rd_prod()?;
            if ready == 0 {
                return Err(RingError::PeerClosed);
            }
        }
        let n = self.copy_ready(buf, ready);
        if n == 0 {
            return Ok(0);
        }
        self.rd_cons = self.rd_cons.wrapping_add(n as u32);
        if !self.defer_cons || self.space_wanted() {
            self.publish_consumption();
        }
        Ok(n)
    }

    /// Lets [`Endpoint::read`] leave `cons` unpublished while the peer has
    /// room to write (`on`), or publishes what is pending and stops (`off`).
    ///
    /// Publishing `cons` after every read writes the control page's cache
    /// line and fences: with a peer on another CPU that is one cross-CPU
    /// transfer, and a stall, on the path of every frame. Deferred, `cons` is
    /// published when half the ring is consumed and unpublished, when the
    /// peer asked to be told of reads (it waits for room), and before a wait
    /// for data parks ([`Endpoint::publish_consumption`]). A writer then
    /// always sees at least half the ring free once the reader has read what
    /// is there, so deferring never stalls a stream; the peer sees the same
    /// indices, only later.
    pub fn defer_consumption(&mut self, on: bool) {
        self.defer_cons = on;
        if !on {
            self.publish_consumption();
        }
    }

    /// Whether deferred consumption must be published now: half the ring
    /// is consumed and unpublished, or the peer asked to be told of reads.
    /// The notify byte shares the cache line of the index just read, so
    /// looking at it costs no transfer.
    fn space_wanted(&self) -> bool {
        let pending = self.rd_cons.wrapping_sub(self.rd_cons_published);
        pending >= self.rx_size / 2
            || self.ctrl().notify(self.side).load(Ordering::Relaxed) & NOTIFY_READ != 0
    }

    /// Publishes `cons` if reads since the last publication left it behind,
    /// and wakes the peer if it asked to be told of reads.
    pub fn publish_consumption(&mut self) {
        if self.rd_cons == self.rd_cons_published {
            return;
        }
        // Release: the data loads of the reads complete before the peer may
        // reuse the space.
        self.ctrl()
            .cons(self.side.read_ring())
            .store(self.rd_cons, Ordering::Release);
        self.rd_cons_published = self.rd_cons;
        self.send_notify(NOTIFY_READ);
    }

    /// Copies up to `buf.len()` of the bytes ready to read into `buf`
    /// without consuming them, and returns how many. The peer may still
    /// rewrite them: what was looked at this way must be read again, and
    /// checked again, to be taken.
    pub fn peek(&mut self, buf: &mut [u8]) -> Result<usize, RingError> {
        let ready = self.observe_rd_prod()?;
        Ok(self.copy_ready(buf, ready))
    }

    /// Copies the first `min(ready, buf.len())` bytes from our `cons` on
    /// (`ready` validated by `observe_rd_prod`) and returns how many.
    fn copy_ready(&self, buf: &mut [u8], ready: u32) -> usize {
        let n = min(ready as usize, buf.len());
        let off = (self.rd_cons & (self.rx_size - 1)) as usize;
        let first = min(n, self.rx_size as usize - off);
        // SAFETY: `ready <= rx_size` (validated), so `off + first <= rx_size`
        // and `n - first <= rx_size`: both pieces lie inside the read ring,
        // inside the mapping; loads are atomic, so a peer scribbling on them
        // at worst gives us garbage bytes, which the caller validates in its
        // private copy.
        unsafe {
            copy_from_shared(&mut buf[..first], self.rx_buf.as_ptr().add(off));
            copy_from_shared(&mut buf[first..n], self.rx_buf.as_ptr());
        }
        n
    }

    /// The bytes at our read position as they are now, ready or not. A wait
    /// for data watches them rather than the peer's index: the peer writes
    /// them before it publishes the index, and the control page's cache line
    /// (every index and notify byte) then crosses between the CPUs once per
    /// frame rather than at every look.
    pub(crate) fn upcoming(&self) -> [u8; 16] {
        let mut b = [0u8; 16];
        let n = min(b.len(), self.rx_size as usize);
        let off = (self.rd_cons & (self.rx_size - 1)) as usize;
        let first = min(n, self.rx_size as usize - off);
        // SAFETY: as in `copy_ready`: both pieces lie inside the read ring;
        // the loads are atomic, and what they see is only a hint.
        unsafe {
            copy_from_shared(&mut b[..first], self.rx_buf.as_ptr().add(off));
            copy_from_shared(&mut b[first..n], self.rx_buf.as_ptr());
        }
        b
    }

    /// Asks the peer to wake us when it next does `bit` ([`NOTIFY_WRITE`] or
    /// [`NOTIFY_READ`]): sets the bit in the peer's notify byte, then issues a
    /// full fence so that the caller's following re-check of the indices is
    /// ordered after the request.
    pub fn request_notify(&self, bit: u8) {
        self.ctrl()
            .notify(self.side.peer())
            .fetch_or(bit, Ordering::SeqCst);
        fence(Ordering::SeqCst);
    }

    /// After we moved an index: full fence, then clear `bit` in our own notify
    /// byte and wake the peer if it had been set.
    pub(crate) fn send_notify(&self, bit: u8) {
        fence(Ordering::SeqCst);
        let mine = self.ctrl().notify(self.side);
        // The plain load after the fence is enough to see a request made
        // before the peer's own fence; only when a request is there do we pay
        // for the read-modify-write (and the system call).
        if mine.load(Ordering::Relaxed) & bit != 0
            && mine.fetch_and(!bit, Ordering::SeqCst) & bit != 0
        {
            self.wake_peer();
        }
    }

    /// Bumps the peer's futex word and wakes it (one system call).
    pub fn wake_peer(&self) {
        crate::wait::wake(self.event_page().futex_word(self.side.peer()));
    }

    /// Marks this side gone and wakes the peer (also done on drop).
    pub fn close(self) {}
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        self.ctrl()
            .live(self.side)
            .store(Live::Gone.to_byte(), Ordering::SeqCst);
        self.wake_peer();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(left: u16, right: u16, start: u32) -> (Endpoint, Endpoint) {
        let layout = RingLayout::new(left, right).unwrap();
        let shm = Arc::new(SharedMemory::create_for(layout).unwrap());
        let c = Endpoint::create_at(shm.clone(), Side::Client, layout, start).unwrap();
        let s = Endpoint::attach(shm, Side::Server).unwrap();
        (c, s)
    }

    #[test]
    fn page_bytes_match_libxenvchan() {
        let layout = RingLayout::new(10, 11).unwrap();
        let shm = Arc::new(SharedMemory::create_for(layout).unwrap());
        let c = Endpoint::create_at(shm.clone(), Side::Client, layout, 0x01020304).unwrap();
        let mut page = [0u8; 32];
        // SAFETY: the first 32 bytes of the mapping, read atomically.
        unsafe { copy_from_shared(&mut page, shm.as_ptr()) };
        assert_eq!(&page[0..4], &0x01020304u32.to_ne_bytes());
        assert_eq!(&page[12..16], &0x01020304u32.to_ne_bytes());
        assert_eq!(&page[16..18], &10u16.to_ne_bytes());
        assert_eq!(&page[18..20], &11u16.to_ne_bytes());
        // Client created: cli_live 1, srv_live 2, srv_notify = WRITE.
        assert_eq!(page[20..24], [1, 2, 0, NOTIFY_WRITE]);
        let s = Endpoint::attach(shm.clone(), Side::Server).unwrap();
        // SAFETY: as above.
        unsafe { copy_from_shared(&mut page, shm.as_ptr()) };
        assert_eq!(page[20..24], [1, 1, NOTIFY_WRITE, NOTIFY_WRITE]);
        drop(s);
        // SAFETY: as above.
        unsafe { copy_from_shared(&mut page, shm.as_ptr()) };
        assert_eq!(page[21], 0);
        drop(c);
    }

    #[test]
    fn small_write_read_both_ways() {
        let (mut c, mut s) = pair(10, 11, 0);
        assert_eq!(c.write_ring_size(), 1024);
        assert_eq!(s.write_ring_size(), 2048);
        assert_eq!(c.write(b"hello").unwrap(), 5);
        assert_eq!(s.data_ready().unwrap(), 5);
        let mut buf = [0u8; 16];
        assert_eq!(s.read(&mut buf).unwrap(), 5);
        assert_eq!(&buf[..5], b"hello");
        assert_eq!(s.read(&mut buf).unwrap(), 0);
        assert_eq!(s.write(&[7u8; 3000]).unwrap(), 2048);
        assert_eq!(s.write(b"x").unwrap(), 0);
        assert_eq!(s.buffer_space().unwrap(), 0);
        let mut big = [0u8; 4096];
        assert_eq!(c.read(&mut big).unwrap(), 2048);
        assert!(big[..2048].iter().all(|&b| b == 7));
        assert_eq!(s.buffer_space().unwrap(), 2048);
    }

    #[test]
    fn deferred_consumption_is_published_at_half_the_ring() {
        let (mut c, mut s) = pair(10, 11, u32::MAX - 100);
        s.defer_consumption(true);
        let cons = |s: &Endpoint| s.ctrl().cons(Ring::Left).load(Ordering::Acquire);
        let before = cons(&s);
        let mut buf = [0u8; 600];
        assert_eq!(c.write(&[1u8; 300]).unwrap(), 300);
        assert_eq!(s.read(&mut buf).unwrap(), 300);
        // Held back: the writer still sees 724 of 1024 bytes free.
        assert_eq!(cons(&s), before);
        assert_eq!(c.buffer_space().unwrap(), 724);
        assert_eq!(c.write(&[2u8; 300]).unwrap(), 300);
        assert_eq!(s.read(&mut buf).unwrap(), 300);
        // 600 read, more than half the ring: published.
        assert_eq!(cons(&s), before.wrapping_add(600));
        assert_eq!(c.buffer_space().unwrap(), 1024);
        // Turning it off publishes what is pending.
        assert_eq!(c.write(&[3u8; 10]).unwrap(), 10);
        assert_eq!(s.read(&mut buf).unwrap(), 10);
        assert_eq!(cons(&s), before.wrapping_add(600));
        s.defer_consumption(false);
        assert_eq!(cons(&s), before.wrapping_add(610));
    }

    #[test]
    fn deferred_consumption_is_published_for_a_writer_that_asked() {
        let (mut c, mut s) = pair(10, 11, 0);
        s.defer_consumption(true);
        assert_eq!(c.write(&[1u8; 100]).unwrap(), 100);
        // The writer waits for room: it asks to be told of reads.
        c.request_notify(NOTIFY_READ);
        let mut buf = [0u8; 100];
        assert_eq!(s.read(&mut buf).unwrap(), 100);
        assert_eq!(s.ctrl().cons(Ring::Left).load(Ordering::Acquire), 100);
        // Its request is answered (cleared) as an undeferred read does.
        assert_eq!(
            s.ctrl().notify(Side::Server).load(Ordering::Acquire) & NOTIFY_READ,
            0
        );
    }

    #[test]
    fn peek_copies_without_consuming_across_the_wrap() {
        let (mut c, mut s) = pair(10, 11, 0);
        assert_eq!(c.write(&[1u8; 1000]).unwrap(), 1000);
        let mut sink = [0u8; 1000];
        assert_eq!(s.read(&mut sink).unwrap(), 1000);
        // 24 bytes left before the end of the ring: this frame wraps.
        let data: Vec<u8> = (0..100).collect();
        assert_eq!(c.write(&data).unwrap(), 100);
        let space = c.buffer_space().unwrap();
        let mut look = [0u8; 40];
        assert_eq!(s.peek(&mut look).unwrap(), 40);
        assert_eq!(&look[..], &data[..40]);
        assert_eq!(s.peek(&mut look).unwrap(), 40, "nothing was consumed");
        assert_eq!(c.buffer_space().unwrap(), space, "no space was freed");
        let mut all = [0u8; 200];
        assert_eq!(s.read(&mut all).unwrap(), 100);
        assert_eq!(&all[..100], &data[..]);
        assert_eq!(s.peek(&mut look).unwrap(), 0);
    }

    #[test]
    fn notify_bits_follow_libxenvchan() {
        let (mut c, mut s) = pair(12, 12, 0);
        let shm = c.shared_memory().clone();
        let ctrl = ControlPage::new(&shm);
        // Both sides asked for write notifications at set-up.
        assert_eq!(
            ctrl.notify(Side::Client).load(Ordering::SeqCst),
            NOTIFY_WRITE
        );
        assert_eq!(
            ctrl.notify(Side::Server).load(Ordering::SeqCst),
            NOTIFY_WRITE
        );
        let before = c
            .event_page()
            .futex_word(Side::Server)
            .load(Ordering::SeqCst);
        c.write(b"a").unwrap();
        // The client acted on the server's request: bit cleared, server woken.
        assert_eq!(ctrl.notify(Side::Client).load(Ordering::SeqCst), 0);
        assert_eq!(
            c.event_page()
                .futex_word(Side::Server)
                .load(Ordering::SeqCst),
            before.wrapping_add(1)
        );
        // No request pending: no wake.
        c.write(b"b").unwrap();
        assert_eq!(
            c.event_page()
                .futex_word(Side::Server)
                .load(Ordering::SeqCst),
            before.wrapping_add(1)
        );
        // The client asks to hear about reads: bit goes into srv_notify.
        c.request_notify(NOTIFY_READ);
        assert_eq!(
            ctrl.notify(Side::Server).load(Ordering::SeqCst),
            NOTIFY_WRITE | NOTIFY_READ
        );
        let cw = c
            .event_page()
            .futex_word(Side::Client)
            .load(Ordering::SeqCst);
        let mut buf = [0u8; 2];
        s.read(&mut buf).unwrap();
        assert_eq!(
            ctrl.notify(Side::Server).load(Ordering::SeqCst),
            NOTIFY_WRITE
        );
        assert_eq!(
            c.event_page()
                .futex_word(Side::Client)
                .load(Ordering::SeqCst),
            cw.wrapping_add(1)
        );
    }

    #[test]
    fn wraps_u32_indices() {
        let (mut c, mut s) = pair(10, 11, u32::MAX - 700);
        let mut out = vec![0u8; 1000];
        for round in 0..50u32 {
            let msg: Vec<u8> = (0..1000u32).map(|i| (i * 7 + round) as u8).collect();
            assert_eq!(c.write(&msg).unwrap(), 1000);
            assert_eq!(s.read(&mut out).unwrap(), 1000);
            assert_eq!(out, msg);
        }
        assert!(c.poisoned().is_none() && s.poisoned().is_none());
    }

    #[test]
    fn violations_are_typed_and_sticky() {
        let (mut c, _s) = pair(12, 12, 5);
        let shm = c.shared_memory().clone();
        let ctrl = ControlPage::new(&shm);
        ctrl.prod(Ring::Right).store(5 + 4097, Ordering::SeqCst);
        let e = c.data_ready().unwrap_err();
        assert!(matches!(
            e,
            RingError::Violation(Violation::IndexRange { .. })
        ));
        ctrl.prod(Ring::Right).store(5, Ordering::SeqCst);
        assert_eq!(c.read(&mut [0u8; 4]).unwrap_err(), e);
        assert_eq!(c.write(b"x").unwrap_err(), e);

        let (mut c, _s) = pair(12, 12, 5);
        c.ctrl().prod(Ring::Right).store(10, Ordering::SeqCst);
        assert_eq!(c.data_ready().unwrap(), 5);
        c.ctrl().prod(Ring::Right).store(9, Ordering::SeqCst);
        assert!(matches!(
            c.data_ready(),
            Err(RingError::Violation(Violation::IndexBackwards { .. }))
        ));

        let (mut c, _s) = pair(12, 12, 5);
        c.ctrl().live(Side::Server).store(9, Ordering::SeqCst);
        assert!(matches!(
            c.write(b"x"),
            Err(RingError::Violation(Violation::LiveByte { value: 9, .. }))
        ));
    }

    #[test]
    fn attach_validates_orders() {
        let layout = RingLayout::new(12, 12).unwrap();
        let shm = Arc::new(SharedMemory::create_for(layout).unwrap());
        let _c = Endpoint::create(shm.clone(), Side::Client, layout).unwrap();
        for (l, r) in [
            (9u16, 12u16),
            (12, 21),
            (10, 10),
            (13, 12),
            (0, 0),
            (u16::MAX, 12),
        ] {
            let ctrl = ControlPage::new(&shm);
            ctrl.order(Ring::Left).store(l, Ordering::SeqCst);
            ctrl.order(Ring::Right).store(r, Ordering::SeqCst);
            assert!(matches!(
                Endpoint::attach(shm.clone(), Side::Server),
                Err(RingError::Violation(Violation::Layout(_)))
            ));
        }
    }

    #[test]
    fn peer_close_is_reported_after_data_drained() {
        let (mut c, mut s) = pair(12, 12, 0);
        s.write(b"bye").unwrap();
        drop(s);
        assert_eq!(c.write(b"x"), Err(RingError::PeerClosed));
        let mut buf = [0u8; 8];
        assert_eq!(c.read(&mut buf).unwrap(), 3);
        assert_eq!(c.read(&mut buf), Err(RingError::PeerClosed));
    }

    /// A peer that writes its last bytes and leaves while we poll: however
    /// the two stores fall between our loads, the bytes come before the end.
    #[test]
    fn last_bytes_written_while_polling_are_read_before_the_close() {
        use crate::wait::{WaitConfig, Waiter};
        let waiter = Waiter::new(WaitConfig::default());
        for i in 0..4000 {
            let (mut c, mut s) = pair(12, 12, 0);
            let peer = std::thread::spawn(move || {
                s.write(b"bye").unwrap();
                drop(s);
            });
            let mut buf = [0u8; 3];
            if i % 2 == 0 {
                let got = loop {
                    match c.read(&mut buf) {
                        Ok(0) => std::hint::spin_loop(),
                        other => break other,
                    }
                };
                assert_eq!(got, Ok(3));
            } else {
                // Through the wait, which polls the ring itself.
                assert_eq!(c.read_exact(&mut buf, &waiter), Ok(()));
            }
            assert_eq!(&buf, b"bye");
            peer.join().unwrap();
        }
    }

    #[test]
    fn ignores_clobbered_own_index() {
        let (mut c, mut s) = pair(12, 12, 0);
        c.write(b"abcd").unwrap();
        c.ctrl().prod(Ring::Left).store(4000, Ordering::SeqCst);
        // The client trusts its private copy and rewrites the page on its
        // next write.
        assert_eq!(c.buffer_space().unwrap(), 4092);
        c.write(b"ef").unwrap();
        let mut buf = [0u8; 8];
        assert_eq!(s.read(&mut buf).unwrap(), 6);
        assert_eq!(&buf[..6], b"abcdef");
    }
}
