use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "h_t", free = h_free)]
    pub struct H;

    pub trait X {
        fn h_input(h: &H, input: In<[u8], len = n, kept = h>, n: size_t);
        fn h_free(h: Owned<H>);
    }
}

fn main() {}
