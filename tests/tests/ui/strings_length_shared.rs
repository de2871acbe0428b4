use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn pair(words: In<[CStr], len = n>, bytes: In<[u8], len = n>, n: size_t) -> c_int;
    }
}

fn main() {}
