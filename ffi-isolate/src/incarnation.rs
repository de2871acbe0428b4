//! One incarnation of a domain: starting the process, greeting it, telling
//! why it ended; and the spare incarnation started ahead of need.
//!
//! A [`Starter`] holds what starting needs and nothing of the running
//! incarnation, so a spare can be started on another thread while the
//! current one serves calls. A spare is started for the incarnation that
//! follows the running one (its handshake already carries that number, so
//! its handles are tagged for it) and is taken only if that is still the
//! next number and it is still alive; otherwise it is discarded and a
//! domain started the slow way.

use crate::arena::Arena;
use crate::bulk::Region;
use crate::client::IsolatedOptions;
use crate::domain::{Process, Termination};
use crate::out_arena::OutArena;
use crate::ring::{Endpoint, RingError, Side, Violation};
use crate::server::WELCOME_SLOTS;
use crate::shm::{DomainLayout, RingLayout, SharedMemory};
use crate::wait::{Arrival, Waiter};
use crate::wire::{Header, Kind, HEADER_LEN};
use ffi_desc::DomainFailure;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A running domain: its process, its shared memory and our end of each
/// lane's ring. Shared by the calls running on it: each lane's endpoint is
/// used by the one call on that lane (see [`crate::lanes`]).
pub(crate) struct Live {
    pub(crate) lanes: Vec<Mutex<Endpoint>>,
    /// Each lane's bulk region (none when the options ask for none).
    pub(crate) regions: Vec<Option<Region>>,
    pub(crate) process: Mutex<Process>,
    pub(crate) pid: i32,
    /// Set by the watcher thread the moment the process ends.
    pub(crate) dead: Arc<AtomicBool>,
    /// Where the watcher also records the death.
    report: Arc<DeathReport>,
    /// Whether small messages go in the lanes' call slots: the options
    /// allow it and the domain's welcome said it reads them.
    pub(crate) call_slots: bool,
}

impl Live {
    /// Our end of lane `lane`'s ring.
    pub(crate) fn lane(&self, lane: usize) -> Result<MutexGuard<'_, Endpoint>, Fault> {
        let ep = self
            .lanes
            .get(lane)
            .ok_or_else(|| Fault::Protocol(format!("no lane {lane}")))?;
        Ok(ep.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Whether a message of `kind` with `len` payload bytes goes in the
    /// client's call slot rather than on the ring ([`crate::slot`]).
    pub(crate) fn in_slot(&self, kind: Kind, len: usize) -> bool {
        self.call_slots
            && len <= crate::slot::SLOT_PAYLOAD
            && crate::slot::carries(Side::Client, kind)
    }

    pub(crate) fn lock_process(&self) -> MutexGuard<'_, Process> {
        self.process.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Where a watcher records the death of its incarnation: the domain's
/// death word, once the incarnation is the domain's running one (a spare
/// that dies unused must not make the running incarnation's handles look
/// stale).
#[derive(Default)]
struct DeathReport(std::sync::Mutex<Option<(Arc<AtomicU32>, u32)>>);

impl DeathReport {
    fn report(&self) {
        let target = self.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some((word, incarnation)) = target {
            word.store(incarnation, Ordering::SeqCst);
        }
    }
}

impl Live {
    /// Makes this incarnation, number `incarnation`, the one whose death
    /// `died` records; a death already seen is recorded at once.
    fn report_to(&self, died: &Arc<AtomicU32>, incarnation: u32) {
        *self.report.0.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((died.clone(), incarnation));
        if self.dead.load(Ordering::SeqCst) {
            self.report.report();
        }
    }
}

/// The ring memory of an incarnation's lanes, to wake the calls waiting
/// on them (on cancel, on death).
#[derive(Clone)]
pub(crate) struct Waker(Arc<Vec<(Arc<SharedMemory>, RingLayout)>>);

impl Waker {
    /// Wakes the client's futex word of every lane.
    pub(crate) fn wake_all(&self) {
        for (shm, layout) in self.0.iter() {
            if let Some(page) = shm.event_page(*layout) {
                crate::wait::wake(page.futex_word(Side::Client));
            }
        }
    }
}

/// An incarnation that completed its handshake.
pub(crate) struct Started {
    pub(crate) live: Live,
    pub(crate) waker: Waker,
}

impl Started {
    /// A spare becomes the domain's incarnation `incarnation`: its death is
    /// now recorded in the domain's death word `died`.
    pub(crate) fn promote(self, died: &Arc<AtomicU32>, incarnation: u32) -> Started {
        self.live.report_to(died, incarnation);
        self
    }
}

/// What went wrong inside one exchange, before the domain is classified.
pub(crate) enum Fault {
    Ring(RingError),
    Protocol(String),
}

impl From<RingError> for Fault {
    fn from(e: RingError) -> Self {
        Fault::Ring(e)
    }
}

/// Starts a thread that waits on the domain's pidfd and, when the process
/// ends, flags it dead and wakes the client's futex: a waiting call notices
/// a death at once, and the hot path checks an atomic instead of making a
/// system call. The thread ends with the process.
fn watch(
    process: &Process,
    waker: Waker,
    report: Arc<DeathReport>,
) -> Result<Arc<AtomicBool>, DomainFailure> {
    let pidfd = process
        .pidfd()
        .try_clone_to_owned()
        .map_err(|e| DomainFailure::Unavailable {
            reason: format!("pidfd: {e}"),
        })?;
    let dead = Arc::new(AtomicBool::new(false));
    let flag = dead.clone();
    std::thread::Builder::new()
        .name("ffi-domain-watch".into())
        .spawn(move || {
            use std::os::fd::AsRawFd;
            loop {
                let mut pollfd = libc::pollfd {
                    fd: pidfd.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd for a descriptor this thread owns.
                let rc = unsafe { libc::poll(&mut pollfd, 1, -1) };
                if rc > 0 {
                    break;
                }
                if rc < 0 && std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
                    break;
                }
            }
            flag.store(true, Ordering::SeqCst);
            report.report();
            waker.wake_all();
        })
        .map_err(|e| DomainFailure::Unavailable {
            reason: format!("watcher thread: {e}"),
        })?;
    Ok(dead)
}

/// Writes one frame, waiting as `opts` says, until `deadline` or `abort`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn send_frame(
    opts: &IsolatedOptions,
    endpoint: &mut Endpoint,
    abort: &dyn Fn() -> bool,
    kind: Kind,
    index: u32,
    call_id: u64,
    payload: &[u8],
    deadline: Instant,
) -> Result<(), Fault> {
    let header = Header::encode_for(kind, index, call_id, payload)
        .ok_or_else(|| Fault::Protocol("payload over 4 GiB".into()))?;
    let waiter = Waiter::new(opts.wait)
        .with_deadline(Some(deadline))
        .with_abort(abort);
    crate::wire::write_frame(endpoint, &header, payload, &waiter)?;
    Ok(())
}

/// Reads one frame: the header is copied out of shared memory before it is
/// looked at, and its length bounded by `opts.max_frame`. With `slot` (the
/// domain reads the call slots) a message in its slot is taken too, and
/// returned as a frame.
pub(crate) fn recv_frame(
    opts: &IsolatedOptions,
    endpoint: &mut Endpoint,
    abort: &dyn Fn() -> bool,
    deadline: Instant,
    slot: bool,
) -> Result<(Header, Vec<u8>), Fault> {
    let waiter = Waiter::new(opts.wait)
        .with_deadline(Some(deadline))
        .with_abort(abort);
    if slot {
        if let Arrival::Slot(m) = endpoint.wait_arrival(&waiter)? {
            return Ok(m.into_frame());
        }
    }
    let mut raw = [0u8; HEADER_LEN];
    endpoint.read_exact(&mut raw, &waiter)?;
    let h = Header::decode(&raw, opts.max_frame).map_err(|e| Fault::Protocol(e.to_string()))?;
    let mut payload = vec![0u8; h.len as usize];
    endpoint.read_exact(&mut payload, &waiter)?;
    Ok((h, payload))
}

/// What starting an incarnation needs, shared with the thread that starts
/// a spare.
pub(crate) struct Starter {
    pub(crate) opts: IsolatedOptions,
    pub(crate) fingerprint: [u8; 16],
    /// The incarnation whose process the watcher saw end (0: none yet).
    pub(crate) died: Arc<AtomicU32>,
    /// Set by `Domain::cancel` for the call in progress.
    pub(crate) cancel: AtomicBool,
    /// The shared arena every incarnation gets (none when the options ask
    /// for none).
    pub(crate) arena: Option<Arc<Arena>>,
    /// The out arena every incarnation gets, writable (none when the
    /// options ask for none).
    pub(crate) out_arena: Option<Arc<OutArena>>,
}

impl Starter {
    /// Starts incarnation `incarnation`, confined before it executes, and
    /// completes its handshake. A start made for a call (`for_call`) is
    /// aborted when the call is cancelled and reports its death to the
    /// domain at once; a spare's does neither until [`Started::promote`].
    pub(crate) fn start(&self, incarnation: u32, for_call: bool) -> Result<Started, DomainFailure> {
        let unavailable = |what: String| DomainFailure::Unavailable { reason: what };
        let layout = RingLayout::new(self.opts.ring_order, self.opts.ring_order)
            .map_err(|e| unavailable(format!("ring layout: {e}")))?;
        let domain = DomainLayout {
            lanes: self.opts.lane_count(),
            lane_len: layout.total_len(),
            bulk_len: self.opts.bulk_len(),
        };
        let whole = Arc::new(
            SharedMemory::create(domain.total_len())
                .map_err(|e| unavailable(format!("shared memory: {e}")))?,
        );
        let mut endpoints = Vec::with_capacity(domain.lanes);
        let mut parts = Vec::with_capacity(domain.lanes);
        let mut regions = Vec::with_capacity(domain.lanes);
        for lane in 0..domain.lanes {
            let part = domain
                .rings(&whole, lane)
                .map(Arc::new)
                .ok_or_else(|| unavailable(format!("lane {lane} outside the shared memory")))?;
            let mut endpoint = Endpoint::create(part.clone(), Side::Client, layout)
                .map_err(|e| unavailable(format!("ring: {e}")))?;
            // A reply's `cons` need not cross to the domain's CPU at once
            // (see `Endpoint::defer_consumption`).
            endpoint.defer_consumption(true);
            endpoints.push(Mutex::new(endpoint));
            parts.push((part, layout));
            regions.push(domain.bulk(&whole, lane).map(|r| Region::new(Arc::new(r))));
        }
        let waker = Waker(Arc::new(parts));
        // Confined before it executes; the policy never reaches the domain.
        let process = Process::spawn_confined_with(
            &self.opts.domain,
            whole.fd(),
            [
                self.arena.as_ref().map(|a| a.fd()),
                self.out_arena.as_ref().map(|a| a.fd()),
            ],
            &self.opts.sandbox,
        )
        .map_err(|e| unavailable(format!("spawn: {e}")))?;
        let report = Arc::new(DeathReport::default());
        let dead = watch(&process, waker.clone(), report.clone())?;
        let mut live = Live {
            lanes: endpoints,
            regions,
            pid: process.pid(),
            process: Mutex::new(process),
            dead,
            report,
            call_slots: false,
        };
        if for_call {
            live.report_to(&self.died, incarnation);
        }
        let deadline = Instant::now() + self.opts.start_deadline;
        match self.hello(&live, incarnation, for_call, deadline) {
            Ok(slots) => {
                live.call_slots = slots && self.opts.call_slots;
                // Loaded: the loader's reads end here.
                if let Some(s) = live.lock_process().supervision() {
                    s.end_load_phase();
                }
                Ok(Started { live, waker })
            }
            Err(Ok(failure)) => {
                live.lock_process().kill_and_reap();
                Err(failure)
            }
            Err(Err(fault)) => Err(self.classify(&live, fault)),
        }
    }

    #[allow(clippy::type_complexity)]
    fn hello(
        &self,
        live: &Live,
        incarnation: u32,
        cancellable: bool,
        deadline: Instant,
    ) -> Result<bool, Result<DomainFailure, Fault>> {
        let mut hello = Vec::with_capacity(48);
        hello.extend_from_slice(&self.fingerprint);
        hello.extend_from_slice(&ffi_desc::ir::IR_VERSION.to_le_bytes());
        hello.extend_from_slice(&incarnation.to_le_bytes());
        // Where the lanes lie depends on it.
        hello.extend_from_slice(&(self.opts.bulk_len() as u64).to_le_bytes());
        // The domain maps an arena only when told it has one: 40 bytes
        // with the shared arena's size (0: none), 48 with the out arena's.
        let shared = self.arena.as_ref().map_or(0, |a| a.len() as u64);
        if shared != 0 || self.out_arena.is_some() {
            hello.extend_from_slice(&shared.to_le_bytes());
        }
        if let Some(out) = &self.out_arena {
            hello.extend_from_slice(&(out.len() as u64).to_le_bytes());
        }
        let dead = live.dead.clone();
        let abort =
            || (cancellable && self.cancel.load(Ordering::Relaxed)) || dead.load(Ordering::Relaxed);
        // The handshake runs on lane 0; the domain serves the other lanes
        // once it has answered.
        let mut lane0 = live.lane(0).map_err(Err)?;
        send_frame(
            &self.opts,
            &mut lane0,
            &abort,
            Kind::Hello,
            0,
            0,
            &hello,
            deadline,
        )
        .map_err(Err)?;
        let (h, payload) =
            recv_frame(&self.opts, &mut lane0, &abort, deadline, false).map_err(Err)?;
        // The welcome is the domain's fingerprint, and a last byte when it
        // reads the call slot.
        let slots = [WELCOME_SLOTS];
        match h.kind {
            Kind::Welcome if payload == self.fingerprint => Ok(false),
            Kind::Welcome if payload.strip_prefix(&self.fingerprint[..]) == Some(&slots[..]) => {
                Ok(true)
            }
            Kind::Welcome | Kind::Refused => Err(Ok(DomainFailure::FingerprintMismatch {
                detail: crate::executable::which_is_stale(&self.opts.domain.executable),
            })),
            other => Err(Err(Fault::Protocol(format!(
                "{other:?} frame during the handshake"
            )))),
        }
    }

    /// Kills and reaps the domain and says why the exchange failed.
    pub(crate) fn classify(&self, live: &Live, fault: Fault) -> DomainFailure {
        let cancelled = self.cancel.swap(false, Ordering::SeqCst);
        let mut process = live.lock_process();
        if let Fault::Ring(RingError::PeerClosed) = fault {
            // The domain closed its end: let it finish exiting so its own
            // status, not our SIGKILL, is reported.
            process.wait_timeout(Duration::from_millis(500));
        }
        let termination = process.kill_and_reap();
        drop(process);
        match fault {
            Fault::Ring(RingError::Timeout) => DomainFailure::Deadline {
                deadline: self.opts.deadline,
            },
            Fault::Ring(RingError::Aborted) if cancelled => DomainFailure::Cancelled,
            Fault::Ring(RingError::Violation(v)) => violation(v),
            Fault::Protocol(what) => DomainFailure::Protocol { what },
            Fault::Ring(_) => from_termination(termination),
        }
    }
}

/// A spare incarnation being started, or started, on its own thread.
pub(crate) struct Spare {
    incarnation: u32,
    pending: JoinHandle<Result<Started, DomainFailure>>,
    /// Its pid once it has started (0 before).
    pid: Arc<AtomicI32>,
}

impl Spare {
    /// Starts incarnation `incarnation` in the background; `None` when no
    /// thread can be started (the next restart then starts one the slow way).
    pub(crate) fn prepare(starter: &Arc<Starter>, incarnation: u32) -> Option<Spare> {
        let starter = starter.clone();
        let pid = Arc::new(AtomicI32::new(0));
        let published = pid.clone();
        let pending = std::thread::Builder::new()
            .name("ffi-domain-spare".into())
            .spawn(move || {
                let started = starter.start(incarnation, false)?;
                published.store(started.live.pid, Ordering::SeqCst);
                Ok(started)
            })
            .ok()?;
        Some(Spare {
            incarnation,
            pending,
            pid,
        })
    }

    /// The spare as incarnation `incarnation`, waiting for its start to
    /// finish if it has not; `None` (and the spare ended) when it was started
    /// for another number, failed to start, or died since.
    pub(crate) fn take(self, incarnation: u32) -> Option<Started> {
        let started = self.pending.join().ok()?.ok()?;
        (self.incarnation == incarnation && !started.live.dead.load(Ordering::SeqCst))
            .then_some(started)
    }

    /// The spare's pid, once it has started and greeted.
    pub(crate) fn pid(&self) -> Option<i32> {
        match self.pid.load(Ordering::SeqCst) {
            0 => None,
            pid => Some(pid),
        }
    }

    /// Ends the spare (its process is killed and reaped).
    pub(crate) fn discard(self) {
        drop(self.pending.join());
    }
}

fn violation(v: Violation) -> DomainFailure {
    DomainFailure::Protocol {
        what: format!("ring: {v:?}"),
    }
}

fn from_termination(t: Termination) -> DomainFailure {
    match t {
        Termination::Exited(code) => DomainFailure::Exited { code },
        Termination::Signaled { signal, name } => DomainFailure::Signaled {
            signal,
            name: name.into(),
        },
        Termination::SandboxViolation { name, syscall } => DomainFailure::SandboxViolation {
            syscall: if name == "unknown" {
                format!("syscall {syscall}")
            } else {
                name.into()
            },
        },
        Termination::Unknown => DomainFailure::Unavailable {
            reason: "the domain ended; its status is unknown".into(),
        },
    }
}
