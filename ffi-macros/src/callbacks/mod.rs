//! Callback types: how C calls back into Rust. A callback type's C
//! function-pointer type and the closure a safe method takes for it are
//! here; its trampolines are in [`native`] (Linked and Loaded) and
//! [`isolated`] (the client's invoker and the server's trampoline).

pub(crate) mod isolated;
pub(crate) mod native;

use crate::gen::Gen;
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

impl Gen<'_> {
    /// The C function-pointer type, nullable as C's is.
    pub(crate) fn callback_raw_ty(&self, cb: &CallbackDef) -> TokenStream {
        let params = cb.params.iter().map(|p| match p {
            CallbackParam::Value { ty, .. } => self.raw_value_ty(ty),
            CallbackParam::CStr { .. } => quote!(*const ::ffi_desc::c::c_char),
            CallbackParam::UserData { .. } => quote!(*mut ::ffi_desc::c::c_void),
        });
        let ret = match &cb.ret {
            None => quote!(),
            Some(t) => {
                let t = self.raw_value_ty(t);
                quote!(-> #t)
            }
        };
        quote!(::core::option::Option<unsafe extern "C" fn(#(#params),*) #ret>)
    }

    /// The closure's parameter types and result (the user data is the
    /// closure itself).
    pub(crate) fn callback_closure_sig(&self, cb: &CallbackDef) -> (Vec<TokenStream>, TokenStream) {
        let params = cb
            .params
            .iter()
            .filter_map(|p| match p {
                CallbackParam::Value { ty, .. } => Some(self.stored_ty(ty)),
                CallbackParam::CStr { .. } => Some(quote!(&::core::ffi::CStr)),
                CallbackParam::UserData { .. } => None,
            })
            .collect();
        let ret = match &cb.ret {
            None => quote!(()),
            Some(t) => self.stored_ty(t),
        };
        (params, ret)
    }
}
