//! The project's Isolated client over a vchan, in the unikernel: a
//! [`Channel`] any generated `*Isolated` linkage runs on (feature `app`).
//!
//! It speaks the frames of the Linux transport ([`ffi_desc::frame`]): `Hello`
//! with the description's fingerprint, IR version and incarnation, then one
//! call at a time. During a call it answers only frames for that call: its
//! reply, or callbacks, which the generated code accepts only with ids the
//! call issued or stored callbacks of this incarnation. Anything else, a
//! broken ring, a closed vchan or a passed deadline ends the connection; the
//! next call connects again, as a new incarnation (handles of the old one
//! are refused by the generated code).
//!
//! The unikernel has one vCPU and no threads, so a call that arrives while
//! another holds the channel can only come from a callback: nested calls are
//! refused with [`DomainFailure::NestingTooDeep`] (depth 1).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use core::time::Duration;

use ffi_desc::frame::{Header, Kind, HEADER_LEN};
use ffi_desc::isolated::{CallbackDispatch, Channel};
use ffi_desc::DomainFailure;

use crate::platform::Platform;
use crate::time::Instant;
use crate::vchan::{VchanClient, VchanError};

/// Opens a fresh vchan to the library domain (waiting for it to publish).
pub type Connector = Box<dyn FnMut() -> Result<VchanClient<'static>, VchanError>>;

/// Asked, when a connection's vchan closed or broke during a call, what
/// became of the domain (at most until the deadline it is given): the
/// failure a dead process gives (its exit report), or `None` when nothing is
/// known, and the vchan's own failure stands.
pub type DeathReport = Box<dyn FnMut(Instant) -> Option<DomainFailure>>;

/// Bounds of a channel.
#[derive(Clone, Copy, Debug)]
pub struct ChannelOptions {
    /// How long one call (with its callbacks) may take.
    pub deadline: Duration,
    /// The largest frame accepted from the domain.
    pub max_frame: usize,
}

impl Default for ChannelOptions {
    fn default() -> Self {
        ChannelOptions {
            deadline: Duration::from_secs(60),
            max_frame: 4 << 20,
        }
    }
}

/// Why a connection ended, before it becomes a [`DomainFailure`].
enum Fault {
    Link(VchanError),
    Protocol(String),
    Refused,
}

struct State {
    link: Option<VchanClient<'static>>,
    connect: Connector,
    report: Option<DeathReport>,
    next_call: u64,
}

/// The channel.
pub struct VchanChannel {
    platform: &'static Platform,
    fingerprint: [u8; 16],
    opts: ChannelOptions,
    generation: AtomicU32,
    busy: AtomicBool,
    state: UnsafeCell<State>,
}

// SAFETY: the unikernel runs one vCPU and starts no threads, and `state` is
// only reached while `busy` is held, so it is never used from two places at
// once; the vchan's raw pointers name pages mapped for the client's life.
unsafe impl Send for VchanChannel {}
// SAFETY: as above.
unsafe impl Sync for VchanChannel {}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl VchanChannel {
    /// Connects with `connect` and shakes hands for the description whose
    /// fingerprint is `fingerprint`.
    pub fn open(
        platform: &'static Platform,
        fingerprint: [u8; 16],
        opts: ChannelOptions,
        connect: Connector,
    ) -> Result<Self, DomainFailure> {
        let ch = VchanChannel {
            platform,
            fingerprint,
            opts,
            generation: AtomicU32::new(1),
            busy: AtomicBool::new(false),
            state: UnsafeCell::new(State {
                link: None,
                connect,
                report: None,
                next_call: 1,
            }),
        };
        ch.with_state(|s| ch.ensure_link(s))
            .unwrap_or(Err(DomainFailure::NestingTooDeep { max_depth: 1 }))?;
        Ok(ch)
    }

    /// Asks `report` what became of the domain whenever its vchan closes
    /// or breaks during a call (see [`DeathReport`]).
    pub fn with_death_report(self, report: DeathReport) -> Self {
        let _ = self.with_state(|s| s.report = Some(report));
        self
    }

    /// Runs `f` on the state, or `None` when a call already holds it.
    fn with_state<R>(&self, f: impl FnOnce(&mut State) -> R) -> Option<R> {
        if self.busy.swap(true, Ordering::Acquire) {
            return None;
        }
        // SAFETY: `busy` was clear and is now ours: no other reference exists.
        let r = f(unsafe { &mut *self.state.get() });
        self.busy.store(false, Ordering::Release);
        Some(r)
    }

    fn failure(&self, fault: Fault) -> DomainFailure {
        match fault {
            Fault::Link(VchanError::Timeout) => DomainFailure::Deadline {
                deadline: self.opts.deadline,
            },
            Fault::Link(VchanError::Closed) => DomainFailure::Unavailable {
                reason: "the library domain closed the vchan".into(),
            },
            Fault::Link(
                e @ (VchanError::Ring(_) | VchanError::LiveByte(_) | VchanError::Layout(_)),
            ) => DomainFailure::Protocol {
                what: format!("{e}"),
            },
            Fault::Link(e) => DomainFailure::Unavailable {
                reason: format!("{e}"),
            },
            Fault::Protocol(what) => DomainFailure::Protocol { what },
            Fault::Refused => DomainFailure::FingerprintMismatch {
                detail: String::new(),
            },
        }
    }

    /// Ends the connection: the next call opens a new incarnation. The
    /// pages are unmapped first, so that a dead domain can go.
    fn end(&self, s: &mut State, fault: Fault, deadline: Instant) -> DomainFailure {
        s.link = None;
        self.generation.fetch_add(1, Ordering::SeqCst);
        // A vchan that closed or broke may mean a dead domain; a timeout, a
        // protocol violation or a broken ring are the failure themselves.
        let ask = matches!(
            fault,
            Fault::Link(
                VchanError::Closed
                    | VchanError::Store(_)
                    | VchanError::Grant(_)
                    | VchanError::Event(_)
            )
        );
        let failure = self.failure(fault);
        match (&mut s.report, ask) {
            (Some(report), true) => report(deadline).unwrap_or(failure),
            _ => failure,
        }
    }

    fn ensure_link(&self, s: &mut State) -> Result<(), DomainFailure> {
        if s.link.is_some() {
            return Ok(());
        }
        // Not the call's deadline that passed, but the connector's wait for
        // a vchan to connect to.
        let mut link = (s.connect)().map_err(|e| match e {
            VchanError::Timeout => DomainFailure::Unavailable {
                reason: "no vchan of the library domain to connect to in time".into(),
            },
            e => self.failure(Fault::Link(e)),
        })?;
        let mut hello = Vec::with_capacity(24);
        hello.extend_from_slice(&self.fingerprint);
        hello.extend_from_slice(&ffi_desc::ir::IR_VERSION.to_le_bytes());
        hello.extend_from_slice(&self.generation.load(Ordering::SeqCst).to_le_bytes());
        let deadline = self.platform.deadline_ms(ms(self.opts.deadline));
        let answer = send(&mut link, Kind::Hello, 0, 0, &hello, deadline)
            .and_then(|()| recv(&mut link, 16, deadline));
        match answer {
            Ok((h, fp)) if h.kind == Kind::Welcome && fp == self.fingerprint => {
                s.link = Some(link);
                Ok(())
            }
            Ok((h, _)) if h.kind == Kind::Refused => Err(self.failure(Fault::Refused)),
            Ok((h, _)) => Err(self.failure(Fault::Protocol(format!(
                "the handshake was answered by a {:?} frame",
                h.kind
            )))),
            Err(f) => Err(self.failure(f)),
        }
    }

    fn do_call(
        &self,
        s: &mut State,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        if u32::try_from(request.len()).is_err() {
            return Err(DomainFailure::Protocol {
                what: "a request over 4 GiB".into(),
            });
        }
        self.ensure_link(s)?;
        let call_id = s.next_call;
        s.next_call = s.next_call.wrapping_add(1);
        let deadline = self.platform.deadline_ms(ms(self.opts.deadline));
        let link = s.link.as_mut().expect("just connected");
        let outcome = send(link, Kind::Call, function, call_id, request, deadline)
            .and_then(|()| self.await_reply(link, call_id, reply, callbacks, deadline));
        outcome.map_err(|f| self.end(s, f, deadline))
    }

    fn await_reply(
        &self,
        link: &mut VchanClient<'static>,
        call_id: u64,
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
        deadline: Instant,
    ) -> Result<(), Fault> {
        // Every frame, not only an empty ring, looks at the deadline: a
        // domain that keeps the ring full of callbacks never lets a wait begin.
        while self.platform.now() < deadline {
            let (h, payload) = recv(link, self.opts.max_frame, deadline)?;
            match h.kind {
                Kind::Reply if h.call_id == call_id => {
                    *reply = payload;
                    return Ok(());
                }
                Kind::Callback if h.call_id == call_id => {
                    let mut out = Vec::new();
                    callbacks(h.index, &payload, &mut out).map_err(|e| {
                        Fault::Protocol(format!("callback {:#x} of call {call_id}: {e}", h.index))
                    })?;
                    send(link, Kind::CallbackReply, h.index, call_id, &out, deadline)?;
                }
                Kind::Fault if h.call_id == call_id => {
                    let reason = String::from_utf8_lossy(&payload[..payload.len().min(200)]);
                    return Err(Fault::Protocol(format!(
                        "the domain could not serve the call: {reason}"
                    )));
                }
                other => {
                    return Err(Fault::Protocol(format!(
                        "unexpected {other:?} frame for call {} during call {call_id}",
                        h.call_id
                    )))
                }
            }
        }
        Err(Fault::Link(VchanError::Timeout))
    }
}

fn send(
    link: &mut VchanClient<'static>,
    kind: Kind,
    index: u32,
    call_id: u64,
    payload: &[u8],
    deadline: Instant,
) -> Result<(), Fault> {
    let len =
        u32::try_from(payload.len()).map_err(|_| Fault::Protocol("a frame over 4 GiB".into()))?;
    let header = Header {
        kind,
        index,
        call_id,
        len,
    }
    .encode();
    // A small frame goes in one piece: one index update, one signal.
    if payload.len() <= 488 {
        let mut frame = [0u8; 512];
        frame[..HEADER_LEN].copy_from_slice(&header);
        frame[HEADER_LEN..HEADER_LEN + payload.len()].copy_from_slice(payload);
        return link
            .send_all(&frame[..HEADER_LEN + payload.len()], deadline)
            .map_err(Fault::Link);
    }
    link.send_all(&header, deadline).map_err(Fault::Link)?;
    link.send_all(payload, deadline).map_err(Fault::Link)
}

/// Receives one frame: the header is copied out and checked (payload at
/// most `max_len` bytes) before the payload is allocated.
fn recv(
    link: &mut VchanClient<'static>,
    max_len: usize,
    deadline: Instant,
) -> Result<(Header, Vec<u8>), Fault> {
    let mut raw = [0u8; HEADER_LEN];
    link.recv_exact(&mut raw, deadline).map_err(Fault::Link)?;
    let h =
        Header::decode(&raw, max_len).map_err(|e| Fault::Protocol(format!("bad frame: {e}")))?;
    let mut payload = alloc::vec![0u8; h.len as usize];
    link.recv_exact(&mut payload, deadline)
        .map_err(Fault::Link)?;
    Ok((h, payload))
}

impl Channel for VchanChannel {
    fn call(
        &self,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        self.with_state(|s| self.do_call(s, function, request, reply, callbacks))
            .unwrap_or(Err(DomainFailure::NestingTooDeep { max_depth: 1 }))
    }

    fn generation(&self) -> u32 {
        self.generation.load(Ordering::SeqCst)
    }

    fn violation(&self, generation: u32, what: &str) {
        let _ = what;
        // The reply did not decode: the stream is out of step. End that
        // incarnation (unless a call already ended it).
        if self.generation.load(Ordering::SeqCst) == generation {
            let _ = self.with_state(|s| {
                if self.generation.load(Ordering::SeqCst) == generation {
                    s.link = None;
                    self.generation.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
    }

    fn as_any(&self) -> &dyn core::any::Any {
        self
    }
}
