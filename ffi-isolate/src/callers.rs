//! The threads that make a domain's async calls: a future of
//! [`Channel::call_async`](ffi_desc::isolated::Channel::call_async) waits
//! for its reply, and one of these threads, not the task's runtime thread,
//! waits on the domain.
//!
//! There are at most as many as the domain has lanes (a call beyond that
//! would wait for a lane anyway), started when first needed and ended with
//! the [`crate::Domain`]. Jobs are taken in the order they were queued; a
//! job whose future was dropped before a thread took it is never sent.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use ffi_desc::reply::ReplySender;
use ffi_desc::wire::WireError;
use ffi_desc::DomainFailure;

use crate::client::Core;

/// One async call.
pub(crate) struct Job {
    pub(crate) function: u32,
    pub(crate) concurrent: bool,
    pub(crate) request: Vec<u8>,
    /// The incarnation the request was encoded for.
    pub(crate) generation: u32,
    pub(crate) reply: ReplySender,
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

/// The caller threads of one domain and their queue.
pub(crate) struct Callers {
    queue: Mutex<Queue>,
    cv: Condvar,
    max_threads: usize,
    /// Jobs queued, readable without the lock by a spinning thread.
    queued: AtomicUsize,
    /// How long an idle thread spins for the next job before it parks: a
    /// job queued meanwhile is taken without a wake-up (the ring's spin
    /// bound, about what one wake-up costs).
    spin: Duration,
}

impl Callers {
    /// At most `max_threads` threads (at least one), each spinning up to
    /// `spin` for a job before it parks.
    pub(crate) fn new(max_threads: usize, spin: Duration) -> Self {
        Callers {
            queue: Mutex::default(),
            cv: Condvar::new(),
            max_threads: max_threads.max(1),
            queued: AtomicUsize::new(0),
            spin,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
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
                .name("ffi-domain-caller".into())
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
            if job.reply.is_abandoned() {
                continue;
            }
            q.idle -= 1;
            q.running += 1;
            drop(q);
            let mut reply = Vec::new();
            let mut refuse = |_: u32, _: &[u8], _: &mut Vec<u8>| {
                Err(WireError("an async call passes no callbacks"))
            };
            let done = core.call_on(
                job.concurrent,
                job.function,
                &job.request,
                &mut reply,
                &mut refuse,
                Some(job.generation),
            );
            job.reply.send(done.map(|()| reply));
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
