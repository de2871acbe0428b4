//! The client end of a vchan over Xen, as `libxenvchan_client_init` makes
//! one: read the server's `ring-ref` and `event-channel` from XenStore, map
//! the control page, check its orders, map the ring pages it lists, bind
//! the event channel, mark ourselves connected, ask to hear of writes and
//! signal the server. Every wait has a deadline, and a peer that breaks the
//! protocol ends the connection.

use alloc::format;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU16, AtomicU32, Ordering};

use super::endpoint::{Endpoint, Live, RingData, Side, LEFT_ORDER, NOTIFY_WRITE, RIGHT_ORDER};
use super::error::VchanError;
use super::layout::{Layout, RingSite, GRANTS_OFFSET};
use super::link::{Link, POLL_SLICE_MS};
use crate::grant::Mapping;
use crate::platform::Platform;
use crate::time::Instant;
use crate::xenstore::{Tx, XenStore, XsError};

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
    link: Link<'p>,
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
        client.link.endpoint.set_live(Live::Connected);
        client.link.endpoint.set_requests(NOTIFY_WRITE);
        platform
            .notify(client.link.port)
            .map_err(VchanError::Event)?;
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
            link: Link {
                platform,
                endpoint,
                port,
            },
            _ctrl: ctrl_map,
            _rings: rings,
        })
    }

    /// The sizes of the left (our writes) and right (our reads) rings.
    pub fn ring_sizes(&self) -> (usize, usize) {
        self.link.endpoint.sizes()
    }

    /// Waits, until `deadline`, for the server to close this vchan;
    /// `Ok(false)` if it is still open then. A server that ends a session
    /// (a refused hello) closes its side a moment after its last reply: a
    /// connect made in that moment would map this closing vchan again.
    pub fn wait_server_closed(&self, deadline: Instant) -> Result<bool, VchanError> {
        let platform = self.link.platform;
        loop {
            if !self.server_open()? {
                return Ok(true);
            }
            if platform.now() >= deadline {
                return Ok(false);
            }
            platform.sleep_until(platform.deadline_ms(POLL_SLICE_MS).min(deadline));
        }
    }

    fn server_open(&self) -> Result<bool, VchanError> {
        self.link.peer_open()
    }

    /// Writes all of `data`, waiting for space until `deadline`.
    pub fn send_all(&mut self, data: &[u8], deadline: Instant) -> Result<(), VchanError> {
        self.link.send_all(data, deadline)
    }

    /// Fills `buf`, waiting for data until `deadline`. Data the server
    /// wrote before it closed is still delivered.
    pub fn recv_exact(&mut self, buf: &mut [u8], deadline: Instant) -> Result<(), VchanError> {
        self.link.recv_exact(buf, deadline)
    }
}

impl Drop for VchanClient<'_> {
    fn drop(&mut self) {
        let link = &self.link;
        link.endpoint.set_live(Live::Gone);
        let _ = link.platform.notify(link.port);
        let _ = link.platform.close_port(link.port);
    }
}
