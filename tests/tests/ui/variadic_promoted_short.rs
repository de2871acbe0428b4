use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        #[c_name = "printf"]
        #[variadic(fixed = 1)]
        fn printf_short(fmt: CStr, x: c_short) -> c_int;
    }
}

fn main() {}
