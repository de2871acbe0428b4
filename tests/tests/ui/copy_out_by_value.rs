use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[copy_out(c_type = "ev_t", size = 8, align = 4)]
    pub struct Ev {
        #[c(offset = 0, field = "n")]
        pub n: c_int,
    }

    pub trait X {
        fn take(ev: Ev) -> c_int;
    }
}

fn main() {}
