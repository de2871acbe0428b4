use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn split(words: Out<[CStr], cap = n>, n: size_t) -> c_int;
    }
}

fn main() {}
