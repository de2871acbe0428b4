//! The `#[copy_out]` struct a `#[view]` copies out of a state
//! (`yaml_parser_t`'s `problem` and its mark): no C is called. Linked and
//! Loaded read the state where it lives ([`view_call`]); the server reads
//! it in the domain and encodes it raw; the client decodes it as hostile.

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

impl Returned for CopyOut<'_> {
    fn raw_ty(&self) -> TokenStream {
        quote!(*mut ::ffi_desc::c::c_void)
    }

    fn result_ty(&self) -> Option<TokenStream> {
        let t = ident(self.ty);
        Some(quote!(#t))
    }

    fn native(&self, _: &Callee) -> TokenStream {
        let var = &self.cx.var;
        quote!(let #var = #var?;)
    }

    fn client(&self) -> TokenStream {
        let (var, t, fname) = (&self.cx.var, ident(self.ty), &self.cx.f.name);
        quote!(let #var = #t::__ffi_get(&mut __r, #fname).map_err(__protocol)??;)
    }

    fn server(&self) -> TokenStream {
        let (var, t) = (&self.cx.var, ident(self.ty));
        // SAFETY (generated): the pointer is a live state of the C type the
        // struct is read from (checked by the parser and the check unit).
        quote!(unsafe { #t::__ffi_put(#var as *const u8, __out) }?;)
    }
}

/// What stands for the C call of a `#[view]` `f` reading the state in
/// `state` (the prepared argument): the copy, natively (`Result<S, Error>`),
/// or the pointer itself for the server to encode.
pub(crate) fn view_call(f: &crate::ir::Function, state: &syn::Ident, native: bool) -> TokenStream {
    let crate::ir::Return::CopyOut { ty } = &f.ret else {
        return quote!(::core::compile_error!(
            "a #[view] returns a #[copy_out] struct"
        ));
    };
    let (t, fname) = (ident(ty), &f.name);
    if native {
        quote!(#t::__ffi_copy_out(#state as *const u8, #fname))
    } else {
        quote!(#state)
    }
}
