use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[copy_out(c_type = "ev_t", size = 16, align = 8)]
    pub struct Ev {
        #[c(offset = 8, when(B), field = "u.b.n")]
        pub n: Option<c_int>,
    }

    pub trait X {
        fn next(ev: Out<Ev>) -> c_int;
    }
}

fn main() {}
