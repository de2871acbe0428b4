//! A NUL-terminated string, copied into a `CString` before the caller sees
//! it. An owned one is freed right after the copy by the function the
//! description names, which no caller ever calls itself; in the Isolated
//! linkage the server copies and frees it. NULL is an error.

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
        Some(quote!(::ffi_desc::__private::CString))
    }

    fn native(&self, callee: &Callee) -> TokenStream {
        let fname = &self.cx.f.name;
        match self.own {
            Ownership::Borrowed => quote! {
                // SAFETY (generated): the description promises a NUL-terminated
                // string that stays valid until the next call; it is copied now.
                let __ret = unsafe { ::ffi_desc::rt::copy_c_str(__ret, #fname) }?;
            },
            Ownership::Owned { free } => {
                let free_fn = (callee.fn_expr)(&self.cx.g.desc.symbol_of(free));
                quote! {
                    // SAFETY (generated): the description promises a NUL-terminated
                    // string owned by the caller; it is copied, then freed once.
                    let __copy = unsafe { ::ffi_desc::rt::copy_c_str(__ret, #fname) };
                    if !__ret.is_null() {
                        // SAFETY (generated): `free` is the function the description
                        // names for strings this function returns.
                        unsafe { #free_fn(__ret as _) };
                    }
                    let __ret = __copy?;
                }
            }
        }
    }

    fn client(&self) -> TokenStream {
        let fname = &self.cx.f.name;
        quote! {
            let __ret = ::ffi_desc::wire::get_opt_cstring(&mut __r)
                .map_err(__protocol)?
                .ok_or(::ffi_desc::Error::NullReturn { function: #fname })?;
        }
    }

    fn server(&self) -> TokenStream {
        let free = match self.own {
            Ownership::Borrowed => quote!(),
            Ownership::Owned { free } => {
                let free = ident(&self.cx.g.desc.symbol_of(free));
                quote! {
                    if !__ret.is_null() {
                        // SAFETY: the description names this function as the one
                        // that frees strings this function returns.
                        unsafe { __linked_sys::#free(__ret as _) };
                    }
                }
            }
        };
        quote! {
            let __s = if __ret.is_null() {
                ::core::option::Option::None
            } else {
                // SAFETY: the description promises a NUL-terminated string.
                ::core::option::Option::Some(unsafe { ::core::ffi::CStr::from_ptr(__ret) })
            };
            ::ffi_desc::wire::put_opt_str(__s, __out);
            #free
        }
    }
}
