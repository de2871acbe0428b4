//! The ring across two processes: the test binary re-runs itself as the
//! server, handing it the memfd as an inherited descriptor (the way the
//! domain launcher hands the shared memory to the domain).

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ffi_isolate::ring::{Endpoint, RingError, Side};
use ffi_isolate::shm::{RingLayout, SharedMemory};
use ffi_isolate::wait::{WaitConfig, Waiter};

const CHILD_FD: &str = "FFI_ISOLATE_RING_CHILD_FD";

/// Runs only inside the child process: an echo server that complements
/// every byte, until the client closes. Does nothing in a normal test run.
#[test]
fn child_echo_server() {
    let Ok(fd) = std::env::var(CHILD_FD) else {
        return;
    };
    let fd: i32 = fd.parse().unwrap();
    // SAFETY: the parent put this descriptor number in the environment for
    // us; it was inherited across exec and nothing else in this process owns
    // or closes it.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let shm = Arc::new(SharedMemory::from_fd(fd).unwrap());
    let mut server = Endpoint::attach(shm, Side::Server).unwrap();
    let parent = rustix::process::getppid();
    // If the parent dies without closing, notice it within a park slice.
    let orphaned = move || rustix::process::getppid() != parent;
    let w = Waiter::new(WaitConfig::default()).with_abort(&orphaned);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match server.read(&mut buf) {
            Ok(0) => match server.wait_readable(&w) {
                Ok(_) => {}
                Err(RingError::PeerClosed) => return,
                Err(e) => panic!("child: {e}"),
            },
            Ok(n) => {
                for b in &mut buf[..n] {
                    *b = !*b;
                }
                server.write_all(&buf[..n], &w).unwrap();
            }
            Err(RingError::PeerClosed) => return,
            Err(e) => panic!("child: {e}"),
        }
    }
}

#[test]
fn echo_across_two_processes() {
    let layout = RingLayout::new(14, 14).unwrap();
    let shm = Arc::new(SharedMemory::create_for(layout).unwrap());
    let mut client = Endpoint::create(shm.clone(), Side::Client, layout).unwrap();
    // dup(2) gives a descriptor without close-on-exec, so the child inherits it.
    let inherited = rustix::io::dup(shm.fd()).unwrap();
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "child_echo_server",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_FD, inherited.as_raw_fd().to_string())
        // Keep the child's own test-harness report out of ours.
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(inherited);

    let w = Waiter::new(WaitConfig::default()).with_timeout(Duration::from_secs(120));
    // Bulk: 4 MiB in 10 000-byte pieces, each echoed back complemented.
    let mut x = 0x1234_5678u32;
    let data: Vec<u8> = (0..4 << 20)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    let mut back = vec![0u8; 10_000];
    for piece in data.chunks(10_000) {
        client.write_all(piece, &w).unwrap();
        client.read_exact(&mut back[..piece.len()], &w).unwrap();
        assert!(piece.iter().zip(&back).all(|(a, b)| *a == !*b));
    }

    // Small ping-pong across processes, spinning, then parking at once.
    for (name, spin) in [
        ("spinning", Duration::from_millis(100)),
        ("parking", Duration::ZERO),
    ] {
        let w = Waiter::new(WaitConfig {
            spin,
            park_slice: WaitConfig::DEFAULT_PARK_SLICE,
        })
        .with_timeout(Duration::from_secs(60));
        let rounds = 2000;
        let mut msg = [0u8; 8];
        let start = Instant::now();
        for i in 0..rounds {
            msg[0] = i as u8;
            client.write_all(&msg, &w).unwrap();
            client.read_exact(&mut msg, &w).unwrap();
            assert_eq!(msg[0], !(i as u8));
        }
        println!(
            "cross-process ping-pong (8 bytes, client {name}; server default spin): {:.2} µs per round trip",
            start.elapsed().as_secs_f64() * 1e6 / f64::from(rounds)
        );
    }

    drop(client);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "child: {}\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
