use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "st_t", size = 16, align = 8, free = st_free)]
    pub struct St;

    pub trait X {
        fn st_init(s: Init<St, 1>) -> c_int;
        fn st_free(s: Owned<St>);
        fn st_adopt(s: Owned<St>);
    }
}

fn main() {}
