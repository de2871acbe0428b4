use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn f() -> c_int;
    }

    pub trait Y {
        fn g() -> c_int;
    }
}

fn main() {}
