use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub struct Buffer {
        pub data: *const u8,
        pub len: size_t,
    }

    pub trait X {
        fn buffer_len(b: In<Buffer>) -> size_t;
    }
}

fn main() {}
