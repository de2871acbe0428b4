use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn write(buf: In<[u8]>, len: size_t) -> ssize_t;
    }
}

fn main() {}
