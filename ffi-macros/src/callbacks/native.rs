//! Linked and Loaded trampolines: C calls them with the user data, which
//! leads back to the Rust closure.

use crate::gen::{ident, Gen};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl Gen<'_> {
    /// For each callback type, the trampolines C calls: one for a closure
    /// passed for the call, one for a closure the linkage stores.
    pub(crate) fn trampolines(&self) -> TokenStream {
        let mut out = Vec::new();
        for cb in &self.desc.callbacks {
            let (ps, ret) = self.callback_closure_sig(cb);
            let mut raw_params = Vec::new();
            let mut conv = Vec::new();
            let mut args = Vec::new();
            let mut user = ident("__user");
            for (i, p) in cb.params.iter().enumerate() {
                let a = format_ident!("__a{}", i);
                match p {
                    CallbackParam::Value { ty, .. } => {
                        let t = self.raw_value_ty(ty);
                        raw_params.push(quote!(#a: #t));
                        match ty {
                            ValueType::Named(n) if self.is_enum(n) => {
                                args.push(quote!(::ffi_desc::EnumField::from_raw(#a)))
                            }
                            _ => args.push(quote!(#a)),
                        }
                    }
                    CallbackParam::CStr { .. } => {
                        raw_params.push(quote!(#a: *const ::ffi_desc::c::c_char));
                        conv.push(quote! {
                            let #a: &::core::ffi::CStr = if #a.is_null() {
                                c""
                            } else {
                                // SAFETY: C passes a NUL-terminated string valid for the callback.
                                unsafe { ::core::ffi::CStr::from_ptr(#a) }
                            };
                        });
                        args.push(quote!(#a));
                    }
                    CallbackParam::UserData { .. } => {
                        raw_params.push(quote!(#a: *mut ::ffi_desc::c::c_void));
                        user = a;
                    }
                }
            }
            let raw_ret = match &cb.ret {
                None => quote!(()),
                Some(t) => self.raw_value_ty(t),
            };
            let to_raw = match &cb.ret {
                Some(ValueType::Named(n)) if self.is_enum(n) => quote!(.raw()),
                _ => quote!(),
            };
            let call_t = format_ident!("__tramp_call_{}", cb.name);
            let stored_t = format_ident!("__tramp_stored_{}", cb.name);
            out.push(quote! {
                #[allow(non_snake_case)]
                unsafe extern "C" fn #call_t(#(#raw_params),*) -> #raw_ret {
                    #(#conv)*
                    // SAFETY: the user data is the `&mut dyn FnMut` the calling method
                    // placed on its stack; C calls back only during that call.
                    let __f = unsafe { &mut *(#user as *mut &mut dyn FnMut(#(#ps),*) -> #ret) };
                    // SAFETY: all-zero is a valid value of every callback result type.
                    ::ffi_desc::rt::run_callback(unsafe { ::core::mem::zeroed() }, || __f(#(#args),*) #to_raw)
                }
                #[allow(non_snake_case, dead_code)]
                unsafe extern "C" fn #stored_t(#(#raw_params),*) -> #raw_ret {
                    #(#conv)*
                    // SAFETY: the user data is a boxed closure kept alive by the
                    // linkage's callback store for as long as C may call it.
                    let __f = unsafe { &*(#user as *const ::ffi_desc::__private::Box<dyn Fn(#(#ps),*) -> #ret + Send + Sync>) };
                    // SAFETY: all-zero is a valid value of every callback result type.
                    ::ffi_desc::rt::run_callback(unsafe { ::core::mem::zeroed() }, || __f(#(#args),*) #to_raw)
                }
            });
        }
        quote!(#(#out)*)
    }
}
