// Drafted by ffi-stubgen from `pointers.h`:
//     ffi-stubgen import --header tests/golden/pointers.h --library ptrs -o tests/golden/pointers.rs
// 12 functions drafted, 3 whole. 12 pointers are marked `Unresolved<"C type">`: state each one's
// meaning (In<..>, Out<..>, InOut<..>, CStr, a handle, a callback), checking the
// `guess = ".."` beside it where there is one; the description does not build until
// none is left.

use ffi_desc::foreign;
#[foreign(library = "ptrs", header = "pointers.h", prefix = "ptr_")]
pub mod ptrs {
    #[c_name = "struct ptr_file_s"]
    pub struct FileS {
        pub fd: c_int,
    }
    #[callback(c_name = "ptr_cb")]
    pub type Cb = fn(event: c_int, user: UserData);
    #[opaque(c_type = "ptr_handle", free = close)]
    pub struct Handle;
    /// The functions of `pointers.h`.
    pub trait Ptrs {
        fn open(name: CStr) -> Owned<Handle>;
        fn read(
            h: &Handle,
            #[c_type = "char *"]
            buf: Out<[u8], cap = cap>,
            cap: size_t,
        ) -> c_int;
        fn stat(
            #[c_type = "const ptr_handle *"]
            h: &Handle,
            size: Unresolved<
                "long *",
                guess = "Out<c_long> if C writes one; InOut<c_long> if it reads it too",
            >,
        ) -> c_int;
        fn close(h: Owned<Handle>);
        fn fopen(path: CStr) -> Unresolved<"ptr_file">;
        fn fclose(f: Unresolved<"ptr_file">) -> c_int;
        fn strdup(s: CStr) -> Unresolved<"char *">;
        fn free(p: Unresolved<"void *">);
        fn watch(
            h: &Handle,
            cb: Unresolved<
                "ptr_cb",
                guess = "Callback<Cb, stored> with `user` its UserData, if C passes the callback `user` and no pointer of its own",
            >,
            user: Unresolved<
                "void *",
                guess = "UserData if C passes it to `cb` unchanged",
            >,
        );
        fn sum(xs: Unresolved<"const int *">, ys: Unresolved<"const int *">) -> c_int;
        fn first(xs: Unresolved<"const int *">) -> c_int;
        fn fwrite(
            buf: Unresolved<
                "const void *",
                guess = "In<[u8], len = ..>: size × nitems of them, a product no one parameter holds",
            >,
            size: size_t,
            nitems: size_t,
            f: Unresolved<"ptr_file">,
        ) -> size_t;
    }
}
