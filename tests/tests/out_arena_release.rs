//! The out arena's descriptor and mapping are released with the last of
//! the linkage and its `SharedOut`s, through restarts and a spare: none is
//! left open or mapped in the client. (A test binary of its own: it counts
//! this process's descriptors and mappings, which other tests would change.)

use std::time::Duration;

use ffi_desc::shared_out::SharedOut;
use ffi_isolate::Domain;
use ffi_tests::harness;
use ffi_tests::harness::check::domain;
use ffi_tests::vocab::vocab::*;

/// The descriptors and mappings of this process that are an out arena's
/// memfd.
fn out_arenas() -> (usize, usize) {
    let fds = std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|l| l.to_string_lossy().contains("ffi-isolate-out"))
        .count();
    let maps = std::fs::read_to_string("/proc/self/maps")
        .unwrap()
        .lines()
        .filter(|l| l.contains("ffi-isolate-out"))
        .count();
    (fds, maps)
}

/// `count()` once it equals `want`, or as it is after 5 s.
fn settled(count: fn() -> (usize, usize), want: (usize, usize)) -> (usize, usize) {
    let t = std::time::Instant::now();
    loop {
        let now = count();
        if now == want || t.elapsed() > Duration::from_secs(5) {
            return now;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn the_out_arena_is_released_with_its_last_user() {
    assert_eq!(out_arenas(), (0, 0));
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
        // A spare being started may hold the descriptor for a moment (its
        // child has not executed yet): the count is taken once that is over.
        let lib_domain = domain(lib.channel());
        let t = std::time::Instant::now();
        while spare && lib_domain.spare_pid().is_none() && t.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(settled(out_arenas, (1, 1)), (1, 1), "spare {spare}");
        drop(lib);
        assert_eq!(out_arenas().1, 1, "the buffer keeps the mapping");
        assert_eq!(buf.get(99_999), Some(2));
        drop(buf);
        assert_eq!(settled(out_arenas, (0, 0)), (0, 0), "spare {spare}");
    }
}
