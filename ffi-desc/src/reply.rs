//! The reply of an Isolated call as a future (std only): the async form of a
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
//!
//! A transport that can send the request from the task's own thread gives
//! the future an [`InPlaceReply`] instead ([`ReplyFuture::in_place`]): the
//! first poll looks for the reply itself, without blocking, for the same
//! bound, and only then hands the wait to a thread of the transport
//! ([`InPlaceReply::hand_over`]), which answers through a [`ReplySender`]
//! as above. A null call then involves no thread but the task's and the
//! domain's. Dropping such a future before the reply came hands the wait
//! over too, with the future already abandoned: the call ends in the
//! domain and its reply is dropped.

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

/// A call whose request the task's thread has sent, and whose reply it may
/// take without blocking.
pub trait InPlaceReply: Send + Sync {
    /// The reply, if it is there now. Never blocks; `None` also for anything
    /// but a plain reply (a failure, a frame the call did not expect), which
    /// the thread handed the wait deals with.
    fn try_take(&mut self) -> Option<Reply>;

    /// Hands the wait for the reply to a thread that may block: it answers
    /// through `sender` (or drops it, failing the future).
    fn hand_over(self: Box<Self>, sender: ReplySender);
}

/// Who answers a [`ReplyFuture`].
enum Waiting {
    /// The task's thread, until it hands the wait over.
    InPlace(Box<dyn InPlaceReply>),
    /// Whoever holds the [`ReplySender`].
    Sender(Arc<Shared>),
    /// The reply was taken.
    Done,
}

/// The waiting half: resolves to the call's [`Reply`].
#[must_use = "a reply future does nothing unless awaited; dropping it abandons the call"]
pub struct ReplyFuture {
    waiting: Waiting,
    /// How long the first poll may wait for the reply (then spent).
    spin: Duration,
}

/// The answering half, held by whoever runs the call.
pub struct ReplySender(Option<Arc<Shared>>);

/// A connected pair.
pub fn reply_channel() -> (ReplySender, ReplyFuture) {
    let shared = Arc::new(Shared::default());
    let rx = ReplyFuture {
        waiting: Waiting::Sender(shared.clone()),
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

    /// A future whose first poll looks for the reply through `call` itself
    /// (for the [`ReplyFuture::with_spin`] bound) before it hands the wait
    /// over.
    pub fn in_place(call: Box<dyn InPlaceReply>) -> Self {
        ReplyFuture {
            waiting: Waiting::InPlace(call),
            spin: Duration::ZERO,
        }
    }

    /// Lets the first poll wait (yielding) up to `spin` for the reply before it
    /// returns `Pending` (bounded: it never waits for a long call).
    pub fn with_spin(mut self, spin: Duration) -> Self {
        self.spin = spin;
        self
    }

    /// Hands an in-place wait over to the transport's thread; the future
    /// then waits on the sender it was given. The waker is registered
    /// first, so that a reply sent at once wakes the task.
    fn hand_over(&mut self, abandoned: bool, waker: Option<Waker>) {
        let shared = Arc::new(Shared::default());
        {
            let mut slot = shared.lock();
            slot.abandoned = abandoned;
            slot.waker = waker;
        }
        let prior = core::mem::replace(&mut self.waiting, Waiting::Sender(shared.clone()));
        match prior {
            Waiting::InPlace(call) => call.hand_over(ReplySender(Some(shared))),
            other => self.waiting = other,
        }
    }
}

/// Spins briefly, then yields between looks: the domain's thread, which
/// makes the reply, needs a CPU too.
const PURE_SPIN: Duration = Duration::from_micros(2);

/// Looks for the reply through `call` until it comes or `spin` has passed
/// (at least once).
fn take_within(call: &mut dyn InPlaceReply, spin: Duration) -> Option<Reply> {
    let start = Instant::now();
    loop {
        if let Some(reply) = call.try_take() {
            return Some(reply);
        }
        let spun = start.elapsed();
        if spun >= spin {
            return None;
        }
        if spun < PURE_SPIN {
            // A look after every pause: one pause takes up to about 140
            // cycles, and a null call's reply comes within a microsecond.
            for _ in 0..16 {
                std::hint::spin_loop();
                if let Some(reply) = call.try_take() {
                    return Some(reply);
                }
            }
        } else {
            std::thread::yield_now();
        }
    }
}

impl Future for ReplyFuture {
    type Output = Reply;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Reply> {
        let spin = std::mem::take(&mut self.spin);
        if let Waiting::InPlace(call) = &mut self.waiting {
            if let Some(reply) = take_within(&mut **call, spin) {
                self.waiting = Waiting::Done;
                return Poll::Ready(reply);
            }
            // Not there within the bound: a thread that may block waits.
            self.hand_over(false, Some(cx.waker().clone()));
        }
        let shared = match &self.waiting {
            Waiting::Sender(shared) => shared.clone(),
            Waiting::InPlace(_) | Waiting::Done => {
                return Poll::Ready(Err(DomainFailure::Unavailable {
                    reason: "the reply was already taken".into(),
                }))
            }
        };
        if !spin.is_zero() {
            let start = Instant::now();
            // Yielding, not spinning: on a machine with few CPUs the threads
            // that make the call (a caller thread, the domain's) need one.
            while !shared.done.load(Ordering::Acquire) && start.elapsed() < spin {
                std::thread::yield_now();
            }
        }
        let mut slot = shared.lock();
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
        match &self.waiting {
            Waiting::Sender(shared) => shared.lock().abandoned = true,
            // Sent, not answered: the transport's thread still takes the
            // reply off the domain's ring (and drops it).
            Waiting::InPlace(_) => self.hand_over(true, None),
            Waiting::Done => {}
        }
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

    /// A call answered on its `answer_at`th look (never with `None`); its
    /// hand-over parks the sender where the test can reach it.
    struct Scripted {
        looks: Arc<AtomicUsize>,
        answer_at: Option<usize>,
        handed: Arc<Mutex<Option<ReplySender>>>,
    }

    impl InPlaceReply for Scripted {
        fn try_take(&mut self) -> Option<Reply> {
            let n = self.looks.fetch_add(1, Ordering::SeqCst) + 1;
            (Some(n) == self.answer_at).then(|| Ok(vec![n as u8]))
        }
        fn hand_over(self: Box<Self>, sender: ReplySender) {
            *self.handed.lock().unwrap() = Some(sender);
        }
    }

    fn scripted(
        answer_at: Option<usize>,
    ) -> (
        ReplyFuture,
        Arc<AtomicUsize>,
        Arc<Mutex<Option<ReplySender>>>,
    ) {
        let looks = Arc::new(AtomicUsize::new(0));
        let handed = Arc::new(Mutex::new(None));
        let call = Scripted {
            looks: looks.clone(),
            answer_at,
            handed: handed.clone(),
        };
        (ReplyFuture::in_place(Box::new(call)), looks, handed)
    }

    #[test]
    fn an_in_place_reply_is_taken_on_the_first_poll_without_a_hand_over() {
        let mut cx = Context::from_waker(Waker::noop());
        let (rx, looks, handed) = scripted(Some(3));
        let mut rx = rx.with_spin(Duration::from_secs(5));
        assert_eq!(Pin::new(&mut rx).poll(&mut cx), Poll::Ready(Ok(vec![3])));
        assert_eq!(looks.load(Ordering::SeqCst), 3);
        drop(rx);
        assert!(handed.lock().unwrap().is_none(), "nothing handed over");
    }

    #[test]
    fn an_in_place_reply_not_there_in_time_is_handed_over_and_wakes_the_task() {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        let mut cx = Context::from_waker(&waker);
        let (rx, looks, handed) = scripted(None);
        let mut rx = rx.with_spin(Duration::from_millis(1));
        assert!(Pin::new(&mut rx).poll(&mut cx).is_pending());
        assert!(looks.load(Ordering::SeqCst) >= 1, "looked at least once");
        let sender = handed.lock().unwrap().take().expect("handed over");
        assert!(!sender.is_abandoned());
        sender.send(Ok(vec![9]));
        assert_eq!(count.0.load(Ordering::SeqCst), 1, "woken");
        let before = looks.load(Ordering::SeqCst);
        assert_eq!(Pin::new(&mut rx).poll(&mut cx), Poll::Ready(Ok(vec![9])));
        assert_eq!(looks.load(Ordering::SeqCst), before, "no more looks");
    }

    #[test]
    fn a_dropped_in_place_future_hands_the_call_over_abandoned() {
        let (rx, _looks, handed) = scripted(None);
        drop(rx);
        let sender = handed.lock().unwrap().take().expect("handed over");
        assert!(sender.is_abandoned());
        sender.send(Ok(Vec::new()));
        // With a zero bound the first poll looks once, then hands over.
        let mut cx = Context::from_waker(Waker::noop());
        let (mut rx, looks, handed) = scripted(Some(2));
        assert!(Pin::new(&mut rx).poll(&mut cx).is_pending());
        assert_eq!(looks.load(Ordering::SeqCst), 1);
        assert!(handed.lock().unwrap().is_some());
    }
}
