//! Bytes the library keeps, as many as another described function says
//! (`sqlite3_column_blob` with `sqlite3_column_bytes`): that function is
//! called right after, with the same arguments (in the domain, for the
//! Isolated linkage), and the bytes are copied into a `Vec<u8>`. NULL is an
//! error, or `None` in `Option`; a length that is negative or beyond
//! `isize::MAX` is `Error::LengthOutOfRange`, never a slice.

use super::{RetCx, Returned};
use crate::gen::ident;
use crate::linkage::native::Callee;
use crate::meaning;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct Bytes<'a> {
    pub(super) cx: RetCx<'a>,
    /// The length function, by Rust name.
    pub(super) len: &'a str,
}

impl Bytes<'_> {
    /// The length function's symbol.
    fn len_symbol(&self) -> String {
        let g = self.cx.g.desc.function(self.len);
        g.expect("checked by the parser").symbol()
    }

    /// The arguments the call was made with, for the length function,
    /// which takes the same parameters.
    fn args(&self) -> Vec<TokenStream> {
        let (g, f) = (self.cx.g, self.cx.f);
        f.params
            .iter()
            .map(|p| meaning::of(g, f, p).c_arg())
            .collect()
    }

    fn present(&self, value: TokenStream) -> TokenStream {
        let var = &self.cx.var;
        if self.cx.nullable {
            quote!(let #var = #value;)
        } else {
            let err = self.cx.null_error();
            quote!(let #var = #value.ok_or(#err)?;)
        }
    }
}

impl Returned for Bytes<'_> {
    fn raw_ty(&self) -> TokenStream {
        quote!(*const ::ffi_desc::c::c_void)
    }

    fn result_ty(&self) -> Option<TokenStream> {
        Some(self.cx.wrap(quote!(::ffi_desc::__private::Vec<u8>)))
    }

    fn native(&self, callee: &Callee) -> TokenStream {
        let (fname, var, len) = (&self.cx.f.name, &self.cx.var, self.len);
        let len_fn = (callee.fn_expr)(&self.len_symbol());
        let args = self.args();
        let value = quote! {
            if #var.is_null() {
                ::core::option::Option::None
            } else {
                // SAFETY (generated): the length function takes the arguments
                // just passed, which are still live and unchanged.
                let __n = unsafe { #len_fn(#(#args),*) };
                let __n = ::ffi_desc::rt::len_back(__n, isize::MAX as usize, #fname, #len)?;
                // SAFETY (generated): the description promises that the
                // pointer holds as many bytes as the length function says,
                // valid until the next call; they are copied now.
                ::core::option::Option::Some(unsafe { ::core::slice::from_raw_parts(#var as *const u8, __n) }.to_vec())
            }
        };
        self.present(value)
    }

    fn client(&self) -> TokenStream {
        let (fname, len) = (&self.cx.f.name, self.len);
        let value = quote! {
            match <u8 as ::ffi_desc::wire::Wire>::get(&mut __r).map_err(__protocol)? {
                0 => ::core::option::Option::None,
                1 => ::core::option::Option::Some(::ffi_desc::wire::get_vec::<u8>(&mut __r).map_err(__protocol)?),
                // The length function's answer was out of range.
                2 => {
                    let __n: u64 = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;
                    return ::core::result::Result::Err(::ffi_desc::Error::LengthOutOfRange {
                        function: #fname,
                        param: #len,
                        returned: __n,
                        capacity: isize::MAX as usize,
                    });
                }
                _ => return ::core::result::Result::Err(__protocol(::ffi_desc::wire::WireError("bad bytes tag"))),
            }
        };
        self.present(value)
    }

    fn server(&self) -> TokenStream {
        let (fname, var, len) = (&self.cx.f.name, &self.cx.var, self.len);
        let len_fn = ident(&self.len_symbol());
        let args = self.args();
        quote! {
            if #var.is_null() {
                __out.push(0);
            } else {
                // SAFETY: the length function takes the arguments just passed.
                let __n = unsafe { __linked_sys::#len_fn(#(#args),*) };
                match ::ffi_desc::rt::len_back(__n, isize::MAX as usize, #fname, #len) {
                    ::core::result::Result::Ok(__n) => {
                        // SAFETY: the description promises as many bytes as the
                        // length function says; they are encoded now.
                        let __s = unsafe { ::core::slice::from_raw_parts(#var as *const u8, __n) };
                        __out.push(1);
                        ::ffi_desc::wire::put_slice(__s, __out);
                    }
                    _ => {
                        __out.push(2);
                        ::ffi_desc::wire::Wire::put(&u64::try_from(__n).unwrap_or(u64::MAX), __out);
                    }
                }
            }
        }
    }
}
