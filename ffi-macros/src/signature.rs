//! A function's two signatures: the safe method every linkage implements,
//! and the C declaration Linked and Loaded call through.

use crate::gen::{ident, parent_lifetime, Gen};
use crate::ir::*;
use crate::{meaning, returns};
use proc_macro2::TokenStream;
use quote::quote;

impl Gen<'_> {
    /// The safe method's signature (without body).
    pub(crate) fn safe_sig(&self, f: &Function) -> TokenStream {
        let name = ident(&f.name);
        let args = f.params.iter().filter_map(|p| {
            let m = meaning::of(self, f, p);
            let ty = m.safe_ty()?;
            let pn = m.cx().name();
            Some(quote!(#pn: #ty))
        });
        let out = self.result_ty(f);
        // One lifetime per parent a returned handle borrows (`parent = p`).
        let lts: Vec<_> = f.parents().into_iter().map(parent_lifetime).collect();
        let generics = (!lts.is_empty()).then(|| quote!(<#(#lts),*>));
        quote!(fn #name #generics(&self, #(#args),*) -> ::core::result::Result<#out, ::ffi_desc::Error>)
    }

    /// The safe result: what C returned, the out values in parameter order,
    /// then `errno`; a tuple unless exactly one.
    fn result_ty(&self, f: &Function) -> TokenStream {
        let mut parts: Vec<TokenStream> = returns::of(self, f).result_ty().into_iter().collect();
        parts.extend(
            f.params
                .iter()
                .filter_map(|p| meaning::of(self, f, p).result_ty()),
        );
        if f.errno {
            parts.push(quote!(::ffi_desc::Errno));
        }
        match parts.len() {
            1 => parts[0].clone(),
            _ => quote!((#(#parts),*)),
        }
    }

    /// The C parameters a declaration lists: for a variadic instantiation,
    /// the fixed ones (the rest travel through `...`).
    fn declared_params<'f>(&self, f: &'f Function) -> impl Iterator<Item = &'f Param> {
        f.params
            .iter()
            .take(f.variadic_fixed.unwrap_or(f.params.len()))
    }

    /// `unsafe extern "C" fn(..) -> R` for a function (variadic: the fixed part and `...`).
    pub(crate) fn raw_fn_ptr_ty(&self, f: &Function) -> TokenStream {
        let params = self
            .declared_params(f)
            .map(|p| meaning::of(self, f, p).raw_ty());
        let dots = f.variadic_fixed.map(|_| quote!(, ...));
        let ret = returns::of(self, f).raw_ty();
        quote!(unsafe extern "C" fn(#(#params),* #dots) -> #ret)
    }

    /// The function's declaration in an `extern "C"` block.
    pub(crate) fn extern_decl(&self, f: &Function) -> TokenStream {
        // The symbol: the C name, or the check unit's wrapper (`#[wrap]`).
        let name = ident(&f.symbol());
        let params = self.declared_params(f).map(|p| {
            let m = meaning::of(self, f, p);
            let (pn, t) = (m.cx().name(), m.raw_ty());
            quote!(#pn: #t)
        });
        let dots = f.variadic_fixed.map(|_| quote!(, ...));
        let ret = returns::of(self, f).raw_ty();
        quote!(pub fn #name(#(#params),* #dots) -> #ret;)
    }
}
