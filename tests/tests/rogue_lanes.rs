//! A domain that abuses its lanes (`src/bin/rogue-lanes-domain.rs`): a reply
//! on the wrong lane, a reply on a lane that has no call, a lane flooded
//! with replies, a domain serving fewer lanes than it was given. Each ends
//! in a typed failure within the deadline, for every call in flight, and
//! never in a wrong answer or a hang.

use std::time::{Duration, Instant};

use ffi_desc::{DomainFailure, Error};
use ffi_isolate::{Domain, IsolatedOptions};
use ffi_tests::harness::domain_executable;
use ffi_tests::threads::parallel::{Parallel, ParallelIsolated};

const DEADLINE: Duration = Duration::from_millis(800);

fn rogue(mode: &str) -> ParallelIsolated {
    let mut o = IsolatedOptions::new(domain_executable("rogue-lanes-domain"));
    o.domain = o.domain.clone().arg(mode);
    o.deadline = DEADLINE;
    Domain::launch(o).expect("start the rogue domain")
}

fn failure(r: Result<i32, Error>) -> DomainFailure {
    match r {
        Err(Error::Domain { failure, .. }) => failure,
        other => panic!("expected a domain failure, got {other:?}"),
    }
}

/// Thread A calls (lane 0, answered 200 ms late); 50 ms later thread B
/// calls, on another lane. Returns both results and how long B took.
fn a_then_b(lib: &ParallelIsolated) -> (Result<i32, Error>, Result<i32, Error>, Duration) {
    std::thread::scope(|s| {
        let a = s.spawn(|| lib.ok(1));
        std::thread::sleep(Duration::from_millis(50));
        let t = Instant::now();
        let b = lib.ok(2);
        let took = t.elapsed();
        (a.join().unwrap(), b, took)
    })
}

#[test]
fn a_reply_on_a_lane_without_a_call_is_a_protocol_violation() {
    let lib = rogue("reply-idle");
    let (a, b, took) = a_then_b(&lib);
    let b = failure(b);
    assert!(
        matches!(&b, DomainFailure::Protocol { what } if what.contains("Reply")),
        "{b:?}"
    );
    assert!(
        took < DEADLINE,
        "found at once, not at the deadline: {took:?}"
    );
    // A's call ran on the incarnation that broke the protocol: it fails
    // too, with the same failure, once.
    assert_eq!(failure(a), b);
}

#[test]
fn a_flooded_lane_is_a_protocol_violation_at_its_first_frame() {
    let lib = rogue("flood-idle");
    let (a, b, took) = a_then_b(&lib);
    let b = failure(b);
    assert!(matches!(b, DomainFailure::Protocol { .. }), "{b:?}");
    assert!(took < DEADLINE, "{took:?}");
    assert_eq!(failure(a), b);
}

#[test]
fn a_lane_the_domain_does_not_serve_ends_at_the_deadline() {
    let lib = rogue("one-lane");
    let (a, b, took) = a_then_b(&lib);
    assert_eq!(a.unwrap(), 2, "lane 0 is served");
    assert_eq!(failure(b), DomainFailure::Deadline { deadline: DEADLINE });
    assert!(took < DEADLINE * 3, "{took:?}");
}

#[test]
fn replies_on_the_wrong_lane_never_answer_a_call() {
    let lib = rogue("wrong-lane");
    let results: Vec<Result<i32, Error>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..2)
            .map(|t| {
                let lib = &lib;
                s.spawn(move || {
                    let t0 = Instant::now();
                    let r = lib.ok(10 + t);
                    assert!(t0.elapsed() < DEADLINE * 3, "{:?}", t0.elapsed());
                    r
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for r in results {
        // A reply that reached another lane's call is a violation; one that
        // reached an idle lane leaves its call to the deadline.
        let f = failure(r);
        assert!(
            matches!(
                f,
                DomainFailure::Protocol { .. } | DomainFailure::Deadline { .. }
            ),
            "{f:?}"
        );
    }
}

/// The same attacks on async calls sent by the task's own thread: a reply
/// that is not its own is never taken in place, and the call fails typed
/// within the deadline, on the thread it was handed to.
#[test]
fn async_calls_sent_in_place_take_no_reply_but_their_own() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime");
    for mode in ["wrong-lane", "reply-idle", "flood-idle"] {
        let lib = rogue(mode);
        let asy = lib.to_async();
        let t0 = Instant::now();
        // Two at once, so that one goes to a lane other than 0.
        let (a, b) = rt.block_on(async { tokio::join!(asy.ok(1), asy.ok(2)) });
        let took = t0.elapsed();
        assert!(took < DEADLINE * 3, "{mode}: {took:?}");
        for r in [a, b] {
            match r {
                // Lane 0's call is answered, late, in the last two modes.
                Ok(v) => assert!(mode != "wrong-lane" && v == 2, "{mode}: {v}"),
                Err(e) => {
                    let f = failure(Err(e));
                    assert!(
                        matches!(
                            f,
                            DomainFailure::Protocol { .. } | DomainFailure::Deadline { .. }
                        ),
                        "{mode}: {f:?}"
                    );
                }
            }
        }
    }
}
