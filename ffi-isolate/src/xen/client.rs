//! The application's side of the Xen transport: [`XenDomain`] connects to
//! the domain that serves a description and implements [`Channel`] for the
//! generated Isolated linkage.
//!
//! The frames are those of the process transport ([`crate::wire`]): a
//! `Hello` with the description's fingerprint, the IR version and the
//! connection's incarnation (and, to ask for a bulk region, its size; the
//! `Welcome` then carries the grant references, see [`super::grant`]),
//! answered by `Welcome` or `Refused`; then calls,
//! callbacks and their replies. Every header is copied out of the vchan
//! before it is decoded, a payload longer than [`XenOptions::max_frame`] is
//! a protocol violation, and any failure closes the vchan and fails the
//! call. The next call connects again (the server publishes a fresh vchan
//! for each client); handles of the closed connection are refused.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use ffi_desc::bulk::Segment;
use ffi_desc::isolated::{CallbackDispatch, Channel, IsolatedLinkage};
use ffi_desc::DomainFailure;

use super::link::{Link, LinkError, VchanLink};
use crate::bulk::Region;
use crate::shm::SharedMemory;
use crate::turn::Turn;
use crate::wire::{Header, Kind, HEADER_LEN};

/// How to reach the domain serving a description over Xen.
#[derive(Clone, Debug)]
pub struct XenOptions {
    /// The domain id of the domain that serves the description (the vchan
    /// server).
    pub server_domain: u16,
    /// The XenStore directory where that domain published the vchan
    /// (`ring-ref`, `event-channel`); see [`super::vchan_path`].
    pub xs_path: String,
    /// Deadline of one call, callbacks included.
    pub deadline: Duration,
    /// How long to keep trying to connect (the server may not have
    /// published the vchan yet).
    pub connect_deadline: Duration,
    /// The largest frame payload accepted from the domain.
    pub max_frame: usize,
    /// The most calls one thread may have in progress on the connection at
    /// once, the outermost included (callbacks calling into the library);
    /// a call nested deeper fails with [`DomainFailure::NestingTooDeep`]
    /// before it is sent. As [`crate::IsolatedOptions::max_nesting`].
    pub max_nesting: u32,
    /// The bytes of bulk region to ask the domain for (rounded up to pages,
    /// at most [`super::grant::MAX_GRANT_PAGES`] pages; 0, the default:
    /// none). The domain grants its own pages to this one for the
    /// connection ([`super::grant`]), at most as many as it is configured
    /// to ([`super::XenServeOptions::max_bulk`]), and a buffer of plain
    /// scalars of at least [`XenOptions::bulk_threshold`] bytes lent for a
    /// call is placed there, not streamed through the vchan's rings: copied
    /// in once (`In`), read and written in place by C, copied out once
    /// (`Out`). Buffers that do not fit, or all of them when the domain
    /// grants nothing, travel in the frame, with the same results.
    pub bulk_region: usize,
    /// The size in bytes from which a buffer goes into the bulk region
    /// (default [`crate::IsolatedOptions::DEFAULT_BULK_THRESHOLD`]).
    pub bulk_threshold: usize,
}

impl XenOptions {
    /// Defaults for the vchan `xs_path` of domain `server_domain`: a 10 s
    /// call deadline, 10 s to connect, frames up to 256 MiB.
    pub fn new(server_domain: u16, xs_path: impl Into<String>) -> Self {
        XenOptions {
            server_domain,
            xs_path: xs_path.into(),
            deadline: Duration::from_secs(10),
            connect_deadline: Duration::from_secs(10),
            max_frame: 256 << 20,
            max_nesting: crate::IsolatedOptions::DEFAULT_MAX_NESTING,
            bulk_region: 0,
            bulk_threshold: crate::IsolatedOptions::DEFAULT_BULK_THRESHOLD,
        }
    }
}

/// Opens a fresh link to the domain. The second argument is why the
/// previous link ended, when a failure ended it (`None` for the first
/// connection and after [`XenDomain::disconnect`]): a launcher restarts a
/// dead domain there, before connecting to it again.
pub type Connector = Box<
    dyn Fn(&XenOptions, Option<&DomainFailure>) -> Result<Box<dyn Link>, LinkError> + Send + Sync,
>;

/// Says what became of the domain when its vchan closed or failed: the
/// failure a dead process would give (`Signaled`, `Exited`), or that the
/// domain is gone, or `None` to keep the vchan's own failure. The launcher
/// supplies it ([`super::launcher::XenGuest`]).
/// It is asked with the call's deadline, which it must not wait past.
pub type DeathReport = Box<dyn Fn(&DomainFailure, Instant) -> Option<DomainFailure> + Send + Sync>;

/// What went wrong in one exchange.
enum Fault {
    Link(LinkError),
    Protocol(String),
    Refused,
}

impl From<LinkError> for Fault {
    fn from(e: LinkError) -> Self {
        Fault::Link(e)
    }
}

/// A connection to the domain that serves one description over a vchan.
pub struct XenDomain {
    opts: XenOptions,
    fingerprint: [u8; 16],
    connect: Connector,
    turn: Turn,
    link: Mutex<Option<Box<dyn Link>>>,
    /// The current link's bulk region, if the domain granted one; changed
    /// only with `link` locked. A call keeps its own reference, so the
    /// pages stay mapped until it returns whatever happens to the link.
    region: Mutex<Option<(Arc<Region>, usize)>>,
    generation: AtomicU32,
    last_death: Mutex<Option<DomainFailure>>,
    /// Why the current link's predecessor ended, until the next connection
    /// has been told (`Connector`'s second argument).
    ended_by: Mutex<Option<DomainFailure>>,
    report: Option<DeathReport>,
}

impl std::fmt::Debug for XenDomain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XenDomain")
            .field("server_domain", &self.opts.server_domain)
            .field("xs_path", &self.opts.xs_path)
            .field("generation", &self.generation.load(Ordering::Relaxed))
            .finish()
    }
}

impl XenDomain {
    /// Connects over `libxenvchan` to the domain [`XenOptions`] names and
    /// completes the handshake for the description with `fingerprint`.
    pub fn connect(opts: XenOptions, fingerprint: [u8; 16]) -> Result<XenDomain, DomainFailure> {
        Self::with_connector(
            opts,
            fingerprint,
            Box::new(|o: &XenOptions, _: Option<&DomainFailure>| {
                VchanLink::client(o.server_domain, &o.xs_path).map(|l| Box::new(l) as Box<dyn Link>)
            }),
        )
    }

    /// Connects and wraps the connection in the description's Isolated
    /// linkage.
    pub fn launch<L: IsolatedLinkage>(opts: XenOptions) -> Result<L, DomainFailure> {
        Ok(L::from_channel(Box::new(Self::connect(
            opts,
            L::FINGERPRINT,
        )?)))
    }

    /// Like [`XenDomain::connect`], over links that `connect` opens (another
    /// vchan implementation, or an in-process ring in tests).
    pub fn with_connector(
        opts: XenOptions,
        fingerprint: [u8; 16],
        connect: Connector,
    ) -> Result<XenDomain, DomainFailure> {
        let d = XenDomain {
            opts,
            fingerprint,
            connect,
            turn: Turn::default(),
            link: Mutex::new(None),
            region: Mutex::new(None),
            generation: AtomicU32::new(1),
            last_death: Mutex::new(None),
            ended_by: Mutex::new(None),
            report: None,
        };
        let link = d.open()?;
        *d.lock_link() = Some(link);
        Ok(d)
    }

    /// Asks `report` what became of the domain whenever its vchan closes or
    /// fails during a call, and fails the call with that instead.
    pub fn with_death_report(mut self, report: DeathReport) -> Self {
        self.report = Some(report);
        self
    }

    /// The options in use.
    pub fn options(&self) -> &XenOptions {
        &self.opts
    }

    /// Why the last connection failed, if one did.
    pub fn last_death(&self) -> Option<DomainFailure> {
        self.last_death
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Closes the connection; the next call connects again (as a new
    /// incarnation: handles of this one are refused).
    pub fn disconnect(&self) {
        let _turn = self.turn.enter();
        let mut slot = self.lock_link();
        if slot.take().is_some() {
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
        *self.lock_region() = None;
    }

    fn lock_region(&self) -> MutexGuard<'_, Option<(Arc<Region>, usize)>> {
        self.region.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the current connection has a bulk region, and its size.
    pub fn bulk_region_len(&self) -> Option<usize> {
        self.lock_region().as_ref().map(|(_, len)| *len)
    }

    /// The pages of bulk region to ask for.
    fn asked_pages(&self) -> usize {
        super::grant::pages_for(self.opts.bulk_region as u64, usize::MAX)
    }

    fn lock_link(&self) -> MutexGuard<'_, Option<Box<dyn Link>>> {
        self.link.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Connects (retrying until the connect deadline) and shakes hands;
    /// sets the connection's bulk region. Called with `link` locked.
    fn open(&self) -> Result<Box<dyn Link>, DomainFailure> {
        *self.lock_region() = None;
        let deadline = Instant::now() + self.opts.connect_deadline;
        // Only the first attempt hears why the last link ended, so a
        // launcher restarts the domain once, not once per attempt.
        let mut ended_by = self
            .ended_by
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let mut link = loop {
            match (self.connect)(&self.opts, ended_by.take().as_ref()) {
                Ok(l) => break l,
                Err(LinkError::Permanent(reason)) => {
                    return Err(DomainFailure::Unavailable { reason })
                }
                Err(e) if Instant::now() >= deadline => {
                    return Err(DomainFailure::Unavailable {
                        reason: format!("cannot connect: {e}"),
                    })
                }
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        };
        let mut hello = Vec::with_capacity(32);
        hello.extend_from_slice(&self.fingerprint);
        hello.extend_from_slice(&ffi_desc::ir::IR_VERSION.to_le_bytes());
        hello.extend_from_slice(&self.generation.load(Ordering::SeqCst).to_le_bytes());
        let asked = self.asked_pages();
        if asked != 0 {
            // The longer hello asks for a region; a server that grants
            // none answers as to the short one.
            hello.extend_from_slice(&((asked * crate::shm::PAGE_SIZE) as u64).to_le_bytes());
        }
        match self.handshake(&mut *link, &hello, asked, deadline) {
            Ok(region) => {
                *self.lock_region() = region.map(|r| {
                    let len = r.len();
                    (Arc::new(Region::new(Arc::new(r))), len)
                });
                Ok(link)
            }
            Err(f) => Err(self.failure(f)),
        }
    }

    /// Says hello and reads the answer: the bulk region the domain granted
    /// (of at most `asked` pages), mapped.
    fn handshake(
        &self,
        link: &mut dyn Link,
        hello: &[u8],
        asked: usize,
        deadline: Instant,
    ) -> Result<Option<SharedMemory>, Fault> {
        self.send(link, Kind::Hello, 0, 0, hello, deadline)?;
        let (h, payload) = self.recv(link, deadline)?;
        let rest = match h.kind {
            Kind::Welcome => match payload.strip_prefix(&self.fingerprint[..]) {
                Some(rest) => rest,
                None => return Err(Fault::Refused),
            },
            Kind::Refused => return Err(Fault::Refused),
            other => {
                return Err(Fault::Protocol(format!(
                    "{other:?} frame during the handshake"
                )))
            }
        };
        let refs = super::grant::decode_refs(rest, asked)
            .map_err(|e| Fault::Protocol(format!("the welcome: {e}")))?;
        if refs.is_empty() {
            return Ok(None);
        }
        link.map_grants(&refs).map(Some).map_err(|e| {
            Fault::Protocol(format!(
                "the {} pages the domain granted do not map: {e}",
                refs.len()
            ))
        })
    }

    fn send(
        &self,
        link: &mut dyn Link,
        kind: Kind,
        index: u32,
        call_id: u64,
        payload: &[u8],
        deadline: Instant,
    ) -> Result<(), Fault> {
        let header = Header::encode_for(kind, index, call_id, payload)
            .ok_or_else(|| Fault::Protocol("payload over 4 GiB".into()))?;
        link.write_all(&header, Some(deadline))?;
        link.write_all(payload, Some(deadline))?;
        Ok(())
    }

    fn recv(&self, link: &mut dyn Link, deadline: Instant) -> Result<(Header, Vec<u8>), Fault> {
        // Copied out of the vchan before it is looked at.
        let mut raw = [0u8; HEADER_LEN];
        link.read_exact(&mut raw, Some(deadline))?;
        let h = Header::decode(&raw, self.opts.max_frame)
            .map_err(|e| Fault::Protocol(e.to_string()))?;
        let mut payload = vec![0u8; h.len as usize];
        link.read_exact(&mut payload, Some(deadline))?;
        Ok((h, payload))
    }

    fn failure(&self, fault: Fault) -> DomainFailure {
        match fault {
            Fault::Link(LinkError::Timeout) => DomainFailure::Deadline {
                deadline: self.opts.deadline,
            },
            Fault::Link(LinkError::Closed) => DomainFailure::Unavailable {
                reason: "the domain closed the vchan".into(),
            },
            Fault::Link(LinkError::Failed(what) | LinkError::Permanent(what)) => {
                DomainFailure::Unavailable { reason: what }
            }
            Fault::Protocol(what) => DomainFailure::Protocol { what },
            Fault::Refused => DomainFailure::FingerprintMismatch {
                detail: format!(
                    ": domain {} serves another build under {}",
                    self.opts.server_domain, self.opts.xs_path
                ),
            },
        }
    }

    /// Ends the connection after a fault: closes the vchan, advances the
    /// incarnation, records and returns why.
    fn died(
        &self,
        slot: &mut Option<Box<dyn Link>>,
        fault: Fault,
        deadline: Instant,
    ) -> DomainFailure {
        slot.take();
        *self.lock_region() = None;
        self.generation.fetch_add(1, Ordering::SeqCst);
        let link_failed = matches!(fault, Fault::Link(LinkError::Closed | LinkError::Failed(_)));
        let mut failure = self.failure(fault);
        if let (true, Some(report)) = (link_failed, &self.report) {
            if let Some(what_happened) = report(&failure, deadline) {
                failure = what_happened;
            }
        }
        *self.last_death.lock().unwrap_or_else(|e| e.into_inner()) = Some(failure.clone());
        *self.ended_by.lock().unwrap_or_else(|e| e.into_inner()) = Some(failure.clone());
        failure
    }

    /// One call on the current connection (connecting first if there is
    /// none). With `segments`, a bulk call: they are placed in the
    /// connection's region (or inline) once the connection is settled, and
    /// the reply's written counts are checked and the bytes copied out.
    #[allow(clippy::too_many_arguments)]
    fn do_call(
        &self,
        function: u32,
        request: &[u8],
        mut segments: Option<&mut [Segment<'_>]>,
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
        deadline: Instant,
        call_id: u64,
    ) -> Result<(), DomainFailure> {
        if u32::try_from(request.len()).is_err() {
            // Refused before anything is sent: the connection is intact and
            // the domain did nothing wrong.
            return Err(DomainFailure::Protocol {
                what: "a request over 4 GiB".into(),
            });
        }
        let region: Option<Arc<Region>>;
        let mut placed = None;
        let generation = {
            let mut slot = self.lock_link();
            if slot.as_ref().is_some_and(|link| link.is_stale()) {
                // The domain was replaced through another connection; no
                // call is in flight on this link, so none is lost.
                slot.take();
                self.generation.fetch_add(1, Ordering::SeqCst);
            }
            if slot.as_ref().is_some_and(|link| link.peer_closed()) {
                // The server ended while idle: that death is recorded (and
                // told to the next connection, so a launcher restarts the
                // domain), and this call runs on the next incarnation.
                self.died(&mut slot, Fault::Link(LinkError::Closed), deadline);
            }
            if slot.is_none() {
                *slot = Some(self.open()?);
            }
            // The region of the link the call is sent on, held by the call.
            region = self.lock_region().as_ref().map(|(r, _)| r.clone());
            let (kind, payload) = match &segments {
                Some(segs) => {
                    let (payload, at) = crate::bulk::request(
                        region.as_deref(),
                        // No arena crosses a vchan: every buffer goes
                        // through the region or inline.
                        crate::bulk::Arenas {
                            shared: None,
                            out: None,
                        },
                        segs,
                        request,
                    );
                    placed = Some(at);
                    (Kind::BulkCall, std::borrow::Cow::Owned(payload))
                }
                None => (Kind::Call, std::borrow::Cow::Borrowed(request)),
            };
            let link = slot.as_mut().expect("just connected");
            if let Err(f) = self.send(&mut **link, kind, function, call_id, &payload, deadline) {
                return Err(self.died(&mut slot, f, deadline));
            }
            self.generation.load(Ordering::SeqCst)
        };
        loop {
            let (h, payload) = {
                let mut slot = self.lock_link();
                let Some(link) = slot.as_mut() else {
                    return Err(DomainFailure::Unavailable {
                        reason: "the connection ended during a callback".into(),
                    });
                };
                match self.recv(&mut **link, deadline) {
                    Ok(f) => f,
                    Err(f) => return Err(self.died(&mut slot, f, deadline)),
                }
            };
            let fault = match h.kind {
                Kind::Reply if h.call_id == call_id => {
                    let Some((placed, segs)) = placed.as_ref().zip(segments.as_deref_mut()) else {
                        *reply = payload;
                        return Ok(());
                    };
                    // The written counts come from the frame, checked
                    // against each segment's length before any byte is
                    // copied out of the region.
                    match crate::bulk::reply(placed, segs, &payload) {
                        Ok(rest) => {
                            *reply = rest;
                            return Ok(());
                        }
                        Err(e) => Fault::Protocol(format!("the reply of call {call_id}: {e}")),
                    }
                }
                Kind::Callback if h.call_id == call_id => {
                    self.answer_callback(&h, &payload, callbacks, generation, deadline)?;
                    continue;
                }
                Kind::Callback => Fault::Protocol(format!(
                    "a callback frame for call {} during call {call_id}",
                    h.call_id
                )),
                Kind::Fault if h.call_id == call_id => Fault::Protocol(format!(
                    "the domain could not serve the call: {}",
                    String::from_utf8_lossy(&payload[..payload.len().min(200)])
                )),
                other => Fault::Protocol(format!(
                    "unexpected {other:?} frame for call {} during call {call_id}",
                    h.call_id
                )),
            };
            let mut slot = self.lock_link();
            return Err(self.died(&mut slot, fault, deadline));
        }
    }

    /// Runs the Rust callback a `Callback` frame of the call in progress
    /// asks for, and sends its answer. No lock is held while the callback
    /// runs: it may call in.
    fn answer_callback(
        &self,
        h: &Header,
        payload: &[u8],
        callbacks: &mut CallbackDispatch<'_>,
        generation: u32,
        deadline: Instant,
    ) -> Result<(), DomainFailure> {
        let mut out = Vec::new();
        // Only ids this call issued and stored callbacks of this
        // connection are answered, with arguments that decode: anything
        // else is a violation, never answered and looped on.
        let answer = callbacks(h.index, payload, &mut out);
        let mut slot = self.lock_link();
        // A call made by the callback may have ended this connection and
        // opened another: this call's reply can never come on that one.
        let replaced = self.generation.load(Ordering::SeqCst) != generation;
        let Some(link) = slot.as_mut().filter(|_| !replaced) else {
            return Err(DomainFailure::Unavailable {
                reason: "the connection ended during a callback".into(),
            });
        };
        let sent = match answer {
            Ok(()) => past(deadline)
                .and_then(|()| {
                    self.send(
                        &mut **link,
                        Kind::CallbackReply,
                        h.index,
                        h.call_id,
                        &out,
                        deadline,
                    )
                })
                // Every frame, not only an empty vchan, looks at the
                // deadline: a guest that keeps the vchan full never lets a
                // wait begin.
                .and_then(|()| past(deadline)),
            Err(e) => Err(Fault::Protocol(format!(
                "callback {:#x} of call {}: {e}",
                h.index, h.call_id
            ))),
        };
        sent.map_err(|f| self.died(&mut slot, f, deadline))
    }
}

/// `Err(Timeout)` once `deadline` has passed.
fn past(deadline: Instant) -> Result<(), Fault> {
    if Instant::now() >= deadline {
        Err(Fault::Link(LinkError::Timeout))
    } else {
        Ok(())
    }
}

/// Call ids, unique per process.
static NEXT_CALL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Channel for XenDomain {
    fn call(
        &self,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        // Nested calls share the outermost call's deadline and are bounded.
        let own = Instant::now() + self.opts.deadline;
        let (_turn, deadline) = self.turn.enter_call(own, self.opts.max_nesting)?;
        let call_id = NEXT_CALL.fetch_add(1, Ordering::Relaxed);
        self.do_call(function, request, None, reply, callbacks, deadline, call_id)
    }

    fn bulk_threshold(&self) -> Option<usize> {
        (self.opts.bulk_region != 0).then_some(self.opts.bulk_threshold)
    }

    /// Places the segments in the connection's bulk region (after those of
    /// the calls it is nested in); a segment that does not fit, or every
    /// one when the domain granted no region, travels in the frame. Only
    /// the counts of bytes written come back from the domain, checked
    /// against each segment's length; the bytes are copied from the region
    /// into the caller's slices as they are.
    fn call_bulk(
        &self,
        function: u32,
        _concurrent: bool,
        request: &[u8],
        segments: &mut [Segment<'_>],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        let own = Instant::now() + self.opts.deadline;
        let (_turn, deadline) = self.turn.enter_call(own, self.opts.max_nesting)?;
        let call_id = NEXT_CALL.fetch_add(1, Ordering::Relaxed);
        let segments = Some(segments);
        self.do_call(
            function, request, segments, reply, callbacks, deadline, call_id,
        )
    }

    /// The current incarnation's number, or the next one's when its link
    /// is known to have ended while idle (replaced, or closed by the peer):
    /// a handle of it is then stale before the call that reconnects, and is
    /// never sent to the next incarnation. A link busy with a call on
    /// another thread is not looked at.
    fn generation(&self) -> u32 {
        let current = self.generation.load(Ordering::SeqCst);
        let ended = self.link.try_lock().is_ok_and(|slot| {
            slot.as_ref()
                .is_some_and(|link| link.is_stale() || link.peer_closed())
        });
        if ended {
            current.wrapping_add(1)
        } else {
            current
        }
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
