//! A NUL-terminated string, copied into a `CString` before the caller sees
//! it. An owned one is freed right after the copy by the function the
//! description names, which no caller ever calls itself; in the Isolated
//! linkage the server copies and frees it. NULL is an error, or `None` in
//! `Option`.

use super::{RetCx, Returned};
use crate::gen::ident;
use crate::ir::Ownership;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct CStr<'a> {
    pub(super) cx: RetCx<'a>,
    pub(super) own: &'a Ownership,
}

impl Returned for CStr<'_> {
    fn raw_ty(&self) -> TokenStream {
        match self.own {
            Ownership::Borrowed => quote!(*const ::ffi_desc::c::c_char),
            Ownership::Owned { .. } => quote!(*mut ::ffi_desc::c::c_char),
        }
    }

    fn result_ty(&self) -> Option<TokenStream> {
        Some(self.cx.wrap(quote!(::ffi_desc::__private::CString)))
    }

    fn native(&self, callee: &Callee) -> TokenStream {
        let (fname, var) = (&self.cx.f.name, &self.cx.var);
        let copy = if self.cx.nullable {
            quote! {
                // SAFETY (generated): the description promises a NUL-terminated
                // string, valid until the next call (or until freed); copied now.
                let __copy = if #var.is_null() {
                    ::core::option::Option::None
                } else {
                    unsafe { ::ffi_desc::rt::copy_c_str(#var, #fname) }.ok()
                };
            }
        } else {
            let err = self.cx.null_error();
            quote! {
                // SAFETY (generated): the description promises a NUL-terminated
                // string, valid until the next call (or until freed); copied now.
                let __copy = unsafe { ::ffi_desc::rt::copy_c_str(#var, #fname) }.map_err(|_| #err);
            }
        };
        let free = match self.own {
            Ownership::Borrowed => quote!(),
            Ownership::Owned { free } => {
                let free_fn = (callee.fn_expr)(&self.cx.g.desc.symbol_of(free));
                quote! {
                    if !#var.is_null() {
                        // SAFETY (generated): `free` is the function the description
                        // names for this string, which was copied; freed once.
                        unsafe { #free_fn(#var as _) };
                    }
                }
            }
        };
        let done = if self.cx.nullable {
            quote!(let #var = __copy;)
        } else {
            quote!(let #var = __copy?;)
        };
        quote!(#copy #free #done)
    }

    fn client(&self) -> TokenStream {
        let var = &self.cx.var;
        let present = if self.cx.nullable {
            quote!()
        } else {
            let err = self.cx.null_error();
            quote!(.ok_or(#err)?)
        };
        quote! {
            let #var = ::ffi_desc::wire::get_opt_cstring(&mut __r).map_err(__protocol)? #present;
        }
    }

    fn server(&self) -> TokenStream {
        let var = &self.cx.var;
        let free = match self.own {
            Ownership::Borrowed => quote!(),
            Ownership::Owned { free } => {
                let free = ident(&self.cx.g.desc.symbol_of(free));
                quote! {
                    if !#var.is_null() {
                        // SAFETY: the description names this function as the one
                        // that frees this string, which was encoded; freed once.
                        unsafe { __linked_sys::#free(#var as _) };
                    }
                }
            }
        };
        quote! {
            let __s = if #var.is_null() {
                ::core::option::Option::None
            } else {
                // SAFETY: the description promises a NUL-terminated string.
                ::core::option::Option::Some(unsafe { ::core::ffi::CStr::from_ptr(#var) })
            };
            ::ffi_desc::wire::put_opt_str(__s, __out);
            #free
        }
    }
}
