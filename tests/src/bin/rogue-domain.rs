//! A rogue domain for the vocab description: what a domain whose library
//! took over its server loop can do at the level of frames, which a C
//! library could only do by writing well-formed frames by hand.
//!
//! It attaches to the ring at descriptor 3 as `ffi_isolate::server` does
//! (the launcher confined the process before it executed, as it confines
//! every domain), answers the client's hello with a valid welcome for the
//! vocab description, and then misbehaves as its first argument says:
//!
//! | mode | on every call |
//! | --- | --- |
//! | `flood-unknown-id` | callback frames of this call with a callback id the client never issued, without end, while draining what the client writes |
//! | `flood-unknown-stored` | the same with an id marked stored that no stored callback has |
//! | `flood-other-call` | callback frames with callback id 0 but the id of a call that was never made |
//! | `flood-valid` | callback frames of this call with callback id 0 (the callback `each` passes), without end, discarding the answers |
//! | `reply-other` | a reply carrying the id of another call |
//! | `nest` | `each`: one callback frame (id 0, value 7), and the reply (the callback's result) once it is answered: every call the callback makes is answered with another callback |
//! | `stored` | `set_logger`, `clear_logger`: an empty reply (the id is not kept); `log(level, msg)`: invokes the callback whose id is `level`, then replies 1 |
//!
//! Anything it does not expect ends it with exit code 9.

use std::os::fd::{FromRawFd, OwnedFd};
use std::sync::Arc;

use ffi_isolate::domain::EXTRA_FD;
use ffi_isolate::ring::{Endpoint, Side};
use ffi_isolate::shm::SharedMemory;
use ffi_isolate::wire::{Header, Kind};
use ffi_tests::rogue::Rogue;

const ROGUE: Rogue = Rogue {
    name: "rogue-domain",
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

/// Writes `frame` over and over, as fast as the client reads, and throws
/// away whatever the client writes; never returns (the client kills it).
fn flood(ep: &mut Endpoint, frame: &[u8]) -> ! {
    let mut pos = 0;
    let mut sink = vec![0u8; 64 << 10];
    let mut idle = 0u32;
    loop {
        let drained = ep.read(&mut sink).unwrap_or_else(|_| std::process::exit(0));
        let wrote = ep
            .write(&frame[pos..])
            .unwrap_or_else(|_| std::process::exit(0));
        pos = (pos + wrote) % frame.len();
        if drained == 0 && wrote == 0 {
            idle += 1;
            if idle % 64 == 0 {
                std::thread::yield_now();
            } else {
                std::hint::spin_loop();
            }
        } else {
            idle = 0;
        }
    }
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let spec = ffi_tests::vocab::vocab::server();
    let desc = ffi_tests::vocab::vocab::description();
    let index_of = |name: &str| {
        desc.functions
            .iter()
            .position(|f| f.name == name)
            .and_then(|i| u32::try_from(i).ok())
            .unwrap_or_else(|| confused(&format!("no function {name}")))
    };
    let (each, set_logger, log, clear_logger) = (
        index_of("each"),
        index_of("set_logger"),
        index_of("log"),
        index_of("clear_logger"),
    );

    // SAFETY: the client passes the shared memory as descriptor 3 and
    // nothing else in this fresh process owns that number.
    let fd = unsafe { OwnedFd::from_raw_fd(EXTRA_FD) };
    let shm = Arc::new(SharedMemory::from_fd(fd).unwrap_or_else(|e| confused(&e.to_string())));
    let mut ep = Endpoint::attach(shm, Side::Server).unwrap_or_else(|e| confused(&e.to_string()));

    // A valid handshake: the client must believe it speaks to vocab.
    let (h, _) = recv(&mut ep);
    if h.kind != Kind::Hello {
        confused("the first frame is not a hello");
    }
    send(&mut ep, Kind::Welcome, 0, h.call_id, &spec.fingerprint);

    let value = 7i32.to_le_bytes();
    loop {
        let (h, payload) = recv(&mut ep);
        match (mode.as_str(), h.kind) {
            ("flood-unknown-id", Kind::Call) => {
                flood(&mut ep, &frame(Kind::Callback, 0x4242, h.call_id, &value))
            }
            ("flood-unknown-stored", Kind::Call) => flood(
                &mut ep,
                &frame(
                    Kind::Callback,
                    ffi_desc::isolated::STORED_CALLBACK | 0x4242,
                    h.call_id,
                    &value,
                ),
            ),
            ("flood-other-call", Kind::Call) => flood(
                &mut ep,
                &frame(Kind::Callback, 0, h.call_id.wrapping_add(1000), &value),
            ),
            ("flood-valid", Kind::Call) => {
                flood(&mut ep, &frame(Kind::Callback, 0, h.call_id, &value))
            }
            ("reply-other", Kind::Call) => send(
                &mut ep,
                Kind::Reply,
                h.index,
                h.call_id.wrapping_add(1000),
                &0i32.to_le_bytes(),
            ),
            ("nest", Kind::Call) if h.index == each => {
                // Every call, nested or not, is answered with a callback.
                send(&mut ep, Kind::Callback, 0, h.call_id, &value);
            }
            ("nest", Kind::CallbackReply) => {
                // Answered: finish that call, whose result is the callback's.
                let mut r = [0u8; 4];
                r.copy_from_slice(payload.get(..4).unwrap_or(&[0; 4]));
                send(&mut ep, Kind::Reply, each, h.call_id, &r);
            }
            ("stored", Kind::Call) if h.index == set_logger || h.index == clear_logger => {
                send(&mut ep, Kind::Reply, h.index, h.call_id, &[]);
            }
            ("stored", Kind::Call) if h.index == log => {
                // `log(level, msg)`: call back the id the caller put in `level`.
                let level = payload
                    .get(..4)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .unwrap_or_else(|| confused("short log request"));
                let mut args = Vec::new();
                ffi_desc::wire::Wire::put(&1i32, &mut args);
                ffi_desc::wire::put_opt_str(Some(c"from the rogue"), &mut args);
                send(&mut ep, Kind::Callback, level, h.call_id, &args);
                let (a, _) = recv(&mut ep);
                if a.kind != Kind::CallbackReply || a.call_id != h.call_id {
                    confused(&format!("expected the callback's answer, got {a:?}"));
                }
                send(&mut ep, Kind::Reply, log, h.call_id, &1i32.to_le_bytes());
            }
            (_, kind) => confused(&format!("mode {mode:?}: unexpected {kind:?} frame")),
        }
    }
}
