//! More attacks on the shared arena and its allocator: every other way a
//! hostile domain could write the arena (with each call it needs granted,
//! so that the seals alone refuse it), procfs, and an allocator driven to
//! exhaustion and fragmentation through every linkage.

use std::time::{Duration, Instant};

use ffi_desc::shared::{SharedBuf, SharedBufError, SharedSpace, SHARED_ALIGN};
use ffi_desc::Linkage;
use ffi_isolate::arena::Arena;
use ffi_isolate::sandbox::OpenRefusal;
use ffi_isolate::shm::PAGE_SIZE;
use ffi_isolate::Domain;
use ffi_tests::harness;
use ffi_tests::vocab::vocab::*;
use ffi_tests::{arena_attack, behaviours};

const MIB: usize = 1 << 20;

fn ints<L: Vocab + Linkage>(lib: &L, n: usize) -> SharedBuf<i32> {
    let mut b = SharedBuf::<i32>::new(lib, n).expect("a shared buffer");
    for (i, x) in b.iter_mut().enumerate() {
        *x = (i as i32).wrapping_mul(2_654_435_761u32 as i32);
    }
    b
}

fn rogue(mode: &str, f: impl FnOnce(&mut ffi_isolate::IsolatedOptions)) -> VocabIsolated {
    let mut o = harness::isolated_options("rogue-bulk-domain");
    o.domain = o.domain.clone().arg(mode);
    o.deadline = Duration::from_secs(10);
    f(&mut o);
    Domain::launch(o).expect("start the rogue bulk domain")
}

/// splice, sendfile, `copy_file_range`, `pwritev`/`pwritev2`, growing,
/// new seals, `MADV_REMOVE`, vmsplice and `read` into a read-only mapping,
/// `process_vm_writev`, `mremap` then `mprotect`, and a private writable
/// mapping: all granted by the sandbox, none changes the arena.
#[test]
fn no_other_way_writes_the_arena() {
    let lib = rogue("arena-write-more", |o| {
        o.sandbox
            .extra_syscalls
            .extend_from_slice(arena_attack::SYSCALLS);
    });
    let xs = ints(&lib, MIB / 4);
    let before = xs.to_vec();
    assert_eq!(lib.sum(&xs).unwrap(), 0, "ways that worked");
    assert_eq!(&xs[..], &before[..]);
    // Twice: the first attempts left nothing that helps the second.
    assert_eq!(lib.sum(&xs).unwrap(), 0, "ways that worked");
    assert_eq!(&xs[..], &before[..]);
}

/// A policy that grants `/proc` still gives the domain no file of procfs:
/// reopening the arena through `/proc/self/fd` or writing it through
/// `/proc/self/mem` ends the domain (or fails), and the buffer keeps its
/// bytes.
#[test]
fn procfs_never_reopens_the_arena() {
    let lib = rogue("arena-write-proc", |o| {
        o.sandbox.read_paths.push("/proc".into());
        o.sandbox.write_paths.push("/proc".into());
        o.sandbox.refused_open = OpenRefusal::Fail(libc::EACCES);
    });
    let xs = ints(&lib, MIB / 4);
    let before = xs.to_vec();
    match lib.sum(&xs) {
        Ok(won) => assert_eq!(won, 0, "ways that worked"),
        Err(e) => match harness::check::failure(e) {
            ffi_desc::DomainFailure::SandboxViolation { syscall } => {
                assert_eq!(syscall, "openat")
            }
            other => panic!("expected the open to be refused, got {other:?}"),
        },
    }
    assert_eq!(&xs[..], &before[..]);
}

behaviours!(vocab: exhaustion_and_fragmentation_are_typed_and_bounded);

/// Thousands of small buffers, every other one freed: a larger buffer may
/// not fit (a typed error, quickly), the small holes are reused, and once
/// all are gone the whole capacity is one block again. In the linkages
/// without an arena the same calls succeed with plain memory.
fn exhaustion_and_fragmentation_are_typed_and_bounded<L: Vocab + Linkage>(lib: &L) {
    let start = Instant::now();
    let mut small = Vec::new();
    // 16 ints: 64 bytes, one block each.
    loop {
        match SharedBuf::<i32>::new(lib, 16) {
            Ok(b) => small.push(b),
            Err(SharedBufError::Full { .. }) => break,
            Err(e) => panic!("{e:?}"),
        }
        if small.len() == 20_000 {
            break;
        }
    }
    let shared = small[0].is_shared();
    let mut kept: Vec<_> = small
        .into_iter()
        .enumerate()
        .filter_map(|(i, b)| (i % 2 == 0).then_some(b))
        .collect();
    if shared {
        // Only 64-byte holes are left (and what was never allocated, if the
        // loop stopped short of the capacity).
        let big = SharedBuf::<i32>::new(lib, 32);
        let full = matches!(big, Err(SharedBufError::Full { .. }));
        assert!(full || kept.len() == 10_000, "{big:?}");
    }
    for (i, b) in kept.iter_mut().enumerate() {
        b[0] = i as i32;
    }
    // A hole takes a small buffer again; each sums what it holds.
    let again = SharedBuf::<i32>::from_slice(lib, &[5; 16]).unwrap();
    assert_eq!(lib.sum(&again).unwrap(), 80);
    assert_eq!(lib.sum(&kept[3]).unwrap(), 3);
    drop(again);
    drop(kept);
    let whole = SharedBuf::<u8>::new(lib, MIB).unwrap();
    assert_eq!(
        lib.fill(&mut SharedBuf::<u8>::new(lib, 16).unwrap(), 1)
            .unwrap(),
        16
    );
    drop(whole);
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
}

/// An Isolated linkage whose arena is 1 MiB, for exhaustion in a bounded
/// number of blocks.
#[test]
fn a_small_arena_fragmented_to_the_last_block() {
    let mut o = harness::isolated_options("vocab-domain");
    o.shared_arena = MIB;
    let lib: VocabIsolated = Domain::launch(o).expect("start the vocab domain");
    let blocks = MIB / SHARED_ALIGN;
    let mut all: Vec<_> = (0..blocks)
        .map(|_| SharedBuf::<u8>::new(&lib, 1).unwrap())
        .collect();
    assert!(matches!(
        SharedBuf::<u8>::new(&lib, 1),
        Err(SharedBufError::Full { capacity, .. }) if capacity == MIB
    ));
    // Every other block freed: half the arena is free, in 64-byte holes.
    let mut i = 0;
    all.retain(|_| {
        i += 1;
        i % 2 == 0
    });
    let start = Instant::now();
    assert!(matches!(
        SharedBuf::<u8>::new(&lib, SHARED_ALIGN + 1),
        Err(SharedBufError::Full { requested, .. }) if requested == 2 * SHARED_ALIGN
    ));
    assert!(start.elapsed() < Duration::from_secs(1));
    let one = SharedBuf::<u8>::new(&lib, SHARED_ALIGN).unwrap();
    assert!(one.is_shared());
    drop(one);
    drop(all);
    let whole = SharedBuf::<u8>::from_slice(&lib, &vec![1u8; MIB]).unwrap();
    assert_eq!(lib.fill(&mut [0u8; 4], 1).unwrap(), 4);
    drop(whole);
}

/// The arena's allocator, used directly: a block of zero bytes takes a block
/// and gives it back whole (the trait asks for `bytes > 0`, but the arena
/// accepts 0 and must not lose memory or keep an empty range for it).
#[test]
fn a_zero_byte_block_is_returned_whole() {
    let arena = Arena::create(4 * PAGE_SIZE).unwrap();
    for _ in 0..3 {
        let p = arena.alloc(0).unwrap();
        assert_eq!(p.as_ptr() as usize % SHARED_ALIGN, 0);
        assert_eq!(arena.free_bytes(), 4 * PAGE_SIZE - SHARED_ALIGN);
        // SAFETY: the block just allocated, with the size it was asked for.
        unsafe { arena.free(p, 0) };
        assert_eq!(arena.free_bytes(), 4 * PAGE_SIZE);
    }
    // The whole arena is one block again.
    let all = arena.alloc(4 * PAGE_SIZE).unwrap();
    // SAFETY: as above.
    unsafe { arena.free(all, 4 * PAGE_SIZE) };
}

/// The attacks themselves work: on a memfd without seals most of them
/// change it, while on the arena's own descriptor, in this process, none
/// does (the seals, not the sandbox, refuse them).
#[test]
fn the_attacks_work_on_an_unsealed_file_and_fail_on_the_arena() {
    use std::os::fd::{FromRawFd, OwnedFd};
    // SAFETY: a fresh descriptor, owned once.
    let unsealed = unsafe {
        let fd = libc::memfd_create(c"plain".as_ptr(), libc::MFD_CLOEXEC);
        assert!(fd >= 0);
        assert_eq!(libc::ftruncate(fd, (4 * PAGE_SIZE) as i64), 0);
        OwnedFd::from_raw_fd(fd)
    };
    assert!(arena_attack::attack(&unsealed) >= 8);
    let arena = Arena::create(4 * PAGE_SIZE).unwrap();
    let fd = arena.fd().try_clone_to_owned().unwrap();
    assert_eq!(arena_attack::attack(&fd), 0);
    assert_eq!(arena.len(), 4 * PAGE_SIZE);
}
