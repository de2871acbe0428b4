use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub struct Tree {
        pub value: c_int,
        pub leaves: [Leaf; 2],
    }

    pub struct Leaf {
        pub parent: Tree,
    }

    pub trait X {
        fn tree_sum(t: In<Tree>) -> c_int;
    }
}

fn main() {}
