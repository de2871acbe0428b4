//! A domain that attacks the client at the level of frames (the rogue
//! domain, `src/bin/rogue-domain.rs`, speaking for the vocab description)
//! or of the event page (the hostile library's futex storm), and the
//! promises the Isolated client keeps against it:
//!
//! - every wait and every receive loop ends at the deadline, at `cancel`,
//!   or at the domain's death, whatever the domain sends;
//! - a frame the client did not ask for (a callback id it never issued, a
//!   callback or a reply for another call) is a protocol violation that ends
//!   the incarnation, not something answered and looped over;
//! - callbacks nest only as deep as `IsolatedOptions::max_nesting`, and a
//!   call beyond it fails typed while the client lives;
//! - a waiter does not spin on wake-ups that bring no data;
//! - a stored callback is refused by every incarnation but the one that
//!   keeps it, and once its slot was replaced or cleared.
//!
//! These attacks exist only for the Isolated linkage: the Linked and Loaded
//! linkages have no frames, no ring, no domain and no incarnations (the C
//! library runs in the caller's process and can do anything there). Only
//! nesting itself exists everywhere; `nested_callbacks_eight_deep` runs
//! through every linkage.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ffi_desc::isolated::{CallbackDispatch, Channel, IsolatedLinkage};
use ffi_desc::{DomainFailure, Error};
use ffi_isolate::{Domain, IsolatedOptions};
use ffi_tests::harness;
use ffi_tests::harness::check::{failure, protocol, within};
use ffi_tests::hostile::hostile::{Hostile, HostileIsolated};
use ffi_tests::vocab::vocab::{Vocab, VocabIsolated};

/// Options for the rogue domain in `mode`, with a call deadline.
fn rogue_options(mode: &str, deadline: Duration) -> IsolatedOptions {
    let mut o = harness::isolated_options("rogue-domain");
    o.domain = o.domain.clone().arg(mode);
    o.deadline = deadline;
    o
}

fn rogue(mode: &str, deadline: Duration) -> VocabIsolated {
    Domain::launch(rogue_options(mode, deadline)).expect("start the rogue domain")
}

fn domain(lib: &VocabIsolated) -> &Domain {
    harness::check::domain(lib.channel())
}

// ---------------------------------------------------------------------------
// Frames the client did not ask for.

#[test]
fn a_callback_flood_with_ids_never_issued_is_a_protocol_violation() {
    let deadline = Duration::from_secs(2);
    for mode in [
        "flood-unknown-id",
        "flood-unknown-stored",
        "flood-other-call",
    ] {
        let lib = rogue(mode, deadline);
        let generation = lib.channel().generation();
        let pid = domain(&lib).pid();
        let calls = Arc::new(AtomicU32::new(0));
        let (l, c) = (lib.clone(), calls.clone());
        let (result, took) = within(deadline + Duration::from_secs(5), move || {
            let started = Instant::now();
            let r = l.each(&[1, 2, 3], &mut |v| {
                c.fetch_add(1, Ordering::SeqCst);
                v
            });
            (r, started.elapsed())
        });
        let what = protocol(result.expect_err("a flood of foreign callbacks must fail"));
        println!("{mode}: {what} after {took:?}");
        // At the first such frame, not at the deadline.
        assert!(took < Duration::from_secs(1), "{mode}: took {took:?}");
        assert_eq!(calls.load(Ordering::SeqCst), 0, "{mode}: no callback ran");
        assert!(
            lib.channel().generation() > generation,
            "{mode}: the incarnation ended"
        );
        assert_ne!(domain(&lib).pid(), pid, "{mode}: the domain was killed");
    }
}

#[test]
fn a_reply_to_another_call_is_a_protocol_violation() {
    let lib = rogue("reply-other", Duration::from_secs(2));
    let generation = lib.channel().generation();
    let l = lib.clone();
    let (result, took) = within(Duration::from_secs(7), move || {
        let started = Instant::now();
        (l.add_i32(1, 2), started.elapsed())
    });
    let what = protocol(result.expect_err("a reply to no call must fail"));
    assert!(what.contains("Reply"), "{what}");
    assert!(took < Duration::from_secs(1), "took {took:?}");
    assert!(lib.channel().generation() > generation);
}

// ---------------------------------------------------------------------------
// An endless flood of valid callbacks: deadline, cancel, other callers.

#[test]
fn an_endless_flood_of_valid_callbacks_ends_at_the_deadline() {
    let deadline = Duration::from_secs(1);
    let lib = rogue("flood-valid", deadline);
    let calls = Arc::new(AtomicU32::new(0));
    let (l, c) = (lib.clone(), calls.clone());
    let caller = std::thread::spawn(move || {
        let started = Instant::now();
        let r = l.each(&[1], &mut |v| {
            c.fetch_add(1, Ordering::SeqCst);
            v
        });
        (r, started.elapsed())
    });
    // Another caller (here: a restart) waits for the flooded call's turn; it
    // must get it once that call ends, not never.
    std::thread::sleep(Duration::from_millis(100));
    let l = lib.clone();
    let restarted = within(deadline + Duration::from_secs(5), move || {
        let asked = Instant::now();
        domain(&l).restart().map(|()| asked.elapsed())
    });
    let (result, took) = caller.join().unwrap();
    assert_eq!(
        failure(result.unwrap_err()),
        DomainFailure::Deadline { deadline }
    );
    println!(
        "{} callbacks answered in {took:?}",
        calls.load(Ordering::SeqCst)
    );
    assert!(
        calls.load(Ordering::SeqCst) > 10,
        "the flood reached the callback"
    );
    assert!(
        took >= deadline && took < deadline + Duration::from_millis(500),
        "took {took:?}"
    );
    let waited = restarted.expect("the restart succeeds");
    assert!(
        waited < deadline + Duration::from_millis(500),
        "the restart waited {waited:?}"
    );
}

#[test]
fn cancel_ends_an_endless_flood_of_valid_callbacks() {
    // A deadline far away: only the cancel can end the call.
    let lib = rogue("flood-valid", Duration::from_secs(30));
    let l = lib.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        domain(&l).cancel();
        Instant::now()
    });
    let l = lib.clone();
    let (result, ended) = within(Duration::from_secs(10), move || {
        let r = l.each(&[1], &mut |v| v);
        (r, Instant::now())
    });
    let cancelled_at = canceller.join().unwrap();
    let lag = ended.saturating_duration_since(cancelled_at);
    assert_eq!(failure(result.unwrap_err()), DomainFailure::Cancelled);
    assert!(
        lag < Duration::from_millis(500),
        "ended {lag:?} after the cancel"
    );
}

// ---------------------------------------------------------------------------
// Nesting.

/// Calls `each` at `depth` and, from inside its callback, again one level
/// deeper, down to `levels`; records in `reached` the deepest level whose
/// callback ran, and in `refused` the depth and error of every nested call
/// that failed.
fn nest<L: Vocab>(
    lib: &L,
    depth: u32,
    levels: u32,
    reached: &AtomicU32,
    refused: &Mutex<Vec<(u32, Error)>>,
) -> Result<i32, Error> {
    lib.each(&[1], &mut |v| {
        // The call at `depth` was made: its callback runs.
        reached.fetch_max(depth, Ordering::SeqCst);
        if depth >= levels {
            return v;
        }
        match nest(lib, depth + 1, levels, reached, refused) {
            Ok(r) => r + v,
            Err(e) => {
                refused.lock().unwrap().push((depth + 1, e));
                -1
            }
        }
    })
}

/// Nested callbacks eight deep work through every linkage.
fn nested_callbacks_eight_deep<L: Vocab>(lib: &L) {
    let reached = AtomicU32::new(0);
    let refused = Mutex::new(Vec::new());
    // Each level adds its element (1) to the sum of the level below.
    assert_eq!(nest(lib, 1, 8, &reached, &refused).unwrap(), 8);
    assert_eq!(reached.load(Ordering::SeqCst), 8);
    assert!(refused.lock().unwrap().is_empty());
}

ffi_tests::behaviours!(vocab: nested_callbacks_eight_deep);

/// A domain that answers every nested call with another callback: the call
/// one level beyond `max_nesting` fails typed, the ones above it complete,
/// and the domain serves the next call, before and after a restart.
fn bounded_nesting(lib: &VocabIsolated, max_nesting: u32) {
    let reached = AtomicU32::new(0);
    let refused = Mutex::new(Vec::new());
    // The rogue answers each callback's call with another callback, without
    // end: only the bound stops the recursion.
    let sum = nest(lib, 1, u32::MAX, &reached, &refused).expect("the outer call completes");
    let refused = refused.into_inner().unwrap();
    assert_eq!(refused.len(), 1, "{refused:?}");
    let (depth, e) = &refused[0];
    assert_eq!(*depth, max_nesting + 1);
    assert_eq!(
        failure(e.clone()),
        DomainFailure::NestingTooDeep {
            max_depth: max_nesting
        }
    );
    assert_eq!(
        e.to_string(),
        format!("each: callbacks nested deeper than {max_nesting} calls")
    );
    assert_eq!(reached.load(Ordering::SeqCst), max_nesting);
    // The deepest callback returned -1, each level above added its 7.
    assert_eq!(sum, -1 + 7 * (max_nesting as i32 - 1));
    assert_eq!(domain(lib).restarts(), 0, "the domain was not harmed");
    assert_eq!(lib.each(&[5], &mut |v| v).unwrap(), 7);
    domain(lib).restart().unwrap();
    assert_eq!(lib.each(&[5], &mut |v| v).unwrap(), 7);
}

#[test]
fn nesting_beyond_the_configured_bound_fails_typed() {
    let mut o = rogue_options("nest", Duration::from_secs(20));
    o.max_nesting = 16;
    let lib: VocabIsolated = Domain::launch(o).unwrap();
    bounded_nesting(&lib, 16);
}

#[test]
fn nesting_beyond_the_default_bound_fails_typed_on_a_2_mib_stack() {
    let lib = rogue("nest", Duration::from_secs(20));
    assert_eq!(
        domain(&lib).options().max_nesting,
        IsolatedOptions::DEFAULT_MAX_NESTING
    );
    // Before the bound, the recursion overflowed a thread's stack at a
    // depth of about 500, and the process aborted.
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || bounded_nesting(&lib, IsolatedOptions::DEFAULT_MAX_NESTING))
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn the_real_domain_nests_up_to_the_bound() {
    // The vocab domain itself: C calls back, the callback calls in again.
    let mut o = harness::isolated_options("vocab-domain");
    o.max_nesting = 4;
    let lib: VocabIsolated = Domain::launch(o).unwrap();
    let reached = AtomicU32::new(0);
    let refused = Mutex::new(Vec::new());
    // Levels 1..=4 run; the call at 5 is refused and its callback returns -1.
    assert_eq!(nest(&lib, 1, 5, &reached, &refused).unwrap(), -1 + 3);
    let refused = refused.into_inner().unwrap();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].0, 5);
    assert_eq!(
        failure(refused[0].1.clone()),
        DomainFailure::NestingTooDeep { max_depth: 4 }
    );
    assert_eq!(lib.each(&[1, 2], &mut |v| v * 10).unwrap(), 30);
    assert_eq!(domain(&lib).restarts(), 0);
}

// ---------------------------------------------------------------------------
// Wake-ups that bring no data.

/// CPU time the calling thread has used.
fn thread_cpu() -> Duration {
    // SAFETY: getrusage fills the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to a rusage.
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut u) }, 0);
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    tv(u.ru_utime) + tv(u.ru_stime)
}

#[test]
fn a_futex_storm_does_not_make_the_waiting_client_spin() {
    let lib: HostileIsolated = harness::hostile::isolated();
    // A thread in the domain bumps and wakes the client's futex word for
    // 1.5 s without writing a byte into the ring, while the next call sleeps
    // for 1 s in C.
    assert_eq!(lib.futex_storm(1500).unwrap(), 0);
    let cpu0 = thread_cpu();
    let started = Instant::now();
    assert_eq!(lib.sleep_ms(1000).unwrap(), 1000);
    let (wall, cpu) = (started.elapsed(), thread_cpu() - cpu0);
    println!("the waiting client used {cpu:?} of CPU in {wall:?}");
    // Before the fix the waiter re-parked at once on every bump: ~90 %.
    assert!(
        cpu.as_secs_f64() < 0.3 * wall.as_secs_f64(),
        "the client used {cpu:?} of CPU in {wall:?}"
    );
    assert_eq!(lib.ok(1).unwrap(), 2);
}

// ---------------------------------------------------------------------------
// Stored callbacks.

/// The requests a [`Spy`] saw: function index and encoded request.
type Requests = Arc<Mutex<Vec<(u32, Vec<u8>)>>>;

/// A channel that records every request before passing it on, so a test
/// sees the stored-callback ids the client sends.
struct Spy {
    inner: Box<dyn Channel>,
    requests: Requests,
}

impl Channel for Spy {
    fn call(
        &self,
        function: u32,
        request: &[u8],
        reply: &mut Vec<u8>,
        callbacks: &mut CallbackDispatch<'_>,
    ) -> Result<(), DomainFailure> {
        self.requests
            .lock()
            .unwrap()
            .push((function, request.to_vec()));
        self.inner.call(function, request, reply, callbacks)
    }

    fn generation(&self) -> u32 {
        self.inner.generation()
    }

    fn violation(&self, generation: u32, what: &str) {
        self.inner.violation(generation, what)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self.inner.as_any()
    }
}

/// The rogue in `stored` mode: `log(level, ..)` invokes callback id `level`.
struct StoredRogue {
    lib: VocabIsolated,
    requests: Requests,
}

impl StoredRogue {
    fn start() -> Self {
        let o = rogue_options("stored", Duration::from_secs(5));
        let d = Domain::start(o, VocabIsolated::FINGERPRINT).unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let spy = Spy {
            inner: Box::new(d),
            requests: requests.clone(),
        };
        StoredRogue {
            lib: VocabIsolated::with_channel(Box::new(spy)),
            requests,
        }
    }

    /// Registers a logger counting its calls; returns the id it was sent as.
    fn set_logger(&self, count: &Arc<AtomicU32>) -> u32 {
        let c = count.clone();
        self.lib
            .set_logger(move |_, msg| {
                assert_eq!(msg.to_str().unwrap(), "from the rogue");
                c.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap();
        let index = ffi_tests::vocab::vocab::description()
            .functions
            .iter()
            .position(|f| f.name == "set_logger")
            .unwrap() as u32;
        let requests = self.requests.lock().unwrap();
        let (_, request) = requests.iter().rev().find(|(f, _)| *f == index).unwrap();
        let id = u32::from_le_bytes(request[..4].try_into().unwrap());
        assert_ne!(id & ffi_desc::isolated::STORED_CALLBACK, 0);
        id
    }

    /// Has the rogue invoke callback `id`.
    fn invoke(&self, id: u32) -> Result<i32, Error> {
        self.lib.log(id as i32, "ignored")
    }

    fn domain(&self) -> &Domain {
        harness::check::domain(self.lib.channel())
    }
}

#[test]
fn a_stored_callback_of_an_earlier_incarnation_is_refused() {
    let rogue = StoredRogue::start();
    let count = Arc::new(AtomicU32::new(0));
    let id = rogue.set_logger(&count);
    assert_eq!(rogue.invoke(id).unwrap(), 1, "live in its incarnation");
    assert_eq!(count.load(Ordering::SeqCst), 1);

    rogue.domain().restart().unwrap();
    // The new incarnation never received the id; a rogue one guesses it.
    let what = protocol(rogue.invoke(id).unwrap_err());
    assert!(what.contains("unknown stored callback id"), "{what}");
    assert_eq!(count.load(Ordering::SeqCst), 1, "the callback did not run");
    // Its owner ended: the closure was dropped, not kept for ever.
    assert_eq!(Arc::strong_count(&count), 1);

    // A callback registered in the new incarnation is live there.
    let fresh = Arc::new(AtomicU32::new(0));
    let id2 = rogue.set_logger(&fresh);
    assert_eq!(rogue.invoke(id2).unwrap(), 1);
    assert_eq!(fresh.load(Ordering::SeqCst), 1);
}

#[test]
fn replaced_and_cleared_stored_callbacks_are_refused() {
    let rogue = StoredRogue::start();
    let (first, second) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
    let id1 = rogue.set_logger(&first);
    assert_eq!(rogue.invoke(id1).unwrap(), 1);
    // `set_logger` keeps its callback in the slot `logger`: a second one
    // replaces the first, whose id is refused from then on.
    let id2 = rogue.set_logger(&second);
    assert_ne!(id1, id2);
    assert_eq!(
        Arc::strong_count(&first),
        1,
        "the replaced closure is dropped"
    );
    let generation = rogue.lib.channel().generation();
    protocol(rogue.invoke(id1).unwrap_err());
    assert_eq!(first.load(Ordering::SeqCst), 1);
    assert!(rogue.lib.channel().generation() > generation);

    // In the next incarnation: a fresh logger, live until it is cleared.
    let third = Arc::new(AtomicU32::new(0));
    let id3 = rogue.set_logger(&third);
    assert_eq!(rogue.invoke(id3).unwrap(), 1);
    rogue.lib.clear_logger().unwrap();
    assert_eq!(
        Arc::strong_count(&third),
        1,
        "the cleared closure is dropped"
    );
    protocol(rogue.invoke(id3).unwrap_err());
    assert_eq!(third.load(Ordering::SeqCst), 1);
    assert_eq!(second.load(Ordering::SeqCst), 0);
}
