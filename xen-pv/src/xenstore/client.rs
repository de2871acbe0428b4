//! A XenStore client over the store ring of `start_info`: one request at a
//! time, each with a deadline; watch events that arrive between (or
//! before) replies are queued for [`XenStore::wait_watch`].
//!
//! A reply that does not answer the request in flight, a malformed message
//! or a broken ring leaves the client broken: the stream is out of step,
//! and every later request fails with the first error.

use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;

use super::wire::{self, Header, MsgType, WireError, HEADER_LEN};
use crate::abi::xenstore::{REQ, REQ_CONS, REQ_PROD, RING_SIZE, RSP, RSP_CONS, RSP_PROD};
use crate::events::{EventError, Port};
use crate::platform::Platform;
use crate::shring::{RingEnd, RingPlace, RingViolation};
use crate::time::Instant;

/// Watch events kept while nobody waits for them; older ones are dropped
/// beyond this (a watch means "look again", so the newest suffice).
const MAX_QUEUED_EVENTS: usize = 64;

/// A transaction id (`Tx::NONE` outside transactions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tx(pub u32);

impl Tx {
    /// Not in a transaction.
    pub const NONE: Tx = Tx(0);
}

/// A watch that fired: the path that changed and the watch's token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchEvent {
    /// The node that changed (or the watched path, for the first event).
    pub path: Vec<u8>,
    /// The token given to [`XenStore::watch`].
    pub token: Vec<u8>,
}

/// Why a XenStore request failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum XsError {
    /// The daemon answered `XS_ERROR` with this errno name (`ENOENT`, `EACCES`, `EAGAIN`…).
    Errno(String),
    /// No answer before the deadline.
    Timeout,
    /// The ring's indices were impossible.
    Ring(RingViolation),
    /// A malformed message.
    Wire(WireError),
    /// A message that does not answer the request.
    Protocol(&'static str),
    /// An event-channel operation failed.
    Event(EventError),
}

impl core::fmt::Display for XsError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            XsError::Errno(e) => write!(f, "XenStore error {e}"),
            XsError::Timeout => write!(f, "XenStore did not answer in time"),
            XsError::Ring(v) => write!(f, "XenStore ring: {v}"),
            XsError::Wire(e) => write!(f, "XenStore: {e}"),
            XsError::Protocol(what) => write!(f, "XenStore protocol: {what}"),
            XsError::Event(e) => write!(f, "XenStore event channel: {e}"),
        }
    }
}

impl From<RingViolation> for XsError {
    fn from(v: RingViolation) -> Self {
        XsError::Ring(v)
    }
}

impl From<WireError> for XsError {
    fn from(e: WireError) -> Self {
        XsError::Wire(e)
    }
}

/// The client.
pub struct XenStore<'p> {
    platform: &'p Platform,
    port: Port,
    req: RingEnd,
    rsp: RingEnd,
    next_id: u32,
    events: VecDeque<WatchEvent>,
    broken: Option<XsError>,
    /// How long one request may take, in milliseconds.
    pub timeout_ms: u64,
}

impl<'p> XenStore<'p> {
    /// The client over the domain's store ring.
    pub fn open(platform: &'p Platform) -> Result<XenStore<'p>, XsError> {
        let (page, port) = platform.xenstore();
        let at = |off: usize| page.wrapping_add(off);
        let place = |data, cons, prod| RingPlace {
            data: at(data),
            size: RING_SIZE,
            cons: at(cons),
            prod: at(prod),
        };
        // SAFETY: the store page is mapped for the life of the domain, and
        // the offsets are those of `struct xenstore_domain_interface`.
        let (req, rsp) = unsafe {
            (
                RingEnd::producer(place(REQ, REQ_CONS, REQ_PROD))?,
                RingEnd::consumer(place(RSP, RSP_CONS, RSP_PROD))?,
            )
        };
        Ok(XenStore {
            platform,
            port: Port(port),
            req,
            rsp,
            next_id: 1,
            events: VecDeque::new(),
            broken: None,
            timeout_ms: 10_000,
        })
    }

    fn fail<T>(&mut self, e: XsError) -> Result<T, XsError> {
        if !matches!(e, XsError::Errno(_)) {
            self.broken.get_or_insert(e.clone());
        }
        Err(e)
    }

    /// Waits for the store's event, or the deadline.
    fn wait(&mut self, deadline: Instant) -> Result<(), XsError> {
        match self.platform.poll(&[self.port], deadline) {
            Ok(()) => Ok(()),
            Err(EventError::Timeout) => Err(XsError::Timeout),
            Err(e) => Err(XsError::Event(e)),
        }
    }

    fn notify(&self) -> Result<(), XsError> {
        self.platform.notify(self.port).map_err(XsError::Event)
    }

    fn send_all(&mut self, msg: &[u8], deadline: Instant) -> Result<(), XsError> {
        let mut rest = msg;
        while !rest.is_empty() {
            self.platform.take_pending(self.port);
            let n = self.req.write(rest)?;
            rest = &rest[n..];
            if n > 0 {
                self.notify()?;
            } else {
                self.wait(deadline)?;
            }
        }
        Ok(())
    }

    fn recv_exact(&mut self, buf: &mut [u8], deadline: Instant) -> Result<(), XsError> {
        let mut at = 0;
        while at < buf.len() {
            self.platform.take_pending(self.port);
            let n = self.rsp.read(&mut buf[at..])?;
            at += n;
            if n > 0 {
                // The daemon may be waiting for room to write the rest.
                self.notify()?;
            } else {
                self.wait(deadline)?;
            }
        }
        Ok(())
    }

    /// Receives one message; watch events are queued and `None` returned.
    fn recv_message(&mut self, deadline: Instant) -> Result<Option<(Header, Vec<u8>)>, XsError> {
        let mut raw = [0u8; HEADER_LEN];
        self.recv_exact(&mut raw, deadline)?;
        let header = Header::decode(&raw)?;
        let mut payload = alloc::vec![0u8; header.len as usize];
        self.recv_exact(&mut payload, deadline)?;
        if header.kind != MsgType::WatchEvent {
            return Ok(Some((header, payload)));
        }
        let (path, token) = wire::watch_event(&payload)?;
        if self.events.len() == MAX_QUEUED_EVENTS {
            self.events.pop_front();
        }
        self.events.push_back(WatchEvent {
            path: path.into(),
            token: token.into(),
        });
        Ok(None)
    }

    /// Sends a request and returns its reply's payload.
    pub fn request(&mut self, kind: MsgType, tx: Tx, parts: &[&[u8]]) -> Result<Vec<u8>, XsError> {
        if let Some(e) = &self.broken {
            return Err(e.clone());
        }
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        let msg = wire::encode(kind, id, tx.0, parts)?;
        let deadline = self.platform.deadline_ms(self.timeout_ms);
        let r = self.exchange(&msg, kind, id, deadline);
        match r {
            Ok(payload) => Ok(payload),
            Err(e) => self.fail(e),
        }
    }

    fn exchange(
        &mut self,
        msg: &[u8],
        kind: MsgType,
        id: u32,
        deadline: Instant,
    ) -> Result<Vec<u8>, XsError> {
        self.send_all(msg, deadline)?;
        loop {
            let Some((h, payload)) = self.recv_message(deadline)? else {
                continue;
            };
            if h.req_id != id {
                return Err(XsError::Protocol("a reply to another request"));
            }
            if h.kind == MsgType::Error {
                let name = wire::error_name(&payload);
                return Err(XsError::Errno(String::from_utf8_lossy(name).into_owned()));
            }
            if h.kind != kind {
                return Err(XsError::Protocol("a reply of another type"));
            }
            return Ok(payload);
        }
    }

    /// Reads a node.
    pub fn read(&mut self, tx: Tx, path: &str) -> Result<Vec<u8>, XsError> {
        self.request(MsgType::Read, tx, &[path.as_bytes(), b"\0"])
    }

    /// Reads a node that may be missing.
    pub fn read_opt(&mut self, tx: Tx, path: &str) -> Result<Option<Vec<u8>>, XsError> {
        match self.read(tx, path) {
            Ok(v) => Ok(Some(v)),
            Err(XsError::Errno(e)) if e == "ENOENT" => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes a node (creating it and its missing parents).
    pub fn write(&mut self, tx: Tx, path: &str, value: &[u8]) -> Result<(), XsError> {
        self.request(MsgType::Write, tx, &[path.as_bytes(), b"\0", value])
            .map(drop)
    }

    /// Removes a node and everything under it.
    pub fn rm(&mut self, tx: Tx, path: &str) -> Result<(), XsError> {
        self.request(MsgType::Rm, tx, &[path.as_bytes(), b"\0"])
            .map(drop)
    }

    /// The names of a node's children.
    pub fn directory(&mut self, tx: Tx, path: &str) -> Result<Vec<Vec<u8>>, XsError> {
        let payload = self.request(MsgType::Directory, tx, &[path.as_bytes(), b"\0"])?;
        Ok(payload
            .split(|&b| b == 0)
            .filter(|s| !s.is_empty())
            .map(Vec::from)
            .collect())
    }

    /// Sets a node's permissions: `perms` like `["n5", "r0"]` (the first is
    /// the owner and what everyone else may do; then one per domain).
    pub fn set_perms(&mut self, tx: Tx, path: &str, perms: &[&str]) -> Result<(), XsError> {
        let mut parts: Vec<&[u8]> = alloc::vec![path.as_bytes(), b"\0"];
        for p in perms {
            parts.push(p.as_bytes());
            parts.push(b"\0");
        }
        self.request(MsgType::SetPerms, tx, &parts).map(drop)
    }

    /// Sets a node's permissions from typed entries ([`wire::Perm`]).
    pub fn set_permissions(
        &mut self,
        tx: Tx,
        path: &str,
        perms: &[wire::Perm],
    ) -> Result<(), XsError> {
        let encoded = wire::encode_perms(perms);
        self.request(MsgType::SetPerms, tx, &[path.as_bytes(), b"\0", &encoded])
            .map(drop)
    }

    /// Starts a transaction.
    pub fn transaction_start(&mut self) -> Result<Tx, XsError> {
        let payload = self.request(MsgType::TransactionStart, Tx::NONE, &[b"\0"])?;
        let text = wire::error_name(&payload);
        core::str::from_utf8(text)
            .ok()
            .and_then(|s| s.parse().ok())
            .map(Tx)
            .ok_or(XsError::Protocol("a transaction id that is not a number"))
    }

    /// Commits (or aborts) a transaction; `Errno("EAGAIN")` means it
    /// conflicted with another and should be run again.
    pub fn transaction_end(&mut self, tx: Tx, commit: bool) -> Result<(), XsError> {
        let flag: &[u8] = if commit { b"T\0" } else { b"F\0" };
        self.request(MsgType::TransactionEnd, tx, &[flag]).map(drop)
    }

    /// Watches `path` (and everything under it). The daemon fires the
    /// watch once at once.
    pub fn watch(&mut self, path: &str, token: &str) -> Result<(), XsError> {
        self.request(
            MsgType::Watch,
            Tx::NONE,
            &[path.as_bytes(), b"\0", token.as_bytes(), b"\0"],
        )
        .map(drop)
    }

    /// Removes a watch.
    pub fn unwatch(&mut self, path: &str, token: &str) -> Result<(), XsError> {
        self.request(
            MsgType::Unwatch,
            Tx::NONE,
            &[path.as_bytes(), b"\0", token.as_bytes(), b"\0"],
        )
        .map(drop)
    }

    /// The next watch event, waiting for one until `deadline`.
    pub fn wait_watch(&mut self, deadline: Instant) -> Result<WatchEvent, XsError> {
        if let Some(e) = &self.broken {
            return Err(e.clone());
        }
        loop {
            if let Some(ev) = self.events.pop_front() {
                return Ok(ev);
            }
            // Wait for the first byte of a message; a timeout here leaves
            // the stream in step (nothing was read), so it breaks nothing.
            self.platform.take_pending(self.port);
            let ready = match self.rsp.available() {
                Ok(n) => n,
                Err(v) => return self.fail(v.into()),
            };
            if ready == 0 {
                match self.wait(deadline) {
                    Ok(()) => continue,
                    Err(XsError::Timeout) => return Err(XsError::Timeout),
                    Err(e) => return self.fail(e),
                }
            }
            // A message has begun: the rest is owed within a request's time.
            let rest = self.platform.deadline_ms(self.timeout_ms);
            match self.recv_message(rest) {
                Ok(None) => continue,
                Ok(Some(_)) => return self.fail(XsError::Protocol("a reply with no request")),
                Err(e) => return self.fail(e),
            }
        }
    }

    /// Drops the watch events queued so far.
    pub fn clear_events(&mut self) {
        self.events.clear();
    }
}
