//! The shared arena's descriptor and mapping are released with the last of
//! the linkage and its buffers, through restarts and a spare: none is left
//! open or mapped in the client. (A test binary of its own: it counts this
//! process's descriptors and mappings, which other tests would change.)

use std::time::Duration;

use ffi_desc::shared::SharedBuf;
use ffi_isolate::Domain;
use ffi_tests::harness;
use ffi_tests::harness::check::domain;
use ffi_tests::harness::memfds;
use ffi_tests::vocab::vocab::*;

/// What names the shared arena's memfd.
const ARENA: &str = "ffi-isolate-arena";

#[test]
fn the_arena_is_released_with_its_last_user() {
    assert_eq!(memfds::count(ARENA), (0, 0));
    for spare in [false, true] {
        let mut o = harness::isolated_options("vocab-domain");
        o.spare = spare;
        o.deadline = Duration::from_secs(20);
        let lib: VocabIsolated = Domain::launch(o).expect("start the vocab domain");
        let xs = SharedBuf::<i32>::from_slice(&lib, &[1; 100_000]).unwrap();
        assert!(xs.is_shared());
        assert_eq!(lib.sum(&xs).unwrap(), 100_000);
        for _ in 0..3 {
            domain(lib.channel()).restart().unwrap();
            assert_eq!(lib.sum(&xs).unwrap(), 100_000);
        }
        // One descriptor (the client's) and one mapping, however many
        // incarnations were given it.
        if spare {
            memfds::spare_started(domain(lib.channel()));
        }
        assert_eq!(memfds::settled(ARENA, (1, 1)), (1, 1), "spare {spare}");
        drop(lib);
        assert_eq!(memfds::count(ARENA).1, 1, "the buffer keeps the mapping");
        drop(xs);
        assert_eq!(memfds::settled(ARENA, (0, 0)), (0, 0), "spare {spare}");
    }
}
