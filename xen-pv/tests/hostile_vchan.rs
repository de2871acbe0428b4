//! A hostile peer against the unikernel's vchan end: between every
//! operation, the peer's thread of control (here, the test) writes random
//! values into everything in the control page it can write, indices, live
//! byte and notify bytes, and sometimes plays fair. Whatever it writes, our
//! end never reads or writes outside its rings, never hands back more than
//! was asked, and once it reports a violation it keeps reporting it.

use std::sync::atomic::{AtomicU32, AtomicU8, Ordering};

use xen_pv::vchan::endpoint::{
    Endpoint, RingData, Side, CLI_LIVE, CLI_NOTIFY, SRV_LIVE, SRV_NOTIFY,
};
use xen_pv::vchan::layout::Layout;
use xen_pv::vchan::server::init_control;

/// splitmix64.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// Control page, then guard bytes around two 1 KiB rings, so that a stray
/// access would land in a canary.
const CANARY: u8 = 0xA5;

/// Stores `v` at `off` of the control page.
fn word_store(base: *mut u8, off: usize, v: u32) {
    // SAFETY: callers pass aligned offsets inside the control page.
    unsafe { AtomicU32::from_ptr(base.add(off).cast::<u32>()) }.store(v, Ordering::SeqCst);
}

/// The peer's words of the control page: the index it writes in the ring
/// we produce into (its `cons`), the one in the ring we consume (its
/// `prod`), and its live byte.
struct PeerFields {
    tx_cons: usize,
    rx_prod: usize,
    live: usize,
}

fn peer_fields(ours: Side) -> PeerFields {
    match ours {
        // The server consumes the left ring (cons at 0) and produces the
        // right (prod at 12).
        Side::Client => PeerFields {
            tx_cons: 0,
            rx_prod: 12,
            live: SRV_LIVE,
        },
        // The client produces the left ring (prod at 4) and consumes the
        // right (cons at 8).
        Side::Server => PeerFields {
            tx_cons: 8,
            rx_prod: 4,
            live: CLI_LIVE,
        },
    }
}

#[test]
fn random_peer_writes_never_break_our_bounds() {
    hostile_peer(Side::Client);
}

/// Our server, its control page laid out by its own set-up (one page,
/// both rings in it, as it publishes by default), against a hostile client.
#[test]
fn random_client_writes_never_break_our_servers_bounds() {
    hostile_peer(Side::Server);
}

fn hostile_peer(ours: Side) {
    let f = peer_fields(ours);
    let (mut moved, mut violations) = (0usize, 0);
    for seed in 0..200u64 {
        let mut rng = Rng(seed);
        // [ctrl 4096][canary 64][left 1024][canary 64][right 1024][canary 64]
        let mut mem = vec![0u8; 4096 + 64 + 1024 + 64 + 1024 + 64];
        let base = mem.as_mut_ptr();
        let (left_at, right_at) = (4096 + 64, 4096 + 64 + 1024 + 64);
        for range in [
            4096..left_at,
            left_at + 1024..right_at,
            right_at + 1024..mem.len(),
        ] {
            mem[range].fill(CANARY);
        }
        let ring = |at: usize| RingData {
            data: base.wrapping_add(at),
            size: 1024,
        };
        if ours == Side::Server {
            // SAFETY: the control page is zeroed; orders 10 and 11 list no grants.
            unsafe { init_control(base, Layout::new(10, 11).unwrap(), &[]) };
        }
        // SAFETY: `mem` outlives the endpoint (dropped at the end of the loop body).
        let mut ep = unsafe { Endpoint::new(base, ours, ring(left_at), ring(right_at)) }.unwrap();
        let mut poisoned = false;
        for _ in 0..500 {
            if poisoned {
                // Broken for good, whatever the peer writes next.
                word_store(base, 0, 0);
                assert!(
                    ep.try_recv(&mut [0u8; 8]).is_err(),
                    "seed {seed}: read after a violation"
                );
                assert!(
                    ep.try_send(&[1u8; 8]).is_err(),
                    "seed {seed}: wrote after a violation"
                );
                violations += 1;
                break;
            }
            // The peer's writes: its indices (left cons at 0, right prod at
            // 12), mostly as a fair peer would (all of our bytes consumed;
            // up to a ring's worth produced), now and then anything at all;
            // its live byte and both notify bytes, anything at all.
            // SAFETY: aligned offsets inside the control page.
            unsafe {
                let word = |off: usize| AtomicU32::from_ptr(base.add(off).cast::<u32>());
                let r = rng.next();
                let hostile = r % 64 == 0;
                // Our producer index sits after the peer's consumer index,
                // our consumer index before its producer index.
                let our_prod = word(f.tx_cons + 4).load(Ordering::SeqCst);
                let our_cons = word(f.rx_prod - 4).load(Ordering::SeqCst);
                let their_prod = word(f.rx_prod).load(Ordering::SeqCst);
                if hostile {
                    word(if r & 64 == 0 { f.tx_cons } else { f.rx_prod })
                        .store(rng.next() as u32, Ordering::SeqCst);
                } else {
                    word(f.tx_cons).store(our_prod, Ordering::SeqCst);
                    let in_flight = their_prod.wrapping_sub(our_cons);
                    let more = (rng.next() % 1025) as u32;
                    word(f.rx_prod).store(
                        our_cons.wrapping_add(in_flight.max(more).min(1024)),
                        Ordering::SeqCst,
                    );
                }
                if r % 16 == 2 {
                    AtomicU8::from_ptr(base.add(f.live)).store(rng.next() as u8, Ordering::SeqCst);
                }
                AtomicU8::from_ptr(base.add(CLI_NOTIFY)).store(rng.next() as u8, Ordering::SeqCst);
                AtomicU8::from_ptr(base.add(SRV_NOTIFY)).store(rng.next() as u8, Ordering::SeqCst);
            }
            let _ = ep.peer_live();
            let mut buf = vec![0u8; (rng.next() % 3000) as usize];
            match ep.try_recv(&mut buf) {
                Ok((n, _)) => {
                    assert!(!poisoned, "seed {seed}: a poisoned end read again");
                    assert!(n <= buf.len().min(1024), "seed {seed}: {n} bytes");
                    moved += n;
                }
                Err(_) => poisoned = true,
            }
            let data = vec![0x5Au8; (rng.next() % 3000) as usize];
            match ep.try_send(&data) {
                Ok((n, _)) => {
                    assert!(!poisoned, "seed {seed}: a poisoned end wrote again");
                    assert!(n <= data.len().min(1024), "seed {seed}: {n} bytes");
                    moved += n;
                }
                Err(_) => poisoned = true,
            }
        }
        for range in [
            4096..left_at,
            left_at + 1024..right_at,
            right_at + 1024..mem.len(),
        ] {
            assert!(
                mem[range].iter().all(|&b| b == CANARY),
                "seed {seed}: a canary was overwritten"
            );
        }
    }
    // Both happened: bytes crossed while the peer was fair, and its
    // hostile writes were caught.
    assert!(moved > 1_000_000, "only {moved} bytes moved");
    assert!(violations > 100, "only {violations} violations seen");
}
