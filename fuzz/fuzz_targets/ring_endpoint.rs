//! A client ring endpoint against a hostile peer that sets its indices, its
//! live byte and our notify byte to values from the input between our reads
//! and writes. Every operation ends in data or a typed error; a violation
//! is sticky; every byte read is the byte at the right place of the ring we
//! read (nothing from outside it); and the ring we read is never written.
#![no_main]

use std::sync::atomic::Ordering;
use std::sync::Arc;

use ffi_isolate::ring::{ControlPage, Endpoint, Ring, RingError, Side};
use ffi_isolate::shm::{RingLayout, SharedMemory};
use libfuzzer_sys::fuzz_target;

/// Layouts with in-page rings, page rings, and both.
const ORDERS: [(u16, u16); 3] = [(10, 11), (12, 12), (11, 13)];

struct Fixture {
    layout: RingLayout,
    shm: Arc<SharedMemory>,
}

thread_local! {
    static FIXTURES: Vec<Fixture> = ORDERS
        .iter()
        .map(|&(l, r)| {
            let layout = RingLayout::new(l, r).expect("a valid layout");
            let shm = Arc::new(SharedMemory::create_for(layout).expect("shared memory"));
            Fixture { layout, shm }
        })
        .collect();
}

/// What the ring we read holds at byte `j`.
fn pattern(j: usize) -> u8 {
    (j.wrapping_mul(31) ^ (j >> 7)) as u8
}

/// The ring the client reads: base pointer and length.
fn read_ring(f: &Fixture) -> (*mut u8, usize) {
    let off = f.layout.ring_offset(Ring::Right);
    // SAFETY: the layout fits the mapping (`create_for`).
    (
        unsafe { f.shm.as_ptr().add(off) },
        f.layout.ring_len(Ring::Right),
    )
}

fn fill_read_ring(f: &Fixture) {
    let (base, len) = read_ring(f);
    for j in 0..len {
        // SAFETY: inside the ring; this thread is the only user of the mapping.
        unsafe { base.add(j).write_volatile(pattern(j)) };
    }
}

fn read_ring_intact(f: &Fixture) -> bool {
    let (base, len) = read_ring(f);
    // SAFETY: as in `fill_read_ring`.
    (0..len).all(|j| unsafe { base.add(j).read_volatile() } == pattern(j))
}

fn word(bytes: &[u8]) -> u32 {
    let mut w = [0u8; 4];
    w[..bytes.len().min(4)].copy_from_slice(&bytes[..bytes.len().min(4)]);
    u32::from_le_bytes(w)
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    FIXTURES.with(|fixtures| {
        let f = &fixtures[which as usize % fixtures.len()];
        let start = word(rest);
        let ops = rest.get(4..).unwrap_or(&[]);
        let mut ep =
            Endpoint::create_at(f.shm.clone(), Side::Client, f.layout, start).expect("create");
        // After `create_at`, which zeroes the control page and so the rings
        // of order 10 and 11 that live inside it.
        fill_read_ring(f);
        let ctrl = ControlPage::new(&f.shm);
        let (rx, tx) = (ep.read_ring_size() as u32, ep.write_ring_size() as u32);
        // Our indices, as the protocol moves them.
        let (mut rd, mut wr) = (start, start);
        let mut poisoned: Option<RingError> = None;
        let check = |got: &Result<usize, RingError>, poisoned: &mut Option<RingError>| {
            if let Some(p) = poisoned {
                assert_eq!(got.as_ref().err(), Some(&*p), "a violation is sticky");
            }
            if let Err(e @ RingError::Violation(_)) = got {
                poisoned.get_or_insert(*e);
            }
        };
        for op in ops.chunks_exact(5) {
            let arg = word(&op[1..]);
            match op[0] % 10 {
                // The peer's prod on the ring we read: near our cons, or anything.
                0 => ctrl
                    .prod(Ring::Right)
                    .store(rd.wrapping_add(arg % (2 * rx + 2)), Ordering::SeqCst),
                1 => ctrl.prod(Ring::Right).store(arg, Ordering::SeqCst),
                // The peer's cons on the ring we write: near our prod, or anything.
                2 => ctrl
                    .cons(Ring::Left)
                    .store(wr.wrapping_sub(arg % (2 * tx + 2)), Ordering::SeqCst),
                3 => ctrl.cons(Ring::Left).store(arg, Ordering::SeqCst),
                // Our own indices, which we must ignore.
                4 => {
                    ctrl.cons(Ring::Right).store(arg, Ordering::SeqCst);
                    ctrl.prod(Ring::Left)
                        .store(arg.rotate_left(7), Ordering::SeqCst);
                }
                5 => {
                    ctrl.live(Side::Server).store(op[1] % 4, Ordering::SeqCst);
                    ctrl.notify(Side::Client).store(op[2], Ordering::SeqCst);
                }
                6 => {
                    let mut buf = vec![0u8; arg as usize % 5000];
                    let got = ep.read(&mut buf);
                    check(&got, &mut poisoned);
                    if let Ok(n) = got {
                        assert!(n <= buf.len() && n <= rx as usize);
                        for (i, &b) in buf[..n].iter().enumerate() {
                            let j = rd.wrapping_add(i as u32) & (rx - 1);
                            assert_eq!(b, pattern(j as usize), "byte {i} of a read");
                        }
                        rd = rd.wrapping_add(n as u32);
                    }
                }
                7 => {
                    let buf = vec![op[1]; arg as usize % 5000];
                    let got = ep.write(&buf);
                    check(&got, &mut poisoned);
                    if let Ok(n) = got {
                        assert!(n <= buf.len() && n <= tx as usize);
                        wr = wr.wrapping_add(n as u32);
                    }
                }
                8 => {
                    let got = ep.data_ready();
                    check(&got, &mut poisoned);
                    assert!(got.map_or(true, |n| n <= rx as usize));
                }
                _ => {
                    let got = ep.buffer_space();
                    check(&got, &mut poisoned);
                    assert!(got.map_or(true, |n| n <= tx as usize));
                }
            }
        }
        assert!(
            read_ring_intact(f),
            "the client wrote into the ring it reads"
        );
        drop(ep);
    });
});
