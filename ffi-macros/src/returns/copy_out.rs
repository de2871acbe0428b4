//! A `#[copy_out]` struct C hands out by pointer: `Borrowed<S>` returned
//! (`const T *` the library keeps), or what a `#[view]` copies out of a
//! state (`yaml_parser_t`'s `problem` and its mark), where no C is called
//! and the pointer is the state's ([`view_call`]). Linked and Loaded copy it
//! where it lies; the server copies it in the domain and sends it raw after
//! a presence byte; the client decodes it as hostile. NULL is an error, or
//! `None` in `Option`.

use super::{RetCx, Returned};
use crate::gen::ident;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct CopyOut<'a> {
    pub(super) cx: RetCx<'a>,
    /// The struct, by Rust name.
    pub(super) ty: &'a str,
}

impl CopyOut<'_> {
    /// `#var` rebound to the copy `make` when `present`, or to `None` / the
    /// error.
    fn wrapped(&self, present: TokenStream, make: TokenStream) -> TokenStream {
        let var = &self.cx.var;
        if self.cx.nullable {
            quote!(let #var = if #present { ::core::option::Option::Some(#make) } else { ::core::option::Option::None };)
        } else {
            let err = self.cx.null_error();
            quote! {
                if !(#present) {
                    return ::core::result::Result::Err(#err);
                }
                let #var = #make;
            }
        }
    }
}

impl Returned for CopyOut<'_> {
    fn raw_ty(&self) -> TokenStream {
        quote!(*const ::ffi_desc::c::c_void)
    }

    fn result_ty(&self) -> Option<TokenStream> {
        let t = ident(self.ty);
        Some(self.cx.wrap(quote!(#t)))
    }

    fn native(&self, _: &Callee) -> TokenStream {
        let (var, t, fname) = (&self.cx.var, ident(self.ty), &self.cx.f.name);
        // SAFETY (generated): C returned a pointer to the described struct,
        // which stays valid at least until the next call.
        self.wrapped(
            quote!(!#var.is_null()),
            quote!(unsafe { #t::__ffi_copy_out(#var as *const u8, #fname) }?),
        )
    }

    fn client(&self) -> TokenStream {
        let (t, fname) = (ident(self.ty), &self.cx.f.name);
        let present = quote! {
            match <u8 as ::ffi_desc::wire::Wire>::get(&mut __r).map_err(__protocol)? {
                0 => false,
                1 => true,
                _ => return ::core::result::Result::Err(__protocol(::ffi_desc::wire::WireError("bad struct tag"))),
            }
        };
        let make = quote!(#t::__ffi_get(&mut __r, #fname).map_err(__protocol)??);
        let w = self.wrapped(quote!(__present), make);
        quote! {
            let __present: bool = #present;
            #w
        }
    }

    fn server(&self) -> TokenStream {
        let (var, t) = (&self.cx.var, ident(self.ty));
        // SAFETY (generated): as in Linked, in the domain.
        quote! {
            if #var.is_null() {
                __out.push(0);
            } else {
                __out.push(1);
                unsafe { #t::__ffi_put(#var as *const u8, __out) }?;
            }
        }
    }
}

/// What stands for the C call of a `#[view]` `f` reading the state in
/// `state` (the prepared argument): the state's address, which the result
/// copies the struct from.
pub(crate) fn view_call(state: &syn::Ident) -> TokenStream {
    quote!(#state as *const ::ffi_desc::c::c_void)
}
