use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn greet(name: CStr) -> Owned<CStr>;
    }
}

fn main() {}
