//! The client end of a vchan over Xen, as `libxenvchan_client_init` makes
//! one: read the server's `ring-ref` and `event-channel` from XenStore, map
//! the control page, check its orders, map the ring pages it lists, bind
//! the event channel, mark ourselves connected, ask to hear of writes and
//! signal the server. Every wait has a deadline, and a peer that breaks the
//! protocol ends the connection.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU16, AtomicU32, Ordering};

use super::endpoint::{
    Endpoint, Live, RingData, Side, LEFT_ORDER, NOTIFY_READ, NOTIFY_WRITE, RIGHT_ORDER,
};
use super::layout::{Layout, LayoutError, RingSite, GRANTS_OFFSET};
use crate::events::{EventError, Port};
use crate::grant::{GrantError, Mapping};
use crate::platform::Platform;
use crate::shring::RingViolation;
use crate::time::Instant;
use crate::xenstore::{Tx, XenStore, XsError};

/// The longest single sleep while waiting: the peer's live byte and the
/// deadline are looked at again at least this often.
const POLL_SLICE_MS: u64 = 100;

/// How long a wait watches the port before it blocks, in nanoseconds.
const SPIN_NS: u64 = 200_000;

/// Why a vchan operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VchanError {
    /// Reading the server's entries failed.
    Store(XsError),
    /// An entry is missing or not a number.
    Entry(String),
    /// Mapping the server's pages failed.
    Grant(GrantError),
    /// Binding or signalling the event channel failed.
    Event(EventError),
    /// The server's orders are impossible.
    Layout(LayoutError),
    /// The server broke the ring protocol.
    Ring(RingViolation),
    /// The server's live byte holds a value that means nothing.
    LiveByte(u8),
    /// The server closed its end.
    Closed,
    /// The deadline passed.
    Timeout,
}

impl core::fmt::Display for VchanError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            VchanError::Store(e) => write!(f, "vchan: {e}"),
            VchanError::Entry(what) => write!(f, "vchan: {what}"),
            VchanError::Grant(e) => write!(f, "vchan: {e}"),
            VchanError::Event(e) => write!(f, "vchan: event channel: {e}"),
            VchanError::Layout(e) => write!(f, "vchan: {e}"),
            VchanError::Ring(v) => write!(f, "vchan: {v}"),
            VchanError::LiveByte(v) => write!(f, "vchan: the server's live byte holds {v}"),
            VchanError::Closed => write!(f, "vchan: the server closed its end"),
            VchanError::Timeout => write!(f, "vchan: timed out"),
        }
    }
}

impl From<RingViolation> for VchanError {
    fn from(v: RingViolation) -> Self {
        VchanError::Ring(v)
    }
}

/// The server's XenStore entries, parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entries {
    ring_ref: u32,
    event_channel: u32,
}

/// An entry as a number; `None` while it is missing. Until the server has
/// published, the entry's nearest existing parent is the server's own
/// directory, which we may not read, so XenStore answers `EACCES` rather
/// than `ENOENT`: both mean "not there yet".
fn read_number(xs: &mut XenStore<'_>, path: &str) -> Result<Option<u32>, VchanError> {
    let raw = match xs.read(Tx::NONE, path) {
        Ok(raw) => raw,
        Err(XsError::Errno(e)) if e == "ENOENT" || e == "EACCES" => return Ok(None),
        Err(e) => return Err(VchanError::Store(e)),
    };
    let text = core::str::from_utf8(&raw).ok();
    match text.and_then(|t| t.parse::<u32>().ok()) {
        Some(n) => Ok(Some(n)),
        None => Err(VchanError::Entry(format!("{path} is not a number"))),
    }
}

fn read_entries(xs: &mut XenStore<'_>, path: &str) -> Result<Option<Entries>, VchanError> {
    let ring_ref = read_number(xs, &format!("{path}/ring-ref"))?;
    let event_channel = read_number(xs, &format!("{path}/event-channel"))?;
    Ok(ring_ref
        .zip(event_channel)
        .map(|(ring_ref, event_channel)| Entries {
            ring_ref,
            event_channel,
        }))
}

/// A connected vchan client. Dropping it closes the vchan: the live byte
/// goes to 0 and the server is signalled (no unmap notification does it for
/// a unikernel), then the pages are unmapped and the port closed.
pub struct VchanClient<'p> {
    platform: &'p Platform,
    endpoint: Endpoint,
    port: Port,
    // Keep the pages mapped while the endpoint points into them; dropped
    // after `drop` has cleared the live byte.
    _ctrl: Mapping<'p>,
    _rings: Vec<Mapping<'p>>,
}

impl<'p> VchanClient<'p> {
    /// Connects to the vchan domain `server` published under `path`,
    /// waiting until `deadline` for its entries to appear.
    pub fn connect(
        platform: &'p Platform,
        xs: &mut XenStore<'_>,
        server: u16,
        path: &str,
        deadline: Instant,
    ) -> Result<Self, VchanError> {
        // Bounded by the deadline: each round connects, fails, or sleeps a
        // slice. A server between two connections (it closed the last one,
        // removes its entries, frees what they named, publishes anew) is
        // waited for, not an error.
        let client = loop {
            if let Some(entries) = read_entries(xs, path)? {
                let attached = Self::attach(platform, server, entries);
                // Entries unchanged across the connect prove that the pages
                // and port are still the vchan published there: a server
                // removes its entries before it frees what they name.
                let unchanged = read_entries(xs, path)? == Some(entries);
                match attached {
                    // A closed vchan whose entries are not yet removed has
                    // its server's live byte at 0 already (a fresh one, 1).
                    Ok(client) if unchanged && client.server_open()? => break client,
                    // Republished under us, or closed: let it go.
                    Ok(_) => {}
                    // What failed was the old vchan's: wait for the new one.
                    Err(_) if !unchanged => {}
                    Err(e) => return Err(e),
                }
            }
            if platform.now() >= deadline {
                return Err(VchanError::Timeout);
            }
            platform.sleep_until(platform.deadline_ms(POLL_SLICE_MS).min(deadline));
        };
        client.endpoint.set_live(Live::Connected);
        client.endpoint.set_requests(NOTIFY_WRITE);
        platform.notify(client.port).map_err(VchanError::Event)?;
        Ok(client)
    }

    fn attach(platform: &'p Platform, server: u16, entries: Entries) -> Result<Self, VchanError> {
        let ctrl_map = Mapping::map(platform, server, &[entries.ring_ref], false)
            .map_err(VchanError::Grant)?;
        let ctrl = ctrl_map.ptr();
        // SAFETY: the control page is mapped; the orders and the grant list
        // are read once, atomically, into private copies.
        let (left_order, right_order) = unsafe {
            (
                AtomicU16::from_ptr(ctrl.add(LEFT_ORDER).cast()).load(Ordering::Acquire),
                AtomicU16::from_ptr(ctrl.add(RIGHT_ORDER).cast()).load(Ordering::Acquire),
            )
        };
        let layout = Layout::new(left_order, right_order).map_err(VchanError::Layout)?;
        let grants: Vec<u32> = (0..layout.grant_count())
            .map(|i| {
                // SAFETY: `Layout::new` checked that the list lies inside the page.
                unsafe { AtomicU32::from_ptr(ctrl.add(GRANTS_OFFSET + 4 * i).cast()) }
                    .load(Ordering::Relaxed)
            })
            .collect();
        let mut rings = Vec::new();
        let mut place =
            |site: RingSite, order: u16, readonly: bool| -> Result<RingData, VchanError> {
                let data = match site {
                    RingSite::InPage(offset) => ctrl.wrapping_add(offset),
                    RingSite::Granted { first, count } => {
                        let m =
                            Mapping::map(platform, server, &grants[first..first + count], readonly)
                                .map_err(VchanError::Grant)?;
                        let p = m.ptr();
                        rings.push(m);
                        p
                    }
                };
                Ok(RingData {
                    data,
                    size: 1 << order,
                })
            };
        // We only read the right ring: map it read-only.
        let left = place(layout.left(), left_order, false)?;
        let right = place(layout.right(), right_order, true)?;
        let port = platform
            .bind_interdomain(server, entries.event_channel)
            .map_err(VchanError::Event)?;
        // SAFETY: the control page and the rings stay mapped for the life of
        // the client, which owns the mappings.
        let endpoint = match unsafe { Endpoint::new(ctrl, Side::Client, left, right) } {
            Ok(e) => e,
            Err(v) => {
                let _ = platform.close_port(port);
                return Err(v.into());
            }
        };
        let _ = platform.unmask(port);
        Ok(VchanClient {
            platform,
            endpoint,
            port,
            _ctrl: ctrl_map,
            _rings: rings,
        })
    }

    /// The sizes of the left (our writes) and right (our reads) rings.
    pub fn ring_sizes(&self) -> (usize, usize) {
        self.endpoint.sizes()
    }

    /// Waits, until `deadline`, for the server to close this vchan;
    /// `Ok(false)` if it is still open then. A server that ends a session
    /// (a refused hello) closes its side a moment after its last reply: a
    /// connect made in that moment would map this closing vchan again.
    pub fn wait_server_closed(&self, deadline: Instant) -> Result<bool, VchanError> {
        loop {
            if !self.server_open()? {
                return Ok(true);
            }
            if self.platform.now() >= deadline {
                return Ok(false);
            }
            self.platform
                .sleep_until(self.platform.deadline_ms(POLL_SLICE_MS).min(deadline));
        }
    }

    fn server_open(&self) -> Result<bool, VchanError> {
        match self.endpoint.peer_live() {
            Ok(Live::Gone) => Ok(false),
            Ok(_) => Ok(true),
            Err(v) => Err(VchanError::LiveByte(v)),
        }
    }

    fn signal(&self, needed: bool) -> Result<(), VchanError> {
        if needed {
            self.platform.notify(self.port).map_err(VchanError::Event)?;
        }
        Ok(())
    }

    /// Sleeps until the port fires, a poll slice passes, or the deadline;
    /// [`VchanError::Timeout`] once the deadline has passed.
    fn wait(&self, deadline: Instant) -> Result<(), VchanError> {
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
    pub fn send_all(&mut self, data: &[u8], deadline: Instant) -> Result<(), VchanError> {
        let mut rest = data;
        while !rest.is_empty() {
            if !self.server_open()? {
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

    /// Fills `buf`, waiting for data until `deadline`. Data the server
    /// wrote before it closed is still delivered.
    pub fn recv_exact(&mut self, buf: &mut [u8], deadline: Instant) -> Result<(), VchanError> {
        let mut at = 0;
        while at < buf.len() {
            self.platform.take_pending(self.port);
            let (n, notify) = self.endpoint.try_recv(&mut buf[at..])?;
            self.signal(notify)?;
            at += n;
            if n == 0 {
                self.endpoint.request(NOTIFY_WRITE);
                if self.endpoint.ready()? == 0 {
                    if !self.server_open()? {
                        return Err(VchanError::Closed);
                    }
                    self.wait(deadline)?;
                }
            }
        }
        Ok(())
    }
}

impl Drop for VchanClient<'_> {
    fn drop(&mut self) {
        self.endpoint.set_live(Live::Gone);
        let _ = self.platform.notify(self.port);
        let _ = self.platform.close_port(self.port);
    }
}
