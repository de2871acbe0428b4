//! A `SharedBuf` of a `Plain` type aligned beyond what the arena and the
//! plain-memory fallback give (64 bytes): `Plain` asks nothing of alignment,
//! so such a type may be `Plain`, and a buffer of it must be refused with a
//! typed error rather than handed out as a misaligned `&[T]`, through every
//! linkage.

use ffi_desc::bulk::Plain;
use ffi_desc::shared::{SharedBuf, SharedBufError, SHARED_ALIGN};
use ffi_desc::Linkage;
use ffi_tests::behaviours;
use ffi_tests::vocab::vocab::*;

/// 128 bytes aligned to 128: no padding, every bit pattern a value.
#[derive(Clone, Copy)]
#[repr(C, align(128))]
struct Line([u8; 128]);

// SAFETY: an array of bytes, its size a multiple of its alignment: no
// padding, and every bit pattern is a value.
unsafe impl Plain for Line {}

/// 8 bytes aligned to 8, for contrast: always served.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct Word([u8; 8]);

// SAFETY: as for `Line`.
unsafe impl Plain for Word {}

behaviours!(vocab: an_overaligned_buffer_is_refused_never_misaligned);

fn an_overaligned_buffer_is_refused_never_misaligned<L: Vocab + Linkage>(lib: &L) {
    assert!(std::mem::align_of::<Line>() > SHARED_ALIGN);
    // Something of 64 bytes first, so that the next block of an arena
    // starts 64 bytes past a multiple of 128.
    let _first = SharedBuf::<u8>::new(lib, 1).unwrap();
    let mut kept = Vec::new();
    for n in [1usize, 2, 3, 7] {
        match SharedBuf::<Line>::new(lib, n) {
            Err(e) => assert_eq!(
                e,
                SharedBufError::Overaligned {
                    align: std::mem::align_of::<Line>()
                }
            ),
            Ok(b) => {
                panic!(
                    "a buffer of {n} lines at {:p} (aligned to 128: {})",
                    b.as_ptr(),
                    b.as_ptr() as usize % 128 == 0
                )
            }
        }
        let w = SharedBuf::<Word>::new(lib, n).unwrap();
        assert_eq!(w.as_ptr() as usize % std::mem::align_of::<Word>(), 0);
        kept.push(w);
    }
    // An empty buffer of it holds nothing to misalign, and is refused the
    // same way: the answer does not depend on the length.
    assert!(SharedBuf::<Line>::new(lib, 0).is_err());
}
