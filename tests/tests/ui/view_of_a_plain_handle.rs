use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "h_t", free = h_free)]
    pub struct H;

    #[copy_out(c_type = "h_t", size = 8, align = 8)]
    pub struct Why {
        #[c(offset = 0, field = "code")]
        pub code: c_int,
    }

    pub trait X {
        fn h_free(h: Owned<H>);
        #[view]
        fn why(h: &H) -> Why;
    }
}

fn main() {}
