//! A closure passed for one call, as the C library's user data reaches it.
//!
//! A `Callback<F>` parameter hands C a `&mut dyn FnMut` on the calling
//! method's stack. C may call it only during the call, but nothing stops it
//! calling from a thread of its own, or from two threads at once, or again
//! from inside the closure (through a nested call that made C call the outer
//! callback). Each would run a closure that is neither `Send` nor `Sync` on
//! another thread, or make two `&mut` of it. So the trampoline takes the
//! closure through [`DuringCall::enter`], which gives it out only on the
//! thread whose call placed it and only while it is not already running;
//! otherwise the closure does not run, C gets a zeroed answer, and the call
//! fails with `Error::CallbackNotRun` once C returns.

use core::cell::Cell;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use core::sync::atomic::{AtomicU8, Ordering};

use crate::rt::{refuse_callback, REFUSALS};

/// The reason given for a closure C called from another thread.
#[cfg(feature = "std")]
const OTHER_THREAD: usize = 13;
/// The reason given for a closure C called again while it ran.
const REENTERED: usize = 14;

/// A closure `T` placed for one call, with the thread that placed it.
#[doc(hidden)]
pub struct DuringCall<T> {
    closure: T,
    #[cfg(feature = "std")]
    owner: std::thread::ThreadId,
    /// Touched only on the owner's thread.
    running: Cell<bool>,
    /// The first refusal, as its index in [`REFUSALS`] plus one (0: none);
    /// any thread may set it.
    refused: AtomicU8,
}

impl<T> DuringCall<T> {
    /// `closure`, placed by a call on this thread.
    pub fn new(closure: T) -> Self {
        DuringCall {
            closure,
            #[cfg(feature = "std")]
            owner: this_thread(),
            running: Cell::new(false),
            refused: AtomicU8::new(0),
        }
    }

    /// The closure, if this is the thread whose call placed it and it is
    /// not running already; otherwise the refusal is recorded for the call.
    ///
    /// # Safety
    /// `p` points at a `DuringCall` whose call is still in progress (the
    /// user data C was given for it). Other threads may be inside `enter`
    /// at the same time: only the owner's thread makes a reference to the
    /// closure, and the others touch only `owner` and `refused`.
    pub unsafe fn enter<'a>(p: *mut Self) -> Option<Running<'a, T>> {
        #[cfg(feature = "std")]
        {
            // SAFETY: `owner` is written once, before C got the pointer.
            let owner = unsafe { core::ptr::addr_of!((*p).owner).read() };
            if owner != this_thread() {
                // SAFETY: as above; the refusal is an atomic any thread sets.
                unsafe { Self::refuse(p, OTHER_THREAD) };
                return None;
            }
        }
        // SAFETY: the owner's thread: nothing else touches `running`.
        let running = unsafe { &*core::ptr::addr_of!((*p).running) };
        if running.replace(true) {
            // SAFETY: as above.
            unsafe { Self::refuse(p, REENTERED) };
            return None;
        }
        Some(Running {
            p,
            _closure: PhantomData,
        })
    }

    /// Records `reason` as the call's refusal unless one is recorded.
    ///
    /// # Safety
    /// As for [`DuringCall::enter`].
    unsafe fn refuse(p: *mut Self, reason: usize) {
        // SAFETY: the caller's promise; `refused` is atomic.
        let refused = unsafe { &*core::ptr::addr_of!((*p).refused) };
        let _ = refused.compare_exchange(0, reason as u8 + 1, Ordering::Relaxed, Ordering::Relaxed);
    }

    /// After the call, on its thread: a refusal recorded during it is
    /// reported as a refused callback of this thread, which the call's
    /// check then returns as `Error::CallbackNotRun`.
    pub fn report(&self) {
        let code = self.refused.load(Ordering::Relaxed);
        if let Some(reason) = usize::from(code)
            .checked_sub(1)
            .and_then(|i| REFUSALS.get(i))
        {
            refuse_callback(reason);
        }
    }
}

/// The closure of a [`DuringCall`], lent to its trampoline while it runs.
#[doc(hidden)]
pub struct Running<'a, T> {
    p: *mut DuringCall<T>,
    _closure: PhantomData<&'a mut T>,
}

impl<T> Deref for Running<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: `enter` lent the closure to this thread alone, until drop.
        unsafe { &*core::ptr::addr_of!((*self.p).closure) }
    }
}

impl<T> DerefMut for Running<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`.
        unsafe { &mut *core::ptr::addr_of_mut!((*self.p).closure) }
    }
}

impl<T> Drop for Running<'_, T> {
    fn drop(&mut self) {
        // SAFETY: the owner's thread, which alone touches `running`.
        unsafe { &*core::ptr::addr_of!((*self.p).running) }.set(false);
    }
}

#[cfg(feature = "std")]
std::thread_local! {
    static THIS_THREAD: std::thread::ThreadId = std::thread::current().id();
}

/// The calling thread's id, without the reference count
/// `std::thread::current` takes and drops.
#[cfg(feature = "std")]
fn this_thread() -> std::thread::ThreadId {
    THIS_THREAD.with(|id| *id)
}
