use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn f(msg: Out<Option<Owned<CStr, free = x_free>>>) -> c_int;
    }
}

fn main() {}
