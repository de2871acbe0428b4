use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_handle", free = handle_free)]
    pub struct Handle;

    pub trait X {
        fn handle_free(h: Owned<Handle>);
        fn handle_get(h: Handle) -> c_int;
    }
}

fn main() {}
