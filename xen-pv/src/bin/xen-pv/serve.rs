//! The serving mode (`serve` on the kernel command line): the unikernel
//! is a vchan *server* for dom0 and serves pure-Rust functions over the
//! project's frames, one session per connection, publishing a new vchan
//! after each, until a client calls `stop` (or none connects in time).
//!
//! | index | function | reply |
//! | --- | --- | --- |
//! | 0 | `reverse` | the bytes reversed |
//! | 1 | `sum_u32` | the sum of little-endian `u32`s, as a `u64` |
//! | 2 | `fnv1a64` | the 64-bit FNV-1a hash of the bytes |
//! | 3 | `bye` | nothing; the session ends |
//! | 4 | `stop` | nothing; the session and the service end |

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use xen_pv::platform::Platform;
use xen_pv::println;
use xen_pv::serve::{self, Answer, End, Service, Then};
use xen_pv::vchan::server::ONE_PAGE;
use xen_pv::vchan::{VchanError, VchanServer};
use xen_pv::xenstore::XenStore;

/// The fingerprint a client's hello must name.
pub const FINGERPRINT: [u8; 16] = *b"xen-pv: rust fns";

/// The longest call accepted: larger than both rings, so calls stream.
const MAX_PAYLOAD: usize = 64 << 10;

/// How long a client may take to connect, and to send or take one frame.
const CONNECT_MS: u64 = 60_000;
const FRAME_MS: u64 = 5_000;

/// Sessions served at most.
const MAX_SESSIONS: u32 = 16;

struct RustFns {
    stopped: bool,
}

fn fnv1a64(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl Service for RustFns {
    fn fingerprint(&self) -> [u8; 16] {
        FINGERPRINT
    }

    fn max_payload(&self) -> usize {
        MAX_PAYLOAD
    }

    fn call(&mut self, index: u32, args: &[u8]) -> (Answer, Then) {
        match index {
            0 => (Ok(args.iter().rev().copied().collect()), Then::Continue),
            1 if args.len() % 4 != 0 => (
                Err(format!("sum_u32: {} bytes are not u32s", args.len())),
                Then::Continue,
            ),
            1 => {
                let sum: u64 = args
                    .chunks_exact(4)
                    .map(|c| u64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]])))
                    .sum();
                (Ok(sum.to_le_bytes().to_vec()), Then::Continue)
            }
            2 => (Ok(fnv1a64(args).to_le_bytes().to_vec()), Then::Continue),
            3 => (Ok(Vec::new()), Then::End),
            4 => {
                self.stopped = true;
                (Ok(Vec::new()), Then::End)
            }
            n => (Err(format!("no function {n}")), Then::Continue),
        }
    }
}

fn describe(end: &End) -> String {
    match end {
        End::Asked => "ended by the client's request".into(),
        End::ClientClosed => "the client closed".into(),
        End::Refused => "a foreign fingerprint, refused".into(),
        End::Violation(why) => format!("a protocol violation, answered by a fault: {why}"),
        End::Failed(e) => format!("failed: {e}"),
    }
}

/// Serves dom0 until it calls `stop`.
pub fn run(platform: &Platform, xs: &mut XenStore<'_>, me: u16) -> Result<(), String> {
    let path = format!("/local/domain/{me}/data/vchan/0/rust");
    println!("xen-pv serve: serving domain 0 under data/vchan/0/rust");
    let mut fns = RustFns { stopped: false };
    let (mut kept, mut timings) = (0, Vec::new());
    for n in 1..=MAX_SESSIONS {
        let t0 = platform.now();
        let mut server = VchanServer::publish(platform, xs, me, 0, &path, ONE_PAGE)
            .map_err(|e| format!("publish {path}: {e}"))?;
        if n == 1 {
            let (tx, rx) = server.ring_sizes();
            println!("xen-pv serve: one granted page, rings of {rx} (in) and {tx} (out) bytes");
        }
        match server.wait_connected(platform.deadline_ms(CONNECT_MS)) {
            Ok(()) => {}
            Err(VchanError::Timeout) => {
                server.close(xs).map_err(|e| format!("close: {e}"))?;
                println!("xen-pv serve: no client within {} s", CONNECT_MS / 1000);
                break;
            }
            Err(e) => {
                // A client that came and went (or wrote nonsense into its
                // live byte) before we looked: the next one gets a new vchan.
                kept += server.close(xs).map_err(|e| format!("close: {e}"))?;
                println!("xen-pv serve: session {n}: the client left before connecting: {e}");
                continue;
            }
        }
        let t1 = platform.now();
        let report = serve::session(&mut server, &mut fns, &|| platform.deadline_ms(FRAME_MS));
        kept += server.close(xs).map_err(|e| format!("close: {e}"))?;
        timings.push((
            t1.since(t0) / 1_000_000,
            platform.now().since(t1) / 1_000_000,
        ));
        println!(
            "xen-pv serve: session {n}: {} replies, {} faults, {}",
            report.replies,
            report.faults,
            describe(&report.end)
        );
        if fns.stopped {
            break;
        }
    }
    println!(
        "xen-pv serve: {} sessions; pages the client still mapped after a close: {kept}",
        timings.len()
    );
    let shown: Vec<String> = timings
        .iter()
        .map(|(wait, served)| format!("{wait}+{served}"))
        .collect();
    println!(
        "xen-pv serve: per session, ms waiting for the client + ms served: {}",
        shown.join(" ")
    );
    Ok(())
}
