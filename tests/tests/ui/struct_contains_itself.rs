use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub struct Node {
        pub value: c_int,
        pub next: Node,
    }

    pub trait X {
        fn first(n: In<Node>) -> c_int;
    }
}

fn main() {}
