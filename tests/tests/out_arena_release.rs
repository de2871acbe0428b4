//! The out-arena's descriptor and mapping are released with the last of
//! the linkage and its `SharedOut`s, through restarts and a spare: none is
//! left open or mapped in the client. (A test binary of its own: it counts
//! this process's descriptors and mappings, which other tests would change.)

use std::time::Duration;

use ffi_desc::shared_out::SharedOut;
use ffi_isolate::Domain;
use ffi_tests::harness;
use ffi_tests::harness::check::domain;
use ffi_tests::harness::memfds;
use ffi_tests::vocab::vocab::*;

/// What names the out-arena's memfd.
const OUT_ARENA: &str = "ffi-isolate-out";

#[test]
fn the_out_arena_is_released_with_its_last_user() {
    assert_eq!(memfds::count(OUT_ARENA), (0, 0));
    for spare in [false, true] {
        let mut o = harness::isolated_options("vocab-domain");
        o.spare = spare;
        o.deadline = Duration::from_secs(20);
        let lib: VocabIsolated = Domain::launch(o).expect("start the vocab domain");
        let mut buf = SharedOut::<u8>::new(&lib, 100_000).unwrap();
        assert!(buf.is_shared());
        for round in 0..3u8 {
            assert_eq!(lib.fill(&mut buf, round).unwrap(), 100_000);
            domain(lib.channel()).restart().unwrap();
        }
        // One descriptor (the client's) and one mapping, however many
        // incarnations were given it.
        if spare {
            memfds::spare_started(domain(lib.channel()));
        }
        let held = memfds::settled(OUT_ARENA, (1, 1));
        assert_eq!(held, (1, 1), "spare {spare}");
        drop(lib);
        assert_eq!(
            memfds::count(OUT_ARENA).1,
            1,
            "the buffer keeps the mapping"
        );
        assert_eq!(buf.get(99_999), Some(2));
        drop(buf);
        let left = memfds::settled(OUT_ARENA, (0, 0));
        assert_eq!(left, (0, 0), "spare {spare}");
    }
}
