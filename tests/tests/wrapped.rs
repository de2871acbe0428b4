//! Function-like macros and `static inline` functions, described with
//! `#[wrap]` and called through the wrappers the check unit defines
//! (`ffi_wrap_<name>`): through the Linked linkage (the unit's archive is
//! linked into this crate by `build.rs`), the Loaded one (the unit built as a
//! shared object), and the Isolated code over an in-process channel.

use ffi_desc::foreign;
// The check unit's archive (with the wrappers) is linked through this crate's
// library, which the build script gives it to.
use ffi_tests as _;

/// The header-only library `c/wrapped.h`.
#[foreign(library = "wrapped", header = "wrapped.h", link = false)]
pub mod wrapped {
    /// Inline functions and macros of `wrapped.h`.
    pub trait Wrapped {
        /// `a + b` (static inline).
        #[wrap]
        fn wd_add(a: c_int, b: c_int) -> c_int;
        /// The sum of `xs` (static inline).
        #[wrap]
        fn wd_sum(xs: In<[c_int], len = n>, n: size_t) -> c_long;
        /// Fills `out` with `v` (static inline).
        #[wrap]
        fn wd_fill(out: Out<[c_int], cap = n>, n: size_t, v: c_int);
        /// The sign of `k` as a word (static inline, a static string).
        #[wrap]
        fn wd_name(k: c_int) -> Borrowed<CStr>;
        /// `2 * x` (a macro).
        #[wrap]
        #[c_name = "WD_TWICE"]
        fn twice(x: c_int) -> c_int;
        /// `v` clamped to `lo..=hi` (a macro).
        #[wrap]
        #[c_name = "WD_CLAMP"]
        fn clamp(v: c_long, lo: c_long, hi: c_long) -> c_long;
        /// Swaps two ints (a statement macro).
        #[wrap]
        #[c_name = "WD_SWAP"]
        fn swap(a: InOut<c_int>, b: InOut<c_int>);
    }
}

use wrapped::*;

fn behaviour<L: Wrapped>(lib: &L) {
    assert_eq!(lib.wd_add(40, 2).unwrap(), 42);
    assert_eq!(lib.wd_sum(&[1, 2, 3, 4]).unwrap(), 10);
    assert_eq!(lib.wd_sum(&[]).unwrap(), 0);
    let mut buf = [0; 5];
    lib.wd_fill(&mut buf, 7).unwrap();
    assert_eq!(buf, [7; 5]);
    assert_eq!(lib.wd_name(-3).unwrap().to_str().unwrap(), "negative");
    assert_eq!(lib.wd_name(0).unwrap().to_str().unwrap(), "zero");
    assert_eq!(lib.twice(21).unwrap(), 42);
    assert_eq!(lib.twice(-4).unwrap(), -8);
    assert_eq!(lib.clamp(5, 0, 3).unwrap(), 3);
    assert_eq!(lib.clamp(-5, 0, 3).unwrap(), 0);
    assert_eq!(lib.clamp(2, 0, 3).unwrap(), 2);
    let (mut a, mut b) = (1, 2);
    lib.swap(&mut a, &mut b).unwrap();
    assert_eq!((a, b), (2, 1));
}

#[test]
fn linked() {
    behaviour(&WrappedLinked::new());
}

#[test]
fn loaded_from_the_check_unit_built_shared() {
    assert!(WrappedLoaded::SYMBOLS.contains(&"ffi_wrap_WD_TWICE"));
    // SAFETY: the shared object is the check unit of this very description,
    // compiled against `wrapped.h` by build.rs.
    let lib = unsafe { WrappedLoaded::open(env!("WRAPPED_CHECK_SO")) }.unwrap();
    behaviour(&lib);
}

#[test]
fn loaded_needs_the_wrappers() {
    // A library without the wrappers lacks every wrapped symbol, and the
    // open says which.
    // SAFETY: libz's initialisers are harmless; no symbol is called.
    let err = unsafe { WrappedLoaded::open("libz.so.1") }.unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("ffi_wrap_wd_add"), "{msg}");
    assert!(msg.contains("ffi_wrap_WD_SWAP"), "{msg}");
}

#[test]
fn loopback() {
    behaviour(&WrappedIsolated::with_channel(Box::new(
        ffi_desc::isolated::LoopbackChannel::new(wrapped::server()),
    )));
}
