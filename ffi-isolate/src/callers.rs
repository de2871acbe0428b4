//! The threads that wait on the domain for async calls: a future of
//! [`Channel::call_async`](ffi_desc::isolated::Channel::call_async) waits
//! for its reply, and one of these threads, not the task's runtime thread,
//! waits on the domain.
//!
//! A domain has two sets. Its *callers* make whole calls ([`Work::Call`]:
//! no lane was free when the task's thread tried, or a call waited ahead).
//! Its *waiters* wait for the replies of calls the task's thread sent
//! itself ([`Work::Sent`]), which already hold a lane. They are kept apart
//! so that a caller waiting for a lane never keeps a waiter from freeing
//! one. Each set has at most as many threads as the domain has lanes (a
//! call beyond that would wait for a lane anyway; a sent call holds one),
//! started when first needed and ended with the [`crate::Domain`]. Jobs
//! are taken in the order they were queued; a call whose future was
//! dropped before a caller took it is never sent, and a sent one is always
//! waited for, so that its lane is freed.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use ffi_desc::reply::{Reply, ReplySender};
use ffi_desc::wire::WireError;
use ffi_desc::DomainFailure;

use crate::client::Core;
use crate::inplace::SentCall;

/// What a thread does for one async call.
pub(crate) enum Work {
    /// Makes the call, as [`ffi_desc::isolated::Channel::call`] would.
    Call {
        function: u32,
        concurrent: bool,
        request: Vec<u8>,
        /// The incarnation the request was encoded for.
        generation: u32,
    },
    /// Waits for the reply of a call the task's thread sent.
    Sent(Box<SentCall>),
}

/// One async call, and where its reply goes.
pub(crate) struct Job {
    pub(crate) work: Work,
    pub(crate) reply: ReplySender,
}

/// The callback dispatch of an async call: it passes none, so a callback
/// frame is the domain's doing (and ends its incarnation).
pub(crate) fn no_callbacks(_: u32, _: &[u8], _: &mut Vec<u8>) -> Result<(), WireError> {
    Err(WireError("an async call passes no callbacks"))
}

fn run(core: &Core, work: Work) -> Reply {
    match work {
        Work::Call {
            function,
            concurrent,
            request,
            generation,
        } => {
            let mut reply = Vec::new();
            core.call_on(
                concurrent,
                function,
                &request,
                &mut reply,
                &mut no_callbacks,
                Some(generation),
            )
            .map(|()| reply)
        }
        Work::Sent(sent) => core.finish_sent(*sent),
    }
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    threads: usize,
    idle: usize,
    /// Jobs being made right now.
    running: usize,
    /// Threads waiting on the condition variable (not spinning).
    parked: usize,
    closed: bool,
}

/// One set of threads of a domain and their queue.
pub(crate) struct Callers {
    queue: Mutex<Queue>,
    cv: Condvar,
    max_threads: usize,
    /// The name of its threads.
    name: &'static str,
    /// Jobs queued, readable without the lock by a spinning thread.
    queued: AtomicUsize,
    /// How long an idle thread spins for the next job before it parks: a
    /// job queued meanwhile is taken without a wake-up (the ring's spin
    /// bound, about what one wake-up costs).
    spin: Duration,
}

impl Callers {
    /// At most `max_threads` threads (at least one) named `name`, each
    /// spinning up to `spin` for a job before it parks.
    pub(crate) fn new(name: &'static str, max_threads: usize, spin: Duration) -> Self {
        Callers {
            queue: Mutex::default(),
            cv: Condvar::new(),
            max_threads: max_threads.max(1),
            name,
            queued: AtomicUsize::new(0),
            spin,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many jobs wait for a thread.
    pub(crate) fn queued(&self) -> usize {
        self.queued.load(Ordering::Acquire)
    }

    /// Queues `job`, starting a thread for it when more jobs wait than
    /// threads are idle and the bound allows one.
    pub(crate) fn submit(self: &Arc<Self>, core: &Arc<Core>, job: Job) {
        let mut q = self.lock();
        if q.closed {
            drop(q);
            job.reply.send(Err(DomainFailure::Unavailable {
                reason: "the domain was dropped".into(),
            }));
            return;
        }
        q.jobs.push_back(job);
        self.queued.store(q.jobs.len(), Ordering::Release);
        if q.jobs.len() > q.idle && q.threads < self.max_threads {
            let (callers, core) = (self.clone(), core.clone());
            let started = std::thread::Builder::new()
                .name(self.name.into())
                .spawn(move || callers.work(&core));
            if started.is_ok() {
                q.threads += 1;
                q.idle += 1;
            }
        }
        let none = q.threads == 0;
        let parked = q.parked > 0;
        drop(q);
        if none {
            // No thread could be started: the job fails rather than waits
            // for ever.
            self.fail_queued("no caller thread could be started");
        }
        if parked {
            self.cv.notify_one();
        }
    }

    /// Spins up to the bound for a job to be queued; `true` if one was.
    fn spin_for_job(&self) -> bool {
        let start = Instant::now();
        while start.elapsed() < self.spin {
            if self.queued.load(Ordering::Acquire) > 0 {
                return true;
            }
            std::hint::spin_loop();
        }
        false
    }

    fn work(&self, core: &Core) {
        let mut q = self.lock();
        loop {
            let Some(job) = q.jobs.pop_front() else {
                if q.closed {
                    q.threads -= 1;
                    q.idle -= 1;
                    return;
                }
                drop(q);
                let found = self.spin_for_job();
                q = self.lock();
                if !found && q.jobs.is_empty() && !q.closed {
                    q.parked += 1;
                    q = self.cv.wait(q).unwrap_or_else(|e| e.into_inner());
                    q.parked -= 1;
                }
                continue;
            };
            self.queued.store(q.jobs.len(), Ordering::Release);
            if matches!(job.work, Work::Call { .. }) && job.reply.is_abandoned() {
                continue;
            }
            q.idle -= 1;
            q.running += 1;
            drop(q);
            job.reply.send(run(core, job.work));
            q = self.lock();
            q.running -= 1;
            q.idle += 1;
        }
    }

    fn fail_queued(&self, why: &str) {
        let jobs: Vec<Job> = {
            let mut q = self.lock();
            self.queued.store(0, Ordering::Release);
            q.jobs.drain(..).collect()
        };
        for job in jobs {
            job.reply
                .send(Err(DomainFailure::Unavailable { reason: why.into() }));
        }
    }

    /// No more jobs: the queued ones fail, the threads end once idle.
    /// Returns whether a job is still running.
    pub(crate) fn close(&self) -> bool {
        let running = {
            let mut q = self.lock();
            q.closed = true;
            q.running > 0
        };
        self.fail_queued("the domain was dropped");
        self.cv.notify_all();
        running
    }
}
