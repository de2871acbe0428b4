use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(size = 16, align = 8, free = st_free)]
    pub struct St;

    pub trait X {
        fn st_free(s: Owned<St>);
    }
}

fn main() {}
