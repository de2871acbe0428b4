//! `SharedBuf`: buffers allocated where the linkage shares memory with its
//! domain. Through every linkage, a `SharedBuf` passed to `In`, `Out` and
//! `InOut` parameters gives what a `Vec` gives. For the Isolated process
//! domain: an `In` one reaches C in place (the domain reads it from its own
//! mapping of the arena), it outlives a killed domain and the domain itself,
//! a full or absent arena is a typed error, and a domain that tries to write
//! the arena fails without touching the caller's bytes.

use std::time::Duration;

use ffi_desc::shared::{SharedBuf, SharedBufError};
use ffi_desc::Linkage;
use ffi_isolate::{Domain, IsolatedOptions};
use ffi_tests::behaviours;
use ffi_tests::harness;
use ffi_tests::harness::check::{domain, signaled};
use ffi_tests::vocab::vocab::*;

const MIB: usize = 1 << 20;

behaviours!(vocab:
    a_shared_input,
    shared_inputs_sharing_a_length,
    a_shared_buffer_as_output_and_in_out,
    small_and_empty_shared_buffers,
    many_shared_buffers_come_and_go,
);

fn ints<L: Vocab + Linkage>(lib: &L, n: usize, f: impl Fn(usize) -> i32) -> SharedBuf<i32> {
    let mut b = SharedBuf::<i32>::new(lib, n).expect("a shared buffer");
    for (i, x) in b.iter_mut().enumerate() {
        *x = f(i);
    }
    b
}

fn total(xs: &[i32]) -> i64 {
    xs.iter().map(|&x| i64::from(x)).sum()
}

fn a_shared_input<L: Vocab + Linkage>(lib: &L) {
    let mut xs = ints(lib, MIB / 4, |i| (i % 1000) as i32 - 300);
    assert_eq!(lib.sum(&xs).unwrap(), total(&xs));
    // Rewritten between calls: the next call reads the new values.
    for x in xs.iter_mut() {
        *x *= 3;
    }
    assert_eq!(lib.sum(&xs).unwrap(), total(&xs));
    // A part of it is a slice in the arena too.
    assert_eq!(
        lib.sum(&xs[4096..70_000]).unwrap(),
        total(&xs[4096..70_000])
    );
}

fn shared_inputs_sharing_a_length<L: Vocab + Linkage>(lib: &L) {
    let n = MIB / 4;
    let a = ints(lib, n, |i| i as i32);
    let b: Vec<i32> = (0..n as i32).map(|i| 7 - i * 3).collect();
    let mut out = vec![0i32; n];
    lib.add_vec(&a, &b, &mut out).unwrap();
    assert!(out.iter().enumerate().all(|(i, &v)| v == 7 - 2 * i as i32));
    // Both inputs shared, and the same buffer twice.
    let mut out = SharedBuf::<i32>::new(lib, n).unwrap();
    lib.add_vec(&a, &a, &mut out).unwrap();
    assert!(out.iter().enumerate().all(|(i, &v)| v == 2 * i as i32));
}

/// As an `Out` or `InOut` parameter it is a plain `&mut [T]`: C's writes
/// are copied into it.
fn a_shared_buffer_as_output_and_in_out<L: Vocab + Linkage>(lib: &L) {
    let mut buf = SharedBuf::<u8>::new(lib, MIB).unwrap();
    assert!(buf.iter().all(|&b| b == 0), "a new buffer is zeroed");
    assert_eq!(lib.fill(&mut buf, 0x5a).unwrap(), MIB);
    assert!(buf.iter().all(|&b| b == 0x5a));
    for (i, b) in buf.iter_mut().enumerate() {
        *b = (i % 251) as u8;
    }
    let original: Vec<u8> = buf.to_vec();
    lib.reverse(&mut buf).unwrap();
    assert!(buf.iter().eq(original.iter().rev()));
    // And then as an input again.
    let xs = SharedBuf::<i32>::from_slice(lib, &[1, 2, 3, 4]).unwrap();
    assert_eq!(lib.sum(&xs).unwrap(), 10);
}

fn small_and_empty_shared_buffers<L: Vocab + Linkage>(lib: &L) {
    for n in [0usize, 1, 3, 4095, 4096, 16 << 10, 100_003] {
        let xs = ints(lib, n, |i| i as i32 - 50);
        assert_eq!(xs.len(), n);
        assert_eq!(lib.sum(&xs).unwrap(), total(&xs), "sum of {n}");
    }
}

/// Buffers are freed on drop: allocating far more than the arena holds in
/// turn never runs out.
fn many_shared_buffers_come_and_go<L: Vocab + Linkage>(lib: &L) {
    for round in 0..200 {
        let xs = ints(lib, MIB / 4, |i| (i ^ round) as i32);
        let ys = ints(lib, 1000 + round, |i| i as i32);
        assert_eq!(lib.sum(&xs).unwrap(), total(&xs), "round {round}");
        assert_eq!(lib.sum(&ys).unwrap(), total(&ys), "round {round}");
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

/// Which linkages put a `SharedBuf` in an arena: only a process domain's.
#[test]
fn only_a_process_domain_shares_memory() {
    let n = 1024;
    assert!(!SharedBuf::<i32>::new(&harness::vocab::linked(), n)
        .unwrap()
        .is_shared());
    assert!(!SharedBuf::<i32>::new(&harness::vocab::loaded(), n)
        .unwrap()
        .is_shared());
    assert!(!SharedBuf::<i32>::new(&harness::vocab::loopback(), n)
        .unwrap()
        .is_shared());
    assert!(SharedBuf::<i32>::new(&harness::vocab::isolated(), n)
        .unwrap()
        .is_shared());
}

/// The domain finds the caller's bytes in its own mapping of the arena, at
/// the offset the table names: nothing of the buffer was copied.
#[test]
fn a_shared_input_is_read_in_place_by_the_domain() {
    let lib = rogue("shared-read");
    for n in [MIB / 4, 3 * MIB / 4] {
        let xs = ints(&lib, n, |i| (i % 77) as i32 - 11);
        assert!(xs.is_shared());
        assert_eq!(lib.sum(&xs).unwrap(), total(&xs));
    }
}

/// A domain that tries a writable mapping, `mprotect` and `write` on the
/// arena gets none of them, and the caller's buffer keeps its bytes.
#[test]
fn a_domain_cannot_get_write_access_to_the_arena() {
    let lib = rogue("arena-write");
    let xs = ints(&lib, MIB / 4, |i| i as i32);
    let before = xs.to_vec();
    assert_eq!(lib.sum(&xs).unwrap(), 0, "attempts that succeeded");
    assert_eq!(&xs[..], &before[..]);
}

/// With a sandbox that lets it try, `pwrite`, punching a hole and
/// truncating the arena fail too: the seals, not the allowlist, refuse them.
#[test]
fn the_seals_refuse_what_a_looser_sandbox_would_allow() {
    let mut o = harness::isolated_options("rogue-bulk-domain");
    o.domain = o.domain.clone().arg("arena-write-all");
    o.sandbox
        .extra_syscalls
        .extend([libc::SYS_pwrite64, libc::SYS_fallocate, libc::SYS_ftruncate]);
    let lib: VocabIsolated = Domain::launch(o).expect("start the rogue bulk domain");
    let xs = ints(&lib, MIB / 4, |i| i as i32 + 1);
    let before = xs.to_vec();
    assert_eq!(lib.sum(&xs).unwrap(), 0, "attempts that succeeded");
    assert_eq!(&xs[..], &before[..]);
    // The arena kept its size: the whole buffer is still there to read.
    assert_eq!(
        xs.iter().map(|&x| i64::from(x)).sum::<i64>(),
        total(&before)
    );
}

/// A domain that writes through its read-only mapping faults: the call
/// fails with the domain's death, the buffer is unchanged, and it is valid
/// again for the next incarnation.
#[test]
fn a_domain_that_writes_the_arena_faults_and_the_buffer_survives() {
    let lib = rogue("arena-poke");
    let xs = ints(&lib, MIB / 4, |i| i as i32);
    let before = xs.to_vec();
    for _ in 0..2 {
        assert_eq!(signaled(lib.sum(&xs).unwrap_err()), libc::SIGSEGV);
        assert_eq!(&xs[..], &before[..]);
    }
}

/// A buffer kept across a SIGKILL of the domain, a restart and a spare's
/// takeover works on every new incarnation, which maps the same arena.
#[test]
fn a_shared_buffer_survives_restarts() {
    for spare in [false, true] {
        let lib = isolated(|o| o.spare = spare);
        let d = domain(lib.channel());
        let xs = ints(&lib, MIB / 4, |i| (i % 13) as i32);
        assert_eq!(lib.sum(&xs).unwrap(), total(&xs));
        let pid = d.pid().expect("a running domain");
        // SAFETY: a signal to the domain process this test started.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            match lib.sum(&xs) {
                Ok(v) => {
                    assert_eq!(v, total(&xs));
                    break;
                }
                Err(_) if std::time::Instant::now() < deadline => {}
                Err(e) => panic!("no new incarnation: {e:?}"),
            }
        }
        assert_ne!(d.pid(), Some(pid));
        d.restart().unwrap();
        assert_eq!(lib.sum(&xs).unwrap(), total(&xs), "spare {spare}");
        assert!(d.restarts() >= 2);
    }
}

/// A buffer of one domain's arena passed to another domain is an ordinary
/// slice there: copied, with the same result.
#[test]
fn a_buffer_of_another_domains_arena_is_copied() {
    let a = isolated(|_| ());
    let b = isolated(|_| ());
    let xs = ints(&a, MIB / 4, |i| (i % 5) as i32);
    assert_eq!(b.sum(&xs).unwrap(), total(&xs));
    assert_eq!(a.sum(&xs).unwrap(), total(&xs));
}

/// The inode of the mapping of this process that holds `addr` (from
/// `/proc/self/maps`), if one does.
fn inode_at(addr: usize) -> Option<u64> {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    maps.lines().find_map(|l| {
        let mut f = l.split_whitespace();
        let (lo, hi) = f.next()?.split_once('-')?;
        let (lo, hi) = (
            usize::from_str_radix(lo, 16).ok()?,
            usize::from_str_radix(hi, 16).ok()?,
        );
        let inode = f.nth(3)?.parse().ok()?;
        (lo <= addr && addr < hi).then_some(inode)
    })
}

/// Whether any mapping of this process is of the file with `inode`.
fn mapped(inode: u64) -> bool {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    maps.lines()
        .any(|l| l.split_whitespace().nth(4) == Some(inode.to_string().as_str()))
}

/// The arena outlives the linkage while a buffer of it lives, and is
/// unmapped when the last of them is gone.
#[test]
fn a_shared_buffer_outlives_its_domain() {
    let lib = isolated(|_| ());
    let mut xs = ints(&lib, 4096, |i| i as i32);
    let inode = inode_at(xs.as_ptr() as usize).expect("the arena is mapped");
    assert_ne!(inode, 0, "the arena is a file's mapping");
    drop(lib);
    xs[7] = -7;
    assert_eq!(xs[7], -7);
    assert_eq!(xs[8], 8);
    assert!(mapped(inode));
    drop(xs);
    assert!(!mapped(inode), "the arena is unmapped with its last buffer");
}

#[test]
fn a_full_arena_is_a_typed_error() {
    let lib = isolated(|o| o.shared_arena = MIB);
    let a = SharedBuf::<u8>::new(&lib, MIB).unwrap();
    match SharedBuf::<u8>::new(&lib, 1) {
        Err(SharedBufError::Full { capacity, .. }) => assert_eq!(capacity, MIB),
        other => panic!("expected a full arena, got {other:?}"),
    }
    assert!(matches!(
        SharedBuf::<u8>::new(&lib, 2 * MIB),
        Err(SharedBufError::Full { .. })
    ));
    assert_eq!(
        SharedBuf::<u64>::new(&lib, usize::MAX / 4).unwrap_err(),
        SharedBufError::TooLarge
    );
    drop(a);
    let b = SharedBuf::<u8>::new(&lib, MIB).unwrap();
    assert_eq!(
        lib.fill(&mut SharedBuf::<u8>::new(&lib, 0).unwrap(), 1)
            .unwrap(),
        0
    );
    drop(b);
}

#[test]
fn a_domain_without_an_arena_refuses_shared_buffers() {
    let lib = isolated(|o| o.shared_arena = 0);
    assert_eq!(
        SharedBuf::<i32>::new(&lib, 16).unwrap_err(),
        SharedBufError::NoArena
    );
    let xs = vec![2i32; MIB / 4];
    assert_eq!(lib.sum(&xs).unwrap(), (MIB / 2) as i64);
}

/// The arena's size is the client's, whatever is asked: bounded and in pages.
#[test]
fn the_arena_size_is_bounded_by_policy() {
    let mut o = harness::isolated_options("vocab-domain");
    o.shared_arena = 1;
    assert_eq!(o.arena_len(), 4096);
    o.shared_arena = usize::MAX;
    assert_eq!(o.arena_len(), ffi_isolate::arena::MAX_ARENA_LEN);
    o.shared_arena = 0;
    assert_eq!(o.arena_len(), 0);
}
