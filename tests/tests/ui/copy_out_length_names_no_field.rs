use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[copy_out(c_type = "ev_t", size = 16, align = 8)]
    pub struct Ev {
        #[c(offset = 0, field = "text", len = size)]
        pub text: Option<String>,
        #[c(offset = 8, field = "length")]
        pub length: size_t,
    }

    pub trait X {
        fn next(ev: Out<Ev>) -> c_int;
    }
}

fn main() {}
