use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "st_t", size = 16, align = 8, free = st_free)]
    pub struct St;

    pub trait X {
        fn st_free(s: Owned<St>);
        fn st_read(s: &St, out: Out<[u8], cap = n, kept = s>, n: size_t);
    }
}

fn main() {}
