use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[copy_out(c_type = "ev_t", size = 8, align = 8, free = ev_delete)]
    pub struct Ev {
        #[c(offset = 0, field = "text")]
        pub text: Option<String>,
    }

    pub trait X {
        fn current() -> Borrowed<Ev>;
        fn ev_delete(ev: Out<Ev>);
    }
}

fn main() {}
