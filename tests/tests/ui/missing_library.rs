use ffi_desc::foreign;

#[foreign(header = "x.h", link = false)]
mod m {
    pub trait X {
        fn f() -> c_int;
    }
}

fn main() {}
