use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn f(p: Option<In<c_int>>) -> c_int;
    }
}

fn main() {}
