use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
pub trait X {
    fn f() -> i32;
}

fn main() {}
