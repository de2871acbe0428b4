// Drafted by ffi-stubgen from `skipped.h`:
//     ffi-stubgen import --header tests/golden/skipped.h --library skip -o tests/golden/skipped.rs
// 2 functions drafted, 1 whole. 1 pointer is marked `Unresolved<"C type">`: state each one's
// meaning (In<..>, Out<..>, InOut<..>, CStr, a handle, a callback), checking the
// `guess = ".."` beside it where there is one; the description does not build until
// none is left.
// 15 items could not be imported: see the end of this file.

use ffi_desc::foreign;
#[foreign(library = "skip", header = "skipped.h", prefix = "skip_")]
pub mod skip {
    #[c_name = "enum skip_dup"]
    pub enum Dup {
        #[c_name = "SKIP_X"]
        X = 1,
    }
    /// The functions of `skipped.h`.
    pub trait Skip {
        /// Variadic in C: this draft describes the call with no extra argument.
        /// Describe each other use as its own function with #[variadic(fixed = N)].
        #[variadic(fixed = 1)]
        fn printf(
            fmt: Unresolved<
                "const char *",
                guess = "CStr if it is no format; a format is described with its arguments, one #[variadic(fixed = N)] function per use",
            >,
        ) -> c_int;
        #[wrap]
        fn inline(x: c_int) -> c_int;
    }
}

// Not imported (15):
// - struct `skip_packed`: it is packed: a described struct is laid out in plain C order
// - struct `skip_bits`: it has bit-fields
// - struct `skip_flex`: field `items` is a flexible array member
// - struct `skip_ptr`: field `p` is a pointer (`int *`): a described struct holds values only
// - struct `skip_anon`: it has an anonymous struct or union member
// - struct `skip_holds_ptr`: field `inner` is `struct skip_ptr`, which cannot be described
// - struct `__va_list_tag`: field `overflow_arg_area` is a pointer (`void *`): a described struct holds values only
// - enumerator `SKIP_Y`: it repeats another enumerator's value, which a Rust enum cannot hold twice
// - callback type `skip_two`: it has 2 `void *` parameters; a described callback has exactly one, its user data
// - callback type `skip_none`: it has 0 `void *` parameters; a described callback has exactly one, its user data
// - function `skip_vprintf`: parameter `ap` is a va_list
// - function `skip_by_value`: parameter `p` is `struct skip_ptr`, a struct or union passed by value that cannot be described
// - function `skip_returns`: it returns `struct skip_ptr`, a struct or union passed by value that cannot be described
// - variable `skip_counter`: a global variable: a description holds functions, types and constants
// - function-like macro `SKIP_TWICE(x)`: a macro has no C type: describe it by hand with #[wrap] and the signature it is used with
