use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_parser", free = parser_free)]
    pub struct Parser;

    pub trait X {
        fn parser_new() -> Owned<Parser>;
        fn parser_child(parser: &Parser) -> Owned<Parser, parent = parser>;
        fn parser_reset(parser: &mut Parser) -> c_int;
        fn parse(parser: &Parser) -> c_int;
        fn parser_free(parser: Owned<Parser>);
    }
}

use m::*;

// A function that needs its handle alone (`&mut H`) cannot run on a parent
// while a child borrows it, nor on the child, which is never lent mutably.
fn reset_parent<L: X>(lib: &L) {
    let mut parent = lib.parser_new().unwrap();
    let child = lib.parser_child(&parent).unwrap();
    lib.parser_reset(&mut parent).unwrap();
    lib.parse(&child).unwrap();
}

fn reset_child<L: X>(lib: &L) {
    let parent = lib.parser_new().unwrap();
    let mut child = lib.parser_child(&parent).unwrap();
    lib.parser_reset(&mut child).unwrap();
}

// Once the child is gone, the parent is the caller's alone again.
fn reset_after<L: X>(lib: &L) {
    let mut parent = lib.parser_new().unwrap();
    let child = lib.parser_child(&parent).unwrap();
    drop(child);
    lib.parser_reset(&mut parent).unwrap();
}

fn main() {}
