//! Callback types: how C calls back into Rust. A callback type's C
//! function-pointer type and the closure a safe method takes for it are
//! here; its trampolines are in [`native`] (Linked and Loaded) and
//! [`isolated`] (the client's invoker and the server's trampoline), and the
//! callbacks kept on handles in [`on_handle`].
//!
//! What the closure gets: values as they are, a string as `&CStr` (or
//! `Option<&CStr>`), an array of strings as `&[&CStr]` (or
//! `&[Option<&CStr>]`), a buffer as `&[T]`; the counts of arrays and buffers
//! and the user data are not its parameters. A callback kept on a handle
//! gets that handle first. A handle C lends the callback is `&H`, an array
//! of them `&[&H]`: views that name the calling linkage instance as their
//! owner, which the closure cannot keep (its parameters' lifetimes are
//! higher-ranked, those of the callback alone).

pub(crate) mod isolated;
pub(crate) mod native;
pub(crate) mod on_handle;

use crate::gen::{ident, Gen};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

impl Gen<'_> {
    /// The C function-pointer type, nullable as C's is.
    pub(crate) fn callback_raw_ty(&self, cb: &CallbackDef) -> TokenStream {
        let params = cb.params.iter().map(|p| self.callback_param_raw_ty(p));
        let ret = match &cb.ret {
            None => quote!(),
            Some(t) => {
                let t = self.raw_value_ty(t);
                quote!(-> #t)
            }
        };
        quote!(::core::option::Option<unsafe extern "C" fn(#(#params),*) #ret>)
    }

    /// A callback parameter's type at the C ABI.
    pub(crate) fn callback_param_raw_ty(&self, p: &CallbackParam) -> TokenStream {
        match p {
            CallbackParam::Value { ty, .. } => self.raw_value_ty(ty),
            CallbackParam::Length { ty, .. } => self.raw_value_ty(&ValueType::Scalar(*ty)),
            CallbackParam::CStr { .. } => quote!(*const ::ffi_desc::c::c_char),
            CallbackParam::Strings { .. } => quote!(*const *const ::ffi_desc::c::c_char),
            CallbackParam::Buffer { elem, .. } => {
                let t = self.stored_ty(elem);
                quote!(*const #t)
            }
            CallbackParam::Handle { .. } => quote!(*mut ::ffi_desc::c::c_void),
            CallbackParam::Handles { .. } => quote!(*const *mut ::ffi_desc::c::c_void),
            CallbackParam::UserData { .. } => quote!(*mut ::ffi_desc::c::c_void),
        }
    }

    /// The closure's parameter types and result; `on` is the handle type
    /// of a callback kept on a handle, which the closure gets first.
    pub(crate) fn callback_closure_sig(
        &self,
        cb: &CallbackDef,
        on: Option<&str>,
    ) -> (Vec<TokenStream>, TokenStream) {
        let handle = on.map(|h| {
            let h = ident(h);
            quote!(&#h)
        });
        let params = handle
            .into_iter()
            .chain(cb.params.iter().filter_map(|p| match p {
                CallbackParam::Value { ty, .. } => Some(self.stored_ty(ty)),
                CallbackParam::CStr {
                    nullable: false, ..
                } => Some(quote!(&::core::ffi::CStr)),
                CallbackParam::CStr { nullable: true, .. } => {
                    Some(quote!(::core::option::Option<&::core::ffi::CStr>))
                }
                CallbackParam::Strings {
                    nullable: false, ..
                } => Some(quote!(&[&::core::ffi::CStr])),
                CallbackParam::Strings { nullable: true, .. } => {
                    Some(quote!(&[::core::option::Option<&::core::ffi::CStr>]))
                }
                CallbackParam::Buffer { elem, .. } => {
                    let t = self.stored_ty(elem);
                    Some(quote!(&[#t]))
                }
                CallbackParam::Handle { ty, .. } => {
                    let t = ident(ty);
                    Some(quote!(&#t))
                }
                CallbackParam::Handles { ty, .. } => {
                    let t = ident(ty);
                    Some(quote!(&[&#t]))
                }
                CallbackParam::Length { .. } | CallbackParam::UserData { .. } => None,
            }))
            .collect();
        let ret = match &cb.ret {
            None => quote!(()),
            Some(t) => self.stored_ty(t),
        };
        (params, ret)
    }
}
