use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_handle")]
    pub struct Handle;

    pub struct Buffer {
        pub data: *const u8,
        pub len: size_t,
    }

    pub type Visit = fn(value: c_int);

    pub trait X {
        fn f(a: c_integer) -> c_int;
        fn g(p: *mut c_int);
        fn h(buf: In<[u8]>, n: size_t);
        fn name() -> CStr;
        #[c_name = "f"]
        fn f_again(a: c_int) -> c_int;
    }
}

fn main() {}
