use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "parser", free = parser_free, context = set_user_data, kept_by_call)]
    pub struct Parser;

    pub trait X {
        fn parser_new() -> Owned<Parser>;
        fn parser_free(p: Owned<Parser>);
        fn set_user_data(p: &Parser, data: UserData);
    }
}

fn main() {}
