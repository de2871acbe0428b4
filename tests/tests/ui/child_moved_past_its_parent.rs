use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_parser", free = parser_free)]
    pub struct Parser;

    pub trait X {
        fn parser_new() -> Owned<Parser>;
        fn parser_child(parser: &Parser) -> Option<Owned<Parser, parent = parser>>;
        fn parser_free(parser: Owned<Parser>);
    }
}

use m::*;

// A child cannot leave the scope of its parent's borrow.
fn returned<L: X>(lib: &L) -> ffi_desc::Child<'static, Parser> {
    let parent = lib.parser_new().unwrap();
    lib.parser_child(&parent).unwrap().unwrap()
}

fn kept_past_the_parent<L: X>(lib: &L) {
    let child;
    {
        let parent = lib.parser_new().unwrap();
        child = lib.parser_child(&parent).unwrap();
    }
    drop(child);
}

// Nor is its handle given out by value, to be kept or freed apart.
fn taken_out<L: X>(lib: &L) -> Parser {
    let parent = lib.parser_new().unwrap();
    let child = lib.parser_child(&parent).unwrap().unwrap();
    let handle: Parser = *child;
    handle
}

fn main() {}
