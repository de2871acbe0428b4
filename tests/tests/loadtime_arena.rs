//! Load-time code and the shared arena: a library's constructor or
//! `.init_array` entry runs in the domain before its `main` maps the arena,
//! holding the arena's descriptor (4). It gets no write access to it (the
//! client sealed the memfd before the domain was forked), the domain then
//! starts and maps it as usual, and the caller's buffers there are intact.
//! Isolated only, as `loadtime.rs`.

use std::time::Duration;

use ffi_desc::shared::SharedBuf;
use ffi_isolate::arena::ARENA_FD;
use ffi_isolate::Domain;
use ffi_tests::harness;
use ffi_tests::loadtime::loadtime::{Loadtime, LoadtimeIsolated};

#[test]
fn load_time_code_cannot_write_the_arena() {
    for hook in ["constructor", "init_array"] {
        let mut o = harness::isolated_options("loadtime-domain");
        o.deadline = Duration::from_secs(5);
        o.domain = o
            .domain
            .env("HL_HOOK", hook)
            .env("HL_ATTACK", "arena_write")
            .env("HL_ARG", ARENA_FD.to_string());
        let lib: LoadtimeIsolated = Domain::launch(o).expect("the domain starts");
        assert_eq!(lib.attacked().unwrap(), 1, "{hook}: the hook ran");
        // 0: it could map the arena to read, and no way to write worked.
        assert_eq!(lib.result().unwrap(), 0, "{hook}: ways that worked");
        let mut xs = SharedBuf::<u8>::new(&lib, 8192).unwrap();
        assert!(xs.is_shared());
        assert!(xs.iter().all(|&b| b == 0));
        xs.fill(7);
        assert_eq!(lib.attacked().unwrap(), 1);
        assert!(xs.iter().all(|&b| b == 7), "{hook}");
    }
}
