//! A domain that attacks the client through the reply slot (the rogue slot
//! domain, `src/bin/rogue-slot-domain.rs`), and what the client promises
//! against it: a message is taken from the slot once, and judged as a
//! frame would be (a reply for another call is a protocol violation); a
//! head that breaks the slot's rules ends the incarnation as a protocol
//! violation; a slot the domain never answers in ends the call at its
//! deadline; words rewritten at any time give the client errors or the
//! domain's own garbage values, never a fault or a hang.
//!
//! The call slot exists only for the Isolated linkage over a process (the
//! Linked and Loaded linkages have no domain, the loopback no shared memory).

use std::time::{Duration, Instant};

use ffi_desc::DomainFailure;
use ffi_isolate::Domain;
use ffi_tests::harness;
use ffi_tests::harness::check::{failure, protocol, within};
use ffi_tests::vocab::vocab::{Vocab, VocabIsolated};

fn rogue(mode: &str, deadline: Duration) -> VocabIsolated {
    let mut o = harness::isolated_options("rogue-slot-domain");
    o.domain = o.domain.clone().arg(mode);
    o.deadline = deadline;
    Domain::launch(o).expect("start the rogue slot domain")
}

#[test]
fn a_reply_in_the_slot_is_the_call_s_result() {
    let lib = rogue("echo", Duration::from_secs(5));
    for a in [0, 41, -5, i32::MAX - 1] {
        assert_eq!(lib.int1(a).unwrap(), a + 1, "the rogue's answer to {a}");
    }
}

#[test]
fn a_reply_on_the_ring_to_a_call_in_the_slot_is_taken() {
    let lib = rogue("ring", Duration::from_secs(5));
    for a in [3, 4, 5] {
        assert_eq!(lib.int1(a).unwrap(), a + 1);
    }
}

#[test]
fn a_late_reply_in_the_slot_fails_the_next_call() {
    let lib = rogue("late", Duration::from_secs(2));
    assert_eq!(lib.int1(1).unwrap(), 2, "the ring's reply");
    // The 666 written into the slot after that reply is the next message
    // there: the next call takes it, and it is the last call's reply.
    let what = protocol(lib.int1(2).expect_err("a late reply must fail"));
    assert!(what.contains("Reply"), "{what}");
}

#[test]
fn a_reply_head_beyond_the_slot_or_with_a_call_s_tag_is_a_protocol_violation() {
    for mode in ["long", "tag"] {
        let lib = rogue(mode, Duration::from_secs(2));
        let generation = lib.channel().generation();
        let l = lib.clone();
        let (result, took) = within(Duration::from_secs(7), move || {
            let started = Instant::now();
            (l.int1(1), started.elapsed())
        });
        let what = protocol(result.expect_err("a bad slot head must fail the call"));
        assert!(what.to_lowercase().contains("slot"), "{mode}: {what}");
        assert!(took < Duration::from_secs(1), "{mode}: took {took:?}");
        assert!(lib.channel().generation() > generation, "{mode}: it ended");
    }
}

#[test]
fn a_reply_in_the_slot_for_another_call_is_a_protocol_violation() {
    let lib = rogue("other-call", Duration::from_secs(2));
    let l = lib.clone();
    let (result, took) = within(Duration::from_secs(7), move || {
        let started = Instant::now();
        (l.int1(1), started.elapsed())
    });
    let what = protocol(result.expect_err("a reply for another call must fail"));
    assert!(what.contains("Reply"), "{what}");
    assert!(took < Duration::from_secs(1), "took {took:?}");
}

#[test]
fn a_reply_with_the_number_before_the_call_s_leaves_it_to_its_deadline() {
    let deadline = Duration::from_secs(1);
    let lib = rogue("stale", deadline);
    let l = lib.clone();
    let (result, took) = within(deadline + Duration::from_secs(5), move || {
        let started = Instant::now();
        (l.int1(1), started.elapsed())
    });
    match failure(result.expect_err("an answer never given must time out")) {
        DomainFailure::Deadline { .. } => {}
        other => panic!("expected the deadline, got {other:?}"),
    }
    assert!(took >= deadline, "took {took:?}");
}

#[test]
fn a_reply_in_the_slot_and_on_the_ring_fails_a_later_call() {
    let lib = rogue("both", Duration::from_secs(2));
    // Each call takes the copy it sees first. The other, on the ring or in
    // the slot with the next number, is found by a later call (the next,
    // unless that call's own reply in the slot came before the domain had
    // finished writing the copy on the ring) as a reply not its own. Every
    // call before has the domain's answer.
    for a in 0..10 {
        match lib.int1(a) {
            Ok(v) => assert_eq!(v, a + 1, "call {a}: one of the two copies"),
            Err(e) => {
                let what = protocol(e);
                assert!(what.contains("Reply"), "call {a}: {what}");
                assert!(a > 0, "the first call has a copy of its own");
                return;
            }
        }
    }
    panic!("ten calls, each answered twice, and no copy left over was found");
}

#[test]
fn a_slot_scribbled_over_gives_errors_or_garbage_never_a_fault_or_a_hang() {
    let deadline = Duration::from_millis(200);
    let lib = rogue("scribble", deadline);
    let l = lib.clone();
    let outcomes = within(Duration::from_secs(60), move || {
        let mut outcomes = Vec::new();
        for a in 0..20 {
            let started = Instant::now();
            // The domain's answer or its garbage (both values it chose), or
            // a typed failure after which the domain is restarted.
            let outcome = l.int1(a).map_err(failure);
            outcomes.push((outcome, started.elapsed()));
        }
        outcomes
    });
    for (outcome, took) in &outcomes {
        assert!(
            *took < deadline + Duration::from_secs(1),
            "{outcome:?} after {took:?}: the deadline holds"
        );
    }
    let failed = outcomes.iter().filter(|(o, _)| o.is_err()).count();
    println!("scribbled slot: {failed} of 20 calls failed");
}

/// The async form's call: its request goes in the slot, and its poll
/// takes the reply from the slot without blocking.
fn int1_async(lib: &VocabIsolated, a: i32) -> Result<i32, ffi_desc::Error> {
    let asy = lib.to_async();
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime")
        .block_on(async move { asy.int1(a).await })
}

#[test]
fn an_async_call_takes_its_reply_from_the_slot_and_refuses_another_call_s() {
    let lib = rogue("echo", Duration::from_secs(2));
    for a in [5, 6] {
        assert_eq!(int1_async(&lib, a).unwrap(), a + 1, "the rogue's answer");
    }
    let lib = rogue("other-call", Duration::from_secs(2));
    let generation = lib.channel().generation();
    let l = lib.clone();
    let result = within(Duration::from_secs(7), move || int1_async(&l, 1));
    let what = protocol(result.expect_err("a reply for another call must fail"));
    assert!(what.contains("slot") || what.contains("Reply"), "{what}");
    assert!(
        lib.channel().generation() > generation,
        "the incarnation ended"
    );
}
