//! `ffi-desc`: describe a C library once, call it safely through any linkage.
//!
//! A description is a module annotated [`foreign`]: the library's structs,
//! unions, enums, opaque handle types and callback types, and one trait that
//! lists its functions with the meaning of every pointer. From it the
//! attribute generates a safe trait and its implementations: the Linked
//! linkage (direct calls), the Loaded linkage (resolved at run time), and the
//! description's [`ir::Description`], from which the Isolated linkage and the C
//! check unit are built.
//!
//! The vocabulary a description uses:
//!
//! | written | C | safe Rust |
//! | --- | --- | --- |
//! | `c_int`, `u8`, `size_t`, `f64`, `bool`, ... | the scalar | the scalar |
//! | `In<T>` / `InOut<T>` / `Out<T>` | `const T *` / `T *` / `T *` | `&T` / `&mut T` / returned |
//! | `In<[T; N]>`, `Out<[T; N]>` | pointer to N objects | `&[T; N]`, `&mut [T; N]` |
//! | `In<[T], len = n>`, `Out<[T], cap = n>` | pointer plus a length parameter `n` | `&[T]`, `&mut [T]`; `n` is filled in |
//! | the same, given a [`shared::SharedBuf`] | the same | Isolated: an `In` one in the domain's read-only shared arena reaches C with no copy |
//! | `Out<[T], cap = n>` with `n: InOut<size_t>` | zlib's `uLongf *destLen` | `&mut [T]`; the count written is returned |
//! | `CStr` | `const char *` | anything [`rt::CStrArg`]: `&CStr`, `&str`, ... |
//! | `Borrowed<CStr>` / `Owned<CStr, free = f>` returned | `const char *` / `char *` | a copied `CString` |
//! | `#[opaque(c_type = "T", free = f)] struct H;` | `T *` | `H`, whose `Drop` calls `f` |
//! | `&H` / `Owned<H>` | `T *` | `&H` / `H` (consumed) |
//! | `&mut H` | `T *` the function needs alone (`XML_ParserReset`, which a child's state depends on) | `&mut H`: no [`Child`] borrowing it may live across the call |
//! | `Owned<H, parent = p>` returned (also in `Option`, `Out<..>`), `p: &H2` | a new handle that keeps a pointer to the handle `p` (expat's external entity parser and its parent) | [`Child<'p, H>`](Child), under the borrow of `p`: derefs to `&H`, frees `H` on drop, never gives `H` out, so `p` cannot go first |
//! | `type F = fn(.., user: UserData) -> R;` with `Callback<F>` | a function pointer and `void *` | `&mut dyn FnMut(..) -> R`, run only on the calling thread and not inside itself (otherwise `Error::CallbackNotRun`) |
//! | `Callback<F, stored>` | kept by C after the call | `impl Fn(..) -> R + Send + Sync + 'static` |
//! | `Callback<F, stored = slot>`, `#[clears(slot)]` on a function | C keeps one callback in `slot`, replaced by the next; the function forgets it | as `stored`; the Isolated linkage refuses a replaced or cleared callback's id |
//! | `#[errno]` | sets `errno` | the `errno` value is returned last |
//! | `#[variadic(fixed = N)]` | one instantiation of `f(a, ...)` | a plain method |
//! | `#[wrap]` | a function-like macro or `static inline` function | a plain method, calling the wrapper `ffi_wrap_<c_name>` the check unit defines |
//! | `Option<CStr>`, `Option<In<[T], len = n>>`, `Option<&H>`, `Option<Callback<F, ..>>` | the pointer or NULL | `Option<&CStr>`, `Option<&[T]>`, `Option<&H>`, `None` passes NULL (a buffer's length 0, a slot emptied) |
//! | `Option<Borrowed<CStr>>`, `Option<Owned<CStr, free = f>>`, `Option<Owned<H>>` returned | a pointer that may be NULL, which is no error | `Option<CString>`, `Option<H>` |
//! | `Out<Owned<H>>`, `Out<Option<Owned<H>>>` | `T **` C writes a new handle through (`sqlite3 **ppDb`) | returned `H` (NULL: `Error::NullOut`), `Option<H>` |
//! | `Out<Option<Owned<CStr, free = f>>>`, `Out<Option<Borrowed<CStr>>>` | `char **` C writes a string through (`sqlite3_exec`'s `errmsg`) | returned `Option<CString>`, copied; an owned one freed by `f` |
//! | `Out<Tail<p>>`, `Out<Option<Tail<p>>>` | `const char **` into the input `p` (`sqlite3_prepare_v2`'s `pzTail`) | returned `usize`, the offset into `p`, checked |
//! | `In<[CStr], len = n>`, `In<[CStr], nul_terminated>`, `In<[Option<CStr>], len = n>` | `const char *const *` counted by `n` or ended by NULL | `&[&CStr]`, `&[Option<&CStr>]` |
//! | in a callback: `CStr`, `Option<CStr>`, `In<[CStr], len = n>`, `In<[CStr], nul_terminated>`, `In<[T], len = n>` | what C hands the callback (sqlite3_exec's `argv`, expat's `atts` and text) | `&CStr`, `Option<&CStr>` (NULL is `None`), `&[&CStr]`, `&[T]` |
//! | `#[opaque(.., context = g)]`, `Callback<F, stored = slot, on = h>` | user data registered apart (`XML_SetUserData`), shared by the handle's callbacks | `g` is no method; the closures get `&H` and are freed with the handle |
//! | `#[opaque(.., kept_by_call)]` instead of `context = g` | callbacks kept on the handle that C calls with any user data | found through the call running on the thread that passed the handle ([`route`]) |
//! | `Borrowed<[u8], len = g>` returned | bytes whose length the function `g` gives (`sqlite3_column_blob`) | a copied `Vec<u8>` |
//! | `Sentinel<V>`, `#[c_value = "C"]` | a special pointer value (`SQLITE_TRANSIENT`) | no parameter: the linkage passes `V`, asserted equal to `C` |
//! | `pub const X: T = v;` | a macro or enumerator | the constant, asserted equal to `X` by the check unit |
//! | `#[opaque(c_type = "T", size = n, align = a, free = f)]` | state the caller allocates and must not move (`yaml_parser_t`), size and alignment asserted | `H`, in storage the linkage allocates and pins (in the domain for Isolated), finalised by `f`, then released |
//! | `Init<H, V>` | the state's initialiser (`yaml_parser_initialize`), which returns `V` once done | the result gains `Option<H>` |
//! | `In<[u8], len = n, kept = h>` | bytes C keeps a pointer into while the state `h` lives | `&[u8]`, copied and kept with `h` |
//! | `#[copy_out(c_type = "T", size = n, align = a, free = g)] struct S` with `#[c(offset, field, when(..), len, tag)]` fields; `Out<S>` | a struct with a tag, a union and pointer fields C writes (`yaml_event_t`), every member's offset and type asserted | an owned `S` (`Option<String>` checked UTF-8, `Option<Vec<u8>>`, values, the tag's enum checked), then `g` runs |
//! | `Borrowed<S>`, `Option<Borrowed<S>>` returned | `const T *` to a `#[copy_out]` struct the library keeps | a copied `S`, or `None` for NULL |
//! | `#[view] fn v(h: &H) -> S` | fields of a state (`parser.problem`) | a copied `S`; no C is called |
//! | `#[c_type = "void *"]` on a parameter or a function | the C spelling of the parameter or of the result, where the meaning implies another | unchanged |
//!
//! Every method returns `Result<_, Error>` in every linkage: a call that cannot
//! fail when linked still has the shape of one that can when isolated.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use ffi_macros::foreign;

#[path = "ir.rs"]
pub mod ir;

#[cfg(feature = "syntax")]
#[path = "syntax/mod.rs"]
pub mod syntax;

mod error;
pub use error::{DomainFailure, Error};

#[doc(hidden)]
pub mod route;
#[doc(hidden)]
pub mod rt;
#[doc(hidden)]
pub mod state;

pub mod bulk;
mod child;
mod during_call;
pub use child::Child;
pub mod exit_report;
pub mod frame;
pub mod isolated;
pub mod out;
#[cfg(feature = "std")]
pub mod reply;
pub mod shared;
mod shared_block;
pub mod shared_out;
pub mod wire;

pub use rt::{CEnum, CStrArg, EnumField};

/// C scalar type names as a description writes them.
pub mod c {
    pub use core::ffi::{
        c_char, c_double, c_float, c_int, c_long, c_longlong, c_schar, c_short, c_uchar, c_uint,
        c_ulong, c_ulonglong, c_ushort, c_void,
    };
    /// C's `size_t`.
    #[allow(non_camel_case_types)]
    pub type size_t = usize;
    /// C's `ssize_t`.
    #[allow(non_camel_case_types)]
    pub type ssize_t = isize;
}

/// The value `errno` held right after a call whose description says `#[errno]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Errno(pub i32);

#[cfg(feature = "std")]
impl Errno {
    /// The error's description, as the C library states it.
    pub fn message(self) -> String {
        std::io::Error::from_raw_os_error(self.0).to_string()
    }
}

/// What every generated linkage type offers besides the description's methods.
pub trait Linkage {
    /// The description this linkage serves.
    fn description() -> &'static ir::Description;
    /// The linkage's name: `linked`, `loaded` or `isolated`.
    fn linkage_name(&self) -> &'static str;
    /// Where a [`shared::SharedBuf`] for this linkage lives: `None` for
    /// plain memory (the default: Linked and Loaded), the channel's shared
    /// arena for the Isolated linkage, or why it has none.
    fn shared_space(
        &self,
    ) -> Result<Option<alloc::sync::Arc<dyn shared::SharedSpace>>, shared::SharedBufError> {
        Ok(None)
    }
    /// Where a [`shared_out::SharedOut`] for this linkage lives: `None` for
    /// plain memory (the default: Linked and Loaded), the channel's out
    /// arena for the Isolated linkage, or why it has none.
    fn shared_out_space(
        &self,
    ) -> Result<Option<alloc::sync::Arc<dyn shared_out::OutSpace>>, shared::SharedBufError> {
        Ok(None)
    }
}

#[doc(hidden)]
pub mod __private {
    pub use alloc::boxed::Box;
    pub use alloc::ffi::CString;
    pub use alloc::string::String;
    pub use alloc::sync::Arc;
    pub use alloc::vec;
    pub use alloc::vec::Vec;
    #[cfg(feature = "std")]
    pub use libc;
    #[cfg(feature = "std")]
    pub use serde_json;
    #[cfg(feature = "std")]
    pub use std::ffi::OsStr;
    #[cfg(feature = "std")]
    pub use std::sync::OnceLock;
}

/// Expands its items only when `ffi-desc` is built with `std`: generated code
/// wraps the Linked and Loaded linkages and the domain's server in it, so a
/// `no_std` build keeps the types, the trait and the Isolated client.
#[cfg(feature = "std")]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_std {
    ($($item:item)*) => { $($item)* };
}

/// See the `std` variant.
#[cfg(not(feature = "std"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_std {
    ($($item:item)*) => {};
}
