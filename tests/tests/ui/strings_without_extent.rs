use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn join(words: In<[CStr]>) -> c_int;
    }
}

fn main() {}
