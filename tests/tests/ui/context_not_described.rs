use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "parser", free = parser_free, context = set_user_data)]
    pub struct Parser;

    pub trait X {
        fn parser_new() -> Owned<Parser>;
        fn parser_free(p: Owned<Parser>);
    }
}

fn main() {}
