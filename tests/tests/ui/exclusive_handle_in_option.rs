use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_parser", free = parser_free)]
    pub struct Parser;

    pub trait X {
        fn parser_reset(parser: Option<&mut Parser>) -> c_int;
        fn parser_free(parser: Owned<Parser>);
    }
}

fn main() {}
