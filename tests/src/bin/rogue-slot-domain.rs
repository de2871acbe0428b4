//! A rogue domain for the vocab description that says in its welcome that
//! it reads the call slot, and then attacks the client through the reply
//! slot ([`ffi_isolate::slot`]), as its first argument says. It serves
//! only `int1(a)`, whose honest answer here is `a + 1` (the library's is
//! `a`: a result of `a + 1` proves the answer came from this domain).
//!
//! | mode | on every call |
//! | --- | --- |
//! | `echo` | the answer, in the reply slot |
//! | `ring` | the answer, as a reply frame on the ring |
//! | `late` | the answer on the ring, then `666` in the reply slot, after the client took the first |
//! | `long` | a reply head with the next number and a length beyond the slot |
//! | `tag` | a reply head with the next number and the kind of a call |
//! | `other-call` | the answer in the slot, with the id of another call |
//! | `stale` | the answer in the slot with the number of the last message, not the next |
//! | `both` | the answer in the slot and on the ring |
//! | `scribble` | the answer in the slot, while a thread writes random words over the whole slot without end |
//!
//! Anything it does not expect ends it with exit code 9.

use std::os::fd::{FromRawFd, OwnedFd};
use std::sync::Arc;
use std::time::Duration;

use ffi_isolate::domain::EXTRA_FD;
use ffi_isolate::ring::{Endpoint, Side};
use ffi_isolate::server::WELCOME_SLOTS;
use ffi_isolate::shm::{RingLayout, SharedMemory, SLOT_WORDS};
use ffi_isolate::slot::{head, SlotMessage, SLOT_PAYLOAD};
use ffi_isolate::wait::{Arrival, WaitConfig, Waiter};
use ffi_isolate::wire::Kind;
use ffi_tests::rogue::Rogue;

const ROGUE: Rogue = Rogue {
    name: "rogue-slot-domain",
    max_frame: 1 << 20,
};

fn confused(what: &str) -> ! {
    ROGUE.confused(what)
}

/// The next call, from the call slot.
fn next_call(ep: &mut Endpoint) -> SlotMessage {
    let waiter = Waiter::new(WaitConfig::default());
    match ep.wait_arrival(&waiter) {
        Ok(Arrival::Slot(call)) if call.kind == Kind::Call => call,
        Ok(Arrival::Slot(other)) => confused(&format!("a {:?} message in the slot", other.kind)),
        Ok(Arrival::Ring(_)) => confused("a frame on the ring where a call in the slot was due"),
        Err(_) => std::process::exit(0),
    }
}

/// Writes word `i` of the reply slot (the head is word 0).
fn put(ep: &Endpoint, i: usize, value: u64) {
    if let Some(w) = ep.event_page().slot_word(Side::Server, i) {
        w.store(value, std::sync::atomic::Ordering::Release);
    }
}

/// Writes random words over the reply slot until the process ends.
fn scribble(shm: Arc<SharedMemory>, layout: RingLayout) {
    let Some(page) = shm.event_page(layout) else {
        return;
    };
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    loop {
        for i in 0..SLOT_WORDS {
            // xorshift: cheap, and every bit pattern comes.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if let Some(w) = page.slot_word(Side::Server, i) {
                w.store(x, std::sync::atomic::Ordering::Relaxed);
            }
        }
        std::hint::spin_loop();
    }
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let spec = ffi_tests::vocab::vocab::server();
    let desc = ffi_tests::vocab::vocab::description();
    let int1 = desc
        .functions
        .iter()
        .position(|f| f.name == "int1")
        .and_then(|i| u32::try_from(i).ok())
        .unwrap_or_else(|| confused("no function int1"));

    // SAFETY: the client passes the shared memory as descriptor 3 and
    // nothing else in this fresh process owns that number.
    let fd = unsafe { OwnedFd::from_raw_fd(EXTRA_FD) };
    let shm = Arc::new(SharedMemory::from_fd(fd).unwrap_or_else(|e| confused(&e.to_string())));
    let mut ep =
        Endpoint::attach(shm.clone(), Side::Server).unwrap_or_else(|e| confused(&e.to_string()));

    let (h, _) = ROGUE.recv(&mut ep);
    if h.kind != Kind::Hello {
        confused("the first frame is not a hello");
    }
    let welcome = [&spec.fingerprint[..], &[WELCOME_SLOTS]].concat();
    ROGUE.send(&mut ep, Kind::Welcome, 0, h.call_id, &welcome);
    if mode == "scribble" {
        // The default sandbox lets a domain start threads (a server's
        // lanes are threads).
        let layout = ep.layout();
        std::thread::spawn(move || scribble(shm, layout));
    }

    // The number of the next message written into the reply slot by hand
    // (the modes that do so end the incarnation at their first).
    let next = 1u32;
    loop {
        let call = next_call(&mut ep);
        if call.index != int1 {
            confused(&format!(
                "a call of function {} (only int1 is served)",
                call.index
            ));
        }
        let a = call
            .payload
            .get(..4)
            .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .unwrap_or_else(|| confused("a short int1 request"));
        let answer = a.wrapping_add(1).to_le_bytes();
        let in_slot = |ep: &mut Endpoint, call_id: u64, bytes: &[u8]| {
            if ep.send_in_slot(Kind::Reply, int1, call_id, bytes).is_err() {
                std::process::exit(0)
            }
        };
        match mode.as_str() {
            "echo" | "scribble" => in_slot(&mut ep, call.call_id, &answer),
            "ring" => ROGUE.send(&mut ep, Kind::Reply, int1, call.call_id, &answer),
            "late" => {
                ROGUE.send(&mut ep, Kind::Reply, int1, call.call_id, &answer);
                // Long enough for the client to have taken the ring's.
                std::thread::sleep(Duration::from_millis(5));
                in_slot(&mut ep, call.call_id, &666i32.to_le_bytes());
            }
            "long" => put(
                &ep,
                0,
                head(next, SLOT_PAYLOAD as u16 + 1, Kind::Reply as u16),
            ),
            "tag" => put(&ep, 0, head(next, 4, Kind::Call as u16)),
            "other-call" => in_slot(&mut ep, call.call_id.wrapping_add(1000), &answer),
            "stale" => {
                put(&ep, 1, call.call_id);
                put(&ep, 2, u64::from(int1));
                put(&ep, 3, u64::from(u32::from_le_bytes(answer)));
                put(&ep, 0, head(next - 1, 4, Kind::Reply as u16));
            }
            "both" => {
                in_slot(&mut ep, call.call_id, &answer);
                ROGUE.send(&mut ep, Kind::Reply, int1, call.call_id, &answer);
            }
            other => confused(&format!("unknown mode {other:?}")),
        }
    }
}
