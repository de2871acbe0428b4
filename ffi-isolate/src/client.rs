//! The client side of an isolated domain: [`Domain`] starts the server
//! process, speaks to it over the ring, and implements
//! [`Channel`] for the generated Isolated linkage.
//!
//! # Threads
//!
//! A domain runs one call at a time. Calls from several threads are
//! serialised in the order they take the domain's turn; a call holds the turn
//! until its reply arrives. A Rust callback that the domain invokes runs on
//! the calling thread, and may itself call into the same domain (the library
//! is re-entered, as C would re-enter it); such nested calls do not wait for
//! the turn their own thread holds. They share the outermost call's
//! deadline, and nest at most [`IsolatedOptions::max_nesting`] deep.
//!
//! # Frames the client did not ask for
//!
//! A call accepts only its own reply, its own fault, and callback frames
//! that carry its id and name a callback it issued or a stored callback the
//! running incarnation keeps (the generated dispatch decides which). Any
//! other frame (an unknown callback id, a callback or reply for another
//! call) is a protocol violation: the incarnation ends, nothing is answered.
//! The deadline, cancellation and the domain's death are looked at for every
//! frame, so a domain that keeps the ring full cannot keep a call alive.
//!
//! # Failure
//!
//! Every frame is copied out of the ring before it is parsed, its length is
//! bounded, and any violation, death, deadline or cancellation kills and reaps
//! the domain and fails the call with a typed [`DomainFailure`]. The domain's
//! incarnation number (carried by every handle id) advances, so handles of
//! the dead incarnation are refused rather than sent to its successor. The
//! [`RestartPolicy`] decides when a new domain is started.

use crate::domain::{DomainConfig, RestartPolicy};
use crate::incarnation::{recv_frame, send_frame, Fault, Live, Spare, Starter, Waker};
use crate::ring::{RingError, Side};
use crate::sandbox::SandboxPolicy;
use crate::turn::Turn;
use crate::wait::WaitConfig;
use crate::wire::{Header, Kind};
use ffi_desc::isolated::{CallbackDispatch, Channel, IsolatedLinkage};
use ffi_desc::DomainFailure;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How to run an isolated domain.
#[derive(Clone, Debug)]
pub struct IsolatedOptions {
    /// The server executable and its environment.
    pub domain: DomainConfig,
    /// The sandbox the domain enters before the C library runs.
    pub sandbox: SandboxPolicy,
    /// Ring order of both directions (10..=20: 1 KiB to 1 MiB).
    pub ring_order: u16,
    /// Spin-then-park waiting.
    pub wait: WaitConfig,
    /// Deadline of one call, callbacks included.
    pub deadline: Duration,
    /// Deadline of the start-up handshake.
    pub start_deadline: Duration,
    /// When a dead domain is started again.
    pub restart: RestartPolicy,
    /// The largest frame payload accepted from the domain.
    pub max_frame: usize,
    /// The most calls one thread may have in progress on the domain at once,
    /// the outermost included: a callback's Rust code may call into the
    /// library, whose C code may call back, and so on. A call nested deeper
    /// is refused before it is sent with [`DomainFailure::NestingTooDeep`];
    /// the domain is not harmed. Each level costs the calling thread's stack
    /// a few KiB, so the default, [`IsolatedOptions::DEFAULT_MAX_NESTING`],
    /// stays far below what a 2 MiB thread stack holds.
    pub max_nesting: u32,
    /// Keep a spare domain started and sandboxed ahead of need (default
    /// off): after a death or [`Domain::restart`], it takes over at once
    /// instead of a domain being started then, and the next spare is
    /// started in the background. It costs one more idle domain process
    /// and its ring memory (the `linkages` bench measures both).
    pub spare: bool,
}

impl IsolatedOptions {
    /// Defaults for `executable`: 256 KiB rings, a 10 s deadline, restart on
    /// the next call, the default sandbox.
    pub fn new(executable: impl Into<std::path::PathBuf>) -> Self {
        IsolatedOptions {
            domain: DomainConfig::new(executable),
            sandbox: SandboxPolicy::default(),
            ring_order: 18,
            wait: WaitConfig::default(),
            deadline: Duration::from_secs(10),
            start_deadline: Duration::from_secs(10),
            restart: RestartPolicy::OnNextCall {
                max_restarts: u32::MAX,
            },
            max_frame: 256 << 20,
            max_nesting: Self::DEFAULT_MAX_NESTING,
            spare: false,
        }
    }

    /// [`IsolatedOptions::new`] for the executable `name` built with the
    /// running program: found beside it, or beside the directory of a test,
    /// bench or example ([`crate::executable::beside_current_exe`]). When
    /// it is missing, the error names the places searched and the command
    /// that builds it.
    pub fn beside_current_exe(name: &str) -> Result<Self, DomainFailure> {
        crate::executable::beside_current_exe(name)
            .map(Self::new)
            .map_err(|reason| DomainFailure::Unavailable { reason })
    }

    /// The default bound of [`IsolatedOptions::max_nesting`].
    pub const DEFAULT_MAX_NESTING: u32 = 64;
}

/// A sandboxed server process serving one description, reached over a
/// vchan-layout ring in shared memory.
pub struct Domain {
    /// What starting an incarnation needs (the options, the fingerprint,
    /// the death word, the cancel flag), shared with a spare's thread.
    starter: Arc<Starter>,
    /// The next incarnation, started ahead when `IsolatedOptions::spare`.
    spare: Mutex<Option<Spare>>,
    turn: Turn,
    live: Mutex<Option<Live>>,
    generation: AtomicU32,
    restarts: AtomicU32,
    next_call: AtomicU64,
    last_death: Mutex<Option<DomainFailure>>,
    /// The running incarnation's ring memory, to wake a waiting call on cancel.
    waker: Mutex<Option<Waker>>,
}

impl std::fmt::Debug for Domain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Domain")
            .field("executable", &self.starter.opts.domain.executable)
            .field("generation", &self.generation())
            .field("pid", &self.pid())
            .finish()
    }
}

impl Domain {
    /// Starts a domain for the description with `fingerprint` and completes
    /// the handshake.
    pub fn start(opts: IsolatedOptions, fingerprint: [u8; 16]) -> Result<Domain, DomainFailure> {
        let d = Domain {
            starter: Arc::new(Starter {
                opts,
                fingerprint,
                died: Arc::new(AtomicU32::new(0)),
                cancel: AtomicBool::new(false),
            }),
            spare: Mutex::new(None),
            turn: Turn::default(),
            live: Mutex::new(None),
            generation: AtomicU32::new(1),
            restarts: AtomicU32::new(0),
            next_call: AtomicU64::new(1),
            last_death: Mutex::new(None),
            waker: Mutex::new(None),
        };
        let live = d.spawn()?;
        *d.lock_live() = Some(live);
        Ok(d)
    }

    /// Starts a domain and wraps it in the description's Isolated linkage.
    pub fn launch<L: IsolatedLinkage>(opts: IsolatedOptions) -> Result<L, DomainFailure> {
        let d = Domain::start(opts, L::FINGERPRINT)?;
        Ok(L::from_channel(Box::new(d)))
    }

    /// The number of the incarnation running or last started.
    fn incarnation(&self) -> u32 {
        self.generation.load(Ordering::SeqCst)
    }

    fn lock_live(&self) -> MutexGuard<'_, Option<Live>> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The pid of the running domain process, if one runs.
    pub fn pid(&self) -> Option<i32> {
        self.live.try_lock().ok()?.as_ref().map(|l| l.process.pid())
    }

    /// What the running domain uses: its tasks (threads a library left
    /// running between calls included) and its CPU time; `None` when no
    /// domain runs. [`Domain::restart`] ends them all.
    pub fn usage(&self) -> Option<crate::domain::Usage> {
        self.lock_live().as_ref()?.process.usage()
    }

    /// How many times the domain was restarted.
    pub fn restarts(&self) -> u32 {
        self.restarts.load(Ordering::Relaxed)
    }

    /// Why the last incarnation died, if one did.
    pub fn last_death(&self) -> Option<DomainFailure> {
        self.last_death
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The options the domain runs with.
    pub fn options(&self) -> &IsolatedOptions {
        &self.starter.opts
    }

    /// Cancels the call in progress (from another thread): it fails with
    /// [`DomainFailure::Cancelled`] within one park slice, and the domain,
    /// whose state is unknown after an interrupted call, is killed.
    pub fn cancel(&self) {
        self.starter.cancel.store(true, Ordering::SeqCst);
        if let Some((shm, layout)) = &*self.waker.lock().unwrap_or_else(|e| e.into_inner()) {
            if let Some(page) = shm.event_page(*layout) {
                crate::wait::wake(page.futex_word(Side::Client));
            }
        }
    }

    /// Kills the running domain (if any) and starts a new incarnation.
    pub fn restart(&self) -> Result<(), DomainFailure> {
        let _turn = self.turn.enter();
        let mut live = self.lock_live();
        if let Some(mut old) = live.take() {
            old.process.kill_and_reap();
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
        *live = Some(self.spawn()?);
        self.restarts.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Starts the incarnation whose number is current: the spare, when one
    /// was started for it and is alive, else a new domain; then, when the
    /// options ask for one, the next spare in the background.
    fn spawn(&self) -> Result<Live, DomainFailure> {
        let incarnation = self.incarnation();
        let spare = self.lock_spare().take();
        let started = match spare.and_then(|s| s.take(incarnation)) {
            Some(started) => started.promote(&self.starter.died, incarnation),
            None => self.starter.start(incarnation, true)?,
        };
        *self.waker.lock().unwrap_or_else(|e| e.into_inner()) = Some(started.waker);
        if self.starter.opts.spare {
            *self.lock_spare() = Spare::prepare(&self.starter, incarnation.wrapping_add(1));
        }
        Ok(started.live)
    }

    fn lock_spare(&self) -> MutexGuard<'_, Option<Spare>> {
        self.spare.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The pid of the spare domain, once it has started (`None` without one).
    pub fn spare_pid(&self) -> Option<i32> {
        let spare = self.lock_spare();
        spare.as_ref()?.pid()
    }

    fn send(
        &self,
        live: &mut Live,
        kind: Kind,
        index: u32,
        call_id: u64,
        payload: &[u8],
        deadline: Instant,
    ) -> Result<(), Fault> {
        let dead = live.dead.clone();
        let abort = || self.starter.cancel.load(Ordering::Relaxed) || dead.load(Ordering::Relaxed);
        send_frame(
            &self.starter.opts,
            live,
            &abort,
            kind,
            index,
            call_id,
            payload,
            deadline,
        )
    }

    fn recv(&self, live: &mut Live, deadline: Instant) -> Result<(Header, Vec<u8>), Fault> {
        let dead = live.dead.clone();
        let abort = || self.starter.cancel.load(Ordering::Relaxed) || dead.load(Ordering::Relaxed);
        recv_frame(&self.starter.opts, live, &abort, deadline)
    }

    /// Records a death: the incarnation ends, and the policy may restart.
    fn died(&self, slot: &mut Option<Live>, mut live: Live, fault: Fault) -> DomainFailure {
        let failure = self.starter.classify(&mut live, fault);
        drop(live);
        self.generation.fetch_add(1, Ordering::SeqCst);
        *self.last_death.lock().unwrap_or_else(|e| e.into_inner()) = Some(failure.clone());
        if let RestartPolicy::Immediately { .. } = self.starter.opts.restart {
            if self.starter.opts.restart.may_restart(self.restarts()) {
                if let Ok(new) = self.spawn() {
                    self.restarts.fetch_add(1, Ordering::Relaxed);
                    *slot = Some(new);
                }
            }
        }
        failure
    }

    fn ensure_live<'a>(&self, slot: &'a mut Option<Live>) -> Result<&'a mut Live, DomainFailure> {
        // A domain that died between calls ends its incarnation here, so the
        // call that notices runs on a fresh one instead of failing.
        if slot.as_ref().is_some_and(|l| l.dead.load(Ordering::SeqCst)) {
            if let Some(live) = slot.take() {
                self.died(slot, live, Fault::Ring(RingError::PeerClosed));
            }
        }
        if slot.is_none() {
            if !self.starter.opts.restart.may_restart(self.restarts()) {
                let why = self
                    .last_death()
                    .map(|d| format!("it died ({d}) and the restart policy allows no restart"))
                    .unwrap_or_else(|| "not started".into());
                return Err(DomainFailure::Unavailable { reason: why });
            }
            *slot = Some(self.spawn()?);
            self.restarts.fetch_add(1, Ordering::Relaxed);
        }
        slot.as_mut().ok_or_else(|| DomainFailure::Unavailable {
            reason: "not started".into(),
        })
    }

    /// Runs one exchange on the running incarnation; a failure ends it.
    fn exchange<R>(
        &self,
        f: impl FnOnce(&mut Live) -> Result<R, Fault>,
    ) -> Result<R, DomainFailure> {
        let mut slot = self.lock_live();
        let Some(live) = slot.as_mut() else {
            return Err(DomainFailure::Unavailable {
                reason: "the domain died during a callback".into(),
            });
        };
        match f(live) {
            Ok(r) => Ok(r),
            Err(fault) => {
                let live = slot.take();
                Err(match live {
                    Some(live) => self.died(&mut slot, live, fault),
                    None => DomainFailure::Unavailable {
                        reason: "the domain is gone".into(),
                    },
                })
            }
        }
    }

    /// Fails the call in progress if it was cancelled, its domain died or
    /// its deadline passed. Asked for every frame the call handles, not only
    /// while a wait finds the ring empty: a domain that keeps the ring full
    /// never lets a wait begin.
    fn check_call(&self, live: &Live, deadline: Instant) -> Result<(), Fault> {
        if self.starter.cancel.load(Ordering::SeqCst) || live.dead.load(Ordering::SeqCst) {
            return Err(Fault::Ring(RingError::Aborted));
        }
        if Instant::now() >= deadline {
            return Err(Fault::Ring(RingError::Timeout));
        }
        Ok(())
    }

    /// Ends the incarnation for a frame the call did not ask for.
    fn refuse<R>(&self, what: String) -> Result<R, DomainFailure> {
        self.exchange(|_| Err::<R, _>(Fault::Protocol(what)))
    }

    fn do_call(
        &self,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
        deadline: Instant,
    ) -> Result<(), DomainFailure> {
        let call_id = self.next_call.fetch_add(1, Ordering::Relaxed);
        self.ensure_live(&mut self.lock_live())?;
        let generation = self.incarnation();
        self.exchange(|live| self.send(live, Kind::Call, function, call_id, request, deadline))?;
        loop {
            let (h, payload) = self.exchange(|live| self.recv(live, deadline))?;
            match h.kind {
                Kind::Reply if h.call_id == call_id => {
                    *reply = payload;
                    return Ok(());
                }
                Kind::Callback if h.call_id == call_id => {
                    // No lock is held while the Rust callback runs: it may call in.
                    let mut out = Vec::new();
                    // The dispatch answers only the ids this call issued and
                    // the stored callbacks of this incarnation, and only
                    // arguments that decode: anything else is the domain's
                    // doing, and ends the incarnation rather than being
                    // answered (a domain could loop on an answered error).
                    if let Err(e) = callbacks(h.index, &payload, &mut out) {
                        return self
                            .refuse(format!("callback {:#x} of call {call_id}: {e}", h.index));
                    }
                    if self.incarnation() != generation {
                        // A call the callback made ended this incarnation
                        // (or the callback restarted the domain): this call's
                        // reply can never come, and a new incarnation must
                        // not see its callback's answer.
                        let why = self
                            .last_death()
                            .map(|d| format!("the domain died during a callback ({d})"))
                            .unwrap_or_else(|| "the domain was restarted during a callback".into());
                        return Err(DomainFailure::Unavailable { reason: why });
                    }
                    self.exchange(|live| {
                        self.check_call(live, deadline)?;
                        self.send(
                            live,
                            Kind::CallbackReply,
                            h.index,
                            h.call_id,
                            &out,
                            deadline,
                        )?;
                        self.check_call(live, deadline)
                    })?;
                }
                Kind::Callback => {
                    return self.refuse(format!(
                        "a callback frame for call {} during call {call_id}",
                        h.call_id
                    ));
                }
                Kind::Fault if h.call_id == call_id => {
                    let what = format!(
                        "the domain could not serve the call: {}",
                        String::from_utf8_lossy(&payload[..payload.len().min(200)])
                    );
                    return self.refuse(what);
                }
                other => {
                    return self.refuse(format!(
                        "unexpected {other:?} frame for call {} during call {call_id}",
                        h.call_id
                    ));
                }
            }
        }
    }
}

impl Drop for Domain {
    fn drop(&mut self) {
        // A spare still starting is waited for, so that no domain outlives
        // its client.
        if let Some(spare) = self.lock_spare().take() {
            spare.discard();
        }
    }
}

impl Channel for Domain {
    fn call(
        &self,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        // A nested call (made by a callback) shares the outermost call's
        // deadline, and is refused beyond the nesting bound.
        let own = Instant::now() + self.starter.opts.deadline;
        let (turn, deadline) = self.turn.enter_call(own, self.starter.opts.max_nesting)?;
        if turn.depth == 1 {
            self.starter.cancel.store(false, Ordering::SeqCst);
        }
        self.do_call(function, request, reply, callbacks, deadline)
    }

    /// The running incarnation's number, or the next one's once the watcher
    /// saw the running one end: a handle of a domain that died while idle is
    /// stale before the call that restarts it is made, so it is never sent to
    /// the new incarnation.
    fn generation(&self) -> u32 {
        let current = self.incarnation();
        if self.starter.died.load(Ordering::SeqCst) == current {
            current.wrapping_add(1)
        } else {
            current
        }
    }

    fn violation(&self, generation: u32, what: &str) {
        let _turn = self.turn.enter();
        let mut slot = self.lock_live();
        if self.incarnation() == generation {
            if let Some(live) = slot.take() {
                self.died(
                    &mut slot,
                    live,
                    Fault::Protocol(format!("undecodable reply: {what}")),
                );
            }
        }
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
