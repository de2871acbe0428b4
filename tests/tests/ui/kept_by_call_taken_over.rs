use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "parser", free = parser_free, kept_by_call)]
    pub struct Parser;

    #[callback(c_name = "end_fn")]
    pub type End = fn(user: UserData, name: CStr);

    pub trait X {
        fn parser_new() -> Owned<Parser>;
        fn parser_free(p: Owned<Parser>);
        fn parser_give_away(p: Owned<Parser>);
        fn set_end(p: &Parser, end: Callback<End, stored = end, on = p>);
    }
}

fn main() {}
