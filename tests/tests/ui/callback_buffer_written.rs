use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[callback(c_name = "fill_fn")]
    pub type Fill = fn(user: UserData, s: Out<[u8], cap = len>, len: c_int);

    pub trait X {
        fn fill(f: Callback<Fill>, user: UserData);
    }
}

fn main() {}
