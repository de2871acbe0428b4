//! The reply of an Isolated call as a future: the async form of a
//! described function awaits it while a thread of the transport waits on
//! the domain, so no runtime thread blocks while C runs.
//!
//! It depends on no async runtime: a [`ReplySender`] completes the future
//! and wakes whichever task polled it last (tokio's, async-std's, a
//! hand-written executor's). Dropping the [`ReplyFuture`] marks the call
//! abandoned; the transport does not send a call abandoned before it was
//! sent, and discards the reply of one abandoned after.
//!
//! A transport may let the first poll wait, yielding, for a short bound
//! ([`ReplyFuture::with_spin`]) before it returns `Pending`: a reply that
//! comes within it (a short C call) costs no wake-up of the task's thread,
//! which on a busy machine costs more than the call itself. A longer call
//! returns `Pending` after the bound, and the thread runs other tasks.

use crate::DomainFailure;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// What a call's reply future resolves to: the reply payload, or why the
/// call failed.
pub type Reply = Result<Vec<u8>, DomainFailure>;

#[derive(Default)]
struct Slot {
    reply: Option<Reply>,
    waker: Option<Waker>,
    /// The sender went away without an answer.
    closed: bool,
    /// The future was dropped.
    abandoned: bool,
}

#[derive(Default)]
struct Shared {
    slot: Mutex<Slot>,
    /// Set once the slot holds a reply or the sender is gone: what a
    /// spinning poll looks at without the lock.
    done: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The waiting half: resolves to the call's [`Reply`].
#[must_use = "a reply future does nothing unless awaited; dropping it abandons the call"]
pub struct ReplyFuture {
    shared: Arc<Shared>,
    /// How long the first poll may wait for the reply (then spent).
    spin: Duration,
}

/// The answering half, held by whoever runs the call.
pub struct ReplySender(Option<Arc<Shared>>);

/// A connected pair.
pub fn reply_channel() -> (ReplySender, ReplyFuture) {
    let shared = Arc::new(Shared::default());
    let rx = ReplyFuture {
        shared: shared.clone(),
        spin: Duration::ZERO,
    };
    (ReplySender(Some(shared)), rx)
}

impl ReplyFuture {
    /// A future that is ready with `reply` at once.
    pub fn ready(reply: Reply) -> Self {
        let (tx, rx) = reply_channel();
        tx.send(reply);
        rx
    }

    /// Lets the first poll wait (yielding) up to `spin` for the reply before it
    /// returns `Pending` (bounded: it never waits for a long call).
    pub fn with_spin(mut self, spin: Duration) -> Self {
        self.spin = spin;
        self
    }
}

impl Future for ReplyFuture {
    type Output = Reply;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Reply> {
        let spin = std::mem::take(&mut self.spin);
        if !spin.is_zero() {
            let start = Instant::now();
            // Yielding, not spinning: on a machine with few CPUs the threads
            // that make the call (a caller thread, the domain's) need one.
            while !self.shared.done.load(Ordering::Acquire) && start.elapsed() < spin {
                std::thread::yield_now();
            }
        }
        let mut slot = self.shared.lock();
        if let Some(reply) = slot.reply.take() {
            return Poll::Ready(reply);
        }
        if slot.closed {
            return Poll::Ready(Err(DomainFailure::Unavailable {
                reason: "the call was dropped before it was answered".into(),
            }));
        }
        match &slot.waker {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => slot.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl Drop for ReplyFuture {
    fn drop(&mut self) {
        self.shared.lock().abandoned = true;
    }
}

impl ReplySender {
    /// Answers the call and wakes the task waiting for it (a reply to an
    /// abandoned call is dropped here).
    pub fn send(mut self, reply: Reply) {
        if let Some(shared) = self.0.take() {
            let waker = {
                let mut slot = shared.lock();
                slot.reply = Some(reply);
                shared.done.store(true, Ordering::Release);
                slot.waker.take()
            };
            if let Some(w) = waker {
                w.wake();
            }
        }
    }

    /// Whether the future was dropped: the call need not be made.
    pub fn is_abandoned(&self) -> bool {
        self.0.as_ref().is_none_or(|s| s.lock().abandoned)
    }
}

impl Drop for ReplySender {
    fn drop(&mut self) {
        if let Some(shared) = self.0.take() {
            let waker = {
                let mut slot = shared.lock();
                slot.closed = true;
                shared.done.store(true, Ordering::Release);
                slot.waker.take()
            };
            if let Some(w) = waker {
                w.wake();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn resolves_once_and_wakes_the_poller() {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        let mut cx = Context::from_waker(&waker);
        let (tx, mut rx) = reply_channel();
        assert!(Pin::new(&mut rx).poll(&mut cx).is_pending());
        assert!(!tx.is_abandoned());
        tx.send(Ok(vec![7]));
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert_eq!(Pin::new(&mut rx).poll(&mut cx), Poll::Ready(Ok(vec![7])));
    }

    #[test]
    fn a_sender_gone_without_answer_fails_the_future_and_a_dropped_future_is_abandoned() {
        let waker = Waker::noop();
        let mut cx = Context::from_waker(waker);
        let (tx, mut rx) = reply_channel();
        drop(tx);
        assert!(matches!(
            Pin::new(&mut rx).poll(&mut cx),
            Poll::Ready(Err(DomainFailure::Unavailable { .. }))
        ));
        let (tx, rx) = reply_channel();
        drop(rx);
        assert!(tx.is_abandoned());
        tx.send(Ok(Vec::new()));
    }

    #[test]
    fn the_first_poll_spins_for_a_quick_reply() {
        let mut cx = Context::from_waker(Waker::noop());
        let (tx, rx) = reply_channel();
        let mut rx = rx.with_spin(Duration::from_secs(5));
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(5));
            tx.send(Ok(vec![1]));
        });
        assert_eq!(Pin::new(&mut rx).poll(&mut cx), Poll::Ready(Ok(vec![1])));
        t.join().unwrap();
        // Without a reply within the bound, the poll is pending.
        let (_tx, rx) = reply_channel();
        let mut rx = rx.with_spin(Duration::from_millis(1));
        assert!(Pin::new(&mut rx).poll(&mut cx).is_pending());
        assert!(Pin::new(&mut rx).poll(&mut cx).is_pending());
    }
}
