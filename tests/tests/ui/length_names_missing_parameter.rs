use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn sum(xs: In<[c_int], len = count>, n: size_t) -> c_long;
    }
}

fn main() {}
