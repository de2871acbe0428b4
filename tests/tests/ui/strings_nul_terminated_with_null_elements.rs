use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn join(words: In<[Option<CStr>], nul_terminated>) -> c_int;
    }
}

fn main() {}
