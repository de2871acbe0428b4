use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_parser", free = parser_free)]
    pub struct Parser;

    pub trait X {
        fn parser_child(parser: &Parser) -> Owned<Parser, parent = parent>;
        fn parser_open(parser: &Parser, out: Out<Owned<Parser, parent = p>>) -> c_int;
        fn parser_free(parser: Owned<Parser>);
    }
}

fn main() {}
