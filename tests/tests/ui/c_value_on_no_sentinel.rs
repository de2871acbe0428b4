use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn f(#[c_value = "X_TRANSIENT"] d: c_int) -> c_int;
    }
}

fn main() {}
