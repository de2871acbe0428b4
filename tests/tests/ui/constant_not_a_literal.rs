use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub const SUM: i32 = 1 + 2;
    pub const RATIO: f64 = 0.5;
    pub trait X {
        fn f() -> c_int;
    }
}

fn main() {}
