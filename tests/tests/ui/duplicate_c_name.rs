use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn open(path: CStr) -> c_int;
        #[c_name = "open"]
        fn open_again(path: CStr) -> c_int;
    }
}

fn main() {}
