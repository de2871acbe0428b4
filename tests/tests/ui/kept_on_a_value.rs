use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "parser", free = parser_free, context = set_user_data)]
    pub struct Parser;

    #[callback(c_name = "end_fn")]
    pub type End = fn(user: UserData, name: CStr);

    pub trait X {
        fn parser_new() -> Owned<Parser>;
        fn set_user_data(p: &Parser, data: UserData);
        fn parser_free(p: Owned<Parser>);
        fn set_end(p: &Parser, depth: c_int, end: Callback<End, stored = end, on = depth>);
    }
}

fn main() {}
