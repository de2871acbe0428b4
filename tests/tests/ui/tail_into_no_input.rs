use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn f(n: c_int, rest: Out<Tail<n>>) -> c_int;
    }
}

fn main() {}
