// A minimal correct description: a struct, an enum, an opaque handle, a
// callback and functions using each of them.
use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    pub struct Point {
        pub x: c_int,
        pub y: c_int,
    }

    pub enum Mode {
        Fast = 0,
        Safe = 1,
    }

    #[opaque(c_type = "x_handle", free = handle_free)]
    pub struct Handle;

    pub type Visit = fn(value: c_int, user: UserData) -> c_int;

    pub trait X {
        fn handle_new(mode: Mode) -> Owned<Handle>;
        fn handle_free(h: Owned<Handle>);
        fn handle_move(h: &Handle, by: Point) -> Point;
        fn handle_each(h: &Handle, f: Callback<Visit>, user: UserData) -> c_int;
        fn sum(xs: In<[c_int], len = n>, n: size_t) -> c_long;
        fn name() -> Borrowed<CStr>;
    }
}

fn main() {}
