//! The domain's side of the Xen transport: the server loop that runs in the
//! domain holding the C library.
//!
//! The domain is the vchan **server**: for each client it grants a fresh
//! shared page to the client's domain, allocates an event channel, publishes
//! both under the XenStore path, waits for the client to connect, checks the
//! description's fingerprint, and serves calls until the client closes. Then
//! it closes the vchan (which removes the XenStore entries) and, unless told
//! to serve once, publishes a new one for the next client.
//!
//! The domain boundary is Xen's: there is no seccomp sandbox here, the
//! domain itself is the sandbox.

use std::cell::{Cell, RefCell};
use std::ffi::CString;
use std::rc::Rc;
use std::sync::Arc;

use ffi_desc::isolated::ServerSpec;

use super::grant::{encode_refs, pages_for};
use super::link::{Link, LinkError, VchanLink};
use crate::domain::Termination;
use crate::server::EXIT_SETUP;
use crate::session::{Frames, Session};
use crate::shm::SharedMemory;
use crate::wire::{Header, Kind, HEADER_LEN};

/// How the domain publishes and serves its vchan.
#[derive(Clone, Debug)]
pub struct XenServeOptions {
    /// The domain id of the client (the application's domain).
    pub client_domain: u16,
    /// The XenStore directory to publish the vchan under (writable by this
    /// domain, e.g. `/local/domain/<own id>/data/vchan/<client id>/<port>`;
    /// see [`super::vchan_path`]).
    pub xs_path: String,
    /// Smallest size of the left ring (client to server), in bytes.
    pub left_min: usize,
    /// Smallest size of the right ring (server to client), in bytes.
    pub right_min: usize,
    /// The largest frame accepted from the client.
    pub max_frame: usize,
    /// Serve one client, then return (otherwise serve clients one after
    /// another, forever).
    pub once: bool,
    /// The most bytes of bulk region granted to a client that asks for one
    /// (rounded up to pages, at most [`super::grant::MAX_GRANT_PAGES`]
    /// pages; 0: none). Linux's `gntalloc` bounds the pages a domain grants
    /// in all (its `limit` parameter, 1024 by default, the vchans' rings
    /// included): a server that cannot grant answers without a region.
    pub max_bulk: usize,
}

impl XenServeOptions {
    /// Defaults for serving `client_domain` under `xs_path`: 64 KiB rings,
    /// frames up to 1 GiB, bulk regions up to [`Self::DEFAULT_MAX_BULK`],
    /// clients one after another.
    pub fn new(client_domain: u16, xs_path: impl Into<String>) -> Self {
        XenServeOptions {
            client_domain,
            xs_path: xs_path.into(),
            left_min: 64 << 10,
            right_min: 64 << 10,
            max_frame: 1 << 30,
            once: false,
            max_bulk: Self::DEFAULT_MAX_BULK,
        }
    }

    /// The default of [`XenServeOptions::max_bulk`]: 2 MiB (512 pages).
    pub const DEFAULT_MAX_BULK: usize = 2 << 20;
}

/// How one connection ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Served {
    /// The client closed the vchan after its calls.
    Closed,
    /// The client speaks another description; it was told so.
    Refused,
}

/// Runs the domain's server for `spec`; the whole `main` of a server
/// executable in a Xen domain:
///
/// ```text
/// fn main() {
///     let opts = XenServeOptions::new(client_domid, vchan_path(my_domid, client_domid, "zlib"));
///     ffi_isolate::xen::serve_xen(my_description::server(), opts)
/// }
/// ```
pub fn serve_xen(spec: ServerSpec, opts: XenServeOptions) -> ! {
    match run(spec, &opts) {
        Ok(()) => std::process::exit(0),
        Err(e) => {
            eprintln!("{} xen domain: {e}", spec.name);
            std::process::exit(EXIT_SETUP)
        }
    }
}

/// Where the supervisor publishes how the domain's server ended, relative to
/// the domain's own XenStore directory (`/local/domain/<id>/`): `exited
/// <code>` or `signaled <number> <name>`.
pub const EXIT_KEY: &str = "data/ffi-isolate/exit";

/// Runs `servers` (the domain's whole server: every description it serves)
/// in a child process, waits for it, and publishes how it ended under
/// [`EXIT_KEY`], where [`super::launcher::XenGuest`] reads it, so that a C
/// library that crashes in a Xen guest is reported to the caller as the same
/// [`ffi_desc::DomainFailure::Signaled`] (or `Exited`) as a crashed process.
/// Then exits as the child did (`128 + signal` for a signal, as a shell
/// reports it). Call it first in `main`, before any thread starts: with
/// other threads running it refuses, and exits.
pub fn supervise(servers: impl FnOnce() + std::panic::UnwindSafe) -> ! {
    let threads = std::fs::read_dir("/proc/self/task").map(|d| d.count());
    if !matches!(threads, Ok(1)) {
        eprintln!("xen domain: supervise must run before any other thread ({threads:?} threads)");
        std::process::exit(EXIT_SETUP)
    }
    use super::xenstore::xenstore::{XenStore, XenStoreLinked};
    let store = XenStoreLinked::new();
    let path = CString::new(EXIT_KEY).expect("no NUL in the key");
    let handle = store.open(0).ok();
    if let Some(h) = &handle {
        // A report left by an earlier server of this guest is not this one's.
        let _ = store.rm(h, super::xenstore::XBT_NULL, &path);
    }
    // SAFETY: the process has one thread (checked above, and nothing here
    // starts one), so the child is a complete copy of a single-threaded
    // process and may run any code, including the allocator.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        eprintln!("xen domain: fork: {}", std::io::Error::last_os_error());
        std::process::exit(EXIT_SETUP)
    }
    if pid == 0 {
        // A panic ends the child here; it never unwinds into the caller's
        // `main` as if it were the supervisor.
        let code = match std::panic::catch_unwind(servers) {
            Ok(()) => 0,
            Err(_) => 101,
        };
        std::process::exit(code)
    }
    let mut status = 0;
    loop {
        // SAFETY: `status` is a valid out-pointer; `pid` is our child.
        let r = unsafe { libc::waitpid(pid, &mut status, 0) };
        if r == pid {
            break;
        }
        if r < 0 && std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            eprintln!("xen domain: waitpid: {}", std::io::Error::last_os_error());
            std::process::exit(EXIT_SETUP)
        }
    }
    let (report, code) = match Termination::classify(status, None) {
        Termination::Signaled { signal, name } => {
            (format!("signaled {signal} {name}"), 128 + signal)
        }
        Termination::Exited(code) => (format!("exited {code}"), code),
        other => (format!("{other:?}"), EXIT_SETUP),
    };
    match &handle {
        Some(h) => {
            let ok = store.write(h, super::xenstore::XBT_NULL, &path, report.as_bytes());
            if ok != Ok(true) {
                eprintln!("xen domain: cannot publish `{report}` under {EXIT_KEY}");
            }
        }
        None => eprintln!("xen domain: no XenStore to publish `{report}` in"),
    }
    std::process::exit(code)
}

/// Publishes a vchan and serves clients on it, one after another (or one,
/// with [`XenServeOptions::once`]). A connection that fails is closed and
/// the next one is published; failing to publish is an error.
pub fn run(spec: ServerSpec, opts: &XenServeOptions) -> Result<(), String> {
    loop {
        let mut link = VchanLink::server(
            opts.client_domain,
            &opts.xs_path,
            opts.left_min,
            opts.right_min,
        )
        .map_err(|e| format!("publish the vchan: {e}"))?;
        match link.wait_connected(None) {
            Ok(()) => match serve_link_granting(spec, &mut link, opts.max_frame, opts.max_bulk) {
                Ok(_) => {}
                Err(e) => eprintln!("{} xen domain: connection ended: {e}", spec.name),
            },
            Err(e) => eprintln!("{} xen domain: no client: {e}", spec.name),
        }
        // Closing removes the XenStore entries; the next vchan is a new grant.
        drop(link);
        if opts.once {
            return Ok(());
        }
    }
}

/// Serves one connected client over `link`: the handshake, then calls until
/// the client closes. Grants no bulk region.
pub fn serve_link(
    spec: ServerSpec,
    link: &mut dyn Link,
    max_frame: usize,
) -> Result<Served, String> {
    let session = Session::new(spec, LinkFrames::new(link, max_frame, 0));
    if !session.handshake()? {
        return Ok(Served::Refused);
    }
    session.serve_until(None).map(|_| Served::Closed)
}

/// [`serve_link`], granting a client that asks for a bulk region up to
/// `max_bulk` bytes of it ([`Link::share_pages`]; see [`super::grant`]).
/// The region is the connection's: unmapped, and its grants ended, when
/// this returns.
pub fn serve_link_granting(
    spec: ServerSpec,
    link: &mut dyn Link,
    max_frame: usize,
    max_bulk: usize,
) -> Result<Served, String> {
    let frames = LinkFrames::new(link, max_frame, max_bulk);
    let grants = frames.grants.clone();
    let session = Session::new(spec, frames);
    let accepted = session.handshake_then(|s| {
        grants.asked.set(s.bulk_len());
        Ok(())
    })?;
    if !accepted {
        return Ok(Served::Refused);
    }
    // Granted while the welcome was sent; every segment the client names is
    // checked against this mapping's length.
    session.set_region(grants.region.borrow_mut().take());
    session.serve_until(None).map(|_| Served::Closed)
}

/// A connection's bulk region, between the client's hello and the welcome.
struct Grants {
    /// The bytes the client asked for (0: none).
    asked: Cell<u64>,
    max_bulk: usize,
    /// The region granted with the welcome.
    region: RefCell<Option<Arc<SharedMemory>>>,
}

/// The frames of the Xen transport: a [`Link`], a vchan in practice.
struct LinkFrames<'a> {
    link: RefCell<&'a mut dyn Link>,
    max_frame: usize,
    grants: Rc<Grants>,
}

impl<'a> LinkFrames<'a> {
    fn new(link: &'a mut dyn Link, max_frame: usize, max_bulk: usize) -> Self {
        let grants = Grants {
            asked: Cell::new(0),
            max_bulk,
            region: RefCell::new(None),
        };
        LinkFrames {
            link: RefCell::new(link),
            max_frame,
            grants: Rc::new(grants),
        }
    }

    /// The welcome's payload: the fingerprint, then the references of the
    /// pages granted for the region the client asked for, if any could be.
    fn welcome(&self, fingerprint: &[u8]) -> Vec<u8> {
        let mut payload = fingerprint.to_vec();
        let pages = pages_for(self.grants.asked.get(), self.grants.max_bulk);
        if pages == 0 {
            return payload;
        }
        match self.link.borrow_mut().share_pages(pages) {
            Ok((region, refs)) => {
                payload.extend_from_slice(&encode_refs(&refs));
                *self.grants.region.borrow_mut() = Some(Arc::new(region));
            }
            // The calls carry their buffers inline instead.
            Err(e) => eprintln!("xen domain: no bulk region of {pages} pages: {e}"),
        }
        payload
    }
}

impl Frames for LinkFrames<'_> {
    type Error = LinkError;

    fn is_closed(e: &LinkError) -> bool {
        matches!(e, LinkError::Closed)
    }

    fn recv(&self) -> Result<(Header, Vec<u8>), LinkError> {
        let mut link = self.link.borrow_mut();
        let mut raw = [0u8; HEADER_LEN];
        link.read_exact(&mut raw, None)?;
        let h = Header::decode(&raw, self.max_frame)
            .map_err(|e| LinkError::Failed(format!("bad frame from the client: {e}")))?;
        let mut payload = vec![0u8; h.len as usize];
        link.read_exact(&mut payload, None)?;
        Ok((h, payload))
    }

    fn send(&self, kind: Kind, index: u32, call_id: u64, payload: &[u8]) -> Result<(), LinkError> {
        let welcome;
        let payload = if kind == Kind::Welcome {
            welcome = self.welcome(payload);
            &welcome[..]
        } else {
            payload
        };
        let header = Header::encode_for(kind, index, call_id, payload)
            .ok_or_else(|| LinkError::Failed("a reply over 4 GiB".into()))?;
        let mut link = self.link.borrow_mut();
        link.write_all(&header, None)?;
        link.write_all(payload, None)
    }
}
