use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn answer() -> c_int {
            42
        }
    }
}

fn main() {}
