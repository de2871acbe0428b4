use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_parser", free = parser_free)]
    pub struct Parser;

    pub trait X {
        fn name(parser: &Parser) -> Owned<CStr, free = string_free, parent = parser>;
        fn adopt(parser: &Parser, child: Owned<Parser, parent = parser>);
        fn child(parser: &Parser) -> Owned<Parser, parent = &parser>;
        fn string_free(s: CStr);
        fn parser_free(parser: Owned<Parser>);
    }
}

fn main() {}
