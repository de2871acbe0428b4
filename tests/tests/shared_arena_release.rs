//! The shared arena's descriptor and mapping are released with the last of
//! the linkage and its buffers, through restarts and a spare: none is left
//! open or mapped in the client. (A test binary of its own: it counts this
//! process's descriptors and mappings, which other tests would change.)

use std::time::Duration;

use ffi_desc::shared::SharedBuf;
use ffi_isolate::Domain;
use ffi_tests::harness;
use ffi_tests::harness::check::domain;
use ffi_tests::vocab::vocab::*;

/// The descriptors and mappings of this process that are an arena's memfd.
fn arenas() -> (usize, usize) {
    let fds = std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|l| l.to_string_lossy().contains("ffi-isolate-arena"))
        .count();
    let maps = std::fs::read_to_string("/proc/self/maps")
        .unwrap()
        .lines()
        .filter(|l| l.contains("ffi-isolate-arena"))
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
fn the_arena_is_released_with_its_last_user() {
    assert_eq!(arenas(), (0, 0));
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
        // A spare being started may hold the descriptor for a moment (its
        // child has not executed yet): the count is taken once that is over.
        let lib_domain = domain(lib.channel());
        let t = std::time::Instant::now();
        while spare && lib_domain.spare_pid().is_none() && t.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(settled(arenas, (1, 1)), (1, 1), "spare {spare}");
        drop(lib);
        assert_eq!(arenas().1, 1, "the buffer keeps the mapping");
        drop(xs);
        assert_eq!(settled(arenas, (0, 0)), (0, 0), "spare {spare}");
    }
}
