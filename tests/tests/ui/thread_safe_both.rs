use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub trait X {
        #[thread_safe]
        #[not_thread_safe]
        fn f(x: c_int) -> c_int;
    }
}

fn main() {}
