//! `SharedOut`'s accessors against a peer that rewrites the whole out arena
//! without pause, through a writable mapping of its own (as a domain does):
//! every copy, element read and iteration stays inside the buffer, never
//! faults, writes nothing of the caller's beyond what it was asked, and
//! returns only bytes the peer wrote. Holes the peer punches into the arena
//! meanwhile read as zeros, never as a fault.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ffi_desc::shared_out::{OutSpace, SharedOut};
use ffi_isolate::out_arena::{OutArena, OutArenaView};
use ffi_isolate::shm::PAGE_SIZE;

const ARENA: usize = 256 * PAGE_SIZE;
const A: u8 = 0xa5;
const B: u8 = 0x5a;
/// A byte of the caller's that no accessor may overwrite.
const CANARY: u8 = 0x11;

/// Whether `b` is a byte the peer writes (or a punched hole's zero).
fn peer_byte(b: u8, holes: bool) -> bool {
    b == A || b == B || (holes && b == 0)
}

/// Rewrites the whole mapping at `base` with `A`, then `B`, by words and
/// by odd bytes, punching holes into `fd` every few rounds when asked,
/// until `stop`; counts its rounds.
fn scribble(base: usize, len: usize, fd: Option<i32>, stop: &AtomicBool, rounds: &AtomicUsize) {
    let mut round = 0usize;
    while !stop.load(Ordering::Relaxed) {
        let byte = if round % 2 == 0 { A } else { B };
        let word = u64::from_ne_bytes([byte; 8]);
        for i in 0..len / 8 {
            // SAFETY: inside the peer's writable mapping of `len` bytes.
            unsafe { (base as *mut u64).add(i).write_volatile(word) };
        }
        for i in (1..len).step_by(4099) {
            // SAFETY: inside the mapping.
            unsafe { (base as *mut u8).add(i).write_volatile(byte) };
        }
        if let Some(fd) = fd.filter(|_| round % 3 == 2) {
            let at = (round * PAGE_SIZE) % len;
            // SAFETY: a plain system call on the peer's descriptor.
            let rc = unsafe {
                libc::fallocate(
                    fd,
                    libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE,
                    at as i64,
                    (16 * PAGE_SIZE) as i64,
                )
            };
            assert_eq!(rc, 0, "a hole in the out arena");
        }
        round += 1;
        rounds.store(round, Ordering::Relaxed);
    }
}

/// Reads `buf` every way the type offers, for `time`, while the peer
/// scribbles; checks each byte read is the peer's and no byte of the
/// caller's around the copies changed. Returns whether a read saw both
/// of the peer's bytes (the reads raced the writes).
fn read_every_way(
    buf: &SharedOut<u8>,
    words: &SharedOut<u32>,
    holes: bool,
    time: Duration,
) -> bool {
    let n = buf.len();
    let mut saw = [false; 2];
    let deadline = Instant::now() + time;
    let mut spare = vec![CANARY; n + 64];
    while Instant::now() < deadline {
        for off in 0..9 {
            spare.fill(CANARY);
            let cut = n - off * 1000;
            assert_eq!(buf.copy_to_slice(&mut spare[off..off + cut]), cut);
            assert!(spare[..off].iter().all(|&b| b == CANARY));
            assert!(spare[off + cut..].iter().all(|&b| b == CANARY));
            let copied = &spare[off..off + cut];
            assert!(copied.iter().all(|&b| peer_byte(b, holes)), "copy at {off}");
            saw[0] |= copied.contains(&A);
            saw[1] |= copied.contains(&B);
        }
        let v = buf.to_vec();
        assert_eq!(v.len(), n);
        assert!(v.iter().all(|&b| peer_byte(b, holes)));
        assert_eq!(buf.iter().len(), n);
        let mut seen = 0;
        for b in buf.iter() {
            assert!(peer_byte(b, holes));
            seen += 1;
        }
        assert_eq!(seen, n);
        for i in (0..n).step_by(97) {
            assert!(peer_byte(buf.get(i).unwrap(), holes));
        }
        assert_eq!(buf.get(n), None);
        for w in words.iter() {
            assert!(w.to_ne_bytes().iter().all(|&b| peer_byte(b, holes)));
        }
        let mut short = [0u32; 3];
        assert_eq!(words.copy_to_slice(&mut short), 3);
        assert!(short
            .iter()
            .all(|w| w.to_ne_bytes().iter().all(|&b| peer_byte(b, holes))));
    }
    saw[0] && saw[1]
}

fn race(holes: bool) {
    let arena = Arc::new(OutArena::create(ARENA).unwrap());
    let fd = arena.fd().try_clone_to_owned().unwrap();
    let punch = holes.then(|| arena.fd().try_clone_to_owned().unwrap());
    let view = OutArenaView::map(fd).unwrap();
    let space = arena.clone() as Arc<dyn OutSpace>;
    // An odd length, past a block that leaves it 64 bytes into a page.
    let _first = SharedOut::<u8>::in_space(Some(space.clone()), 1).unwrap();
    let buf = SharedOut::<u8>::in_space(Some(space.clone()), 100_003).unwrap();
    let words = SharedOut::<u32>::in_space(Some(space), 1001).unwrap();
    assert!(buf.is_shared() && words.is_shared());
    let stop = AtomicBool::new(false);
    let rounds = AtomicUsize::new(0);
    let (base, len) = (view.as_ptr() as usize, view.len());
    let raw = punch.as_ref().map(std::os::fd::AsRawFd::as_raw_fd);
    let raced = std::thread::scope(|s| {
        s.spawn(|| scribble(base, len, raw, &stop, &rounds));
        while rounds.load(Ordering::Relaxed) == 0 {
            std::thread::yield_now();
        }
        let raced = read_every_way(&buf, &words, holes, Duration::from_secs(2));
        stop.store(true, Ordering::Relaxed);
        raced
    });
    assert!(rounds.load(Ordering::Relaxed) > 2, "the peer kept writing");
    assert!(raced, "the reads saw the peer's writes change");
    drop(view);
}

#[test]
fn reads_under_a_peer_writing_the_whole_arena_get_only_its_bytes() {
    race(false);
}

#[test]
fn reads_under_a_peer_punching_holes_never_fault() {
    race(true);
}
