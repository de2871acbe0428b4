use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "st_t", size = 16, align = 8, free = st_free)]
    pub struct St;

    #[copy_out(c_type = "other_t", size = 8, align = 8)]
    pub struct Why {
        #[c(offset = 0, field = "code")]
        pub code: c_int,
    }

    pub trait X {
        fn st_free(s: Owned<St>);
        #[view]
        fn why(s: &St) -> Why;
    }
}

fn main() {}
