//! The byte stream under the Xen transport: a [`Link`], and [`VchanLink`],
//! one over a real `libxenvchan` vchan.
//!
//! `libxenvchan`'s struct has a `blocking` flag that its init functions do
//! not set, and the opaque handle does not let us set it, so [`VchanLink`]
//! never asks for more than is there: it reads at most `data_ready` bytes
//! and writes at most `buffer_space` bytes, which never block in either
//! mode. Both calls also ask the peer for a notification, so when nothing
//! is there the link polls the event channel's descriptor (with the
//! deadline as its timeout), consumes the event with `libxenvchan_wait`,
//! and looks again.

use std::ffi::CString;
use std::time::{Duration, Instant};

use super::libxenvchan::xenvchan::{Vchan, Xenvchan, XenvchanLinked};
use super::libxenvchan::NO_LOGGER;
use crate::shm::SharedMemory;

/// The longest single poll of the event channel: the deadline and the
/// peer's live byte are looked at again at least this often.
const POLL_SLICE: Duration = Duration::from_millis(100);

/// How often a waiting link asks its peer check (see
/// [`VchanLink::with_peer_check`]) whether the peer's domain still exists.
const PEER_CHECK: Duration = Duration::from_secs(1);

/// Why moving bytes over a link failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// The peer closed its end (or its domain died) and nothing is left to read.
    #[error("the peer closed the vchan")]
    Closed,
    /// The deadline passed.
    #[error("timed out on the vchan")]
    Timeout,
    /// A `libxenvchan` call or a system call failed.
    #[error("{0}")]
    Failed(String),
    /// Connecting failed in a way that trying again cannot mend (a restart
    /// policy that allows no more restarts): a connector returns it to stop
    /// the retries at once.
    #[error("{0}")]
    Permanent(String),
}

/// A reliable, ordered byte stream to the peer: all the Xen transport needs
/// of a vchan. [`VchanLink`] is the real one; any other (a ring in the same
/// process, for tests) can stand in.
pub trait Link: Send {
    /// Writes all of `data`, waiting for space until `deadline` (`None`:
    /// no deadline).
    fn write_all(&mut self, data: &[u8], deadline: Option<Instant>) -> Result<(), LinkError>;
    /// Fills `buf`, waiting for data until `deadline`.
    fn read_exact(&mut self, buf: &mut [u8], deadline: Option<Instant>) -> Result<(), LinkError>;
    /// Whether the peer this link reaches has been replaced (its domain
    /// restarted through another connection), so that a call should not be
    /// sent on it. Asked between calls.
    fn is_stale(&self) -> bool {
        false
    }
    /// Whether the peer has visibly closed its end (its server ended while
    /// no call was in flight). Cheap (no system call): asked whenever a
    /// handle is about to be sent, and before every call.
    fn peer_closed(&self) -> bool {
        false
    }
    /// Server side: grants `pages` fresh zeroed pages of this domain to the
    /// peer's, for the connection's bulk region (see [`super::grant`]); the
    /// region and its grant references.
    fn share_pages(&mut self, pages: usize) -> Result<(SharedMemory, Vec<u32>), LinkError> {
        let _ = pages;
        Err(LinkError::Failed("this link grants no pages".into()))
    }
    /// Client side: maps the pages the peer granted under `refs`.
    fn map_grants(&mut self, refs: &[u32]) -> Result<SharedMemory, LinkError> {
        let _ = refs;
        Err(LinkError::Failed("this link maps no grants".into()))
    }
}

/// One end of a `libxenvchan` vchan. Dropping it closes the vchan
/// (`libxenvchan_close`): the peer sees its live byte drop to 0.
pub struct VchanLink {
    lib: XenvchanLinked,
    vchan: Vchan,
    peer_check: Option<(Box<dyn FnMut() -> bool + Send>, Instant)>,
    stale_check: Option<Box<dyn Fn() -> bool + Send>>,
    /// A server's XenStore directory, removed before the vchan is closed.
    published: Option<CString>,
    /// The peer's domain id.
    peer: u16,
}

impl std::fmt::Debug for VchanLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VchanLink")
            .field("vchan", &self.vchan)
            .field("peer_check", &self.peer_check.is_some())
            .finish()
    }
}

// SAFETY: `struct libxenvchan` has no thread affinity (no thread-local state;
// its event channel and grant handles are plain descriptors), and a
// `VchanLink` is used by one thread at a time (`&mut self`, or behind the
// transport's mutex). Moving it between threads is therefore sound even
// though the generated handle is conservatively not `Send`.
unsafe impl Send for VchanLink {}

fn failed(what: &str, e: impl std::fmt::Display) -> LinkError {
    LinkError::Failed(format!("{what}: {e}"))
}

fn path(xs_path: &str) -> Result<CString, LinkError> {
    CString::new(xs_path).map_err(|_| LinkError::Failed("the XenStore path holds a NUL".into()))
}

/// The `ring-ref` and `event-channel` a server published under `xs_path`,
/// or `None` when either is missing or unreadable.
fn published_entries(xs_path: &str) -> Option<(CString, CString)> {
    use super::xenstore::xenstore::{XenStore, XenStoreLinked};
    let store = XenStoreLinked::new();
    let h = store.open(0).ok()?;
    let read = |key: &str| -> Option<CString> {
        let p = CString::new(format!("{xs_path}/{key}")).ok()?;
        let (value, _) = store.read(&h, super::xenstore::XBT_NULL, &p).ok()?;
        Some(value.to_owned())
    };
    Some((read("ring-ref")?, read("event-channel")?))
}

impl Drop for VchanLink {
    fn drop(&mut self) {
        // `libxenvchan_close` frees the grant and the event channel before it
        // removes the entries naming them; removing them first means no
        // client can read entries whose numbers another vchan reuses.
        if let Some(p) = self.published.take() {
            use super::xenstore::xenstore::{XenStore, XenStoreLinked};
            let store = XenStoreLinked::new();
            if let Ok(h) = store.open(0) {
                let _ = store.rm(&h, super::xenstore::XBT_NULL, &p);
            }
        }
    }
}

impl VchanLink {
    /// Connects, as the vchan client, to the vchan that domain
    /// `server_domain` published under `xs_path` in XenStore (its
    /// `ring-ref` and `event-channel` entries): maps the granted pages and
    /// binds the event channel, then tells the server it is connected.
    pub fn client(server_domain: u16, xs_path: &str) -> Result<Self, LinkError> {
        let lib = XenvchanLinked::new();
        let p = path(xs_path)?;
        // Nothing published yet: no connect. Connecting anyway would reach a
        // server that publishes meanwhile, and the check below, finding
        // entries only after, would then drop a vchan its server saw open.
        let Some(before) = published_entries(xs_path) else {
            return Err(LinkError::Failed(format!(
                "no vchan is published under {xs_path} yet"
            )));
        };
        let vchan = lib
            .client_init(NO_LOGGER, server_domain.into(), &p)
            .map_err(|e| {
                let os = std::io::Error::last_os_error();
                failed(
                    &format!("libxenvchan_client_init(domain {server_domain}, {xs_path})"),
                    format!("{e} ({os})"),
                )
            })?;
        let link = VchanLink {
            lib,
            vchan,
            peer_check: None,
            stale_check: None,
            published: None,
            peer: server_domain,
        };
        // The entries may have been those of a vchan that was closing: its
        // grant reference and event channel, freed, can be another server's
        // by now (a neighbour published in the same guest), and the pages
        // just mapped that server's. Entries unchanged across the connect
        // prove the vchan reached is still the one published here, since a
        // server removes its entries before it frees what they name.
        match published_entries(xs_path) {
            Some(after) if after == before => Ok(link),
            _ => Err(LinkError::Failed(format!(
                "the vchan under {xs_path} was republished while connecting"
            ))),
        }
    }

    /// Sets up a vchan as its server, for domain `client_domain`: grants the
    /// shared page(s), allocates an unbound event channel, and publishes both
    /// under `xs_path` (readable by the client). The left ring (client to
    /// server) holds at least `left_min` bytes, the right ring at least
    /// `right_min`. The client has not connected yet: see
    /// [`VchanLink::wait_connected`].
    pub fn server(
        client_domain: u16,
        xs_path: &str,
        left_min: usize,
        right_min: usize,
    ) -> Result<Self, LinkError> {
        let lib = XenvchanLinked::new();
        let p = path(xs_path)?;
        let vchan = lib
            .server_init(NO_LOGGER, client_domain.into(), &p, left_min, right_min)
            .map_err(|e| {
                let os = std::io::Error::last_os_error();
                failed(
                    &format!("libxenvchan_server_init(domain {client_domain}, {xs_path})"),
                    format!("{e} ({os})"),
                )
            })?;
        Ok(VchanLink {
            lib,
            vchan,
            peer_check: None,
            stale_check: None,
            published: Some(p),
            peer: client_domain,
        })
    }

    /// While waiting, asks `alive` (at most once a second) whether the
    /// peer's domain still exists, and ends the wait as
    /// [`LinkError::Closed`] when it does not. A domain that is destroyed
    /// never clears its live byte, so without this a link to it would wait
    /// for its deadline.
    pub fn with_peer_check(mut self, alive: Box<dyn FnMut() -> bool + Send>) -> Self {
        self.peer_check = Some((alive, Instant::now()));
        self
    }

    /// Answers [`Link::is_stale`] with `stale`.
    pub fn with_stale_check(mut self, stale: Box<dyn Fn() -> bool + Send>) -> Self {
        self.stale_check = Some(stale);
        self
    }

    /// `libxenvchan_is_open`: 0 closed, 1 connected, 2 (server) no client yet.
    pub fn state(&self) -> Result<i32, LinkError> {
        self.lib
            .is_open(&self.vchan)
            .map_err(|e| failed("libxenvchan_is_open", e))
    }

    /// The event channel's descriptor (`libxenvchan_fd_for_select`):
    /// readable when an event is pending.
    pub fn event_fd(&self) -> Result<i32, LinkError> {
        match self.lib.fd_for_select(&self.vchan) {
            Ok(fd) if fd >= 0 => Ok(fd),
            Ok(fd) => Err(failed("libxenvchan_fd_for_select", fd)),
            Err(e) => Err(failed("libxenvchan_fd_for_select", e)),
        }
    }

    /// Server side: waits until a client connects (the live byte leaves 2).
    pub fn wait_connected(&mut self, deadline: Option<Instant>) -> Result<(), LinkError> {
        loop {
            match self.state()? {
                2 => self.wait_event(deadline)?,
                0 => return Err(LinkError::Closed),
                _ => return Ok(()),
            }
        }
    }

    /// Waits for the next event (or one poll slice, or the deadline) and
    /// consumes it.
    fn wait_event(&mut self, deadline: Option<Instant>) -> Result<(), LinkError> {
        if let Some((alive, last)) = &mut self.peer_check {
            if last.elapsed() >= PEER_CHECK {
                if !alive() {
                    return Err(LinkError::Closed);
                }
                *last = Instant::now();
            }
        }
        let slice = match deadline {
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(LinkError::Timeout);
                }
                left.min(POLL_SLICE)
            }
            None => POLL_SLICE,
        };
        let mut pfd = libc::pollfd {
            fd: self.event_fd()?,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = libc::c_int::try_from(slice.as_millis().max(1)).unwrap_or(libc::c_int::MAX);
        // SAFETY: one valid `pollfd` for the duration of the call.
        let n = unsafe { libc::poll(&mut pfd, 1, ms) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                return Ok(());
            }
            return Err(failed("poll on the event channel", e));
        }
        if n > 0 && pfd.revents & libc::POLLIN != 0 {
            // An event is pending, so this does not block: it consumes the
            // event and unmasks the port.
            match self.lib.wait(&self.vchan) {
                Ok(0) => {}
                Ok(r) => return Err(failed("libxenvchan_wait", r)),
                Err(e) => return Err(failed("libxenvchan_wait", e)),
            }
        }
        Ok(())
    }

    fn count(what: &str, r: Result<i32, ffi_desc::Error>) -> Result<usize, LinkError> {
        match r {
            Ok(n) => usize::try_from(n).map_err(|_| failed(what, n)),
            Err(e) => Err(failed(what, e)),
        }
    }
}

impl Link for VchanLink {
    fn share_pages(&mut self, pages: usize) -> Result<(SharedMemory, Vec<u32>), LinkError> {
        super::grant::share(self.peer, pages).map_err(LinkError::Failed)
    }

    fn map_grants(&mut self, refs: &[u32]) -> Result<SharedMemory, LinkError> {
        super::grant::map(self.peer, refs).map_err(LinkError::Failed)
    }

    fn is_stale(&self) -> bool {
        self.stale_check.as_ref().is_some_and(|stale| stale())
    }

    fn peer_closed(&self) -> bool {
        // libxenvchan_is_open reads the live byte in the shared page; a
        // destroyed domain never clears it, which a call then finds.
        matches!(self.state(), Ok(0))
    }

    fn write_all(&mut self, data: &[u8], deadline: Option<Instant>) -> Result<(), LinkError> {
        let mut pos = 0;
        while pos < data.len() {
            if self.state()? == 0 {
                return Err(LinkError::Closed);
            }
            let space = Self::count(
                "libxenvchan_buffer_space",
                self.lib.buffer_space(&self.vchan),
            )?;
            if space == 0 {
                self.wait_event(deadline)?;
                continue;
            }
            let end = pos + space.min(data.len() - pos);
            let n = Self::count(
                "libxenvchan_write",
                self.lib.write(&self.vchan, &data[pos..end]),
            )?;
            pos += n;
        }
        Ok(())
    }

    fn read_exact(&mut self, buf: &mut [u8], deadline: Option<Instant>) -> Result<(), LinkError> {
        let mut pos = 0;
        while pos < buf.len() {
            let ready = Self::count("libxenvchan_data_ready", self.lib.data_ready(&self.vchan))?;
            if ready == 0 {
                if self.state()? == 0 {
                    return Err(LinkError::Closed);
                }
                self.wait_event(deadline)?;
                continue;
            }
            let end = pos + ready.min(buf.len() - pos);
            let n = Self::count(
                "libxenvchan_read",
                self.lib.read(&self.vchan, &mut buf[pos..end]),
            )?;
            if n > end - pos {
                return Err(failed("libxenvchan_read", "returned more than asked"));
            }
            pos += n;
        }
        Ok(())
    }
}
