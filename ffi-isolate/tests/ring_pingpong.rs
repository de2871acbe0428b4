//! Measures (and prints; asserts nothing about timings) the round trip of a
//! small message between two threads over the ring. Run with
//! `cargo test -p ffi-isolate --test ring_pingpong -- --nocapture`, ideally
//! with `--release`.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use ffi_isolate::ring::{Endpoint, Side};
use ffi_isolate::shm::{RingLayout, SharedMemory};
use ffi_isolate::wait::{WaitConfig, Waiter};

fn round_trip(cfg: WaitConfig, rounds: u32) -> Duration {
    let layout = RingLayout::new(10, 11).unwrap();
    let shm = Arc::new(SharedMemory::create_for(layout).unwrap());
    let mut client = Endpoint::create(shm.clone(), Side::Client, layout).unwrap();
    let mut server = Endpoint::attach(shm, Side::Server).unwrap();
    let echo = thread::spawn(move || {
        let w = Waiter::new(cfg).with_timeout(Duration::from_secs(120));
        let mut msg = [0u8; 8];
        for _ in 0..rounds {
            server.read_exact(&mut msg, &w).unwrap();
            server.write_all(&msg, &w).unwrap();
        }
    });
    let w = Waiter::new(cfg).with_timeout(Duration::from_secs(120));
    let mut msg = [0u8; 8];
    // Warm up, then measure.
    let warm = rounds / 10;
    let mut start = Instant::now();
    for i in 0..rounds {
        if i == warm {
            start = Instant::now();
        }
        msg[..4].copy_from_slice(&i.to_ne_bytes());
        client.write_all(&msg, &w).unwrap();
        client.read_exact(&mut msg, &w).unwrap();
        assert_eq!(msg[..4], i.to_ne_bytes());
    }
    let per = start.elapsed() / (rounds - warm);
    echo.join().unwrap();
    per
}

#[test]
fn ping_pong_round_trip() {
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let spin = round_trip(
        WaitConfig {
            spin: Duration::from_millis(100),
            park_slice: WaitConfig::DEFAULT_PARK_SLICE,
        },
        20_000,
    );
    println!("ring ping-pong, 8 bytes, two threads, spinning ({profile}): {spin:?} per round trip");
    let dflt = round_trip(WaitConfig::default(), 20_000);
    println!(
        "ring ping-pong, 8 bytes, two threads, default config ({profile}): {dflt:?} per round trip"
    );
    let park = round_trip(
        WaitConfig {
            spin: Duration::ZERO,
            park_slice: WaitConfig::DEFAULT_PARK_SLICE,
        },
        2_000,
    );
    println!("ring ping-pong, 8 bytes, two threads, parking at once ({profile}): {park:?} per round trip");
}
