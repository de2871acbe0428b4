//! The out arena without the read-only one, and a `SharedOut` that takes
//! the whole out arena: each incarnation finds descriptor 5 whether or not
//! descriptor 4 holds a shared arena, C fills the buffer in place up to the
//! arena's last byte, and a restart maps the same arena again.

use std::time::{Duration, Instant};

use ffi_desc::shared::{SharedBuf, SharedBufError};
use ffi_desc::shared_out::SharedOut;
use ffi_isolate::{Domain, IsolatedOptions};
use ffi_tests::harness;
use ffi_tests::harness::check::domain;
use ffi_tests::vocab::vocab::*;

const MIB: usize = 1 << 20;

fn isolated(f: impl FnOnce(&mut IsolatedOptions)) -> VocabIsolated {
    let mut o = harness::isolated_options("vocab-domain");
    f(&mut o);
    Domain::launch(o).expect("start the vocab domain")
}

/// Calls `fill` until a new incarnation answers (after a kill).
fn fill_after_kill(lib: &VocabIsolated, buf: &mut SharedOut<u8>, x: u8) -> usize {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match lib.fill(buf, x) {
            Ok(n) => return n,
            Err(_) if Instant::now() < deadline => {}
            Err(e) => panic!("no new incarnation: {e:?}"),
        }
    }
}

#[test]
fn an_out_arena_without_a_shared_arena_is_filled_in_place() {
    let lib = isolated(|o| {
        o.shared_arena = 0;
        o.out_arena = 2 * MIB;
    });
    assert_eq!(
        SharedBuf::<u8>::new(&lib, 16).unwrap_err(),
        SharedBufError::NoArena
    );
    let mut buf = SharedOut::<u8>::new(&lib, MIB).unwrap();
    assert!(buf.is_shared());
    assert_eq!(lib.fill(&mut buf, 0x3c).unwrap(), MIB);
    assert!(buf.iter().all(|b| b == 0x3c));
    // A new incarnation maps the out arena from the same descriptor number.
    let d = domain(lib.channel());
    let pid = d.pid().expect("a running domain");
    // SAFETY: a signal to the domain process this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    assert_eq!(fill_after_kill(&lib, &mut buf, 0x3d), MIB);
    assert!(buf.iter().all(|b| b == 0x3d));
    assert_ne!(d.pid(), Some(pid));
    // Slices still travel through the region.
    let mut v = vec![0u8; MIB];
    assert_eq!(lib.fill(&mut v, 0x3e).unwrap(), MIB);
    assert!(v.iter().all(|&b| b == 0x3e));
}

#[test]
fn a_shared_out_of_the_whole_arena_is_filled_to_its_last_byte() {
    for (shared, len) in [(0, MIB), (MIB, MIB), (0, 4096)] {
        let lib = isolated(|o| {
            o.shared_arena = shared;
            o.out_arena = len;
        });
        let mut all = SharedOut::<u8>::new(&lib, len).unwrap();
        assert!(SharedOut::<u8>::new(&lib, 1).is_err(), "the arena is full");
        assert_eq!(lib.fill(&mut all, 0x81).unwrap(), len);
        assert_eq!(all.get(len - 1), Some(0x81));
        assert_eq!(all.get(len), None);
        let copy = all.to_vec();
        assert!(copy.iter().all(|&b| b == 0x81), "{shared} {len}");
        // Ints over the same bytes, once the first buffer is back.
        drop(all);
        let mut ints = SharedOut::<i32>::new(&lib, len / 4).unwrap();
        let a: Vec<i32> = (0..(len / 4) as i32).collect();
        lib.add_vec(&a, &a, &mut ints).unwrap();
        assert!(ints.iter().enumerate().all(|(i, v)| v == 2 * i as i32));
    }
}

#[test]
fn without_either_arena_slices_still_work() {
    let lib = isolated(|o| {
        o.shared_arena = 0;
        o.out_arena = 0;
    });
    assert_eq!(
        SharedOut::<u8>::new(&lib, 16).unwrap_err(),
        SharedBufError::NoArena
    );
    let mut v = vec![0u8; MIB];
    assert_eq!(lib.fill(&mut v, 5).unwrap(), MIB);
    assert!(v.iter().all(|&b| b == 5));
    let mut s = SharedOut::<u8>::in_space(None, 4096).unwrap();
    assert_eq!(lib.fill(&mut s, 6).unwrap(), 4096);
    assert!(s.iter().all(|b| b == 6));
}
