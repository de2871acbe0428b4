//! The client side of an isolated domain: [`Domain`] starts the server
//! process, speaks to it over the ring, and implements
//! [`Channel`] for the generated Isolated linkage.
//!
//! # Threads
//!
//! A domain serves [`IsolatedOptions::lanes`] lanes: each lane is a ring
//! pair of its own in the shared memory, served by a thread of its own in
//! the domain. A call takes a free lane for as long as it runs, so calls
//! from different threads run in parallel in the domain, and a short call
//! is not delayed by a long one on another thread. What may run at once is
//! the description's word:
//!
//! * a function marked thread-safe (`thread_safe` in `#[foreign(..)]`, or
//!   `#[thread_safe]` on the function) runs beside any other thread-safe
//!   call, made from another thread;
//! * any other function (C's default when the description says nothing,
//!   and `#[not_thread_safe]`) has the library to itself: it waits until no
//!   other thread's call runs, and no other thread's call starts until it
//!   ends. A description without a thread-safe function gets one lane.
//!
//! "Thread-safe" in a description promises what POSIX means by it: the C
//! functions may be called at the same time from several threads, each
//! with its own arguments, and their effects are as if they ran in some
//! order. The linkage does not check it; a wrong promise races inside the
//! domain only, whose memory the client never trusts.
//!
//! A Rust callback that the domain invokes runs on the thread that made the
//! call, and may itself call into the same domain (the library is
//! re-entered, as C would re-enter it): such nested calls stay on the
//! caller's lane and do not wait for the lane their own thread holds. They
//! share the outermost call's deadline, and nest at most
//! [`IsolatedOptions::max_nesting`] deep. A callback of a thread-safe call
//! that makes a call that is not waits for the other threads' calls to end;
//! when two do that at once, the second fails with
//! [`DomainFailure::WouldDeadlock`] rather than both waiting forever.
//!
//! An async call ([`Channel::call_async`], the generated `{Trait}Async`)
//! never blocks the runtime thread that polls it. When a lane is free right
//! now and no call waits ahead of it, the task's thread writes the request
//! into that lane's ring itself, and the future's first poll looks for the
//! reply there, spinning then yielding for at most
//! [`IsolatedOptions::async_spin`]: a short call is answered with no other
//! client thread involved ([`Domain::async_counts`] counts them). A reply
//! that is not there by then is waited for by one of the domain's waiter
//! threads, which wakes the task. When no lane is free, the whole call is
//! queued for one of its caller threads, which waits for a lane as a sync
//! call would. Either way the lane an async call holds belongs to no thread:
//! the task's thread may make other calls meanwhile, which are not nested
//! in it. Async calls pass no callbacks.
//!
//! A death, a deadline, a protocol violation or [`Domain::cancel`] ends the
//! incarnation for every call on it: each call in progress, on any lane,
//! fails exactly once with the same typed failure (the first call to see
//! the fault classifies it), and so does a call made against that
//! incarnation that was still waiting for a lane. The restart happens once.
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

use crate::arena::Arena;
use crate::callers::{no_callbacks, Callers, Job, Work};
use crate::domain::{DomainConfig, RestartPolicy};
use crate::incarnation::{recv_frame, send_frame, Fault, Live, Spare, Starter, Waker};
use crate::inplace::{InFlight, SentCall};
use crate::lanes::Lanes;
use crate::out_arena::OutArena;
use crate::ring::{Endpoint, RingError};
use crate::sandbox::SandboxPolicy;
use crate::wait::WaitConfig;
use crate::wire::{Header, Kind};
use ffi_desc::bulk::Segment;
use ffi_desc::isolated::{CallbackDispatch, Channel, IsolatedLinkage};
use ffi_desc::reply::{reply_channel, Reply, ReplyFuture};
use ffi_desc::shared::{SharedBufError, SharedSpace};
use ffi_desc::shared_out::OutSpace;
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
    /// How many lanes the domain serves (1..=[`crate::shm::MAX_LANES`],
    /// default [`IsolatedOptions::DEFAULT_LANES`]): each is a ring pair
    /// with a server thread of its own, so that many calls of thread-safe
    /// functions run at once. A sandbox without threads gets one lane.
    pub lanes: usize,
    /// The most bytes of each lane's bulk region (rounded up to pages, at
    /// most [`crate::shm::MAX_BULK_LEN`]; default
    /// [`IsolatedOptions::DEFAULT_BULK_REGION`]; 0: none). A buffer of
    /// plain scalars of at least [`IsolatedOptions::bulk_threshold`] bytes
    /// lent for a call is placed there rather than streamed through the
    /// ring: C reads and writes it in place, and the client copies it in
    /// (`In`) and out (`Out`) once. The region is reserved at this size
    /// when the domain starts, but takes memory only as calls write into
    /// it; buffers that do not fit travel in the frame, with the same
    /// results.
    pub bulk_region: usize,
    /// The size in bytes from which a buffer goes into the bulk region
    /// (default [`IsolatedOptions::DEFAULT_BULK_THRESHOLD`]).
    pub bulk_threshold: usize,
    /// The bytes of the shared arena, where
    /// [`ffi_desc::shared::SharedBuf`]s are allocated (rounded up to
    /// pages, at most [`crate::arena::MAX_ARENA_LEN`]; default
    /// [`IsolatedOptions::DEFAULT_SHARED_ARENA`]; 0: none). Created with
    /// the [`Domain`] and fixed for its life: every incarnation (and the
    /// spare) maps the same arena read-only, so a buffer stays valid
    /// across restarts. It takes memory only as buffers are written, and
    /// its size counts toward the domain's address-space limit
    /// ([`SandboxPolicy::address_space_limit`]).
    pub shared_arena: usize,
    /// The bytes of the out arena, where
    /// [`ffi_desc::shared_out::SharedOut`]s are allocated (rounded up to
    /// pages, at most [`crate::arena::MAX_ARENA_LEN`]; default
    /// [`IsolatedOptions::DEFAULT_OUT_ARENA`]; 0: none). Created with the
    /// [`Domain`] and fixed for its life, like the shared arena, but every
    /// incarnation (and the spare) maps it **writable**: C fills an `Out`
    /// buffer there in place, and the domain can write any buffer in it at
    /// any time (see [`crate::out_arena`]). Its size counts toward the
    /// domain's address-space limit too.
    pub out_arena: usize,
    /// How long the first poll of an async call's future looks for the
    /// reply (spinning, then yielding its CPU) before it hands the wait to
    /// a caller thread and returns `Pending` (default
    /// [`IsolatedOptions::DEFAULT_ASYNC_SPIN`]). A bound on how long a poll
    /// keeps a runtime thread, whatever the domain does.
    pub async_spin: Duration,
    /// Send small messages in the lane's call slots rather than as frames
    /// on the ring (default on; [`crate::slot`]): calls and callback
    /// answers of at most [`crate::slot::SLOT_PAYLOAD`] bytes, and the
    /// domain's replies and callbacks that fit, cross between the CPUs as
    /// one cache line each way instead of two. Used only with a domain that
    /// says it reads the slots; off, every message is a frame.
    pub call_slots: bool,
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
            lanes: Self::DEFAULT_LANES,
            bulk_region: Self::DEFAULT_BULK_REGION,
            bulk_threshold: Self::DEFAULT_BULK_THRESHOLD,
            shared_arena: Self::DEFAULT_SHARED_ARENA,
            out_arena: Self::DEFAULT_OUT_ARENA,
            async_spin: Self::DEFAULT_ASYNC_SPIN,
            call_slots: true,
        }
    }

    /// The bytes of the shared arena a domain started with these options
    /// has: [`IsolatedOptions::shared_arena`] rounded up to pages and
    /// bounded by [`crate::arena::MAX_ARENA_LEN`] (0: none).
    pub fn arena_len(&self) -> usize {
        crate::arena::arena_len(self.shared_arena)
    }

    /// The bytes of the out arena a domain started with these options has:
    /// [`IsolatedOptions::out_arena`] rounded up to pages and bounded by
    /// [`crate::arena::MAX_ARENA_LEN`] (0: none).
    pub fn out_arena_len(&self) -> usize {
        crate::arena::arena_len(self.out_arena)
    }

    /// The bytes of each lane's bulk region a domain started with these
    /// options has: [`IsolatedOptions::bulk_region`] rounded up to pages
    /// and bounded.
    pub fn bulk_len(&self) -> usize {
        self.bulk_region
            .min(crate::shm::MAX_BULK_LEN)
            .next_multiple_of(crate::shm::PAGE_SIZE)
    }

    /// The lanes a domain started with these options serves.
    pub fn lane_count(&self) -> usize {
        if self.sandbox.allow_threads {
            self.lanes.clamp(1, crate::shm::MAX_LANES)
        } else {
            1
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

    /// The default of [`IsolatedOptions::lanes`].
    pub const DEFAULT_LANES: usize = 4;

    /// The default of [`IsolatedOptions::bulk_region`]: 8 MiB.
    pub const DEFAULT_BULK_REGION: usize = 8 << 20;

    /// The default of [`IsolatedOptions::shared_arena`]: 64 MiB.
    pub const DEFAULT_SHARED_ARENA: usize = 64 << 20;

    /// The default of [`IsolatedOptions::out_arena`]: 64 MiB.
    pub const DEFAULT_OUT_ARENA: usize = 64 << 20;

    /// The default of [`IsolatedOptions::bulk_threshold`]: 16 KiB, below
    /// which the ring costs no more than the region.
    pub const DEFAULT_BULK_THRESHOLD: usize = 16 << 10;
    /// The default of [`IsolatedOptions::async_spin`]: a null call's reply
    /// comes within it even on a busy machine, and it costs less than the
    /// futex round trip that waking the task would.
    pub const DEFAULT_ASYNC_SPIN: Duration = Duration::from_micros(20);
}

/// Everything a [`Domain`] is, shared with the threads that run its async
/// calls.
pub(crate) struct Core {
    /// What starting an incarnation needs (the options, the fingerprint,
    /// the death word, the cancel flag), shared with a spare's thread.
    starter: Arc<Starter>,
    /// The next incarnation, started ahead when `IsolatedOptions::spare`.
    spare: Mutex<Option<Spare>>,
    lanes: Arc<Lanes>,
    /// The running incarnation; the calls in progress hold it too.
    live: Mutex<Option<Arc<Live>>>,
    generation: AtomicU32,
    restarts: AtomicU32,
    next_call: AtomicU64,
    /// The last incarnation that died, and why.
    last_death: Mutex<Option<(u32, DomainFailure)>>,
    /// The running incarnation's ring memory, to wake waiting calls on cancel.
    waker: Mutex<Option<Waker>>,
    /// How the async calls were made.
    counts: Counts,
}

/// The atomics behind [`AsyncCounts`].
#[derive(Default)]
pub(crate) struct Counts {
    pub(crate) answered_in_place: AtomicU64,
    pub(crate) handed_over: AtomicU64,
    pub(crate) made_by_caller: AtomicU64,
}

/// How a domain's async calls were made so far ([`Domain::async_counts`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AsyncCounts {
    /// Sent by the task's thread, and answered on the future's first poll
    /// without a caller thread.
    pub answered_in_place: u64,
    /// Sent by the task's thread, whose reply a caller thread waited for:
    /// it did not come within [`IsolatedOptions::async_spin`], or was not
    /// a plain reply, or the future was dropped first.
    pub handed_over: u64,
    /// Made by a caller thread from the start: no lane was free, or another
    /// call waited ahead.
    pub made_by_caller: u64,
}

impl Core {
    fn start(opts: IsolatedOptions, fingerprint: [u8; 16]) -> Result<Core, DomainFailure> {
        let lanes = Arc::new(Lanes::new(opts.lane_count()));
        let arena = match opts.arena_len() {
            0 => None,
            len => Some(Arc::new(Arena::create(len).map_err(|e| {
                DomainFailure::Unavailable {
                    reason: format!("shared arena: {e}"),
                }
            })?)),
        };
        let out_arena = match opts.out_arena_len() {
            0 => None,
            len => Some(Arc::new(OutArena::create(len).map_err(|e| {
                DomainFailure::Unavailable {
                    reason: format!("out arena: {e}"),
                }
            })?)),
        };
        let d = Core {
            starter: Arc::new(Starter {
                opts,
                fingerprint,
                died: Arc::new(AtomicU32::new(0)),
                cancel: AtomicBool::new(false),
                arena,
                out_arena,
            }),
            spare: Mutex::new(None),
            lanes,
            live: Mutex::new(None),
            generation: AtomicU32::new(1),
            restarts: AtomicU32::new(0),
            next_call: AtomicU64::new(1),
            last_death: Mutex::new(None),
            waker: Mutex::new(None),
            counts: Counts::default(),
        };
        let live = d.spawn()?;
        *d.lock_live() = Some(live);
        Ok(d)
    }

    /// The number of the incarnation running or last started.
    fn incarnation(&self) -> u32 {
        self.generation.load(Ordering::SeqCst)
    }

    fn lock_live(&self) -> MutexGuard<'_, Option<Arc<Live>>> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The pid of the running domain process, if one runs.
    pub(crate) fn pid(&self) -> Option<i32> {
        self.lock_live().as_ref().map(|l| l.pid)
    }

    /// What the running domain uses: its tasks (threads a library left
    /// running between calls included) and its CPU time; `None` when no
    /// domain runs. [`Domain::restart`] ends them all.
    pub(crate) fn usage(&self) -> Option<crate::domain::Usage> {
        let live = self.lock_live().clone()?;
        let usage = live.lock_process().usage();
        usage
    }

    /// How many times the domain was restarted.
    pub(crate) fn restarts(&self) -> u32 {
        self.restarts.load(Ordering::Relaxed)
    }

    /// Why the last incarnation died, if one did.
    pub(crate) fn last_death(&self) -> Option<DomainFailure> {
        self.lock_death().as_ref().map(|(_, f)| f.clone())
    }

    fn lock_death(&self) -> MutexGuard<'_, Option<(u32, DomainFailure)>> {
        self.last_death.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Why incarnation `number` ended, for a call that was made against it
    /// and found it gone.
    fn death_of(&self, number: u32) -> DomainFailure {
        match &*self.lock_death() {
            Some((n, failure)) if *n == number => failure.clone(),
            _ => DomainFailure::Unavailable {
                reason: "the domain was restarted while the call was in progress".into(),
            },
        }
    }

    /// Cancels the calls in progress (from another thread): they fail with
    /// [`DomainFailure::Cancelled`] within one park slice, and the domain,
    /// whose state is unknown after an interrupted call, is killed.
    pub(crate) fn cancel(&self) {
        self.starter.cancel.store(true, Ordering::SeqCst);
        if let Some(waker) = &*self.waker.lock().unwrap_or_else(|e| e.into_inner()) {
            waker.wake_all();
        }
    }

    /// Kills the running domain (if any) and starts a new incarnation. It
    /// waits for the calls of other threads to end first, as a call that is
    /// not thread-safe does.
    pub(crate) fn restart(&self) -> Result<(), DomainFailure> {
        let far = Instant::now() + Duration::from_secs(86_400);
        let _alone = self.lanes.enter(false, far, u32::MAX)?;
        let mut live = self.lock_live();
        if let Some(old) = live.take() {
            old.lock_process().kill_and_reap();
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
        *live = Some(self.spawn()?);
        self.restarts.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Starts the incarnation whose number is current: the spare, when one
    /// was started for it and is alive, else a new domain; then, when the
    /// options ask for one, the next spare in the background.
    fn spawn(&self) -> Result<Arc<Live>, DomainFailure> {
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
        Ok(Arc::new(started.live))
    }

    fn lock_spare(&self) -> MutexGuard<'_, Option<Spare>> {
        self.spare.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The pid of the spare domain, once it has started (`None` without one).
    pub(crate) fn spare_pid(&self) -> Option<i32> {
        let spare = self.lock_spare();
        spare.as_ref()?.pid()
    }

    #[allow(clippy::too_many_arguments)]
    fn send(
        &self,
        endpoint: &mut Endpoint,
        live: &Live,
        kind: Kind,
        index: u32,
        call_id: u64,
        payload: &[u8],
        deadline: Instant,
    ) -> Result<(), Fault> {
        // A message that fits goes in the call slot, once the domain said
        // it reads it.
        if live.in_slot(kind, payload.len()) {
            return Ok(endpoint.send_in_slot(kind, index, call_id, payload)?);
        }
        let dead = &live.dead;
        let abort = || self.starter.cancel.load(Ordering::Relaxed) || dead.load(Ordering::Relaxed);
        send_frame(
            &self.starter.opts,
            endpoint,
            &abort,
            kind,
            index,
            call_id,
            payload,
            deadline,
        )
    }

    /// The next frame of a call, from the ring or the domain's call slot.
    fn recv(
        &self,
        endpoint: &mut Endpoint,
        live: &Live,
        deadline: Instant,
    ) -> Result<(Header, Vec<u8>), Fault> {
        let dead = &live.dead;
        let abort = || self.starter.cancel.load(Ordering::Relaxed) || dead.load(Ordering::Relaxed);
        recv_frame(
            &self.starter.opts,
            endpoint,
            &abort,
            deadline,
            live.call_slots,
        )
    }

    /// Records a death: the incarnation ends, and the policy may restart.
    fn died(&self, slot: &mut Option<Arc<Live>>, live: Arc<Live>, fault: Fault) -> DomainFailure {
        let failure = self.starter.classify(&live, fault);
        drop(live);
        let ended = self.generation.fetch_add(1, Ordering::SeqCst);
        *self.lock_death() = Some((ended, failure.clone()));
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

    /// Ends incarnation `live` for `fault`, once: the first call to fail on
    /// it classifies the death, every other call in progress on it gets the
    /// same failure.
    fn end(&self, live: &Arc<Live>, number: u32, fault: Fault) -> DomainFailure {
        let mut slot = self.lock_live();
        if slot.as_ref().is_some_and(|l| Arc::ptr_eq(l, live)) {
            if let Some(current) = slot.take() {
                return self.died(&mut slot, current, fault);
            }
        }
        drop(slot);
        self.death_of(number)
    }

    /// The running incarnation and its number, started first if none runs
    /// and the policy allows it.
    fn ensure_live(&self) -> Result<(Arc<Live>, u32), DomainFailure> {
        let mut slot = self.lock_live();
        // A domain that died between calls ends its incarnation here, so the
        // call that notices runs on a fresh one instead of failing.
        if slot.as_ref().is_some_and(|l| l.dead.load(Ordering::SeqCst)) {
            if let Some(live) = slot.take() {
                self.died(&mut slot, live, Fault::Ring(RingError::PeerClosed));
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
        let live = slot.clone().ok_or_else(|| DomainFailure::Unavailable {
            reason: "not started".into(),
        })?;
        Ok((live, self.incarnation()))
    }

    /// Runs one exchange on lane `lane` of incarnation `live`; a failure
    /// ends it.
    fn exchange<R>(
        &self,
        live: &Arc<Live>,
        number: u32,
        lane: usize,
        f: impl FnOnce(&mut Endpoint) -> Result<R, Fault>,
    ) -> Result<R, DomainFailure> {
        let done = live.lane(lane).and_then(|mut ep| f(&mut ep));
        done.map_err(|fault| self.end(live, number, fault))
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
    fn refuse<R>(&self, live: &Arc<Live>, number: u32, what: String) -> Result<R, DomainFailure> {
        Err(self.end(live, number, Fault::Protocol(what)))
    }

    /// One call on lane `lane`, made against incarnation `made_for`, with
    /// `segments` when it passes some ([`crate::bulk`]).
    #[allow(clippy::too_many_arguments)]
    fn do_call(
        &self,
        lane: usize,
        made_for: u32,
        function: u32,
        request: &[u8],
        segments: Option<&mut [Segment<'_>]>,
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
        deadline: Instant,
    ) -> Result<(), DomainFailure> {
        let call_id = self.next_call.fetch_add(1, Ordering::Relaxed);
        let (live, number) = self.ensure_live()?;
        if number != made_for {
            // The incarnation the call was made against ended while it
            // waited for a lane: it fails as the calls running on it did
            // (its handles and stored callbacks belong to that incarnation).
            return Err(self.death_of(made_for));
        }
        // The segments are placed in the lane's region (or inline) now that
        // the lane is known; the region is the call's until it returns.
        let region = live.regions.get(lane).and_then(Option::as_ref);
        let (kind, framed, placed) = match &segments {
            Some(segs) => {
                let arenas = crate::bulk::Arenas {
                    shared: self.starter.arena.as_deref(),
                    out: self.starter.out_arena.as_deref(),
                };
                let (payload, placed) = crate::bulk::request(region, arenas, segs, request);
                (Kind::BulkCall, Some(payload), Some(placed))
            }
            None => (Kind::Call, None, None),
        };
        let request = framed.as_deref().unwrap_or(request);
        // The request and the first frame back under one hold of the lane's
        // ring: no callback runs in between, and each lock is a locked
        // instruction on the path of every call.
        let first = self.exchange(&live, number, lane, |ep| {
            self.send(ep, &live, kind, function, call_id, request, deadline)?;
            self.recv(ep, &live, deadline)
        })?;
        self.receive_reply(
            &live,
            number,
            lane,
            call_id,
            placed.as_ref().zip(segments),
            reply,
            callbacks,
            deadline,
            Some(first),
        )
    }

    /// The rest of call `call_id` once its request is sent on lane `lane` of
    /// incarnation `live` (number `number`): answers its callbacks until its
    /// reply comes. `first` is the first frame back, if already read.
    #[allow(clippy::too_many_arguments)]
    fn receive_reply(
        &self,
        live: &Arc<Live>,
        number: u32,
        lane: usize,
        call_id: u64,
        mut bulk: Option<(&crate::bulk::Placed<'_>, &mut [Segment<'_>])>,
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
        deadline: Instant,
        mut first: Option<(Header, Vec<u8>)>,
    ) -> Result<(), DomainFailure> {
        // A callback's answer, its buffer kept across the call's callbacks.
        let mut out = Vec::new();
        loop {
            let (h, payload) = match first.take() {
                Some(frame) => frame,
                None => self.exchange(live, number, lane, |ep| self.recv(ep, live, deadline))?,
            };
            match h.kind {
                Kind::Reply if h.call_id == call_id => {
                    *reply = match bulk.as_mut() {
                        Some((placed, segs)) => match crate::bulk::reply(placed, segs, &payload) {
                            Ok(rest) => rest,
                            Err(e) => {
                                let what = format!("the reply of call {call_id}: {e}");
                                return self.refuse(live, number, what);
                            }
                        },
                        _ => payload,
                    };
                    return Ok(());
                }
                Kind::Callback if h.call_id == call_id => {
                    // No lock is held while the Rust callback runs: it may call in.
                    out.clear();
                    // The dispatch answers only the ids this call issued and
                    // the stored callbacks of this incarnation, and only
                    // arguments that decode: anything else is the domain's
                    // doing, and ends the incarnation rather than being
                    // answered (a domain could loop on an answered error).
                    if let Err(e) = callbacks(h.index, &payload, &mut out) {
                        return self.refuse(
                            live,
                            number,
                            format!("callback {:#x} of call {call_id}: {e}", h.index),
                        );
                    }
                    if self.incarnation() != number {
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
                    // The answer and the next frame under one hold of the
                    // ring, as a call's request and its first frame back.
                    first = Some(self.exchange(live, number, lane, |ep| {
                        self.check_call(live, deadline)?;
                        self.send(
                            ep,
                            live,
                            Kind::CallbackReply,
                            h.index,
                            h.call_id,
                            &out,
                            deadline,
                        )?;
                        self.recv(ep, live, deadline)
                    })?);
                }
                Kind::Callback => {
                    return self.refuse(
                        live,
                        number,
                        format!(
                            "a callback frame for call {} during call {call_id}",
                            h.call_id
                        ),
                    );
                }
                Kind::Fault if h.call_id == call_id => {
                    let what = format!(
                        "the domain could not serve the call: {}",
                        String::from_utf8_lossy(&payload[..payload.len().min(200)])
                    );
                    return self.refuse(live, number, what);
                }
                other => {
                    return self.refuse(
                        live,
                        number,
                        format!(
                            "unexpected {other:?} frame for call {} during call {call_id}",
                            h.call_id
                        ),
                    );
                }
            }
        }
    }

    /// A call, thread-safe (`concurrent`) or not, on a lane of its own or
    /// (nested) on its thread's.
    pub(crate) fn call_on(
        &self,
        concurrent: bool,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
        made_for: Option<u32>,
    ) -> Result<(), DomainFailure> {
        self.call_with(
            concurrent, function, request, None, reply, callbacks, made_for,
        )
    }

    /// [`Core::call_on`], with `segments` when the call passes some.
    #[allow(clippy::too_many_arguments)]
    fn call_with(
        &self,
        concurrent: bool,
        function: u32,
        request: &[u8],
        segments: Option<&mut [Segment<'_>]>,
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
        made_for: Option<u32>,
    ) -> Result<(), DomainFailure> {
        // The incarnation the call is made against: the caller encoded its
        // handles for it.
        let made_for = made_for.unwrap_or_else(|| self.generation());
        // A nested call (made by a callback) shares the outermost call's
        // deadline, and is refused beyond the nesting bound.
        let own = Instant::now() + self.starter.opts.deadline;
        let (place, deadline) = self
            .lanes
            .enter(concurrent, own, self.starter.opts.max_nesting)?;
        if place.depth == 1 && place.alone {
            self.forget_old_cancel();
        }
        self.do_call(
            place.lane, made_for, function, request, segments, reply, callbacks, deadline,
        )
    }

    /// Called by an outermost call that has just taken its lane with no
    /// other call in progress: a cancel meant for calls that have ended does
    /// not reach it.
    pub(crate) fn forget_old_cancel(&self) {
        // Looked at first: a store is a locked instruction on every call.
        if self.starter.cancel.load(Ordering::SeqCst) {
            self.starter.cancel.store(false, Ordering::SeqCst);
        }
    }

    /// The lanes of the domain.
    pub(crate) fn lanes(&self) -> &Arc<Lanes> {
        &self.lanes
    }

    pub(crate) fn options(&self) -> &IsolatedOptions {
        &self.starter.opts
    }

    pub(crate) fn counts(&self) -> &Counts {
        &self.counts
    }

    /// A number for a new call.
    pub(crate) fn next_call_id(&self) -> u64 {
        self.next_call.fetch_add(1, Ordering::Relaxed)
    }

    /// The running incarnation and its number, if it is incarnation
    /// `generation`, has not died and need not be started: what a call
    /// made without blocking can use.
    pub(crate) fn running(&self, generation: u32) -> Option<(Arc<Live>, u32)> {
        let slot = self.lock_live();
        let live = slot.as_ref()?;
        let number = self.incarnation();
        (number == generation && !live.dead.load(Ordering::SeqCst)).then(|| (live.clone(), number))
    }

    /// Whether the calls on `live` are cancelled, or it died.
    pub(crate) fn aborted(&self, live: &Live) -> bool {
        self.starter.cancel.load(Ordering::SeqCst) || live.dead.load(Ordering::SeqCst)
    }

    /// Waits for the reply of an async call the task's thread sent, on the
    /// thread it was handed to; a fault the task's thread met ends the
    /// incarnation here, where waiting for the domain to be reaped is
    /// allowed.
    pub(crate) fn finish_sent(&self, sent: SentCall) -> Reply {
        let SentCall {
            live,
            number,
            lane,
            call_id,
            deadline,
            fault,
        } = sent;
        if let Some(fault) = fault {
            return Err(self.end(&live, number, fault));
        }
        let mut reply = Vec::new();
        let done = self.receive_reply(
            &live,
            number,
            lane.lane,
            call_id,
            None,
            &mut reply,
            &mut no_callbacks,
            deadline,
            None,
        );
        // The lane is free once the reply is off its ring.
        drop(lane);
        done.map(|()| reply)
    }
}

impl Drop for Core {
    fn drop(&mut self) {
        // A spare still starting is waited for, so that no domain outlives
        // its client.
        if let Some(spare) = self.lock_spare().take() {
            spare.discard();
        }
    }
}

impl Core {
    /// The running incarnation's number, or the next one's once the watcher
    /// saw the running one end: a handle of a domain that died while idle is
    /// stale before the call that restarts it is made, so it is never sent to
    /// the new incarnation.
    pub(crate) fn generation(&self) -> u32 {
        let current = self.incarnation();
        if self.starter.died.load(Ordering::SeqCst) == current {
            current.wrapping_add(1)
        } else {
            current
        }
    }

    fn violation(&self, generation: u32, what: &str) {
        // Not waiting for other threads' calls: they run on the incarnation
        // that broke the protocol, and fail with it.
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
}

/// A sandboxed server process serving one description, reached over
/// vchan-layout rings in shared memory, one per lane.
pub struct Domain {
    core: Arc<Core>,
    /// The threads that make whole async calls ([`Channel::call_async`]).
    callers: Arc<Callers>,
    /// The threads that wait for the replies of async calls sent by the
    /// task's thread.
    waiters: Arc<Callers>,
}

impl std::fmt::Debug for Domain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Domain")
            .field("executable", &self.core.starter.opts.domain.executable)
            .field("generation", &self.core.generation())
            .field("pid", &self.pid())
            .finish()
    }
}

impl Domain {
    /// Starts a domain for the description with `fingerprint` and completes
    /// the handshake.
    pub fn start(opts: IsolatedOptions, fingerprint: [u8; 16]) -> Result<Domain, DomainFailure> {
        let (lanes, spin) = (opts.lane_count(), opts.wait.spin);
        Ok(Domain {
            core: Arc::new(Core::start(opts, fingerprint)?),
            callers: Arc::new(Callers::new("ffi-domain-caller", lanes, spin)),
            waiters: Arc::new(Callers::new("ffi-domain-waiter", lanes, spin)),
        })
    }

    /// Starts a domain and wraps it in the description's Isolated linkage.
    /// A description that marks no function thread-safe gets one lane: its
    /// calls run one at a time anyway.
    pub fn launch<L: IsolatedLinkage>(mut opts: IsolatedOptions) -> Result<L, DomainFailure> {
        if !L::ANY_THREAD_SAFE {
            opts.lanes = 1;
        }
        let d = Domain::start(opts, L::FINGERPRINT)?;
        Ok(L::from_channel(Box::new(d)))
    }

    /// The pid of the running domain process, if one runs.
    pub fn pid(&self) -> Option<i32> {
        self.core.pid()
    }

    /// How many lanes the domain serves: calls of thread-safe functions
    /// from that many threads run at once.
    pub fn lanes(&self) -> usize {
        self.core.starter.opts.lane_count()
    }

    /// What the running domain uses: its tasks (threads a library left
    /// running between calls included) and its CPU time; `None` when no
    /// domain runs. [`Domain::restart`] ends them all.
    pub fn usage(&self) -> Option<crate::domain::Usage> {
        self.core.usage()
    }

    /// How many times the domain was restarted.
    pub fn restarts(&self) -> u32 {
        self.core.restarts()
    }

    /// Why the last incarnation died, if one did.
    pub fn last_death(&self) -> Option<DomainFailure> {
        self.core.last_death()
    }

    /// The options the domain runs with.
    pub fn options(&self) -> &IsolatedOptions {
        &self.core.starter.opts
    }

    /// Cancels the calls in progress (from another thread), async calls
    /// included: they fail with [`DomainFailure::Cancelled`] within one park
    /// slice, and the domain, whose state is unknown after an interrupted
    /// call, is killed.
    pub fn cancel(&self) {
        self.core.cancel()
    }

    /// Kills the running domain (if any) and starts a new incarnation. It
    /// waits for the calls of other threads to end first, as a call that is
    /// not thread-safe does.
    pub fn restart(&self) -> Result<(), DomainFailure> {
        self.core.restart()
    }

    /// The pid of the spare domain, once it has started (`None` without one).
    pub fn spare_pid(&self) -> Option<i32> {
        self.core.spare_pid()
    }

    /// How the async calls made so far were made: answered on their first
    /// poll by the task's thread, or with a caller thread's help.
    pub fn async_counts(&self) -> AsyncCounts {
        let c = self.core.counts();
        AsyncCounts {
            answered_in_place: c.answered_in_place.load(Ordering::Relaxed),
            handed_over: c.handed_over.load(Ordering::Relaxed),
            made_by_caller: c.made_by_caller.load(Ordering::Relaxed),
        }
    }
}

impl Drop for Domain {
    fn drop(&mut self) {
        // Queued async calls fail; running ones end with the domain.
        let calling = self.callers.close();
        let waiting = self.waiters.close();
        if calling || waiting {
            self.core.cancel();
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
        self.core
            .call_on(false, function, request, reply, callbacks, None)
    }

    fn call_concurrent(
        &self,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        self.core
            .call_on(true, function, request, reply, callbacks, None)
    }

    /// The shared arena, or [`SharedBufError::NoArena`] when the options
    /// asked for none.
    fn shared_space(&self) -> Result<Option<Arc<dyn SharedSpace>>, SharedBufError> {
        match &self.core.starter.arena {
            Some(arena) => Ok(Some(arena.clone() as Arc<dyn SharedSpace>)),
            None => Err(SharedBufError::NoArena),
        }
    }

    /// The out arena, or [`SharedBufError::NoArena`] when the options
    /// asked for none; plain memory when the lanes have no bulk region, so
    /// that no call could pass a buffer in place (a buffer there would be
    /// copied into anyway, and writable by the domain for nothing).
    fn shared_out_space(&self) -> Result<Option<Arc<dyn OutSpace>>, SharedBufError> {
        if self.core.starter.opts.bulk_len() == 0 {
            return Ok(None);
        }
        match &self.core.starter.out_arena {
            Some(arena) => Ok(Some(arena.clone() as Arc<dyn OutSpace>)),
            None => Err(SharedBufError::NoArena),
        }
    }

    fn bulk_threshold(&self) -> Option<usize> {
        let opts = &self.core.starter.opts;
        (opts.bulk_len() != 0).then_some(opts.bulk_threshold)
    }

    /// Places the segments in the bulk region of the lane the call takes
    /// (after those of the calls it is nested in); a segment that does not
    /// fit travels in the frame. Only the counts of bytes written come back
    /// from the domain, checked against each segment's length; the bytes
    /// are copied from the region into the caller's slices as they are (a
    /// hostile domain may change them until the call returns).
    fn call_bulk(
        &self,
        function: u32,
        concurrent: bool,
        request: &[u8],
        segments: &mut [Segment<'_>],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        self.core.call_with(
            concurrent,
            function,
            request,
            Some(segments),
            reply,
            callbacks,
            None,
        )
    }

    /// Sent from the calling thread when a lane is free right now, no call
    /// waits ahead, the incarnation is the one the request was encoded for
    /// and the ring has room for the whole frame: the future's first poll
    /// takes the reply off the ring itself if it comes within
    /// [`IsolatedOptions::async_spin`], so a null call involves no other
    /// thread of the client; otherwise a waiter thread waits for it and
    /// wakes the future. Else the call is queued for one of the domain's
    /// caller threads (one per lane, started when first needed), which makes
    /// it as [`Channel::call`] would and wakes the future, whose first poll
    /// waits (yielding) for the same bound.
    ///
    /// A call whose future was dropped before a caller thread took it is
    /// never sent; one already sent completes (or meets its deadline) and
    /// its reply is dropped: the domain is not killed, since that would fail
    /// every other caller's calls.
    fn call_async(
        &self,
        function: u32,
        concurrent: bool,
        request: Vec<u8>,
        generation: u32,
    ) -> ReplyFuture {
        let spin = self.core.starter.opts.async_spin;
        // Queued calls go first: a call sent in place would overtake them.
        if self.callers.queued() == 0 {
            let sent = crate::inplace::send(&self.core, concurrent, function, &request, generation);
            if let Some(sent) = sent {
                let call = InFlight::new(&self.core, &self.waiters, sent);
                return ReplyFuture::in_place(Box::new(call)).with_spin(spin);
            }
        }
        let counts = self.core.counts();
        counts.made_by_caller.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = reply_channel();
        let work = Work::Call {
            function,
            concurrent,
            request,
            generation,
        };
        self.callers.submit(&self.core, Job { work, reply: tx });
        rx.with_spin(spin)
    }

    /// The running incarnation's number, or the next one's once the watcher
    /// saw the running one end: a handle of a domain that died while idle is
    /// stale before the call that restarts it is made, so it is never sent to
    /// the new incarnation.
    fn generation(&self) -> u32 {
        self.core.generation()
    }

    fn violation(&self, generation: u32, what: &str) {
        self.core.violation(generation, what)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
