use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[callback(c_name = "visit_fn")]
    pub type Visit = fn(#[c_type = "long"] value: c_int, user: UserData);

    pub trait X {
        fn each(f: Callback<Visit>, user: UserData);
    }
}

fn main() {}
