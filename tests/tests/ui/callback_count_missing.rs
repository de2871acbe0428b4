use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[callback(c_name = "row_fn")]
    pub type Row = fn(user: UserData, argv: In<[CStr], len = argc>);

    pub trait X {
        fn rows(f: Callback<Row>, user: UserData);
    }
}

fn main() {}
