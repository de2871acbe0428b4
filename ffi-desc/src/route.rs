//! The calls running on this thread that passed a handle of a type whose
//! callbacks are kept by call (`#[opaque(.., kept_by_call)]`): a callback C
//! calls for such a type finds its handle here, whatever user data C hands
//! it.
//!
//! Each such call records, for its duration, which handle it passed: the
//! handle's `HandleCore` (Linked, Loaded) or its id (the Isolated domain's
//! server, under [`server_token`] of the description, so that a loopback
//! server and the description's Linked calls on one thread never read each
//! other's records). Calls a callback makes push above it and pop before it
//! resumes, so the innermost call that passed a handle of the type wins. A
//! call that passed two handles of the type, a view, or `None` for an
//! `Option<&H>` records 0: nothing to route to, so the callback is refused.
//! (A view travels to the domain as its owner's id, so the server records
//! that id; the client's own record below is what refuses it.)
//!
//! The Isolated client keeps records of its own (under [`client_token`] of
//! the description), of the ids its calls sent, 0 for a view: a callback
//! frame of a type kept by call during a call that recorded 0 is refused,
//! whatever handle it names; one naming a handle is honest only for the
//! handle its running call recorded, so an empty slot of that handle is
//! refused as the other linkages refuse it, while any other handle without
//! the callback stays a protocol violation.

#[cfg(feature = "std")]
use core::cell::RefCell;

/// One running call: the description (`rt::description_token`), the
/// handle type (its index among the opaque types), what it passed.
#[cfg(feature = "std")]
#[derive(Clone, Copy)]
struct Running {
    desc: u64,
    ty: usize,
    value: u64,
}

#[cfg(feature = "std")]
std::thread_local! {
    static RUNNING: RefCell<alloc::vec::Vec<Running>> = const { RefCell::new(alloc::vec::Vec::new()) };
}

/// The record of one running call; dropping it (when the call returns, or
/// unwinds) removes it and every record above it.
#[cfg(feature = "std")]
#[must_use = "the call is recorded only while this lives"]
pub struct Entered {
    depth: usize,
    // Thread-local: a record is removed on the thread that made it.
    _not_send: core::marker::PhantomData<*const ()>,
}

/// Records, until the result is dropped, that a call of the description
/// `desc` passing `value` for the handle type `ty` runs on this thread.
#[cfg(feature = "std")]
#[inline]
pub fn enter(desc: u64, ty: usize, value: u64) -> Entered {
    let depth = RUNNING.with(|r| {
        let mut r = r.borrow_mut();
        r.push(Running { desc, ty, value });
        r.len() - 1
    });
    Entered {
        depth,
        _not_send: core::marker::PhantomData,
    }
}

#[cfg(feature = "std")]
impl Drop for Entered {
    fn drop(&mut self) {
        // `try_with`: a thread being torn down has dropped its records.
        let _ = RUNNING.try_with(|r| r.borrow_mut().truncate(self.depth));
    }
}

/// What the innermost running call of `desc` that passed a handle of type
/// `ty` recorded; 0 when none runs on this thread (or it recorded 0).
#[cfg(feature = "std")]
#[inline]
pub fn innermost(desc: u64, ty: usize) -> u64 {
    RUNNING
        .try_with(|r| {
            r.borrow()
                .iter()
                .rev()
                .find(|e| e.desc == desc && e.ty == ty)
                .map_or(0, |e| e.value)
        })
        .unwrap_or(0)
}

/// The token the Isolated client records its calls under, for the
/// description whose token is `desc`: never the token the description's
/// Linked trampolines or its in-process server ([`server_token`]) read, so
/// neither finds a client's handle id where it expects its own record.
#[inline]
pub const fn client_token(desc: u64) -> u64 {
    !desc
}

/// The token the in-process Isolated server (the loopback) records its
/// calls' handle ids under, for the description whose token is `desc`:
/// neither `desc`, which the description's Linked trampolines read as
/// `HandleCore` addresses, nor [`client_token`]. A Linked call made from
/// inside a loopback callback, with no Linked record above it, then finds
/// no record rather than a server's id.
#[inline]
pub const fn server_token(desc: u64) -> u64 {
    desc ^ 0x5a5a_5a5a_5a5a_5a5a
}

/// The value a native call records for a handle: its `HandleCore`, or 0
/// for a view (lent to a callback, it keeps no callbacks of its own).
#[cfg(feature = "std")]
#[inline]
pub fn native_value(core: &crate::rt::HandleCore) -> u64 {
    if core.is_view() {
        0
    } else {
        core as *const crate::rt::HandleCore as usize as u64
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    #[test]
    fn the_innermost_call_of_the_type_wins_and_leaves_with_its_call() {
        assert_eq!(innermost(1, 0), 0);
        let outer = enter(1, 0, 10);
        let other_type = enter(1, 1, 20);
        assert_eq!((innermost(1, 0), innermost(1, 1)), (10, 20));
        {
            let _inner = enter(1, 0, 30);
            assert_eq!(innermost(1, 0), 30);
            assert_eq!(innermost(2, 0), 0, "another description's");
        }
        assert_eq!(innermost(1, 0), 10);
        drop(other_type);
        assert_eq!(innermost(1, 1), 0);
        // Another thread sees none of this thread's calls.
        assert_eq!(std::thread::spawn(|| innermost(1, 0)).join().unwrap(), 0);
        drop(outer);
        assert_eq!(innermost(1, 0), 0);
    }

    #[test]
    fn the_three_tokens_of_a_description_differ() {
        for desc in [0, 1, u64::MAX, 0x5a5a_5a5a_5a5a_5a5a, 0xa5a5_a5a5_a5a5_a5a5] {
            let (c, s) = (client_token(desc), server_token(desc));
            assert!(desc != c && desc != s && c != s, "{desc:x}");
        }
    }

    #[test]
    fn a_record_dropped_out_of_order_takes_those_above_it() {
        let a = enter(3, 0, 1);
        let b = enter(3, 0, 2);
        drop(a);
        assert_eq!(innermost(3, 0), 0);
        drop(b);
        assert_eq!(innermost(3, 0), 0);
    }
}
