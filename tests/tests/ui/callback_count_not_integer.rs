use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[callback(c_name = "text_fn")]
    pub type Text = fn(user: UserData, s: In<[u8], len = len>, len: f64);

    pub trait X {
        fn text(f: Callback<Text>, user: UserData);
    }
}

fn main() {}
