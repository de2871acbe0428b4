//! One object C writes (`T *out`): no parameter of the safe method, a part
//! of its result. Linked and Loaded hand C a zeroed slot; the server a
//! default value it then sends back.

use super::super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::ir::*;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct OutValue<'a> {
    pub(super) cx: Cx<'a>,
    pub(super) elem: &'a ValueType,
}

impl OutValue<'_> {
    /// An enum comes back as an `EnumField`, checked into the enum.
    fn to_safe(&self) -> TokenStream {
        match self.elem {
            ValueType::Named(n) if self.cx.g.is_enum(n) => quote!(.get()?),
            _ => quote!(),
        }
    }
}

impl Meaning for OutValue<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        super::raw_ty(self.cx.g, Direction::Out, self.elem)
    }

    fn result_ty(&self) -> Option<TokenStream> {
        Some(self.cx.g.safe_value_ty(self.elem))
    }

    fn native(&self, _: &Callee, out: &mut NativePieces) {
        let (var, slot) = (self.cx.arg(), self.cx.local("__out_"));
        let e = self.cx.g.stored_ty(self.elem);
        out.prepare.push(quote! {
            let mut #slot = ::core::mem::MaybeUninit::<#e>::zeroed();
            let #var = #slot.as_mut_ptr();
        });
        let conv = self.to_safe();
        // SAFETY (generated): the slot was zero-initialised, and every
        // type that can stand here is valid when all-zero.
        out.write_back
            .push(quote!(let #slot = unsafe { #slot.assume_init() } #conv;));
        out.outs.push(quote!(#slot));
    }

    fn request_size(&self) -> usize {
        self.cx.g.wire_size(self.elem)
    }

    fn client(&self, out: &mut ClientPieces) {
        let slot = self.cx.local("__out_");
        let e = self.cx.g.stored_ty(self.elem);
        let conv = self.to_safe();
        out.decode.push(quote! {
            let #slot: #e = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;
            let #slot = #slot #conv;
        });
        out.outs.push(quote!(#slot));
    }

    fn server(&self, out: &mut ServerPieces) {
        let (var, v) = (self.cx.arg(), self.cx.local("__v_"));
        let e = self.cx.g.stored_ty(self.elem);
        out.decode.push(quote! {
            let mut #v: #e = ::core::default::Default::default();
            let #var = &mut #v as *mut #e;
        });
        out.write_back
            .push(quote!(::ffi_desc::wire::Wire::put(&#v, __out);));
    }
}
