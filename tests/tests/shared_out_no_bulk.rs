//! A `SharedOut` asked of a process domain whose lanes have no bulk region:
//! no call could pass it in place (every buffer travels inline), so it is
//! plain memory, which the domain cannot write, rather than a block of the
//! out arena that the domain could rewrite at any time for no saving.

use ffi_desc::shared_out::SharedOut;
use ffi_isolate::{Domain, IsolatedOptions};
use ffi_tests::harness;
use ffi_tests::vocab::vocab::*;

fn isolated(f: impl FnOnce(&mut IsolatedOptions)) -> VocabIsolated {
    let mut o = harness::isolated_options("vocab-domain");
    f(&mut o);
    Domain::launch(o).expect("start the vocab domain")
}

#[test]
fn without_a_bulk_region_a_shared_out_is_plain_memory() {
    let lib = isolated(|o| o.bulk_region = 0);
    for n in [0usize, 1, 4096, 1 << 20] {
        let mut buf = SharedOut::<u8>::new(&lib, n).unwrap();
        assert!(!buf.is_shared(), "{n} bytes");
        assert_eq!(lib.fill(&mut buf, 0x42).unwrap(), n);
        assert!(buf.iter().all(|b| b == 0x42));
    }
    // With a region, the same options otherwise give the out arena.
    let lib = isolated(|_| ());
    assert!(SharedOut::<u8>::new(&lib, 4096).unwrap().is_shared());
}
