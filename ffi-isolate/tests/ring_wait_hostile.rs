//! The ring's wait against a hostile or racing peer. A spinning reader
//! watches the bytes at its read position and looks at the peer's index
//! when they change or every eighth look; these tests check what that must
//! not cost: a peer rewriting those bytes without pause still meets the
//! deadline, a peer that publishes bytes equal to those already there is
//! still seen while spinning (also where 16 bytes wrap, in rings of order
//! 10 and 12), no wake-up is lost in the park path (a park slice far
//! longer than the test), and a peer that closes mid-frame leaves its
//! bytes to be read, then the close.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use ffi_isolate::ring::{ControlPage, Endpoint, Ring, RingError, Side};
use ffi_isolate::shm::{RingLayout, SharedMemory};
use ffi_isolate::wait::{WaitConfig, Waiter};

/// A client and a server endpoint over fresh memory: the ring the client
/// reads is of `order` (the other of 11, or 12 where that is taken), and
/// every index starts at `start`.
fn pair(order: u16, start: u32) -> (Endpoint, Endpoint, Arc<SharedMemory>, RingLayout) {
    let other = if order == 11 { 12 } else { 11 };
    let layout = RingLayout::new(other, order).unwrap();
    let shm = Arc::new(SharedMemory::create_for(layout).unwrap());
    let c = Endpoint::create_at(shm.clone(), Side::Client, layout, start).unwrap();
    let s = Endpoint::attach(shm.clone(), Side::Server).unwrap();
    (c, s, shm, layout)
}

/// The byte at ring position `pos` (masked) of the ring the client reads.
fn ring_byte(shm: &SharedMemory, layout: RingLayout, pos: u32) -> &AtomicU8 {
    let size = layout.ring_len(Ring::Right);
    let at = layout.ring_offset(Ring::Right) + (pos as usize & (size - 1));
    assert!(at < shm.len());
    // SAFETY: a byte inside the mapping, which `shm` keeps alive; all
    // access to the shared memory is atomic.
    unsafe { AtomicU8::from_ptr(shm.as_ptr().add(at)) }
}

fn spinning(spin: Duration) -> WaitConfig {
    WaitConfig {
        spin,
        park_slice: Duration::from_secs(30),
    }
}

/// A thread that rewrites the 16 bytes at `start` of the client's read
/// ring until `stop`, never publishing them.
fn rewriter(
    shm: Arc<SharedMemory>,
    layout: RingLayout,
    start: u32,
    stop: Arc<AtomicBool>,
) -> thread::JoinHandle<u64> {
    thread::spawn(move || {
        let mut n = 0u64;
        while !stop.load(Ordering::Relaxed) {
            for i in 0..16u32 {
                let b = ring_byte(&shm, layout, start.wrapping_add(i));
                b.store((n as u8).wrapping_add(i as u8), Ordering::Relaxed);
            }
            n += 1;
        }
        n
    })
}

#[test]
fn a_peer_rewriting_the_watched_bytes_still_meets_the_deadline() {
    for (order, start) in [(10u16, 0u32), (12, 4090), (12, u32::MAX - 3)] {
        // Spinning the whole wait, and spinning then parking.
        for spin in [Duration::from_secs(30), Duration::from_millis(2)] {
            let (mut c, _s, shm, layout) = pair(order, start);
            let stop = Arc::new(AtomicBool::new(false));
            let t = rewriter(shm.clone(), layout, start, stop.clone());
            let began = Instant::now();
            let w = Waiter::new(spinning(spin)).with_timeout(Duration::from_millis(150));
            assert_eq!(c.wait_readable(&w), Err(RingError::Timeout));
            let took = began.elapsed();
            stop.store(true, Ordering::Relaxed);
            assert!(t.join().unwrap() > 0, "the rewriter ran");
            assert!(took >= Duration::from_millis(150), "{took:?}");
            assert!(took < Duration::from_secs(3), "order {order}: {took:?}");
        }
    }
}

/// While the bytes keep changing, the peer publishes what it finally wrote:
/// the reader gets exactly those bytes.
#[test]
fn data_published_amid_rewrites_is_read_as_published() {
    for (order, start) in [(10u16, 1020u32), (12, 4090)] {
        let (mut c, _s, shm, layout) = pair(order, start);
        let stop = Arc::new(AtomicBool::new(false));
        let t = rewriter(shm.clone(), layout, start, stop.clone());
        let publisher = {
            let shm = shm.clone();
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(30));
                stop.store(true, Ordering::Relaxed);
                t.join().unwrap();
                for i in 0..16u32 {
                    let b = ring_byte(&shm, layout, start.wrapping_add(i));
                    b.store(0xa0 + i as u8, Ordering::Relaxed);
                }
                ControlPage::new(&shm)
                    .prod(Ring::Right)
                    .store(start.wrapping_add(16), Ordering::Release);
            })
        };
        let w =
            Waiter::new(spinning(Duration::from_secs(30))).with_timeout(Duration::from_secs(20));
        let mut got = [0u8; 16];
        c.read_exact(&mut got, &w).unwrap();
        publisher.join().unwrap();
        let want: Vec<u8> = (0..16).map(|i| 0xa0 + i).collect();
        assert_eq!(&got[..], &want[..], "order {order}");
    }
}

/// The peer writes the very bytes that are already at the reader's
/// position: nothing the reader watches changes, and it still sees the data
/// while it spins (with a spin of seconds, a reader that only noticed at
/// its park would take that long).
#[test]
fn unchanged_bytes_published_are_seen_while_spinning() {
    for (order, start) in [(10u16, 0u32), (10, 1016), (12, 4090), (12, 4095)] {
        let (mut c, mut s, shm, layout) = pair(order, start);
        // What the ring holds there now (zero, for fresh memory).
        let same: Vec<u8> = (0..16u32)
            .map(|i| ring_byte(&shm, layout, start.wrapping_add(i)).load(Ordering::Relaxed))
            .collect();
        let writer = thread::spawn(move || {
            thread::sleep(Duration::from_millis(50));
            assert_eq!(s.write(&same).unwrap(), 16);
            s
        });
        let began = Instant::now();
        let w = Waiter::new(spinning(Duration::from_secs(5))).with_timeout(Duration::from_secs(20));
        let mut got = [0xffu8; 16];
        c.read_exact(&mut got, &w).unwrap();
        let took = began.elapsed();
        let _s = writer.join().unwrap();
        assert_eq!(got, [0u8; 16]);
        assert!(
            took < Duration::from_secs(2),
            "order {order} at {start}: {took:?}"
        );
    }
}

/// Both sides park at once (no spin) with a park slice of 30 s: a lost
/// wake-up would stall a round trip for the whole slice. Frames of every
/// size up to a whole ring, so both waits (data and space) park.
#[test]
fn no_wake_up_is_lost_when_both_sides_park() {
    for (client_spin, server_spin) in [
        (Duration::ZERO, Duration::ZERO),
        (Duration::ZERO, WaitConfig::DEFAULT_SPIN),
        (WaitConfig::DEFAULT_SPIN, Duration::ZERO),
    ] {
        let (mut c, mut s, _shm, _layout) = pair(10, 0);
        let rounds = 1500u32;
        let echo = thread::spawn(move || {
            let w = Waiter::new(spinning(server_spin)).with_timeout(Duration::from_secs(25));
            let mut buf = vec![0u8; 2048];
            for i in 0..rounds {
                let n = 1 + (i as usize * 37) % 2048;
                s.read_exact(&mut buf[..n], &w).unwrap();
                s.write_all(&buf[..n], &w).unwrap();
            }
        });
        let began = Instant::now();
        let w = Waiter::new(spinning(client_spin)).with_timeout(Duration::from_secs(25));
        let mut back = vec![0u8; 2048];
        for i in 0..rounds {
            let n = 1 + (i as usize * 37) % 2048;
            let msg: Vec<u8> = (0..n).map(|k| (k as u32 ^ i) as u8).collect();
            c.write_all(&msg, &w).unwrap();
            c.read_exact(&mut back[..n], &w).unwrap();
            assert_eq!(&back[..n], &msg[..], "round {i}");
        }
        echo.join().unwrap();
        let took = began.elapsed();
        assert!(took < Duration::from_secs(20), "{took:?}");
    }
}

/// A peer that writes part of a frame and closes, at once or while the
/// reader is parked: the reader gets every byte written, then the close,
/// and a parked reader is woken by the close rather than waiting out its
/// park slice.
#[test]
fn a_peer_closing_mid_frame_leaves_its_bytes_then_its_close() {
    for round in 0..200u32 {
        let spin = if round % 2 == 0 {
            Duration::ZERO
        } else {
            WaitConfig::DEFAULT_SPIN
        };
        let (mut c, mut s, _shm, _layout) = pair(10, round.wrapping_mul(97));
        let n = 1 + (round as usize * 13) % 40;
        let sent: Vec<u8> = (0..n).map(|k| k as u8 ^ round as u8).collect();
        let delay = round % 4 == 3;
        let sent2 = sent.clone();
        let writer = thread::spawn(move || {
            if delay {
                thread::sleep(Duration::from_millis(5));
            }
            assert_eq!(s.write(&sent2).unwrap(), sent2.len());
            s.close();
        });
        let began = Instant::now();
        let w = Waiter::new(spinning(spin)).with_timeout(Duration::from_secs(20));
        let mut got = Vec::new();
        let mut frame = [0u8; 64];
        let end = loop {
            match c.read_exact(&mut frame[..1], &w) {
                Ok(()) => got.push(frame[0]),
                Err(e) => break e,
            }
        };
        writer.join().unwrap();
        assert_eq!(end, RingError::PeerClosed, "round {round}");
        assert_eq!(got, sent, "round {round}");
        assert!(began.elapsed() < Duration::from_secs(5), "round {round}");
    }
}
