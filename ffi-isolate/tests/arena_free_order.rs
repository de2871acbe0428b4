//! The shared arena's allocator does bounded work per call whatever the
//! order in which buffers are freed: half a million 64-byte blocks of the
//! default 64 MiB arena freed from the top down, then the rest from the
//! bottom up, and allocations among the holes. (A free list kept sorted in
//! a vector took about 50 s, in release, for the first half alone, holding
//! the allocator's lock throughout.)

use std::time::{Duration, Instant};

use ffi_desc::shared::{SharedBufError, SharedSpace, SHARED_ALIGN};
use ffi_isolate::arena::Arena;

#[test]
fn freeing_in_any_order_is_not_quadratic() {
    let len = 64 << 20;
    let arena = Arena::create(len).unwrap();
    let blocks = len / SHARED_ALIGN;
    let all: Vec<_> = (0..blocks).map(|_| arena.alloc(1).unwrap()).collect();
    let began = Instant::now();
    for &p in all.iter().step_by(2).rev() {
        // SAFETY: blocks of this arena with the size they were asked for,
        // each returned once.
        unsafe { arena.free(p, 1) };
    }
    assert_eq!(arena.free_bytes(), len / 2);
    // Only 64-byte holes: a larger block fails at once, a small one fits.
    for _ in 0..1000 {
        assert!(matches!(
            arena.alloc(SHARED_ALIGN + 1),
            Err(SharedBufError::Full { .. })
        ));
    }
    let again = arena.alloc(SHARED_ALIGN).unwrap();
    // SAFETY: as above.
    unsafe { arena.free(again, SHARED_ALIGN) };
    for &p in all.iter().skip(1).step_by(2) {
        // SAFETY: as above.
        unsafe { arena.free(p, 1) };
    }
    assert_eq!(arena.free_bytes(), len);
    let took = began.elapsed();
    assert!(took < Duration::from_secs(20), "{took:?}");
    let whole = arena.alloc(len).unwrap();
    // SAFETY: as above.
    unsafe { arena.free(whole, len) };
}
