//! `SharedOut`: buffers C fills in place. Through every linkage, a
//! `SharedOut` passed to an `Out` slice parameter holds what C wrote, and
//! the slices, vectors, arrays and `SharedBuf`s callers passed before still
//! do. For the Isolated process domain: C writes it in the out arena,
//! which the domain maps writable, so a hostile domain can write every
//! `SharedOut` at any time: the caller's other memory stays untouched, the
//! client never faults, a count over the length is a typed error, and a
//! buffer outlives restarts and the domain itself.

use std::time::{Duration, Instant};

use ffi_desc::shared::{SharedBuf, SharedBufError};
use ffi_desc::shared_out::SharedOut;
use ffi_desc::{DomainFailure, Linkage};
use ffi_isolate::{Domain, IsolatedOptions};
use ffi_tests::behaviours;
use ffi_tests::harness;
use ffi_tests::harness::check::{domain, failure};
use ffi_tests::vocab::vocab::*;

const MIB: usize = 1 << 20;

behaviours!(vocab:
    c_fills_a_shared_out,
    a_shared_out_with_a_written_back_length,
    a_shared_out_of_ints_sharing_a_length,
    every_kind_of_out_buffer_is_filled,
    small_and_empty_shared_outs,
    a_liar_about_a_shared_out_is_a_typed_error,
    many_shared_outs_come_and_go,
    c_reverses_a_shared_out_in_place,
    every_kind_of_in_out_buffer_is_reversed,
);

fn out<T: ffi_desc::bulk::Plain, L: Vocab + Linkage>(lib: &L, n: usize) -> SharedOut<T> {
    SharedOut::<T>::new(lib, n).expect("a shared out buffer")
}

fn c_fills_a_shared_out<L: Vocab + Linkage>(lib: &L) {
    let mut buf = out::<u8, _>(lib, MIB);
    assert!(buf.iter().all(|b| b == 0), "a new buffer is zeroed");
    assert_eq!(lib.fill(&mut buf, 0x5a).unwrap(), MIB);
    assert!(buf.iter().all(|b| b == 0x5a));
    assert_eq!(lib.fill(&mut buf, 0xa5).unwrap(), MIB);
    let copy = buf.to_vec();
    assert_eq!(copy.len(), MIB);
    assert!(copy.iter().all(|&b| b == 0xa5));
    let mut part = [0u8; 100];
    assert_eq!(buf.copy_to_slice(&mut part), 100);
    assert_eq!(part, [0xa5; 100]);
    assert_eq!(buf.get(MIB - 1), Some(0xa5));
    assert_eq!(buf.get(MIB), None);
}

fn a_shared_out_with_a_written_back_length<L: Vocab + Linkage>(lib: &L) {
    let src: Vec<u8> = (0..40_000u32).map(|i| (i % 253) as u8).collect();
    let mut dest = out::<u8, _>(lib, 64 << 10);
    let (rc, n) = lib.copy(&mut dest, &src).unwrap();
    assert_eq!((rc, n), (0, src.len()));
    let got = dest.to_vec();
    assert_eq!(&got[..n], &src[..]);
    assert!(got[n..].iter().all(|&b| b == 0), "C wrote only n bytes");
}

fn a_shared_out_of_ints_sharing_a_length<L: Vocab + Linkage>(lib: &L) {
    let n = MIB / 4;
    let a: Vec<i32> = (0..n as i32).collect();
    let b = SharedBuf::<i32>::from_slice(lib, &a).unwrap();
    let mut sum = out::<i32, _>(lib, n);
    lib.add_vec(&a, &b, &mut sum).unwrap();
    assert!(sum.iter().enumerate().all(|(i, v)| v == 2 * i as i32));
    // A shorter output than the inputs is the usual typed error.
    let mut short = out::<i32, _>(lib, n - 1);
    assert!(lib.add_vec(&a, &b, &mut short).is_err());
}

/// Existing callers keep compiling and working: a slice, a `Vec`, an
/// array, a boxed slice, a `SharedBuf`, a `&mut` of a slice, and the
/// standard guards of them.
fn every_kind_of_out_buffer_is_filled<L: Vocab + Linkage>(lib: &L) {
    let mut v = vec![0u8; 100_000];
    assert_eq!(lib.fill(&mut v, 1).unwrap(), v.len());
    assert!(v.iter().all(|&b| b == 1));
    assert_eq!(lib.fill(&mut v[10..20], 2).unwrap(), 10);
    assert_eq!((v[9], v[10], v[19], v[20]), (1, 2, 2, 1));
    let mut a = [0u8; 16];
    assert_eq!(lib.fill(&mut a, 3).unwrap(), 16);
    assert_eq!(a, [3; 16]);
    let mut boxed: Box<[u8]> = vec![0u8; 50_000].into_boxed_slice();
    assert_eq!(lib.fill(&mut boxed, 4).unwrap(), 50_000);
    assert!(boxed.iter().all(|&b| b == 4));
    let mut shared = SharedBuf::<u8>::new(lib, 70_000).unwrap();
    assert_eq!(lib.fill(&mut shared, 5).unwrap(), 70_000);
    assert!(shared.iter().all(|&b| b == 5));
    let mut slice: &mut [u8] = &mut v[..];
    assert_eq!(lib.fill(&mut slice, 6).unwrap(), 100_000);
    assert!(v.iter().all(|&b| b == 6));
    // Behind the standard guards, as a `&mut` reached them before.
    let locked = std::sync::Mutex::new(vec![0u8; 20_000]);
    assert_eq!(lib.fill(&mut locked.lock().unwrap(), 7).unwrap(), 20_000);
    assert!(locked.lock().unwrap().iter().all(|&b| b == 7));
    let rw = std::sync::RwLock::new(out::<u8, _>(lib, 30_000));
    assert_eq!(lib.fill(&mut rw.write().unwrap(), 8).unwrap(), 30_000);
    assert!(rw.read().unwrap().iter().all(|b| b == 8));
    let cell = std::cell::RefCell::new([0u8; 64]);
    assert_eq!(lib.fill(&mut cell.borrow_mut(), 9).unwrap(), 64);
    assert_eq!(*cell.borrow(), [9; 64]);
}

fn small_and_empty_shared_outs<L: Vocab + Linkage>(lib: &L) {
    for n in [0usize, 1, 3, 4095, 4096, 16 << 10, 100_003] {
        let mut buf = out::<u8, _>(lib, n);
        assert_eq!(lib.fill(&mut buf, 0x77).unwrap(), n, "fill of {n}");
        assert_eq!(buf.len(), n);
        assert!(buf.iter().all(|b| b == 0x77), "fill of {n}");
    }
}

/// C that reports more bytes than the buffer holds is refused, whatever
/// the buffer.
fn a_liar_about_a_shared_out_is_a_typed_error<L: Vocab + Linkage>(lib: &L) {
    for n in [16usize, 1 << 20] {
        let mut buf = out::<u8, _>(lib, n);
        assert!(lib.copy_liar(&mut buf).is_err(), "{n} bytes");
        // The buffer is still good for the next call.
        assert_eq!(lib.fill(&mut buf, 9).unwrap(), n);
    }
}

/// Passed to an `InOut` slice parameter, C reads what the caller left in
/// the buffer and writes over it: above and below the bulk threshold.
fn c_reverses_a_shared_out_in_place<L: Vocab + Linkage>(lib: &L) {
    for n in [0usize, 1, 3, 4095, 4096, 100_003, MIB] {
        let original: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
        let mut buf = out::<u8, _>(lib, n);
        assert_eq!(buf.copy_from_slice(&original), n);
        lib.reverse(&mut buf).unwrap();
        let reversed: Vec<u8> = original.iter().rev().copied().collect();
        assert_eq!(buf.to_vec(), reversed, "reverse of {n}");
        lib.reverse(&mut buf).unwrap();
        assert_eq!(buf.to_vec(), original, "reverse of {n}, twice");
    }
}

/// Every buffer an `Out` slice takes, an `InOut` one takes too, with the
/// caller's contents sent and C's written back.
fn every_kind_of_in_out_buffer_is_reversed<L: Vocab + Linkage>(lib: &L) {
    let original: Vec<u8> = (0..70_000u32).map(|i| (i % 253) as u8).collect();
    let reversed: Vec<u8> = original.iter().rev().copied().collect();
    let mut v = original.clone();
    lib.reverse(&mut v).unwrap();
    assert_eq!(v, reversed);
    lib.reverse(&mut v[..3]).unwrap();
    assert_eq!(&v[..3], &[reversed[2], reversed[1], reversed[0]]);
    let mut a = [1u8, 2, 3, 4];
    lib.reverse(&mut a).unwrap();
    assert_eq!(a, [4, 3, 2, 1]);
    let mut boxed: Box<[u8]> = original.clone().into_boxed_slice();
    lib.reverse(&mut boxed).unwrap();
    assert_eq!(&boxed[..], &reversed[..]);
    let mut shared = SharedBuf::<u8>::from_slice(lib, &original).unwrap();
    lib.reverse(&mut shared).unwrap();
    assert_eq!(&shared[..], &reversed[..]);
    let locked = std::sync::Mutex::new(original.clone());
    lib.reverse(&mut locked.lock().unwrap()).unwrap();
    assert_eq!(*locked.lock().unwrap(), reversed);
}

/// Buffers are freed on drop: far more than the out arena holds, in turn.
fn many_shared_outs_come_and_go<L: Vocab + Linkage>(lib: &L) {
    for round in 0..200 {
        let mut a = out::<u8, _>(lib, MIB / 2);
        let mut b = out::<u8, _>(lib, 1000 + round);
        let x = round as u8;
        assert_eq!(lib.fill(&mut a, x).unwrap(), MIB / 2);
        assert_eq!(lib.fill(&mut b, !x).unwrap(), 1000 + round);
        assert!(a.iter().all(|v| v == x), "round {round}");
        assert!(b.iter().all(|v| v == !x), "round {round}");
    }
}

fn isolated(f: impl FnOnce(&mut IsolatedOptions)) -> VocabIsolated {
    let mut o = harness::isolated_options("vocab-domain");
    f(&mut o);
    Domain::launch(o).expect("start the vocab domain")
}

fn rogue(mode: &str) -> VocabIsolated {
    let mut o = harness::isolated_options("rogue-bulk-domain");
    o.domain = o.domain.clone().arg(mode);
    o.deadline = Duration::from_secs(5);
    Domain::launch(o).expect("start the rogue bulk domain")
}

fn protocol(e: ffi_desc::Error) -> String {
    match failure(e) {
        DomainFailure::Protocol { what } => what,
        other => panic!("expected a protocol violation, got {other:?}"),
    }
}

/// Which linkages put a `SharedOut` in an out arena: only a process
/// domain's.
#[test]
fn only_a_process_domain_has_an_out_arena() {
    let n = 1024;
    assert!(!out::<u8, _>(&harness::vocab::linked(), n).is_shared());
    assert!(!out::<u8, _>(&harness::vocab::loaded(), n).is_shared());
    assert!(!out::<u8, _>(&harness::vocab::loopback(), n).is_shared());
    assert!(out::<u8, _>(&harness::vocab::isolated(), n).is_shared());
}

/// C writes the buffer where it lies: a domain that writes the whole out
/// arena, beyond the segment of the call, changes the buffer it was given
/// and every other `SharedOut` of the caller (they only ever hold the
/// domain's bytes), and nothing else of the caller's; the client does not
/// fault and reads what the domain wrote.
#[test]
fn a_domain_writes_only_shared_outs_beyond_its_segment() {
    let lib = rogue("out-beyond");
    let mut target = out::<u8, _>(&lib, MIB / 2);
    let other = out::<i32, _>(&lib, 4096);
    let input = SharedBuf::<u8>::from_slice(&lib, &[7u8; 4096]).unwrap();
    let private = vec![9u8; 4096];
    assert_eq!(lib.fill(&mut target, 1).unwrap(), MIB / 2);
    assert!(target.iter().all(|b| b == 0xee), "C's bytes, in place");
    assert!(other.iter().all(|x| x == i32::from_ne_bytes([0xee; 4])));
    assert!(
        input.iter().all(|&b| b == 7),
        "the read-only arena is untouched"
    );
    assert!(private.iter().all(|&b| b == 9));
    // The domain is still serving: it did nothing the client refuses.
    let mut again = vec![0u8; MIB / 2];
    assert_eq!(lib.fill(&mut again, 2).unwrap(), MIB / 2);
}

/// The same for an `InOut` buffer: C reads and writes it where it lies (the
/// domain's bytes, not a copy of the caller's), and the rest of the
/// caller's memory is untouched.
#[test]
fn a_domain_writes_an_in_out_shared_out_in_place() {
    let lib = rogue("out-beyond");
    let mut target = out::<u8, _>(&lib, MIB / 2);
    assert_eq!(target.copy_from_slice(&vec![1u8; MIB / 2]), MIB / 2);
    let private = vec![9u8; MIB / 2];
    lib.reverse(&mut target).unwrap();
    assert!(target.iter().all(|b| b == 0xee), "C's bytes, in place");
    assert!(private.iter().all(|&b| b == 9));
    // Through the region instead, a slice gets the bytes the region holds,
    // never the out arena's.
    let mut slice = vec![3u8; MIB / 2];
    lib.reverse(&mut slice).unwrap();
    assert!(slice.iter().all(|&b| b != 0xee));
}

/// A count over the buffer's length, or a huge one, is a protocol
/// violation: a typed error, and the buffer is still usable afterwards.
#[test]
fn a_count_over_the_length_is_refused() {
    for mode in ["overclaim", "huge-claim"] {
        let lib = rogue(mode);
        let mut buf = out::<u8, _>(&lib, MIB / 2);
        let what = protocol(lib.fill(&mut buf, 1).unwrap_err());
        assert!(what.contains("exceed"), "{mode}: {what}");
        let what = protocol(lib.reverse(&mut buf).unwrap_err());
        assert!(what.contains("exceed"), "{mode}, in-out: {what}");
        assert_eq!(buf.len(), MIB / 2);
        let _ = buf.to_vec();
    }
}

/// The contents are the domain's writes even after the reply: a domain
/// that keeps rewriting the out arena changes what the caller reads
/// between two reads, and no read faults or reads outside the buffer.
#[test]
fn a_domain_that_keeps_writing_after_the_reply() {
    let lib = rogue("out-scribble");
    let mut buf = out::<u8, _>(&lib, MIB / 4);
    assert_eq!(lib.fill(&mut buf, 1).unwrap(), MIB / 4);
    let first = buf.get(0).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut changed = false;
    let mut copy = vec![0u8; MIB / 4];
    while Instant::now() < deadline && !changed {
        assert_eq!(buf.copy_to_slice(&mut copy), MIB / 4);
        assert_eq!(buf.to_vec().len(), MIB / 4);
        assert_eq!(buf.iter().count(), MIB / 4);
        changed = buf.get(0) != Some(first);
    }
    assert!(
        changed,
        "the domain's later writes are what the buffer holds"
    );
    assert_eq!(buf.get(MIB / 4), None);
}

/// A buffer kept across a SIGKILL, a restart and a spare's takeover is
/// filled by every new incarnation, which maps the same out arena.
#[test]
fn a_shared_out_survives_restarts() {
    for spare in [false, true] {
        let lib = isolated(|o| o.spare = spare);
        let d = domain(lib.channel());
        let mut buf = out::<u8, _>(&lib, MIB / 4);
        assert_eq!(lib.fill(&mut buf, 3).unwrap(), MIB / 4);
        let pid = d.pid().expect("a running domain");
        // SAFETY: a signal to the domain process this test started.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match lib.fill(&mut buf, 4) {
                Ok(n) => {
                    assert_eq!(n, MIB / 4);
                    break;
                }
                Err(_) if Instant::now() < deadline => {}
                Err(e) => panic!("no new incarnation: {e:?}"),
            }
        }
        assert!(buf.iter().all(|b| b == 4));
        assert_ne!(d.pid(), Some(pid));
        d.restart().unwrap();
        assert_eq!(lib.fill(&mut buf, 5).unwrap(), MIB / 4, "spare {spare}");
        assert!(buf.iter().all(|b| b == 5));
    }
}

/// A buffer of one domain's out arena passed to another domain, or over a
/// channel that passes no segments, is filled through the copy path, with
/// the same result.
#[test]
fn a_shared_out_elsewhere_is_copied_into() {
    let a = isolated(|_| ());
    let b = isolated(|_| ());
    let c = isolated(|o| o.bulk_region = 0);
    let mut buf = out::<u8, _>(&a, MIB / 2);
    assert_eq!(b.fill(&mut buf, 6).unwrap(), MIB / 2);
    assert!(buf.iter().all(|x| x == 6));
    assert_eq!(c.fill(&mut buf, 7).unwrap(), MIB / 2);
    assert!(buf.iter().all(|x| x == 7));
    let mut small = out::<u8, _>(&a, 10);
    assert_eq!(b.fill(&mut small, 8).unwrap(), 10);
    assert!(small.iter().all(|x| x == 8));
    // In and out: its contents sent by volatile reads, C's written back.
    let original: Vec<u8> = (0..MIB / 2).map(|i| (i % 241) as u8).collect();
    let reversed: Vec<u8> = original.iter().rev().copied().collect();
    for lib in [&b, &c] {
        assert_eq!(buf.copy_from_slice(&original), MIB / 2);
        lib.reverse(&mut buf).unwrap();
        assert_eq!(buf.to_vec(), reversed);
    }
    assert_eq!(a.fill(&mut buf, 9).unwrap(), MIB / 2);
    assert!(buf.iter().all(|x| x == 9));
}

/// The out arena outlives the linkage while a buffer of it lives.
#[test]
fn a_shared_out_outlives_its_domain() {
    let lib = isolated(|_| ());
    let mut buf = out::<u8, _>(&lib, 4096);
    assert_eq!(lib.fill(&mut buf, 1).unwrap(), 4096);
    drop(lib);
    assert!(buf.set(7, 70));
    assert_eq!(buf.get(7), Some(70));
    assert_eq!(buf.get(8), Some(1));
}

#[test]
fn a_full_or_absent_out_arena_is_a_typed_error() {
    let lib = isolated(|o| o.out_arena = MIB);
    let a = out::<u8, _>(&lib, MIB);
    assert!(matches!(
        SharedOut::<u8>::new(&lib, 1),
        Err(SharedBufError::Full { capacity, .. }) if capacity == MIB
    ));
    assert_eq!(
        SharedOut::<u64>::new(&lib, usize::MAX / 4).unwrap_err(),
        SharedBufError::TooLarge
    );
    drop(a);
    let _b = out::<u8, _>(&lib, MIB);
    let lib = isolated(|o| o.out_arena = 0);
    assert_eq!(
        SharedOut::<u8>::new(&lib, 16).unwrap_err(),
        SharedBufError::NoArena
    );
    // Without it, the read-only arena still works, and so do slices.
    let xs = SharedBuf::<i32>::from_slice(&lib, &[1, 2, 3]).unwrap();
    assert_eq!(lib.sum(&xs).unwrap(), 6);
    let mut v = vec![0u8; MIB];
    assert_eq!(lib.fill(&mut v, 1).unwrap(), MIB);
}

/// The out arena's size is the client's, bounded and in pages.
#[test]
fn the_out_arena_size_is_bounded_by_policy() {
    let mut o = harness::isolated_options("vocab-domain");
    o.out_arena = 1;
    assert_eq!(o.out_arena_len(), 4096);
    o.out_arena = usize::MAX;
    assert_eq!(o.out_arena_len(), ffi_isolate::arena::MAX_ARENA_LEN);
    o.out_arena = 0;
    assert_eq!(o.out_arena_len(), 0);
}
