//! A NUL-terminated string C reads. The caller's string is checked for an
//! interior NUL and terminated; the server receives it as a `CString`.

use super::super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::ir::*;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct NulTerminated<'a> {
    pub(super) cx: Cx<'a>,
    pub(super) dir: Direction,
    pub(super) elem: &'a ValueType,
}

impl NulTerminated<'_> {
    /// `__str_<name>`: the caller's string, NUL-terminated, checked.
    fn terminated(&self) -> (syn::Ident, TokenStream) {
        let (pn, holder) = (self.cx.name(), self.cx.local("__str_"));
        let (fname, pname) = (&self.cx.f.name, &self.cx.p.name);
        let make = quote!(let #holder = ::ffi_desc::CStrArg::to_c_str(#pn, #fname, #pname)?;);
        (holder, make)
    }
}

impl Meaning for NulTerminated<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        super::raw_ty(self.cx.g, self.dir, self.elem)
    }

    fn safe_ty(&self) -> Option<TokenStream> {
        Some(quote!(&(impl ::ffi_desc::CStrArg + ?Sized)))
    }

    fn native(&self, _: &Callee, out: &mut NativePieces) {
        let var = self.cx.arg();
        let (holder, make) = self.terminated();
        out.prepare.push(quote! {
            #make
            let #var = #holder.as_ptr();
        });
    }

    fn client(&self, out: &mut ClientPieces) {
        let (holder, make) = self.terminated();
        out.encode.push(quote! {
            #make
            ::ffi_desc::wire::put_str(&#holder, &mut __req);
        });
    }

    fn server(&self, out: &mut ServerPieces) {
        let (var, v) = (self.cx.arg(), self.cx.local("__v_"));
        out.decode.push(quote! {
            let #v = ::ffi_desc::wire::get_cstring(&mut __r)?;
            let #var = #v.as_ptr();
        });
    }
}
