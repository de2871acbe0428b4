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

use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread::ThreadId;
use std::time::Instant;

use ffi_desc::DomainFailure;

/// One lane: who runs on it, how deeply nested, and the deadline of its
/// outermost call (which every nested call shares).
#[derive(Clone, Copy, Default)]
struct Slot {
    holder: Option<ThreadId>,
    depth: u32,
    deadline: Option<Instant>,
}

#[derive(Default)]
struct State {
    slots: Vec<Slot>,
    /// The thread that has the library to itself, and how many of its
    /// calls in progress need that.
    exclusive: Option<(ThreadId, u32)>,
    /// A thread inside a thread-safe call, waiting to have the library to
    /// itself for a nested serial call.
    upgrading: Option<ThreadId>,
    /// Outermost serial calls waiting for the library.
    serial_waiting: u32,
}

impl State {
    fn lane_of(&self, me: ThreadId) -> Option<usize> {
        self.slots.iter().position(|s| s.holder == Some(me))
    }

    fn free_lane(&self) -> Option<usize> {
        self.slots.iter().position(|s| s.holder.is_none())
    }

    /// Whether a thread other than `me` has a call in progress.
    fn others_busy(&self, me: ThreadId) -> bool {
        self.slots.iter().any(|s| s.holder.is_some_and(|t| t != me))
    }

    fn exclusive_is(&self, me: ThreadId) -> bool {
        self.exclusive.is_some_and(|(t, _)| t == me)
    }
}

/// The lanes of one domain.
pub(crate) struct Lanes {
    state: Mutex<State>,
    cv: Condvar,
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

    /// How many threads have a call in progress.
    pub(crate) fn in_progress(&self) -> usize {
        self.lock()
            .slots
            .iter()
            .filter(|s| s.holder.is_some())
            .count()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait<'a>(&self, s: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.cv.wait(s).unwrap_or_else(|e| e.into_inner())
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
        let me = std::thread::current().id();
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
                    holder: Some(me),
                    depth: 0,
                    deadline: Some(own),
                };
                (lane, !concurrent)
            }
        };
        if exclusive {
            let count = s.exclusive.map_or(0, |(_, n)| n);
            s.exclusive = Some((me, count + 1));
        }
        let slot = &mut s.slots[lane];
        slot.depth += 1;
        let deadline = slot.deadline.map_or(own, |outer| outer.min(own));
        let depth = slot.depth;
        Ok((
            LaneGuard {
                lanes: self,
                lane,
                depth,
                exclusive,
            },
            deadline,
        ))
    }

    /// Waits for a free lane while no thread has (or waits for) the library
    /// to itself.
    fn enter_concurrent<'a>(&self, mut s: MutexGuard<'a, State>) -> (usize, MutexGuard<'a, State>) {
        loop {
            if s.exclusive.is_none() && s.upgrading.is_none() && s.serial_waiting == 0 {
                if let Some(lane) = s.free_lane() {
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

impl Drop for LaneGuard<'_> {
    fn drop(&mut self) {
        let mut s = self.lanes.lock();
        let slot = &mut s.slots[self.lane];
        slot.depth = slot.depth.saturating_sub(1);
        if slot.depth == 0 {
            *slot = Slot::default();
        }
        if self.exclusive {
            s.exclusive = match s.exclusive {
                Some((t, n)) if n > 1 => Some((t, n - 1)),
                _ => None,
            };
        }
        drop(s);
        self.lanes.cv.notify_all();
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
