use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "h", free = h_free)]
    pub struct H;

    pub trait X {
        fn h_free(h: Owned<H>);
        fn f(h: Option<Owned<H>>);
    }
}

fn main() {}
