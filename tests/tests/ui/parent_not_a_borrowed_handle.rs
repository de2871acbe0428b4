use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_parser", free = parser_free)]
    pub struct Parser;

    pub trait X {
        fn from_value(id: c_int) -> Owned<Parser, parent = id>;
        fn from_maybe(parser: Option<&Parser>) -> Owned<Parser, parent = parser>;
        fn from_taken(parser: Owned<Parser>) -> Owned<Parser, parent = parser>;
        fn from_name(name: CStr) -> Option<Owned<Parser, parent = name>>;
        fn parser_free(parser: Owned<Parser>);
    }
}

fn main() {}
