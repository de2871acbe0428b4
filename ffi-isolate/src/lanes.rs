//! Which lane a call runs on, and whether it may run beside other calls.
//!
//! A domain serves `n` lanes, each a ring pair with a server thread of its
//! own. A call takes a free lane for as long as it runs; the calls its
//! callbacks make (on the same thread) stay on that lane, nested as on a
//! single ring. Whether a call may run beside calls of other threads is the
//! description's word ([`ffi_desc::ir::Function::thread_safe`]):
//!
//! * a thread-safe call runs beside any other thread-safe call;
//! * any other call has the library to itself: it waits until no other
//!   thread's call runs, and no other thread's call starts until it ends.
//!
//! This is a re-entrant reader-writer gate: a thread inside a serial call
//! passes with every nested call; a thread inside a thread-safe call whose
//! callback makes a serial call waits until the other threads' calls end
//! (new ones wait behind it). Two threads doing that at once would wait for
//! each other forever, so the second is refused with
//! [`DomainFailure::WouldDeadlock`] before anything is sent.
//!
//! Serial calls waiting hold back new thread-safe calls, so a stream of
//! thread-safe calls cannot starve them.
//!
//! An async call sent by the task's own thread holds a lane that belongs
//! to no thread ([`Lanes::try_enter_detached`]): whichever thread then
//! waits for its reply, and the task's thread may make calls of its own
//! meanwhile, which are not nested in it. It never waits for a lane: it
//! takes one only when it could have been entered at once and no other
//! call waits to enter, so it overtakes no one.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::ThreadId;
use std::time::Instant;

use ffi_desc::DomainFailure;

std::thread_local! {
    static THIS_THREAD: ThreadId = std::thread::current().id();
}

/// The calling thread's id, without the reference count
/// `std::thread::current` takes and drops (two locked instructions a call).
pub(crate) fn this_thread() -> ThreadId {
    THIS_THREAD.with(|id| *id)
}

/// Who has a call in progress on a lane.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Holder {
    /// A thread, and the calls its callbacks make.
    Thread(ThreadId),
    /// An async call, whichever thread waits for its reply.
    Detached,
}

/// One lane: who runs on it, how deeply nested, and the deadline of its
/// outermost call (which every nested call shares).
#[derive(Clone, Copy, Default)]
struct Slot {
    holder: Option<Holder>,
    depth: u32,
    deadline: Option<Instant>,
}

#[derive(Default)]
struct State {
    slots: Vec<Slot>,
    /// Who has the library to itself, and how many of its calls in
    /// progress need that.
    exclusive: Option<(Holder, u32)>,
    /// A thread inside a thread-safe call, waiting to have the library to
    /// itself for a nested serial call.
    upgrading: Option<ThreadId>,
    /// Outermost serial calls waiting for the library.
    serial_waiting: u32,
    /// Outermost thread-safe calls waiting for a lane.
    concurrent_waiting: u32,
    /// Threads asleep on the condition variable: a call that leaves wakes
    /// them only if there are any (a wake-up is a system call even when
    /// nobody waits, and every call leaves).
    sleepers: u32,
}

impl State {
    /// Whether exactly one lane has a call in progress.
    fn one_in_progress(&self) -> bool {
        self.slots.iter().filter(|s| s.holder.is_some()).count() == 1
    }

    fn lane_of(&self, me: ThreadId) -> Option<usize> {
        self.slots
            .iter()
            .position(|s| s.holder == Some(Holder::Thread(me)))
    }

    fn free_lane(&self) -> Option<usize> {
        self.slots.iter().position(|s| s.holder.is_none())
    }

    /// Whether a thread other than `me` has a call in progress.
    fn others_busy(&self, me: ThreadId) -> bool {
        self.slots
            .iter()
            .any(|s| s.holder.is_some_and(|t| t != Holder::Thread(me)))
    }

    fn exclusive_is(&self, me: ThreadId) -> bool {
        self.exclusive.is_some_and(|(t, _)| t == Holder::Thread(me))
    }

    /// Whether a call is waiting to enter, or the library is held (or
    /// about to be) by one call alone.
    fn someone_ahead(&self) -> bool {
        self.exclusive.is_some()
            || self.upgrading.is_some()
            || self.serial_waiting > 0
            || self.concurrent_waiting > 0
    }
}

/// The lanes of one domain.
pub(crate) struct Lanes {
    state: Mutex<State>,
    cv: Condvar,
}

/// A detached call's place on a lane ([`Lanes::try_enter_detached`]);
/// dropping it leaves, on whichever thread.
pub(crate) struct DetachedLane {
    lanes: Arc<Lanes>,
    /// The lane the call runs on.
    pub(crate) lane: usize,
    exclusive: bool,
    /// Whether no other call was in progress when it entered.
    pub(crate) alone: bool,
}

/// A call's place on a lane; dropping it leaves.
pub(crate) struct LaneGuard<'a> {
    lanes: &'a Lanes,
    /// The lane the call runs on.
    pub(crate) lane: usize,
    /// 1 for the outermost call of the thread, more for nested ones.
    pub(crate) depth: u32,
    /// Whether this call counts in the thread's exclusive hold.
    exclusive: bool,
    /// Whether no other call was in progress when it entered.
    pub(crate) alone: bool,
}

impl Lanes {
    /// `count` lanes (at least one).
    pub(crate) fn new(count: usize) -> Self {
        Lanes {
            state: Mutex::new(State {
                slots: vec![Slot::default(); count.max(1)],
                ..State::default()
            }),
            cv: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait<'a>(&self, mut s: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        s.sleepers += 1;
        let mut s = self.cv.wait(s).unwrap_or_else(|e| e.into_inner());
        s.sleepers -= 1;
        s
    }

    /// Enters a call: `concurrent` when the function is thread-safe. Returns
    /// the call's place and its deadline: `own` for a thread's outermost
    /// call, the earlier of `own` and the outermost call's for a nested one.
    /// A call nested more than `max_depth` deep is refused with
    /// [`DomainFailure::NestingTooDeep`].
    pub(crate) fn enter(
        &self,
        concurrent: bool,
        own: Instant,
        max_depth: u32,
    ) -> Result<(LaneGuard<'_>, Instant), DomainFailure> {
        let me = this_thread();
        let mut s = self.lock();
        let (lane, exclusive) = match s.lane_of(me) {
            Some(lane) => {
                let depth = s.slots[lane].depth;
                if depth >= max_depth.max(1) {
                    return Err(DomainFailure::NestingTooDeep {
                        max_depth: max_depth.max(1),
                    });
                }
                if !concurrent && !s.exclusive_is(me) {
                    s = self.upgrade(s, me)?;
                }
                (lane, !concurrent)
            }
            None => {
                let lane;
                (lane, s) = if concurrent {
                    self.enter_concurrent(s)
                } else {
                    self.enter_serial(s)
                };
                s.slots[lane] = Slot {
                    holder: Some(Holder::Thread(me)),
                    depth: 0,
                    deadline: Some(own),
                };
                (lane, !concurrent)
            }
        };
        if exclusive {
            let count = s.exclusive.map_or(0, |(_, n)| n);
            s.exclusive = Some((Holder::Thread(me), count + 1));
        }
        let slot = &mut s.slots[lane];
        slot.depth += 1;
        let deadline = slot.deadline.map_or(own, |outer| outer.min(own));
        let depth = slot.depth;
        let alone = s.one_in_progress();
        Ok((
            LaneGuard {
                lanes: self,
                lane,
                depth,
                exclusive,
                alone,
            },
            deadline,
        ))
    }

    /// Takes a lane for an async call without waiting, or `None`: a
    /// thread-safe call takes a free lane, any other lane 0 when no call
    /// runs, and either only when no call waits to enter and no call has
    /// (or waits for) the library to itself.
    pub(crate) fn try_enter_detached(self: &Arc<Self>, concurrent: bool) -> Option<DetachedLane> {
        let mut s = self.lock();
        if s.someone_ahead() {
            return None;
        }
        let lane = if concurrent {
            s.free_lane()?
        } else if s.slots.iter().all(|l| l.holder.is_none()) {
            0
        } else {
            return None;
        };
        s.slots[lane] = Slot {
            holder: Some(Holder::Detached),
            depth: 1,
            deadline: None,
        };
        if !concurrent {
            s.exclusive = Some((Holder::Detached, 1));
        }
        Some(DetachedLane {
            lanes: self.clone(),
            lane,
            exclusive: !concurrent,
            alone: s.one_in_progress(),
        })
    }

    /// Waits for a free lane while no thread has (or waits for) the library
    /// to itself.
    fn enter_concurrent<'a>(&self, mut s: MutexGuard<'a, State>) -> (usize, MutexGuard<'a, State>) {
        s.concurrent_waiting += 1;
        loop {
            if s.exclusive.is_none() && s.upgrading.is_none() && s.serial_waiting == 0 {
                if let Some(lane) = s.free_lane() {
                    s.concurrent_waiting -= 1;
                    return (lane, s);
                }
            }
            s = self.wait(s);
        }
    }

    /// Waits until no call runs, then takes lane 0.
    fn enter_serial<'a>(&self, mut s: MutexGuard<'a, State>) -> (usize, MutexGuard<'a, State>) {
        s.serial_waiting += 1;
        while s.exclusive.is_some()
            || s.upgrading.is_some()
            || s.slots.iter().any(|l| l.holder.is_some())
        {
            s = self.wait(s);
        }
        s.serial_waiting -= 1;
        (0, s)
    }

    /// A thread inside a thread-safe call waits to have the library to
    /// itself; refused when another thread already waits so.
    fn upgrade<'a>(
        &self,
        mut s: MutexGuard<'a, State>,
        me: ThreadId,
    ) -> Result<MutexGuard<'a, State>, DomainFailure> {
        if let Some(other) = s.upgrading.filter(|t| *t != me) {
            return Err(DomainFailure::WouldDeadlock {
                what: format!(
                    "a callback of a thread-safe call on thread {me:?} made a call that is not \
                     thread-safe while one on thread {other:?} waits to do the same"
                ),
            });
        }
        s.upgrading = Some(me);
        while s.others_busy(me) {
            s = self.wait(s);
        }
        s.upgrading = None;
        Ok(s)
    }
}

impl Lanes {
    /// Ends one call on `lane`: the lane is free once its outermost call
    /// ends.
    fn leave(&self, lane: usize, exclusive: bool) {
        let mut s = self.lock();
        let slot = &mut s.slots[lane];
        slot.depth = slot.depth.saturating_sub(1);
        if slot.depth == 0 {
            *slot = Slot::default();
        }
        if exclusive {
            s.exclusive = match s.exclusive {
                Some((t, n)) if n > 1 => Some((t, n - 1)),
                _ => None,
            };
        }
        // Counted under the lock a sleeper holds until it sleeps: none is missed.
        let wake = s.sleepers > 0;
        drop(s);
        if wake {
            self.cv.notify_all();
        }
    }
}

impl Drop for LaneGuard<'_> {
    fn drop(&mut self) {
        self.lanes.leave(self.lane, self.exclusive);
    }
}

impl Drop for DetachedLane {
    fn drop(&mut self) {
        self.lanes.leave(self.lane, self.exclusive);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Barrier;
    use std::time::Duration;

    fn far() -> Instant {
        Instant::now() + Duration::from_secs(60)
    }

    #[test]
    fn concurrent_calls_take_different_lanes_and_nest_on_their_own() {
        let lanes = Lanes::new(2);
        let barrier = Barrier::new(2);
        let seen: Vec<usize> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| {
                        let (outer, _) = lanes.enter(true, far(), 8).unwrap();
                        barrier.wait();
                        let (inner, _) = lanes.enter(true, far(), 8).unwrap();
                        assert_eq!(inner.lane, outer.lane, "a nested call stays on its lane");
                        assert_eq!(inner.depth, 2);
                        barrier.wait();
                        outer.lane
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_ne!(seen[0], seen[1]);
    }

    #[test]
    fn a_serial_call_runs_alone() {
        let lanes = Lanes::new(4);
        let running = AtomicU32::new(0);
        let overlap = AtomicU32::new(0);
        std::thread::scope(|s| {
            for i in 0..8 {
                let (lanes, running, overlap) = (&lanes, &running, &overlap);
                s.spawn(move || {
                    for _ in 0..50 {
                        let serial = i % 2 == 0;
                        let _g = lanes.enter(!serial, far(), 8).unwrap();
                        let before = running.fetch_add(1, Ordering::SeqCst);
                        if serial && before != 0 {
                            overlap.fetch_add(1, Ordering::SeqCst);
                        }
                        std::thread::yield_now();
                        let after = running.fetch_sub(1, Ordering::SeqCst);
                        if serial && after != 1 {
                            overlap.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                });
            }
        });
        assert_eq!(overlap.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn nested_calls_share_the_deadline_and_are_bounded() {
        let lanes = Lanes::new(2);
        let now = Instant::now();
        let (_a, d1) = lanes.enter(true, now + Duration::from_secs(1), 2).unwrap();
        let (_b, d2) = lanes.enter(false, now + Duration::from_secs(5), 2).unwrap();
        assert_eq!(d2, d1);
        assert_eq!(
            lanes.enter(true, far(), 2).err(),
            Some(DomainFailure::NestingTooDeep { max_depth: 2 })
        );
    }

    #[test]
    fn a_detached_call_is_no_nesting_of_the_thread_that_made_it() {
        let lanes = Arc::new(Lanes::new(2));
        let detached = lanes.try_enter_detached(true).unwrap();
        let (mine, _) = lanes.enter(true, far(), 8).unwrap();
        assert_ne!(mine.lane, detached.lane);
        assert_eq!(mine.depth, 1, "an outermost call of its own");
        assert!(
            lanes.try_enter_detached(true).is_none(),
            "no lane is free right now"
        );
        drop(detached);
        assert!(lanes.try_enter_detached(true).is_some());
    }

    #[test]
    fn a_detached_call_overtakes_no_waiting_call_and_a_serial_one_runs_alone() {
        let lanes = Arc::new(Lanes::new(2));
        let serial = lanes.try_enter_detached(false).unwrap();
        assert_eq!(serial.lane, 0);
        assert!(lanes.try_enter_detached(true).is_none(), "it runs alone");
        drop(serial);
        // One thread's call runs; another thread's serial call waits for it:
        // a lane is free, but a detached call would overtake the serial one.
        let (running, _) = lanes.enter(true, far(), 8).unwrap();
        let entered = AtomicU32::new(0);
        std::thread::scope(|s| {
            s.spawn(|| {
                let _g = lanes.enter(false, far(), 8).unwrap();
                entered.store(1, Ordering::SeqCst);
            });
            while lanes.lock().serial_waiting == 0 {
                std::thread::yield_now();
            }
            assert!(lanes.try_enter_detached(true).is_none());
            drop(running);
        });
        assert_eq!(entered.load(Ordering::SeqCst), 1);
        assert!(lanes.try_enter_detached(true).is_some());
    }

    #[test]
    fn two_upgrades_at_once_are_refused_not_deadlocked() {
        let lanes = Lanes::new(2);
        let both_in = Barrier::new(2);
        let results: Vec<Result<(), DomainFailure>> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..2)
                .map(|i| {
                    let (lanes, both_in) = (&lanes, &both_in);
                    s.spawn(move || {
                        let _outer = lanes.enter(true, far(), 8).unwrap();
                        both_in.wait();
                        if i == 1 {
                            // Let the other thread start waiting first.
                            std::thread::sleep(Duration::from_millis(50));
                        }
                        lanes.enter(false, far(), 8).map(drop)
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(results[0].is_ok(), "the first upgrade waits, then runs");
        assert!(matches!(
            results[1],
            Err(DomainFailure::WouldDeadlock { .. })
        ));
    }
}
