use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        #[c_type = "void *"]
        fn reset();
    }
}

fn main() {}
