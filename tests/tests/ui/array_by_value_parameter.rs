use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn sum4(v: [c_int; 4]) -> c_int;
    }
}

fn main() {}
