//! A function's two signatures: the safe method every linkage implements,
//! and the C declaration Linked and Loaded call through.

use crate::gen::{ident, unresolved, Gen};
use crate::ir::*;
use crate::rust_types::scalar_tokens;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl Gen<'_> {
    pub(crate) fn raw_param_ty(&self, p: &Param) -> TokenStream {
        match &p.kind {
            // The parser refuses Unresolved outside drafts; drafts are never expanded.
            ParamKind::Unresolved { .. } => unresolved(),
            ParamKind::Value(v) => self.raw_value_ty(v),
            ParamKind::Pointer { dir, elem, .. } => {
                let e = self.stored_ty(elem);
                if *dir == Direction::In {
                    quote!(*const #e)
                } else {
                    quote!(*mut #e)
                }
            }
            ParamKind::Length { ty, by_pointer } => {
                let t = scalar_tokens(*ty);
                if *by_pointer {
                    quote!(*mut #t)
                } else {
                    t
                }
            }
            ParamKind::Handle { .. } | ParamKind::UserData => quote!(*mut ::ffi_desc::c::c_void),
            ParamKind::Callback { ty, .. } => match self.desc.callback(ty) {
                Some(cb) => self.callback_raw_ty(cb),
                None => quote!(*mut ::ffi_desc::c::c_void),
            },
        }
    }

    pub(crate) fn raw_ret_ty(&self, r: &Return) -> TokenStream {
        match r {
            Return::Unresolved { .. } => unresolved(),
            Return::Void => quote!(()),
            Return::Value(v) => self.raw_value_ty(v),
            Return::Handle { .. } => quote!(*mut ::ffi_desc::c::c_void),
            Return::CStr(Ownership::Borrowed) => quote!(*const ::ffi_desc::c::c_char),
            Return::CStr(Ownership::Owned { .. }) => quote!(*mut ::ffi_desc::c::c_char),
        }
    }

    /// `unsafe extern "C" fn(..) -> R` for a function (variadic: the fixed part and `...`).
    pub(crate) fn raw_fn_ptr_ty(&self, f: &Function) -> TokenStream {
        let n = f.variadic_fixed.unwrap_or(f.params.len());
        let params = f.params.iter().take(n).map(|p| self.raw_param_ty(p));
        let dots = f.variadic_fixed.map(|_| quote!(, ...));
        let ret = self.raw_ret_ty(&f.ret);
        quote!(unsafe extern "C" fn(#(#params),* #dots) -> #ret)
    }

    /// The function's declaration in an `extern "C"` block.
    pub(crate) fn extern_decl(&self, f: &Function) -> TokenStream {
        // The symbol: the C name, or the check unit's wrapper (`#[wrap]`).
        let name = ident(&f.symbol());
        let n = f.variadic_fixed.unwrap_or(f.params.len());
        let params = f.params.iter().take(n).map(|p| {
            let pn = format_ident!("{}", p.name);
            let t = self.raw_param_ty(p);
            quote!(#pn: #t)
        });
        let dots = f.variadic_fixed.map(|_| quote!(, ...));
        let ret = self.raw_ret_ty(&f.ret);
        quote!(pub fn #name(#(#params),* #dots) -> #ret;)
    }

    /// The safe method's signature (without body).
    pub(crate) fn safe_sig(&self, f: &Function) -> TokenStream {
        let name = ident(&f.name);
        let mut args = Vec::new();
        for p in &f.params {
            let pn = format_ident!("{}", p.name);
            let ty = match &p.kind {
                ParamKind::Unresolved { .. } => Some(unresolved()),
                ParamKind::Value(v) => Some(self.safe_value_ty(v)),
                ParamKind::Pointer { dir, elem, extent } => {
                    let e = self.stored_ty(elem);
                    let inner = match extent {
                        Extent::One => quote!(#e),
                        Extent::Fixed(n) => {
                            let n = *n as usize;
                            quote!([#e; #n])
                        }
                        Extent::Param(_) => quote!([#e]),
                        Extent::NulTerminated => quote!(impl ::ffi_desc::CStrArg + ?Sized),
                    };
                    match (dir, extent) {
                        (_, Extent::NulTerminated) => Some(quote!(&(#inner))),
                        (Direction::In, _) => Some(quote!(&#inner)),
                        (Direction::Out, Extent::One) => None,
                        _ => Some(quote!(&mut #inner)),
                    }
                }
                ParamKind::Length { .. } | ParamKind::UserData => None,
                ParamKind::Handle { ty, consume } => {
                    let t = ident(ty);
                    Some(if *consume { quote!(#t) } else { quote!(&#t) })
                }
                ParamKind::Callback { ty, stored, .. } => {
                    let cb = self.desc.callback(ty).expect("checked by the parser");
                    let (ps, ret) = self.callback_closure_sig(cb);
                    Some(if *stored {
                        quote!(impl Fn(#(#ps),*) -> #ret + Send + Sync + 'static)
                    } else {
                        quote!(&mut dyn FnMut(#(#ps),*) -> #ret)
                    })
                }
            };
            if let Some(ty) = ty {
                args.push(quote!(#pn: #ty));
            }
        }
        let out = self.result_ty(f);
        quote!(fn #name(&self, #(#args),*) -> ::core::result::Result<#out, ::ffi_desc::Error>)
    }

    pub(crate) fn result_parts(&self, f: &Function) -> Vec<TokenStream> {
        let mut parts = Vec::new();
        match &f.ret {
            Return::Unresolved { .. } => parts.push(unresolved()),
            Return::Void => {}
            Return::Value(v) => parts.push(self.safe_value_ty(v)),
            Return::Handle { ty } => {
                let t = ident(ty);
                parts.push(quote!(#t))
            }
            Return::CStr(_) => parts.push(quote!(::ffi_desc::__private::CString)),
        }
        for p in &f.params {
            match &p.kind {
                ParamKind::Pointer {
                    dir: Direction::Out,
                    elem,
                    extent: Extent::One,
                } => parts.push(self.safe_value_ty(elem)),
                ParamKind::Length {
                    by_pointer: true, ..
                } => parts.push(quote!(usize)),
                _ => {}
            }
        }
        if f.errno {
            parts.push(quote!(::ffi_desc::Errno));
        }
        parts
    }

    pub(crate) fn result_ty(&self, f: &Function) -> TokenStream {
        let parts = self.result_parts(f);
        match parts.len() {
            1 => parts[0].clone(),
            _ => quote!((#(#parts),*)),
        }
    }
}
