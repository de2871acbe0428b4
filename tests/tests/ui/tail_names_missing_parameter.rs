use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        fn f(s: CStr, rest: Out<Tail<sql>>) -> c_int;
    }
}

fn main() {}
