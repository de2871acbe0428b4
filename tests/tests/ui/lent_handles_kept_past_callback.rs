use ffi_desc::foreign;

#[foreign(library = "x", link = false)]
mod m {
    #[opaque(c_type = "x_value", free = value_free)]
    pub struct Value;

    pub type Each = fn(user: UserData, n: c_int, values: In<[&Value], len = n>);

    pub trait X {
        fn each(f: Callback<Each, stored>, user: UserData);
        fn value_free(v: Owned<Value>);
    }
}

use m::*;

// Anything that would keep a value past the callback.
fn keep_forever(_: &'static Value) {}

// A stored closure is 'static, and what it is lent lives for the callback alone.
fn keep<L: X>(lib: &L) {
    lib.each(|values| values.iter().for_each(|v| keep_forever(v)))
        .unwrap();
}

fn main() {}
