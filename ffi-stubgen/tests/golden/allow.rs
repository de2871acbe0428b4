// Drafted by ffi-stubgen from `allow.h`:
//     ffi-stubgen import --header tests/golden/allow.h --library allow --allow 'al_keep.*' --allow AL_LIMIT -o tests/golden/allow.rs
// 2 functions drafted, 2 whole. Every pointer's meaning was inferred: review them before trusting the draft.

use ffi_desc::foreign;
#[foreign(library = "allow", header = "allow.h", prefix = "al_keep_")]
pub mod allow {
    pub const AL_LIMIT: u32 = 8;
    #[c_name = "al_keep_pair"]
    pub struct Pair {
        pub a: c_int,
        pub b: c_int,
    }
    /// The functions of `allow.h`.
    pub trait Allow {
        fn sum(p: Pair) -> c_int;
        fn twice(x: c_int) -> c_int;
    }
}
