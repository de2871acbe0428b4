use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub static COUNT: c_int = 0;

    pub trait X {
        fn f() -> c_int;
    }
}

fn main() {}
