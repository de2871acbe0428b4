use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "h_t", free = h_free)]
    pub struct H;

    pub trait X {
        fn h_init(h: Init<H, 1>) -> c_int;
        fn h_free(h: Owned<H>);
    }
}

fn main() {}
