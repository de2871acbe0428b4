use ffi_desc::foreign;

#[foreign(library = "x", link = false, thread_safe = true)]
mod m {
    pub trait X {
        fn f(x: c_int) -> c_int;
    }
}

fn main() {}
