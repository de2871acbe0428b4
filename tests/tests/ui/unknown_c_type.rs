use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn f(a: c_integer) -> c_int;
    }
}

fn main() {}
