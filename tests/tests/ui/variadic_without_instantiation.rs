use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn printf(fmt: CStr, ...) -> c_int;
    }
}

fn main() {}
