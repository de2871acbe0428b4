use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_parser", free = parser_free)]
    pub struct Parser;

    pub trait X {
        fn parser_new() -> Owned<Parser>;
        fn parser_child(parser: &Parser) -> Owned<Parser, parent = parser>;
        fn parse(parser: &Parser) -> c_int;
        fn parser_free(parser: Owned<Parser>);
    }
}

use m::*;

// The child borrows its parent: dropping the parent while the child lives,
// or giving it to its free function, fails.
fn drop_parent<L: X>(lib: &L) {
    let parent = lib.parser_new().unwrap();
    let child = lib.parser_child(&parent).unwrap();
    drop(parent);
    lib.parse(&child).unwrap();
}

fn free_parent<L: X>(lib: &L) {
    let parent = lib.parser_new().unwrap();
    let child = lib.parser_child(&parent).unwrap();
    lib.parser_free(parent).unwrap();
    lib.parse(&child).unwrap();
}

fn main() {}
