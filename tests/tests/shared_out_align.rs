//! A `SharedOut` of a `Plain` type aligned beyond what the out arena and
//! the plain-memory fallback give (64 bytes): `Plain` asks nothing of
//! alignment, and every accessor of a `SharedOut` is an aligned volatile
//! access, so such a buffer must be refused with a typed error, through
//! every linkage, rather than read misaligned by `get`, `iter` or `set`.

use ffi_desc::bulk::Plain;
use ffi_desc::shared::{SharedBufError, SHARED_ALIGN};
use ffi_desc::shared_out::SharedOut;
use ffi_desc::Linkage;
use ffi_tests::behaviours;
use ffi_tests::vocab::vocab::*;

/// 4096 bytes aligned to 4096: no padding, every bit pattern a value.
#[derive(Clone, Copy)]
#[repr(C, align(4096))]
struct Page([u8; 4096]);

// SAFETY: an array of bytes, its size a multiple of its alignment: no
// padding, and every bit pattern is a value.
unsafe impl Plain for Page {}

/// 8 bytes aligned to 8, for contrast: always served.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct Word([u8; 8]);

// SAFETY: as for `Page`.
unsafe impl Plain for Word {}

behaviours!(vocab: an_overaligned_shared_out_is_refused_never_misaligned);

fn an_overaligned_shared_out_is_refused_never_misaligned<L: Vocab + Linkage>(lib: &L) {
    assert!(std::mem::align_of::<Page>() > SHARED_ALIGN);
    // A block of 64 bytes first, so that the next block of an arena starts
    // 64 bytes past a page.
    let _first = SharedOut::<u8>::new(lib, 1).unwrap();
    let mut kept = Vec::new();
    for n in [0usize, 1, 2, 3] {
        match SharedOut::<Page>::new(lib, n) {
            Err(e) => assert_eq!(
                e,
                SharedBufError::Overaligned {
                    align: std::mem::align_of::<Page>()
                }
            ),
            Ok(b) => panic!(
                "a buffer of {n} pages at {:p} (page aligned: {})",
                b.as_ptr(),
                b.as_ptr() as usize % 4096 == 0
            ),
        }
        let w = SharedOut::<Word>::new(lib, n + 1).unwrap();
        assert_eq!(w.as_ptr() as usize % std::mem::align_of::<Word>(), 0);
        assert!(w.iter().all(|x| x.0 == [0; 8]));
        kept.push(w);
    }
}
