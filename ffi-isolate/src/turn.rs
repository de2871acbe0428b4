//! A re-entrant turn: the clients' way of letting one thread at a time use a
//! connection, while nested entries from that thread (calls a callback makes
//! back into the library) pass.
//!
//! The turn also keeps what nested calls must share with the outermost one:
//! its deadline (a call's deadline covers the callbacks it runs, and the
//! calls they make), and how deep the nesting is, which
//! [`Turn::enter_call`] bounds.

use std::sync::{Condvar, Mutex};
use std::thread::ThreadId;
use std::time::Instant;

use ffi_desc::DomainFailure;

/// Who holds the turn, how often they entered it, and the deadline of
/// their outermost call.
#[derive(Default)]
struct State {
    holder: Option<ThreadId>,
    depth: u32,
    deadline: Option<Instant>,
}

/// One thread at a time; that thread may enter again.
#[derive(Default)]
pub(crate) struct Turn {
    state: Mutex<State>,
    cv: Condvar,
}

/// A thread's entry into a [`Turn`]; dropping it leaves.
pub(crate) struct TurnGuard<'a> {
    turn: &'a Turn,
    /// 1 for the outermost entry, more for nested ones.
    pub(crate) depth: u32,
}

impl Turn {
    /// Waits until no other thread holds the turn, then enters it.
    pub(crate) fn enter(&self) -> TurnGuard<'_> {
        self.enter_with(|_| ()).0
    }

    /// Enters the turn for a call (waiting as [`Turn::enter`] does) and
    /// returns the call's deadline: `own` for the outermost call, which
    /// nested calls then share (the earlier of the two, so that no chain of
    /// callbacks outlives the call that started it).
    ///
    /// A call nested more than `max_depth` deep (the outermost call counts
    /// as 1) is refused with [`DomainFailure::NestingTooDeep`]: each level
    /// costs the caller's stack a few kilobytes, and a domain that answers
    /// every nested call with another callback would otherwise overflow it.
    pub(crate) fn enter_call(
        &self,
        own: Instant,
        max_depth: u32,
    ) -> Result<(TurnGuard<'_>, Instant), DomainFailure> {
        let (guard, deadline) = self.enter_with(|s| {
            if s.depth == 1 {
                s.deadline = Some(own);
            }
            match s.deadline {
                Some(outer) => outer.min(own),
                None => own,
            }
        });
        if guard.depth > max_depth.max(1) {
            return Err(DomainFailure::NestingTooDeep {
                max_depth: max_depth.max(1),
            });
        }
        Ok((guard, deadline))
    }

    /// Enters, then runs `f` on the state under the same lock.
    fn enter_with<R>(&self, f: impl FnOnce(&mut State) -> R) -> (TurnGuard<'_>, R) {
        let me = crate::lanes::this_thread();
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            match s.holder {
                None => {
                    s.holder = Some(me);
                    s.depth = 1;
                    s.deadline = None;
                    break;
                }
                Some(t) if t == me => {
                    s.depth += 1;
                    break;
                }
                Some(_) => s = self.cv.wait(s).unwrap_or_else(|e| e.into_inner()),
            }
        }
        let r = f(&mut s);
        (
            TurnGuard {
                turn: self,
                depth: s.depth,
            },
            r,
        )
    }
}

impl Drop for TurnGuard<'_> {
    fn drop(&mut self) {
        let mut s = self.turn.state.lock().unwrap_or_else(|e| e.into_inner());
        s.depth -= 1;
        if s.depth == 0 {
            s.holder = None;
            s.deadline = None;
            self.turn.cv.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn nested_calls_share_the_outer_deadline() {
        let turn = Turn::default();
        let now = Instant::now();
        let (_outer, d1) = turn.enter_call(now + Duration::from_secs(1), 8).unwrap();
        assert_eq!(d1, now + Duration::from_secs(1));
        let (_inner, d2) = turn.enter_call(now + Duration::from_secs(5), 8).unwrap();
        assert_eq!(d2, d1, "a nested call never outlives the outer one");
        let (_inner2, d3) = turn.enter_call(now + Duration::from_millis(10), 8).unwrap();
        assert_eq!(d3, now + Duration::from_millis(10));
    }

    #[test]
    fn nesting_beyond_the_bound_is_refused_and_the_turn_recovers() {
        let turn = Turn::default();
        let far = Instant::now() + Duration::from_secs(60);
        let mut guards = Vec::new();
        for _ in 0..4 {
            guards.push(turn.enter_call(far, 4).unwrap().0);
        }
        assert_eq!(
            turn.enter_call(far, 4).err(),
            Some(DomainFailure::NestingTooDeep { max_depth: 4 })
        );
        assert_eq!(guards.last().unwrap().depth, 4);
        drop(guards);
        // Left entirely: another thread gets the turn, at depth 1.
        std::thread::scope(|s| {
            s.spawn(|| {
                let (g, _) = turn.enter_call(far, 4).unwrap();
                assert_eq!(g.depth, 1);
            });
        });
    }
}
