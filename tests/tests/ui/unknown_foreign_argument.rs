use ffi_desc::foreign;

#[foreign(library = "x", link = false, linkage = "static")]
mod m {
    pub trait X {
        fn f() -> c_int;
    }
}

fn main() {}
