use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[c_name = "kind_t"]
    pub enum Kind {
        #[c_name = "K_A"]
        A = 0,
        #[c_name = "K_B"]
        B = 1,
    }

    #[copy_out(c_type = "ev_t", size = 16, align = 8)]
    pub struct Ev {
        #[c(offset = 0, field = "kind", tag)]
        pub kind: Kind,
        #[c(offset = 8, when(C), field = "u.c.n")]
        pub n: Option<c_int>,
    }

    pub trait X {
        fn next(ev: Out<Ev>) -> c_int;
    }
}

fn main() {}
