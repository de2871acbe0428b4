// Drafted by ffi-stubgen from `values.h`:
//     ffi-stubgen import --header tests/golden/values.h --library values -o tests/golden/values.rs
// 12 functions drafted, 12 whole. Every pointer's meaning was inferred: review them before trusting the draft.

use ffi_desc::foreign;
#[foreign(library = "values", header = "values.h", prefix = "val_")]
pub mod values {
    pub const VAL_A: u32 = 10;
    pub const VAL_B: u32 = 20;
    pub const VAL_VERSION: &::std::ffi::CStr = c"1.0";
    pub const VAL_MAX: u32 = 100;
    pub const VAL_MIN: i32 = -3;
    #[c_name = "val_point"]
    pub struct Point {
        pub x: i32,
        pub y: i32,
    }
    #[c_name = "struct val_box"]
    pub struct CBox {
        pub corner: Point,
        pub size: [f64; 2],
        pub label: [c_char; 8],
        pub visible: bool,
    }
    #[c_name = "val_num"]
    pub union Num {
        pub i: i64,
        pub d: f64,
    }
    #[c_name = "val_mode"]
    pub enum Mode {
        #[c_name = "VAL_MODE_OFF"]
        Off = 0,
        #[c_name = "VAL_MODE_ON"]
        On = 1,
        #[c_name = "VAL_MODE_AUTO"]
        Auto = 7,
    }
    #[c_name = "enum val_level"]
    pub enum Level {
        #[c_name = "VAL_LEVEL_LOW"]
        Low = -1,
        #[c_name = "VAL_LEVEL_MID"]
        Mid = 0,
        #[c_name = "VAL_LEVEL_HIGH"]
        High = 1,
    }
    #[callback(c_name = "val_visit")]
    pub type Visit = fn(value: c_int, user: UserData) -> c_int;
    #[callback(c_name = "val_log")]
    pub type Log = fn(msg: CStr, ctx: UserData);
    /// The functions of `values.h`.
    pub trait Values {
        fn add(a: c_int, b: c_int) -> c_int;
        fn scale(x: c_long, flags: c_uint) -> c_long;
        fn mean(xs: In<[f64], len = n>, n: size_t) -> f64;
        fn checksum(
            #[c_type = "const void *"]
            data: In<[u8], len = len>,
            len: size_t,
        ) -> u32;
        fn len(s: CStr) -> size_t;
        fn name(m: Mode) -> Borrowed<CStr>;
        fn mid(a: Point, b: Point) -> Point;
        fn area(b: In<CBox>) -> f64;
        fn num_of(i: i64) -> Num;
        fn level_of(x: c_int) -> Level;
        fn is_on(m: Mode) -> bool;
        fn reset();
    }
}
