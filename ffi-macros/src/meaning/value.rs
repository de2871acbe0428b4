//! A value passed by value: a scalar, struct, union or enum. An enum
//! crosses C and the wire as its integer.

use super::{ClientPieces, Cx, Meaning, NativePieces, ServerPieces};
use crate::ir::ValueType;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct Value<'a> {
    pub(super) cx: Cx<'a>,
    pub(super) ty: &'a ValueType,
}

impl Value<'_> {
    fn is_enum(&self) -> bool {
        matches!(self.ty, ValueType::Named(n) if self.cx.g.is_enum(n))
    }
}

impl Meaning for Value<'_> {
    fn cx(&self) -> &Cx<'_> {
        &self.cx
    }

    fn raw_ty(&self) -> TokenStream {
        self.cx.g.raw_value_ty(self.ty)
    }

    fn safe_ty(&self) -> Option<TokenStream> {
        Some(self.cx.g.safe_value_ty(self.ty))
    }

    fn native(&self, _: &Callee, out: &mut NativePieces) {
        let (pn, var) = (self.cx.name(), self.cx.arg());
        out.prepare.push(if self.is_enum() {
            quote!(let #var = ::ffi_desc::CEnum::to_raw(#pn);)
        } else {
            quote!(let #var = #pn;)
        });
    }

    fn request_size(&self) -> usize {
        self.cx.g.wire_size(self.ty)
    }

    fn client(&self, out: &mut ClientPieces) {
        let pn = self.cx.name();
        out.encode.push(if self.is_enum() {
            quote!(::ffi_desc::wire::Wire::put(&::ffi_desc::CEnum::to_raw(#pn), &mut __req);)
        } else {
            quote!(::ffi_desc::wire::Wire::put(&#pn, &mut __req);)
        });
    }

    fn server(&self, out: &mut ServerPieces) {
        let var = self.cx.arg();
        let t = self.cx.g.raw_value_ty(self.ty);
        out.decode
            .push(quote!(let #var: #t = ::ffi_desc::wire::Wire::get(&mut __r)?;));
    }
}
