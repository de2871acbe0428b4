use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub type Visit = fn(value: c_int, user: UserData) -> c_int;

    pub trait X {
        fn each(f: Callback<Visit, user = ctx>, ctx: c_int) -> c_int;
    }
}

fn main() {}
