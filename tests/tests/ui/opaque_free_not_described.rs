use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_handle", free = handle_destroy)]
    pub struct Handle;

    pub trait X {
        fn handle_new() -> Owned<Handle>;
    }
}

fn main() {}
