// Children of every spelling: returned, in `Option`, written out, and two
// parents of two types in one function. A child is used as its handle
// (`&H`, `Option<&H>`, a parent in turn) and dropped before its parent; a
// parent borrowed alone (`&mut H`).
use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_doc", free = doc_free)]
    pub struct Doc;

    #[opaque(c_type = "x_node", free = node_free)]
    pub struct Node;

    pub trait X {
        fn doc_new() -> Owned<Doc>;
        fn doc_free(d: Owned<Doc>);
        fn node_free(n: Owned<Node>);
        fn root(doc: &Doc) -> Owned<Node, parent = doc>;
        fn first_child(node: &Node) -> Option<Owned<Node, parent = node>>;
        fn open_child(node: &Node, out: Out<Owned<Node, parent = node>>) -> c_int;
        fn try_child(node: &Node, out: Out<Option<Owned<Node, parent = node>>>) -> c_int;
        fn adopt(doc: &Doc, node: &Node) -> Owned<Node, parent = doc>;
        fn link(doc: &Doc, node: &Node, out: Out<Owned<Node, parent = node>>) -> Owned<Node, parent = doc>;
        fn depth(node: Option<&Node>) -> c_int;
        fn detach(doc: &mut Doc) -> Owned<Node, parent = doc>;
    }
}

use ffi_desc::Child;
use m::*;

fn walk<'d, L: X>(lib: &L, doc: &'d Doc) -> Result<Child<'d, Node>, ffi_desc::Error> {
    let root = lib.root(doc)?;
    if let Some(child) = lib.first_child(&root)? {
        let (_, grandchild) = lib.open_child(&child)?;
        let (_, maybe) = lib.try_child(&grandchild)?;
        lib.depth(maybe.as_deref())?;
        lib.depth(Some(&grandchild))?;
    }
    let (linked, out) = lib.link(doc, &root)?;
    drop((out, linked));
    Ok(root)
}

// A child of a parent borrowed alone holds that borrow.
fn detached<'d, L: X>(lib: &L, doc: &'d mut Doc) -> Result<Child<'d, Node>, ffi_desc::Error> {
    lib.detach(doc)
}

fn main() {}
