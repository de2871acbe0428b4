use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn len() -> c_int;
        fn f(out: Out<Option<Borrowed<[u8], len = len>>>) -> c_int;
    }
}

fn main() {}
