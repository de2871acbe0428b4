//! A re-entrant turn: the clients' way of letting one thread at a time use a
//! connection, while nested entries from that thread (calls a callback makes
//! back into the library) pass.

use std::sync::{Condvar, Mutex};
use std::thread::ThreadId;

/// One thread at a time; that thread may enter again.
#[derive(Default)]
pub(crate) struct Turn {
    state: Mutex<(Option<ThreadId>, u32)>,
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
        let me = std::thread::current().id();
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            match s.0 {
                None => {
                    *s = (Some(me), 1);
                    break;
                }
                Some(t) if t == me => {
                    s.1 += 1;
                    break;
                }
                Some(_) => s = self.cv.wait(s).unwrap_or_else(|e| e.into_inner()),
            }
        }
        TurnGuard {
            turn: self,
            depth: s.1,
        }
    }
}

impl Drop for TurnGuard<'_> {
    fn drop(&mut self) {
        let mut s = self.turn.state.lock().unwrap_or_else(|e| e.into_inner());
        s.1 -= 1;
        if s.1 == 0 {
            s.0 = None;
            self.turn.cv.notify_one();
        }
    }
}
