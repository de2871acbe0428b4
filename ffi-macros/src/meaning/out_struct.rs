//! `Out<S>` of a `#[copy_out]` struct (`yaml_parser_parse`'s event): C
//! writes the struct into zeroed storage where it runs; it is copied into
//! an owned `S` (see `crate::copy_out`), and then `S`'s destructor, if it
//! has one, releases what C's pointers own, whether the copy succeeded or
//! not. For Isolated, the copy and the destructor run in the domain, and
//! the client decodes the copy as hostile input.
//!
//! The destructor itself takes `Out<S>` too, but is no method: the server
//! refuses to run it on request, since only the linkage may.

use super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::gen::ident;
use crate::ir::*;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct OutStruct<'a> {
    pub(super) cx: Cx<'a>,
    /// The struct, by Rust name.
    pub(super) ty: &'a str,
}

impl OutStruct<'_> {
    /// The destructor's C symbol, if the struct has one.
    fn destructor(&self) -> Option<String> {
        match &self.cx.g.desc.type_def(self.ty)?.kind {
            TypeKind::CopyOut { free: Some(f), .. } => {
                self.cx.g.desc.function(f).map(Function::symbol)
            }
            _ => None,
        }
    }

    /// Zeroed storage, and the C argument pointing at it.
    fn scratch(&self) -> TokenStream {
        let (t, s, var) = (ident(self.ty), self.cx.local("__scratch_"), self.cx.arg());
        quote! {
            let mut #s = #t::__ffi_scratch();
            let #var = #s.as_mut_ptr();
        }
    }
}

impl Meaning for OutStruct<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        quote!(*mut ::ffi_desc::c::c_void)
    }

    fn result_ty(&self) -> Option<TokenStream> {
        let t = ident(self.ty);
        Some(quote!(#t))
    }

    fn native(&self, callee: &Callee, out: &mut NativePieces) {
        let (t, var, v) = (ident(self.ty), self.cx.arg(), self.cx.local("__copied_"));
        let fname = &self.cx.f.name;
        out.prepare.push(self.scratch());
        let free = self.destructor().map(|c| {
            let c = (callee.fn_expr)(&c);
            quote!(let _ = #c(#var);)
        });
        // SAFETY (generated): the storage holds the struct as C wrote it (or
        // zeroed), which the destructor accepts, once, after the copy.
        out.after_call.push(quote! {
            let #v = unsafe { #t::__ffi_copy_out(#var as *const u8, #fname) };
            unsafe { #free }
        });
        out.write_back.push(quote!(let #v = #v?;));
        out.outs.push(quote!(#v));
    }

    fn request_size(&self) -> usize {
        0
    }

    fn client(&self, out: &mut ClientPieces) {
        let (t, v, fname) = (ident(self.ty), self.cx.local("__copied_"), &self.cx.f.name);
        out.decode
            .push(quote!(let #v = #t::__ffi_get(&mut __r, #fname).map_err(__protocol)??;));
        out.outs.push(quote!(#v));
    }

    fn server(&self, out: &mut ServerPieces) {
        if self.cx.g.desc.frees_copied_struct(self.cx.f) {
            let var = self.cx.arg();
            out.decode.push(quote! {
                let #var: *mut ::ffi_desc::c::c_void = return ::core::result::Result::Err(
                    ::ffi_desc::wire::WireError("the destructor of a copied struct is run by the linkage only"));
            });
            return;
        }
        let (t, var) = (ident(self.ty), self.cx.arg());
        out.decode.push(self.scratch());
        let free = self.destructor().map(|c| {
            let c = ident(&c);
            quote!(let _ = __linked_sys::#c(#var);)
        });
        // SAFETY (generated): as in Linked; the copy is encoded raw, and the
        // destructor runs even when the copy fails.
        out.write_back.push(quote! {
            let __copied = unsafe { #t::__ffi_put(#var as *const u8, __out) };
            unsafe { #free }
            __copied?;
        });
    }
}
