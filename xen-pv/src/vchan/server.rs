//! The server end of a vchan, as `libxenvchan_server_init` makes one, for a
//! domain with no Linux: grant a control page (and ring pages for orders
//! of 12 and up) to the client domain, lay out the control page, allocate
//! an unbound event-channel port for the client, and publish `ring-ref`
//! and `event-channel` in one XenStore transaction, readable by the client
//! and nobody else. The client (`libxenvchan_client_init`, or ours) maps
//! the page, binds the port, sets `cli_live` to 1 and signals.
//!
//! Closing removes the entries first (a client must never read entries
//! whose grant or port another vchan reuses), then clears `srv_live` and
//! signals (a unikernel has no unmap notification to do it), closes the
//! port and revokes the grants.

use alloc::format;
use alloc::string::String;
use core::sync::atomic::{AtomicU16, AtomicU32, AtomicU8, Ordering};

use super::endpoint::{
    Endpoint, Live, RingData, Side, CLI_LIVE, CLI_NOTIFY, LEFT_ORDER, NOTIFY_WRITE, RIGHT_ORDER,
    SRV_LIVE,
};
use super::error::VchanError;
use super::layout::{Layout, RingSite, GRANTS_OFFSET};
use super::link::Link;
use crate::platform::{Platform, PAGE_SIZE};
use crate::share::Shared;
use crate::time::Instant;
use crate::xenstore::wire::{Access, Perm};
use crate::xenstore::{Tx, XenStore, XsError};

/// Orders whose rings both live in the control page, so that the client
/// maps one page: the client writes 1024 bytes at a time, we 2048.
pub const ONE_PAGE: (u16, u16) = (10, 11);

/// Where each ring's data is, for a control page at `ctrl` followed by the
/// ring pages in the order of the grant list.
pub fn ring_data(ctrl: *mut u8, layout: Layout) -> (RingData, RingData) {
    let place = |site: RingSite, order: u16| RingData {
        data: match site {
            RingSite::InPage(offset) => ctrl.wrapping_add(offset),
            RingSite::Granted { first, .. } => ctrl.wrapping_add((1 + first) * PAGE_SIZE),
        },
        size: 1 << order,
    };
    (
        place(layout.left(), layout.left_order),
        place(layout.right(), layout.right_order),
    )
}

/// Lays out a zeroed control page as `libxenvchan_server_init` leaves it:
/// the orders, the ring pages' grants (`ring_grants`, the left ring's
/// first), the client asked to tell us of its writes, `srv_live` 1 and
/// `cli_live` 2 (not yet connected), the live bytes last.
///
/// # Safety
///
/// `ctrl` must be a zeroed, writable page, and `ring_grants` as many as
/// `layout.grant_count()` (checked: a mismatch panics before any write).
pub unsafe fn init_control(ctrl: *mut u8, layout: Layout, ring_grants: &[u32]) {
    assert_eq!(
        ring_grants.len(),
        layout.grant_count(),
        "one grant per ring page"
    );
    // SAFETY: every offset is inside the page (`Layout::new` checked that
    // the grant list ends before the first in-page ring), and aligned.
    unsafe {
        AtomicU16::from_ptr(ctrl.add(LEFT_ORDER).cast())
            .store(layout.left_order, Ordering::Relaxed);
        AtomicU16::from_ptr(ctrl.add(RIGHT_ORDER).cast())
            .store(layout.right_order, Ordering::Relaxed);
        for (i, &g) in ring_grants.iter().enumerate() {
            AtomicU32::from_ptr(ctrl.add(GRANTS_OFFSET + 4 * i).cast()).store(g, Ordering::Relaxed);
        }
        AtomicU8::from_ptr(ctrl.add(CLI_NOTIFY)).store(NOTIFY_WRITE, Ordering::Relaxed);
        AtomicU8::from_ptr(ctrl.add(SRV_LIVE)).store(1, Ordering::Release);
        AtomicU8::from_ptr(ctrl.add(CLI_LIVE)).store(2, Ordering::Release);
    }
}

/// How many times a transaction the daemon refused with `EAGAIN` is tried.
const TX_TRIES: usize = 8;

/// Writes the two entries under `path` in one transaction, each owned by
/// `me` and readable by `client` only.
fn publish_entries(
    xs: &mut XenStore<'_>,
    path: &str,
    me: u16,
    client: u16,
    ring_ref: u32,
    port: u32,
) -> Result<(), XsError> {
    let perms = [
        Perm {
            domid: me,
            access: Access::None,
        },
        Perm {
            domid: client,
            access: Access::Read,
        },
    ];
    let entries = [
        (format!("{path}/ring-ref"), format!("{ring_ref}")),
        (format!("{path}/event-channel"), format!("{port}")),
    ];
    let mut last = XsError::Protocol("no transaction tried");
    for _ in 0..TX_TRIES {
        let tx = xs.transaction_start()?;
        let written = entries.iter().try_for_each(|(key, value)| {
            xs.write(tx, key, value.as_bytes())?;
            xs.set_permissions(tx, key, &perms)
        });
        if let Err(e) = written {
            let _ = xs.transaction_end(tx, false);
            return Err(e);
        }
        match xs.transaction_end(tx, true) {
            Ok(()) => return Ok(()),
            Err(XsError::Errno(e)) if e == "EAGAIN" => last = XsError::Errno(e),
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// A published vchan, and once a client connects, its server end.
pub struct VchanServer<'p> {
    link: Link<'p>,
    /// `None` once closed.
    shared: Option<Shared<'p>>,
    path: String,
}

impl<'p> VchanServer<'p> {
    /// Publishes a vchan for domain `client` under `path` (a directory we
    /// may write: `/local/domain/<me>/data/...`), with rings of
    /// `1 << left_order` (client to us) and `1 << right_order` bytes.
    pub fn publish(
        platform: &'p Platform,
        xs: &mut XenStore<'_>,
        me: u16,
        client: u16,
        path: &str,
        (left_order, right_order): (u16, u16),
    ) -> Result<Self, VchanError> {
        let layout = Layout::new(left_order, right_order).map_err(VchanError::Layout)?;
        let shared =
            Shared::grant(platform, client, 1 + layout.grant_count()).map_err(VchanError::Share)?;
        let ctrl = shared.ptr();
        // SAFETY: the run is zeroed, ours, and has the pages the layout needs.
        unsafe { init_control(ctrl, layout, &shared.grefs()[1..]) };
        let (left, right) = ring_data(ctrl, layout);
        // SAFETY: the pages stay ours and mapped while `shared` lives,
        // which the server owns, and it is revoked only after the endpoint's
        // last use (`shut`).
        let endpoint = unsafe { Endpoint::new(ctrl, Side::Server, left, right) }?;
        let port = platform.alloc_unbound(client).map_err(VchanError::Event)?;
        let server = VchanServer {
            link: Link {
                platform,
                endpoint,
                port,
            },
            shared: Some(shared),
            path: path.into(),
        };
        let ring_ref = server.shared.as_ref().map_or(0, |s| s.grefs()[0]);
        publish_entries(xs, path, me, client, ring_ref, port.0).map_err(VchanError::Store)?;
        let _ = platform.unmask(port);
        Ok(server)
    }

    /// Waits until `deadline` for the client to connect (`cli_live` 1).
    pub fn wait_connected(&mut self, deadline: Instant) -> Result<(), VchanError> {
        loop {
            self.link.platform.take_pending(self.link.port);
            match self.link.endpoint.peer_live() {
                Ok(Live::Connected) => return Ok(()),
                Ok(Live::NotYet) => self.link.wait(deadline)?,
                Ok(Live::Gone) => return Err(VchanError::Closed),
                Err(v) => return Err(VchanError::LiveByte(v)),
            }
        }
    }

    /// The sizes of the right (our writes) and left (our reads) rings.
    pub fn ring_sizes(&self) -> (usize, usize) {
        self.link.endpoint.sizes()
    }

    /// Whether the client is still there.
    pub fn client_open(&self) -> Result<bool, VchanError> {
        self.link.peer_open()
    }

    /// Writes all of `data`, waiting for space until `deadline`.
    pub fn send_all(&mut self, data: &[u8], deadline: Instant) -> Result<(), VchanError> {
        self.link.send_all(data, deadline)
    }

    /// Fills `buf`, waiting for data until `deadline`.
    pub fn recv_exact(&mut self, buf: &mut [u8], deadline: Instant) -> Result<(), VchanError> {
        self.link.recv_exact(buf, deadline)
    }

    /// Closes the vchan: removes the entries, then ends it ([`Drop`] does
    /// only the latter). Returns how many granted pages the client still
    /// mapped a second later: they stay granted to it, never reused.
    pub fn close(mut self, xs: &mut XenStore<'_>) -> Result<usize, VchanError> {
        let removed = xs.rm(Tx::NONE, &self.path);
        let kept = self.shut();
        removed.map_err(VchanError::Store)?;
        Ok(kept)
    }

    fn shut(&mut self) -> usize {
        let Some(shared) = self.shared.take() else {
            return 0;
        };
        let link = &self.link;
        link.endpoint.set_live(Live::Gone);
        let _ = link.platform.notify(link.port);
        let _ = link.platform.close_port(link.port);
        shared.revoke()
    }
}

impl Drop for VchanServer<'_> {
    fn drop(&mut self) {
        self.shut();
    }
}
