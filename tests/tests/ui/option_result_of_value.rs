use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn f() -> Option<c_int>;
    }
}

fn main() {}
