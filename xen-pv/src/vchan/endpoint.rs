//! One end of a vchan's data path, byte-compatible with `libxenvchan`'s
//! `io.c`, over a control page and two rings wherever they are mapped.
//!
//! The control page (`struct vchan_interface`): the left ring's `cons` and
//! `prod` at 0 and 4, the right ring's at 8 and 12, the orders at 16 and 18,
//! `cli_live` and `srv_live` at 20 and 21, `cli_notify` and `srv_notify` at
//! 22 and 23. The client produces into the left ring and consumes the right.
//!
//! Notification, as `libxenvchan` does it: a side's own notify byte holds
//! what its *peer* asked of it. A side that wants to hear of new data (or
//! freed space) sets that bit in the peer's byte, fences, and looks at the
//! ring again before it sleeps; a side that moved an index fences, clears
//! the bit in its own byte, and signals the event channel only if the bit
//! was set. Between the two fences, either the sleeper sees the new index
//! or the mover sees the request.
//!
//! This module does no waiting and no signalling itself: it says when the
//! peer must be signalled, and the caller does it, so the same code runs
//! against `libxenvchan` on the host without an event channel.

use core::sync::atomic::{fence, AtomicU8, Ordering};

use crate::shring::{RingEnd, RingPlace, RingViolation};

/// Offset of `cli_live`.
pub const CLI_LIVE: usize = 20;
/// Offset of `srv_live`.
pub const SRV_LIVE: usize = 21;
/// Offset of `cli_notify`.
pub const CLI_NOTIFY: usize = 22;
/// Offset of `srv_notify`.
pub const SRV_NOTIFY: usize = 23;
/// Offset of `left_order` (`u16`).
pub const LEFT_ORDER: usize = 16;
/// Offset of `right_order` (`u16`).
pub const RIGHT_ORDER: usize = 18;

/// `VCHAN_NOTIFY_WRITE`: tell me when you have written data.
pub const NOTIFY_WRITE: u8 = 1;
/// `VCHAN_NOTIFY_READ`: tell me when you have consumed data.
pub const NOTIFY_READ: u8 = 2;

/// Which end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Writes the left ring, reads the right; its live byte is `cli_live`.
    Client,
    /// Writes the right ring, reads the left; its live byte is `srv_live`.
    Server,
}

/// The state a live byte reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Live {
    /// 0: that side closed (or exited).
    Gone,
    /// 1: connected.
    Connected,
    /// 2: the client has not connected yet.
    NotYet,
}

/// Where a ring's data is: its first byte and its size (a power of two).
#[derive(Clone, Copy, Debug)]
pub struct RingData {
    /// The first byte.
    pub data: *mut u8,
    /// The size in bytes.
    pub size: u32,
}

/// Our end: the control page, and the rings we produce into and consume.
#[derive(Debug)]
pub struct Endpoint {
    ctrl: *mut u8,
    side: Side,
    tx: RingEnd,
    rx: RingEnd,
    /// The first violation in either ring: the whole end stays broken.
    poisoned: Option<RingViolation>,
}

impl Endpoint {
    /// Our end over the control page `ctrl` and the rings `left` and
    /// `right`, adopting (and checking) the indices it finds.
    ///
    /// # Safety
    ///
    /// `ctrl` must be a control page, and `left`/`right` ring areas, that
    /// stay mapped and writable for the life of the endpoint.
    pub unsafe fn new(
        ctrl: *mut u8,
        side: Side,
        left: RingData,
        right: RingData,
    ) -> Result<Endpoint, RingViolation> {
        let place = |ring: RingData, cons: usize| RingPlace {
            data: ring.data,
            size: ring.size,
            cons: ctrl.wrapping_add(cons),
            prod: ctrl.wrapping_add(cons + 4),
        };
        let (left, right) = (place(left, 0), place(right, 8));
        // SAFETY: as the caller vouches.
        let (tx, rx) = unsafe {
            match side {
                Side::Client => (RingEnd::producer(left)?, RingEnd::consumer(right)?),
                Side::Server => (RingEnd::producer(right)?, RingEnd::consumer(left)?),
            }
        };
        Ok(Endpoint {
            ctrl,
            side,
            tx,
            rx,
            poisoned: None,
        })
    }

    fn byte(&self, offset: usize) -> &AtomicU8 {
        // SAFETY: the offsets are inside the control page, which stays
        // mapped (the constructor's contract).
        unsafe { AtomicU8::from_ptr(self.ctrl.add(offset)) }
    }

    fn own(&self, client: usize, server: usize) -> &AtomicU8 {
        match self.side {
            Side::Client => self.byte(client),
            Side::Server => self.byte(server),
        }
    }

    fn peers(&self, client: usize, server: usize) -> &AtomicU8 {
        match self.side {
            Side::Client => self.byte(server),
            Side::Server => self.byte(client),
        }
    }

    /// The peer's live byte; `Err(value)` for a value that means nothing.
    pub fn peer_live(&self) -> Result<Live, u8> {
        match self.peers(CLI_LIVE, SRV_LIVE).load(Ordering::Acquire) {
            0 => Ok(Live::Gone),
            1 => Ok(Live::Connected),
            2 => Ok(Live::NotYet),
            v => Err(v),
        }
    }

    /// Sets our live byte.
    pub fn set_live(&self, live: Live) {
        let v = match live {
            Live::Gone => 0,
            Live::Connected => 1,
            Live::NotYet => 2,
        };
        self.own(CLI_LIVE, SRV_LIVE).store(v, Ordering::Release);
    }

    /// Asks the peer to signal us for `bit` (`NOTIFY_WRITE`: new data;
    /// `NOTIFY_READ`: freed space). Look at the ring again afterwards,
    /// before waiting.
    pub fn request(&self, bit: u8) {
        self.peers(CLI_NOTIFY, SRV_NOTIFY)
            .fetch_or(bit, Ordering::SeqCst);
        fence(Ordering::SeqCst);
    }

    /// Replaces the requests we make of the peer (`libxenvchan`'s client
    /// sets them to `NOTIFY_WRITE` when it connects).
    pub fn set_requests(&self, bits: u8) {
        self.peers(CLI_NOTIFY, SRV_NOTIFY)
            .store(bits, Ordering::SeqCst);
    }

    /// After we moved an index: whether the peer asked to hear of it
    /// (the request is consumed).
    fn peer_asked(&self, bit: u8) -> bool {
        fence(Ordering::SeqCst);
        self.own(CLI_NOTIFY, SRV_NOTIFY)
            .fetch_and(!bit, Ordering::SeqCst)
            & bit
            != 0
    }

    /// Runs a ring operation unless the end is poisoned, and poisons it on
    /// a violation.
    fn guarded<T>(
        &mut self,
        op: impl FnOnce(&mut Self) -> Result<T, RingViolation>,
    ) -> Result<T, RingViolation> {
        if let Some(v) = self.poisoned {
            return Err(v);
        }
        op(self).inspect_err(|v| self.poisoned = Some(*v))
    }

    /// Free bytes in the ring we produce into.
    pub fn space(&mut self) -> Result<usize, RingViolation> {
        self.guarded(|e| e.tx.available())
    }

    /// Bytes ready in the ring we consume.
    pub fn ready(&mut self) -> Result<usize, RingViolation> {
        self.guarded(|e| e.rx.available())
    }

    /// The sizes of the rings we produce into and consume.
    pub fn sizes(&self) -> (usize, usize) {
        (self.tx.size(), self.rx.size())
    }

    /// Writes as much of `data` as fits, without waiting: the bytes taken,
    /// and whether the peer must now be signalled.
    pub fn try_send(&mut self, data: &[u8]) -> Result<(usize, bool), RingViolation> {
        let n = self.guarded(|e| e.tx.write(data))?;
        Ok((n, n > 0 && self.peer_asked(NOTIFY_WRITE)))
    }

    /// Reads as many ready bytes as `buf` holds, without waiting: the bytes
    /// read, and whether the peer must now be signalled.
    pub fn try_recv(&mut self, buf: &mut [u8]) -> Result<(usize, bool), RingViolation> {
        let n = self.guarded(|e| e.rx.read(buf))?;
        Ok((n, n > 0 && self.peer_asked(NOTIFY_READ)))
    }
}
