// Drafted by ffi-stubgen from `typedef_handles.h`:
//     ffi-stubgen import --header tests/golden/typedef_handles.h --library typedef-handles -o tests/golden/typedef_handles.rs
// 13 functions drafted, 9 whole. 5 pointers are marked `Unresolved<"C type">`: state each one's
// meaning (In<..>, Out<..>, InOut<..>, CStr, a handle, a callback), checking the
// `guess = ".."` beside it where there is one; the description does not build until
// none is left.

use ffi_desc::foreign;
#[foreign(library = "typedef-handles", header = "typedef_handles.h", prefix = "th_")]
pub mod typedef_handles {
    #[opaque(c_pointer = "th_ctx", free = ctx_free)]
    pub struct Ctx;
    #[opaque(c_pointer = "th_name", free = name_free)]
    pub struct Name;
    /// The functions of `typedef_handles.h`.
    pub trait TypedefHandles {
        fn name_new(text: CStr) -> Owned<Name>;
        fn name_text(n: &Name) -> Borrowed<CStr>;
        fn name_len(n: &Name) -> size_t;
        fn name_same(a: &Name, b: &Name) -> c_int;
        fn name_free(n: Owned<Name>);
        fn name_find(key: CStr) -> Borrowed<CStr>;
        fn ctx_new(n: c_int) -> Owned<Ctx>;
        fn ctx_get(c: &Ctx) -> c_int;
        fn ctx_free(c: Owned<Ctx>);
        fn buf_new() -> Unresolved<"th_buf">;
        fn buf_cat(b: Unresolved<"th_buf">, s: CStr) -> Unresolved<"th_buf">;
        fn buf_free(b: Unresolved<"th_buf">);
        fn label_width(
            l: Unresolved<
                "th_label",
                guess = "CStr if any NUL-terminated string is a `th_label`",
            >,
        ) -> c_int;
    }
}
