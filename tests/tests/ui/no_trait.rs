use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub struct Point {
        pub x: c_int,
        pub y: c_int,
    }
}

fn main() {}
