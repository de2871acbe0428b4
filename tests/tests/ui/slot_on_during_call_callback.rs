use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[callback(c_name = "visit_fn")]
    pub type Visit = fn(value: c_int, user: UserData) -> c_int;

    pub trait X {
        fn each(f: Callback<Visit, stored = visitor, during_call>, user: UserData) -> c_int;
    }
}

fn main() {}
