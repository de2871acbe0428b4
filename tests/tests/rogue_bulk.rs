//! A domain that attacks the bulk region (the rogue bulk domain,
//! `src/bin/rogue-bulk-domain.rs`, speaking for the vocab description), and
//! what the Isolated client promises against it: a reply that claims more
//! bytes than a segment holds, or bytes written into an input, or that is
//! cut short, is a typed protocol violation; a domain that rewrites the
//! region while the client copies it out, tries to shrink or grow the
//! shared memory, punches holes in it or poisons it gets its own garbage
//! bytes back, and the client never faults or reads outside the region.
//!
//! These attacks exist only for the Isolated linkage (the only one with a
//! domain); the results with honest domains are `tests/bulk.rs`'s, through
//! every linkage.

use std::time::Duration;

use ffi_desc::{DomainFailure, Error};
use ffi_isolate::Domain;
use ffi_tests::harness;
use ffi_tests::harness::check::failure;
use ffi_tests::vocab::vocab::{Vocab, VocabIsolated};

const MIB: usize = 1 << 20;

fn rogue(mode: &str) -> VocabIsolated {
    let mut o = harness::isolated_options("rogue-bulk-domain");
    o.domain = o.domain.clone().arg(mode);
    o.deadline = Duration::from_secs(5);
    Domain::launch(o).expect("start the rogue bulk domain")
}

fn protocol(e: Error) -> String {
    match failure(e) {
        DomainFailure::Protocol { what } => what,
        other => panic!("expected a protocol violation, got {other:?}"),
    }
}

#[test]
fn a_reply_claiming_more_bytes_than_a_segment_holds_is_refused() {
    for mode in ["overclaim", "huge-claim"] {
        let lib = rogue(mode);
        let mut buf = vec![7u8; MIB];
        let what = protocol(lib.fill(&mut buf, 1).unwrap_err());
        assert!(what.contains("exceed its length"), "{mode}: {what}");
        // Nothing was copied into the caller's slice.
        assert!(buf.iter().all(|&b| b == 7), "{mode}");
        let mut buf = vec![7u8; MIB];
        let what = protocol(lib.reverse(&mut buf).unwrap_err());
        assert!(what.contains("exceed its length"), "{mode}: {what}");
    }
}

#[test]
fn a_reply_claiming_writes_into_an_input_is_refused() {
    let lib = rogue("input-written");
    let xs = vec![1i32; MIB / 4];
    let what = protocol(lib.sum(&xs).unwrap_err());
    assert!(what.contains("input segment"), "{what}");
}

#[test]
fn a_truncated_reply_is_refused() {
    let lib = rogue("truncated");
    let mut buf = vec![0u8; MIB];
    let what = protocol(lib.fill(&mut buf, 1).unwrap_err());
    assert!(what.contains("truncated"), "{what}");
}

/// The region changes under every copy: the client returns what it found,
/// bytes the domain wrote, and stays sound.
#[test]
fn a_region_rewritten_while_it_is_copied_out_gives_garbage_not_a_fault() {
    let lib = rogue("scribble");
    let mut changing = 0;
    for round in 0..50 {
        let mut buf = vec![0u8; MIB];
        assert_eq!(lib.fill(&mut buf, 0).unwrap(), MIB, "round {round}");
        // The scribbler writes every byte value: most rounds see some.
        changing += usize::from(buf.iter().any(|&b| b != 0));
        let mut buf = vec![0u8; MIB];
        lib.reverse(&mut buf).unwrap();
        let xs = vec![3i32; MIB / 4];
        assert_eq!(lib.sum(&xs).unwrap(), 0);
    }
    assert!(changing > 0, "the domain's writes reach the caller's slice");
}

/// The default sandbox refuses `ftruncate`: the domain dies, the call
/// fails typed, the next call runs on a new incarnation.
#[test]
fn a_domain_that_tries_to_shrink_the_memory_is_stopped() {
    let lib = rogue("shrink");
    let mut buf = vec![0u8; MIB];
    match failure(lib.fill(&mut buf, 0).unwrap_err()) {
        DomainFailure::SandboxViolation { syscall } => assert_eq!(syscall, "ftruncate"),
        other => panic!("expected the sandbox to refuse ftruncate, got {other:?}"),
    }
    assert!(buf.iter().all(|&b| b == 0));
}

/// With a sandbox that lets it try, the seals refuse the shrink and the
/// growth; a punched hole and the poison are only bytes.
#[test]
fn a_shrunk_grown_or_poisoned_region_gives_the_domains_bytes() {
    let mut o = harness::isolated_options("rogue-bulk-domain");
    o.domain = o.domain.clone().arg("poison");
    o.sandbox
        .extra_syscalls
        .extend([libc::SYS_ftruncate, libc::SYS_fallocate]);
    let lib: VocabIsolated = Domain::launch(o).expect("start the rogue bulk domain");
    for _ in 0..3 {
        let mut buf = vec![0u8; MIB];
        assert_eq!(lib.fill(&mut buf, 0).unwrap(), MIB);
        assert!(buf.iter().all(|&b| b == 0xff), "the poison, as written");
        let mut buf = vec![1u8; 2 * MIB];
        lib.reverse(&mut buf).unwrap();
        assert!(buf.iter().all(|&b| b == 0xff));
    }
}
