//! A rogue domain for the `parallel` description (thread-safe, served on
//! several lanes): what a domain that took over its server threads can do
//! with lanes. It attaches to every lane of the mapping at descriptor 3,
//! answers the hello on lane 0 with a valid welcome, and then, as its first
//! argument says:
//!
//! | mode | what it does |
//! | --- | --- |
//! | `wrong-lane` | answers a call arriving on lane `k` on lane `k + 1` (right id, right value) |
//! | `reply-idle` | writes a reply for a call never made on every lane but 0, then serves lane 0 |
//! | `flood-idle` | fills every lane but 0 with replies without end, and serves lane 0 |
//! | `one-lane` | serves lane 0 only, as if it claimed one lane |
//!
//! `ok(x)` (function 0) is answered `x + 1`, on lane 0 200 ms late in the
//! last three modes (so that a second caller takes another lane meanwhile);
//! anything else ends it with exit code 9.

use std::os::fd::{FromRawFd, OwnedFd};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use ffi_isolate::domain::EXTRA_FD;
use ffi_isolate::ring::{ControlPage, Endpoint, Ring, Side};
use ffi_isolate::shm::{DomainLayout, RingLayout, SharedMemory};
use ffi_isolate::wait::{WaitConfig, Waiter};
use ffi_isolate::wire::{Header, Kind};
use ffi_tests::rogue::Rogue;

const ROGUE: Rogue = Rogue {
    name: "rogue-lanes-domain",
    max_frame: 1 << 20,
};

fn confused(what: &str) -> ! {
    ROGUE.confused(what)
}

fn recv(ep: &mut Endpoint) -> (Header, Vec<u8>) {
    ROGUE.recv(ep)
}

fn send(ep: &mut Endpoint, kind: Kind, index: u32, call_id: u64, payload: &[u8]) {
    ROGUE.send(ep, kind, index, call_id, payload)
}

fn frame(kind: Kind, index: u32, call_id: u64, payload: &[u8]) -> Vec<u8> {
    ROGUE.frame(kind, index, call_id, payload)
}

/// Lane 0 of the mapping, and the mapping: the other lanes are found once
/// the hello has said how large the bulk regions after them are.
fn first_lane() -> (Endpoint, Arc<SharedMemory>, usize) {
    // SAFETY: the client passes the shared memory as descriptor 3 and
    // nothing else in this fresh process owns that number.
    let fd = unsafe { OwnedFd::from_raw_fd(EXTRA_FD) };
    let whole = Arc::new(SharedMemory::from_fd(fd).unwrap_or_else(|e| confused(&e.to_string())));
    let ctrl = ControlPage::new(&whole);
    let order = |ring| ctrl.order(ring).load(Ordering::Acquire);
    let layout = RingLayout::new(order(Ring::Left), order(Ring::Right))
        .unwrap_or_else(|e| confused(&e.to_string()));
    let len = layout.total_len();
    let part = SharedMemory::part(&whole, 0, len).unwrap_or_else(|| confused("part"));
    let ep =
        Endpoint::attach(Arc::new(part), Side::Server).unwrap_or_else(|e| confused(&e.to_string()));
    (ep, whole, len)
}

/// Every lane of the mapping after lane 0, as the real server finds them.
fn other_lanes(whole: &Arc<SharedMemory>, lane_len: usize, hello: &[u8]) -> Vec<Endpoint> {
    let bulk_len = hello.get(24..32).map_or(0, |b| {
        u64::from_le_bytes(b.try_into().unwrap_or([0; 8])) as usize
    });
    let layout = DomainLayout::of_mapping(whole.len(), lane_len, bulk_len)
        .unwrap_or_else(|| confused("the mapping is not whole lanes"));
    (1..layout.lanes)
        .map(|i| {
            let part = layout.rings(whole, i).unwrap_or_else(|| confused("part"));
            Endpoint::attach(Arc::new(part), Side::Server)
                .unwrap_or_else(|e| confused(&e.to_string()))
        })
        .collect()
}

/// `ok(x)`'s reply: `x + 1`.
fn ok_reply(h: &Header, payload: &[u8]) -> [u8; 4] {
    if h.kind != Kind::Call || h.index != 0 || payload.len() != 4 {
        confused(&format!("expected a call of ok, got {h:?}"));
    }
    let x = i32::from_le_bytes([payload[0], payload[1], payload[2], payload[3]]);
    x.wrapping_add(1).to_le_bytes()
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let spec = ffi_tests::threads::parallel::server();
    let (first, whole, lane_len) = first_lane();
    let mut lanes = vec![first];
    let (h, hello) = recv(&mut lanes[0]);
    if h.kind != Kind::Hello {
        confused("the first frame is not a hello");
    }
    lanes.extend(other_lanes(&whole, lane_len, &hello));
    let n = lanes.len();
    send(
        &mut lanes[0],
        Kind::Welcome,
        0,
        h.call_id,
        &spec.fingerprint,
    );
    match mode.as_str() {
        "wrong-lane" => {
            // Each lane's calls answered on the next lane, from its own thread.
            let lanes: Vec<_> = lanes.into_iter().map(std::sync::Mutex::new).collect();
            let lanes = Arc::new(lanes);
            let threads: Vec<_> = (0..n)
                .map(|k| {
                    let lanes = lanes.clone();
                    std::thread::spawn(move || loop {
                        let (h, payload) = recv(&mut lanes[k].lock().unwrap());
                        let r = ok_reply(&h, &payload);
                        send(
                            &mut lanes[(k + 1) % n].lock().unwrap(),
                            Kind::Reply,
                            0,
                            h.call_id,
                            &r,
                        );
                    })
                })
                .collect();
            for t in threads {
                let _ = t.join();
            }
        }
        "reply-idle" | "flood-idle" | "one-lane" => {
            let mut lanes = lanes.into_iter();
            let Some(mut first) = lanes.next() else {
                confused("no lane")
            };
            // Attached, and (but for the attacks) never read or written.
            let mut others: Vec<Endpoint> = lanes.collect();
            if mode == "reply-idle" {
                for ep in &mut others {
                    send(ep, Kind::Reply, 0, 4242, &1i32.to_le_bytes());
                }
            }
            if mode == "flood-idle" {
                for mut ep in others.drain(..) {
                    std::thread::spawn(move || {
                        let f = frame(Kind::Reply, 0, 999_999, &1i32.to_le_bytes());
                        let w = Waiter::new(WaitConfig::default());
                        while ep.write_all(&f, &w).is_ok() {}
                    });
                }
            }
            loop {
                let (h, payload) = recv(&mut first);
                let r = ok_reply(&h, &payload);
                std::thread::sleep(std::time::Duration::from_millis(200));
                send(&mut first, Kind::Reply, 0, h.call_id, &r);
            }
        }
        _ => confused(&format!("unknown mode {mode:?}")),
    }
}
