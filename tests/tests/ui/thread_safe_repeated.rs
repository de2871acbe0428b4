use ffi_desc::foreign;

#[foreign(library = "x", link = false, thread_safe)]
mod m {
    pub trait X {
        #[thread_safe]
        fn f(x: c_int) -> c_int;
    }
}

fn main() {}
