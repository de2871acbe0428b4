//! Moving bytes over a connected vchan, for either side: the endpoint's
//! data path, the event channel, and waits with deadlines. The peer is
//! signalled only when it asked (its notify bit), and every wait is a
//! `SCHEDOP_poll` of at most a slice, so the peer's live byte and the
//! deadline are looked at again often.

use super::endpoint::{Endpoint, Live, NOTIFY_READ, NOTIFY_WRITE};
use super::error::VchanError;
use crate::events::{EventError, Port};
use crate::platform::Platform;
use crate::time::Instant;

/// The longest single sleep while waiting.
pub(super) const POLL_SLICE_MS: u64 = 100;

/// How long a wait watches the port before it blocks, in nanoseconds.
const SPIN_NS: u64 = 200_000;

/// One side of a connected vchan.
pub(super) struct Link<'p> {
    pub(super) platform: &'p Platform,
    pub(super) endpoint: Endpoint,
    pub(super) port: Port,
}

impl Link<'_> {
    /// Whether the peer's live byte says it is still there (connected, or
    /// a client not yet connected).
    pub(super) fn peer_open(&self) -> Result<bool, VchanError> {
        match self.endpoint.peer_live() {
            Ok(Live::Gone) => Ok(false),
            Ok(_) => Ok(true),
            Err(v) => Err(VchanError::LiveByte(v)),
        }
    }

    pub(super) fn signal(&self, needed: bool) -> Result<(), VchanError> {
        if needed {
            self.platform.notify(self.port).map_err(VchanError::Event)?;
        }
        Ok(())
    }

    /// Sleeps until the port fires, a poll slice passes, or the deadline;
    /// [`VchanError::Timeout`] once the deadline has passed.
    pub(super) fn wait(&self, deadline: Instant) -> Result<(), VchanError> {
        if self.platform.now() >= deadline {
            return Err(VchanError::Timeout);
        }
        // A reply often comes within microseconds: look at the port for a
        // moment before giving up the CPU, which costs a reschedule.
        let spin_until = Instant(self.platform.now().0.saturating_add(SPIN_NS)).min(deadline);
        while self.platform.now() < spin_until {
            if self.platform.is_pending(self.port) {
                return Ok(());
            }
            core::hint::spin_loop();
        }
        let until = self.platform.deadline_ms(POLL_SLICE_MS).min(deadline);
        match self.platform.poll(&[self.port], until) {
            Ok(()) | Err(EventError::Timeout) => Ok(()),
            Err(e) => Err(VchanError::Event(e)),
        }
    }

    /// Writes all of `data`, waiting for space until `deadline`.
    pub(super) fn send_all(&mut self, data: &[u8], deadline: Instant) -> Result<(), VchanError> {
        let mut rest = data;
        while !rest.is_empty() {
            if !self.peer_open()? {
                return Err(VchanError::Closed);
            }
            self.platform.take_pending(self.port);
            let (n, notify) = self.endpoint.try_send(rest)?;
            self.signal(notify)?;
            rest = &rest[n..];
            if n == 0 {
                self.endpoint.request(NOTIFY_READ);
                if self.endpoint.space()? == 0 {
                    self.wait(deadline)?;
                }
            }
        }
        Ok(())
    }

    /// Fills `buf`, waiting for data until `deadline`. Data the peer wrote
    /// before it closed is still delivered.
    pub(super) fn recv_exact(
        &mut self,
        buf: &mut [u8],
        deadline: Instant,
    ) -> Result<(), VchanError> {
        let mut at = 0;
        while at < buf.len() {
            self.platform.take_pending(self.port);
            let (n, notify) = self.endpoint.try_recv(&mut buf[at..])?;
            self.signal(notify)?;
            at += n;
            if n == 0 {
                self.endpoint.request(NOTIFY_WRITE);
                if self.endpoint.ready()? == 0 {
                    if !self.peer_open()? {
                        return Err(VchanError::Closed);
                    }
                    self.wait(deadline)?;
                }
            }
        }
        Ok(())
    }
}
