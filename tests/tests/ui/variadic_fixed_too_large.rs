use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        #[c_name = "printf"]
        #[variadic(fixed = 3)]
        fn printf_int(fmt: CStr, x: c_int) -> c_int;
    }
}

fn main() {}
