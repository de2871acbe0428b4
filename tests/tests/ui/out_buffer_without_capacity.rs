use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn fill(buf: Out<[u8]>, cap: size_t);
    }
}

fn main() {}
