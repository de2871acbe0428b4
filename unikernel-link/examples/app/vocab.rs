//! The part of the `vocab` sample library (`sample-libs/c/vocab.h`) the
//! application uses, described once for all three builds.
//!
//! `link = false`: this description never asks the linker for the library;
//! each build decides (the Linked build links the static archive through
//! `sample-libs`, the others link nothing of it).

use ffi_desc::foreign;

#[foreign(
    library = "sample_vocab",
    header = "vocab.h",
    soname = "libsample_vocab.so",
    prefix = "sv_",
    link = false
)]
pub mod vocab {
    /// A point.
    #[c_name = "sv_point"]
    #[derive(Debug, PartialEq, Default)]
    pub struct Point {
        pub x: i32,
        pub y: i32,
    }

    /// A primary colour.
    #[c_name = "sv_color"]
    pub enum Color {
        #[c_name = "SV_RED"]
        Red = 0,
        #[c_name = "SV_GREEN"]
        Green = 1,
        #[c_name = "SV_BLUE"]
        Blue = 2,
    }

    /// A counter owned by C.
    #[opaque(c_type = "sv_counter", free = counter_free)]
    pub struct Counter;

    /// Visits one value.
    #[callback(c_name = "sv_visit_fn")]
    pub type Visit = fn(value: c_int, user: UserData) -> c_int;

    /// The vocab functions the application calls.
    pub trait Vocab {
        fn version() -> Borrowed<CStr>;
        fn greet(name: CStr) -> Owned<CStr, free = string_free>;
        fn string_free(s: CStr);
        fn strlen(s: CStr) -> size_t;
        fn reverse(buf: InOut<[u8], len = len>, len: size_t);
        fn point_add(a: Point, b: Point) -> Point;
        fn color_next(c: Color) -> Color;
        fn counter_new(start: c_int) -> Owned<Counter>;
        fn counter_add(c: &Counter, by: c_int) -> c_int;
        fn counter_free(c: Owned<Counter>);
        fn each(xs: In<[c_int], len = n>, n: size_t, f: Callback<Visit>, user: UserData) -> c_int;
        #[errno]
        fn checked_div(a: c_int, b: c_int) -> c_int;
    }
}
