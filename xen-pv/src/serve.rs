//! Serving Rust functions to another domain over a vchan, one session per
//! connection, with the frames every transport of the project speaks
//! (`ffi_desc::frame`): the client's `Hello` (fingerprint, IR version,
//! incarnation) is answered by `Welcome` with the service's fingerprint,
//! or `Refused` when it names another; then each `Call` of function
//! `index` by a `Reply` echoing its call id, or a `Fault` naming what
//! failed.
//!
//! The client is not trusted: a header is copied out of the ring before it
//! is decoded, a payload longer than the service's bound is refused before
//! anything is allocated, and any frame that breaks the protocol is
//! answered by a `Fault` and ends the session. Every read has a deadline.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use ffi_desc::frame::{Header, Kind, HEADER_LEN};

use crate::time::Instant;
use crate::vchan::{VchanError, VchanServer};

/// Bytes of a `Hello` payload: fingerprint, IR version, incarnation.
pub const HELLO_LEN: usize = 24;

/// A byte stream to the client: a [`VchanServer`], or a stand-in on the host.
pub trait Stream {
    /// Writes all of `data` by `deadline`.
    fn send_all(&mut self, data: &[u8], deadline: Instant) -> Result<(), VchanError>;
    /// Fills `buf` by `deadline`.
    fn recv_exact(&mut self, buf: &mut [u8], deadline: Instant) -> Result<(), VchanError>;
}

impl Stream for VchanServer<'_> {
    fn send_all(&mut self, data: &[u8], deadline: Instant) -> Result<(), VchanError> {
        VchanServer::send_all(self, data, deadline)
    }
    fn recv_exact(&mut self, buf: &mut [u8], deadline: Instant) -> Result<(), VchanError> {
        VchanServer::recv_exact(self, buf, deadline)
    }
}

/// What a function answers: its reply's payload, or why it failed (sent
/// as a `Fault`; the session goes on).
pub type Answer = Result<Vec<u8>, String>;

/// What the session does after a reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Then {
    /// Serve the next call.
    Continue,
    /// End the session (the client asked to).
    End,
}

/// The functions served.
pub trait Service {
    /// The fingerprint a client's `Hello` must name.
    fn fingerprint(&self) -> [u8; 16];
    /// The longest call payload accepted.
    fn max_payload(&self) -> usize;
    /// Calls function `index` on `args`.
    fn call(&mut self, index: u32, args: &[u8]) -> (Answer, Then);
}

/// How a session ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    /// The client asked to end it (a function answered [`Then::End`]).
    Asked,
    /// The client closed its end between frames.
    ClientClosed,
    /// The client named another fingerprint: `Refused` was sent.
    Refused,
    /// The client broke the protocol: a `Fault` with this reason was sent.
    Violation(String),
    /// The vchan failed (a deadline, a ring violation, a close mid-frame).
    Failed(VchanError),
}

/// What a session did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Calls answered by a `Reply`.
    pub replies: u32,
    /// Calls answered by a `Fault` (the session went on).
    pub faults: u32,
    /// How it ended.
    pub end: End,
}

fn send_frame(
    s: &mut dyn Stream,
    kind: Kind,
    index: u32,
    call_id: u64,
    payload: &[u8],
    deadline: Instant,
) -> Result<(), VchanError> {
    // A payload over 4 GiB cannot be framed: refused as a fault's reason.
    let header = Header::encode_for(kind, index, call_id, payload)
        .ok_or(VchanError::TooLong(payload.len()))?;
    s.send_all(&header, deadline)?;
    s.send_all(payload, deadline)
}

/// Why a frame could not be read.
enum ReadError {
    /// The header does not decode: the client broke the protocol.
    Violation(String),
    /// The vchan failed.
    Failed(VchanError),
}

/// A frame: its header and payload.
type Frame = (Header, Vec<u8>);

/// Reads one frame: `Ok(None)` when the client closed before its header.
fn read_frame(
    s: &mut dyn Stream,
    max: usize,
    deadline: Instant,
) -> Result<Option<Frame>, ReadError> {
    let mut raw = [0u8; HEADER_LEN];
    match s.recv_exact(&mut raw, deadline) {
        Ok(()) => {}
        Err(VchanError::Closed) => return Ok(None),
        Err(e) => return Err(ReadError::Failed(e)),
    }
    let header = Header::decode(&raw, max).map_err(|e| ReadError::Violation(format!("{e}")))?;
    // Bounded by `max`, checked by the decode.
    let mut payload = vec![0u8; header.len as usize];
    s.recv_exact(&mut payload, deadline)
        .map_err(ReadError::Failed)?;
    Ok(Some((header, payload)))
}

/// Ends the session on a violation: the client is told why.
fn violation(s: &mut dyn Stream, call_id: u64, reason: String, deadline: Instant) -> End {
    let _ = send_frame(s, Kind::Fault, 0, call_id, reason.as_bytes(), deadline);
    End::Violation(reason)
}

/// Serves one session over `s`; `deadline` gives the deadline of each
/// frame's read or write from now (a client that stalls ends its session).
pub fn session(
    s: &mut dyn Stream,
    service: &mut dyn Service,
    deadline: &dyn Fn() -> Instant,
) -> Report {
    let mut report = Report {
        replies: 0,
        faults: 0,
        end: End::ClientClosed,
    };
    // The hello, bounded by its own length: a client not yet welcomed makes
    // us allocate no more than a hello.
    let hello = match read_frame(s, HELLO_LEN, deadline()) {
        Ok(Some(frame)) => frame,
        Ok(None) => return report,
        Err(ReadError::Violation(reason)) => {
            report.end = violation(s, 0, reason, deadline());
            return report;
        }
        Err(ReadError::Failed(e)) => {
            report.end = End::Failed(e);
            return report;
        }
    };
    let (h, payload) = hello;
    if h.kind != Kind::Hello || payload.len() != HELLO_LEN {
        let reason = format!(
            "expected a hello of {HELLO_LEN} bytes, got {:?} of {}",
            h.kind, h.len
        );
        report.end = violation(s, h.call_id, reason, deadline());
        return report;
    }
    let ours = service.fingerprint();
    let accepted = payload[..16] == ours;
    let kind = if accepted {
        Kind::Welcome
    } else {
        Kind::Refused
    };
    if let Err(e) = send_frame(s, kind, 0, h.call_id, &ours, deadline()) {
        report.end = End::Failed(e);
        return report;
    }
    if !accepted {
        report.end = End::Refused;
        return report;
    }
    report.end = calls(s, service, deadline, &mut report);
    report
}

/// The calls of an accepted session, until it ends.
fn calls(
    s: &mut dyn Stream,
    service: &mut dyn Service,
    deadline: &dyn Fn() -> Instant,
    report: &mut Report,
) -> End {
    let max = service.max_payload();
    loop {
        let (h, args) = match read_frame(s, max, deadline()) {
            Ok(Some(frame)) => frame,
            Ok(None) => return End::ClientClosed,
            Err(ReadError::Violation(reason)) => return violation(s, 0, reason, deadline()),
            Err(ReadError::Failed(e)) => return End::Failed(e),
        };
        if h.kind != Kind::Call {
            let reason = format!("expected a call, got {:?}", h.kind);
            return violation(s, h.call_id, reason, deadline());
        }
        let (answer, then) = service.call(h.index, &args);
        let sent = match &answer {
            Ok(reply) => send_frame(s, Kind::Reply, h.index, h.call_id, reply, deadline()),
            Err(why) => send_frame(
                s,
                Kind::Fault,
                h.index,
                h.call_id,
                why.as_bytes(),
                deadline(),
            ),
        };
        if let Err(e) = sent {
            return End::Failed(e);
        }
        match answer {
            Ok(_) => report.replies += 1,
            Err(_) => report.faults += 1,
        }
        if then == Then::End {
            return End::Asked;
        }
    }
}
