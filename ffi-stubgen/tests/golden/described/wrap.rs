// The description of wrap.h, written by hand: each macro and static inline
// function is named with #[wrap] and the signature it is used with.
use ffi_desc::foreign;

#[foreign(library = "wrap", header = "wrap.h", link = false)]
pub mod wrap {
    pub trait Wrap {
        fn wr_plain(x: c_int) -> c_int;
        #[wrap]
        fn wr_add(a: c_int, b: c_int) -> c_int;
        #[wrap]
        fn wr_sum(xs: In<[c_int], len = n>, n: size_t) -> c_long;
        #[wrap]
        fn wr_fill(out: Out<[c_int], cap = n>, n: size_t, v: c_int);
        #[wrap]
        #[c_name = "WR_TWICE"]
        fn twice(x: c_int) -> c_int;
        #[wrap]
        #[c_name = "WR_MAX"]
        fn max(a: c_long, b: c_long) -> c_long;
        #[wrap]
        #[c_name = "WR_RESET"]
        fn reset(p: InOut<c_int>);
        #[wrap]
        fn wr_get(p: In<c_int>) -> c_int;
    }
}
