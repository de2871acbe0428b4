use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn sum(xs: In<[u8], len = n>, n: f64) -> c_long;
    }
}

fn main() {}
