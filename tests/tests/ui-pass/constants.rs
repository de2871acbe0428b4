//! Described constants: checked ones, one under another C name, and one
//! #[unchecked]; all are plain Rust constants of the module.
use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub const LEVEL: i32 = -1;
    pub const BIG: u64 = 18446744073709551615;
    pub const ON: bool = true;
    pub const NAME: &str = "x";
    #[c_name = "X_VERSION_NUMBER"]
    pub const VERSION: u32 = 10904;
    #[unchecked]
    pub const RATIO: f64 = 0.5;
    pub trait X {
        fn f() -> c_int;
    }
}

fn main() {
    assert_eq!(m::LEVEL, -1);
    assert_eq!(m::BIG, u64::MAX);
    assert!(m::ON);
    assert_eq!(m::NAME, "x");
    assert_eq!(m::VERSION, 10904);
    assert_eq!(m::RATIO, 0.5);
}
