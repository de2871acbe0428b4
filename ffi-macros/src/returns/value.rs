//! A value: scalar, struct, union or enum. An enum is checked against its
//! variants wherever it arrives.

use super::{RetCx, Returned};
use crate::gen::ident;
use crate::ir::ValueType;
use crate::linkage::native::Callee;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct Value<'a> {
    pub(super) cx: RetCx<'a>,
    pub(super) ty: &'a ValueType,
}

impl Value<'_> {
    /// The enum's name, when the value is one.
    fn enum_name(&self) -> Option<syn::Ident> {
        match self.ty {
            ValueType::Named(n) if self.cx.g.is_enum(n) => Some(ident(n)),
            _ => None,
        }
    }
}

impl Returned for Value<'_> {
    fn raw_ty(&self) -> TokenStream {
        self.cx.g.raw_value_ty(self.ty)
    }

    fn result_ty(&self) -> Option<TokenStream> {
        Some(self.cx.g.safe_value_ty(self.ty))
    }

    fn native(&self, _: &Callee) -> TokenStream {
        let var = &self.cx.var;
        match self.enum_name() {
            Some(n) => quote!(let #var = <#n as ::ffi_desc::CEnum>::checked(#var)?;),
            None => quote!(),
        }
    }

    fn client(&self) -> TokenStream {
        let var = &self.cx.var;
        match self.enum_name() {
            Some(n) => {
                let r = self.cx.g.raw_value_ty(self.ty);
                quote! {
                    let #var: #r = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;
                    let #var = <#n as ::ffi_desc::CEnum>::checked(#var)?;
                }
            }
            None => {
                let t = self.cx.g.stored_ty(self.ty);
                quote!(let #var: #t = ::ffi_desc::wire::Wire::get(&mut __r).map_err(__protocol)?;)
            }
        }
    }

    fn server(&self) -> TokenStream {
        let var = &self.cx.var;
        quote!(::ffi_desc::wire::Wire::put(&#var, __out);)
    }
}
