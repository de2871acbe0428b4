use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn set_context(user: UserData);
    }
}

fn main() {}
