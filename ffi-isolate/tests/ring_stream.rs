//! Streaming through the ring between two threads: both directions, every
//! order, messages much larger than the ring, and indices that wrap.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use ffi_isolate::ring::{Endpoint, RingError, Side};
use ffi_isolate::shm::{RingLayout, SharedMemory};
use ffi_isolate::wait::{WaitConfig, Waiter};

fn pair(left: u16, right: u16, start: u32) -> (Endpoint, Endpoint) {
    let layout = RingLayout::new(left, right).unwrap();
    let shm = Arc::new(SharedMemory::create_for(layout).unwrap());
    let client = Endpoint::create_at(shm.clone(), Side::Client, layout, start).unwrap();
    // The server gets its own mapping of the same memfd, as it would in the
    // domain.
    let fd = shm.fd().try_clone_to_owned().unwrap();
    let server_shm = Arc::new(SharedMemory::from_fd(fd).unwrap());
    let server = Endpoint::attach(server_shm, Side::Server).unwrap();
    (client, server)
}

fn waiter() -> Waiter<'static> {
    Waiter::new(WaitConfig::default()).with_timeout(Duration::from_secs(120))
}

/// A byte sequence that is cheap to make and has no short period.
fn pattern(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn streams_64_mib_through_a_64_kib_ring() {
    const LEN: usize = 64 << 20;
    let (mut client, mut server) = pair(16, 16, 0);
    assert_eq!(client.write_ring_size(), 64 << 10);
    let data = pattern(0x5eed, LEN);
    let expected = data.clone();
    let start = Instant::now();
    let writer = thread::spawn(move || {
        client.write_all(&data, &waiter()).unwrap();
        client
    });
    let mut got = vec![0u8; LEN];
    server.read_exact(&mut got, &waiter()).unwrap();
    let elapsed = start.elapsed();
    let client = writer.join().unwrap();
    if let Some(i) = got.iter().zip(&expected).position(|(a, b)| a != b) {
        panic!("byte {i} differs: {} != {}", got[i], expected[i]);
    }
    println!(
        "64 MiB through a 64 KiB ring in {elapsed:?} ({:.0} MiB/s)",
        64.0 / elapsed.as_secs_f64()
    );
    drop(client);
    assert_eq!(server.read(&mut [0u8; 1]), Err(RingError::PeerClosed));
}

/// The server echoes every chunk back complemented; the client checks it.
fn echo_round_trip(left: u16, right: u16, start: u32, total: usize) {
    let (mut client, mut server) = pair(left, right, start);
    let chunk = (client.write_ring_size().min(client.read_ring_size()) * 3 / 4).max(1) + 5;
    let echo = thread::spawn(move || {
        let w = waiter();
        let mut buf = vec![0u8; chunk];
        loop {
            match server.read(&mut buf) {
                Ok(0) => match server.wait_readable(&w) {
                    Ok(_) => continue,
                    Err(RingError::PeerClosed) => return,
                    Err(e) => panic!("{e}"),
                },
                Ok(n) => {
                    let out: Vec<u8> = buf[..n].iter().map(|b| !b).collect();
                    server.write_all(&out, &w).unwrap();
                }
                Err(RingError::PeerClosed) => return,
                Err(e) => panic!("{e}"),
            }
        }
    });
    let data = pattern(u64::from(left) << 8 | u64::from(right), total);
    let w = waiter();
    let mut back = vec![0u8; chunk];
    for piece in data.chunks(chunk) {
        client.write_all(piece, &w).unwrap();
        client.read_exact(&mut back[..piece.len()], &w).unwrap();
        for (a, b) in piece.iter().zip(&back) {
            assert_eq!(*a, !*b, "orders {left}/{right}");
        }
    }
    drop(client);
    echo.join().unwrap();
}

#[test]
fn every_order_both_directions() {
    for order in 10..=20u16 {
        let partner = match order {
            10 => 11,
            11 => 10,
            o => o,
        };
        let size = 1usize << order;
        echo_round_trip(order, partner, 0, 3 * size + 17);
        if order >= 12 {
            // Unequal rings: a big one beside an in-page one, and the reverse.
            let small = if order == 20 { 11 } else { 10 };
            echo_round_trip(order, small, 7, 2 * size + 3);
            echo_round_trip(small, order, 7, 2 * size + 3);
        }
    }
}

#[test]
fn indices_wrap_around_u32() {
    for start in [u32::MAX, u32::MAX - 1, u32::MAX - 1000, u32::MAX - 40_000] {
        echo_round_trip(10, 11, start, 200_000);
        echo_round_trip(16, 12, start, 1 << 20);
    }
}

#[test]
fn writer_blocks_until_reader_drains() {
    let (mut client, mut server) = pair(12, 12, 0);
    let cfg = WaitConfig {
        spin: Duration::ZERO,
        park_slice: Duration::from_millis(10),
    };
    let t = thread::spawn(move || {
        let w = Waiter::new(cfg).with_timeout(Duration::from_secs(60));
        client.write_all(&[9u8; 10_000], &w).unwrap();
        client
    });
    thread::sleep(Duration::from_millis(50));
    let mut got = vec![0u8; 10_000];
    server
        .read_exact(
            &mut got,
            &Waiter::new(cfg).with_timeout(Duration::from_secs(60)),
        )
        .unwrap();
    assert!(got.iter().all(|&b| b == 9));
    drop(t.join().unwrap());
}
