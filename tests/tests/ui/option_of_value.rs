use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn f(v: Option<c_int>) -> c_int;
    }
}

fn main() {}
