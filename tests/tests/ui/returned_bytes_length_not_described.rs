use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn f(i: c_int) -> Option<Borrowed<[u8], len = f_len>>;
    }
}

fn main() {}
