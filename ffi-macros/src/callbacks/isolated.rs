//! Isolated callbacks. C inside the domain calls the server's trampoline,
//! which sends the arguments to the client with the callback's id (its user
//! data); the client's invoker decodes them, runs the closure and encodes
//! its result.

use crate::gen::Gen;
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl Gen<'_> {
    /// The invoker that decodes a callback's arguments, runs the Rust closure
    /// `f`, and encodes its result.
    pub(crate) fn client_invoker_body(&self, cb: &CallbackDef, f: TokenStream) -> TokenStream {
        let mut decode = Vec::new();
        let mut args = Vec::new();
        for (i, p) in cb.params.iter().enumerate() {
            let a = format_ident!("__a{}", i);
            match p {
                CallbackParam::Value { ty, .. } => {
                    let t = self.stored_ty(ty);
                    decode.push(quote!(let #a: #t = ::ffi_desc::wire::Wire::get(&mut __r)?;));
                    args.push(quote!(#a));
                }
                CallbackParam::CStr { .. } => {
                    decode.push(quote!(let #a = ::ffi_desc::wire::get_opt_cstring(&mut __r)?;));
                    args.push(quote!(#a.as_deref().unwrap_or(c"")));
                }
                CallbackParam::UserData { .. } => {}
            }
        }
        let put = match &cb.ret {
            None => quote!(let _ = __res;),
            Some(_) => quote!(::ffi_desc::wire::Wire::put(&__res, __out);),
        };
        quote! {
            let mut __r = ::ffi_desc::wire::Reader::new(__args);
            #(#decode)*
            __r.finish()?;
            // SAFETY: all-zero is a valid value of every callback result type.
            let __res = ::ffi_desc::rt::run_callback(unsafe { ::core::mem::zeroed() }, || #f(#(#args),*));
            #put
            ::core::result::Result::Ok(())
        }
    }

    /// Trampolines through which C, inside the domain, reaches client callbacks.
    pub(crate) fn server_trampolines(&self) -> TokenStream {
        let mut out = Vec::new();
        for cb in &self.desc.callbacks {
            let name = format_ident!("__srv_tramp_{}", cb.name);
            let mut raw = Vec::new();
            let mut enc = Vec::new();
            let mut user = quote!(::core::ptr::null_mut::<::ffi_desc::c::c_void>());
            for (i, p) in cb.params.iter().enumerate() {
                let a = format_ident!("__a{}", i);
                match p {
                    CallbackParam::Value { ty, .. } => {
                        let t = self.raw_value_ty(ty);
                        raw.push(quote!(#a: #t));
                        enc.push(quote!(::ffi_desc::wire::Wire::put(&#a, &mut __args);));
                    }
                    CallbackParam::CStr { .. } => {
                        raw.push(quote!(#a: *const ::ffi_desc::c::c_char));
                        enc.push(quote! {
                            let __s = if #a.is_null() {
                                ::core::option::Option::None
                            } else {
                                // SAFETY: C passes a NUL-terminated string valid for the callback.
                                ::core::option::Option::Some(unsafe { ::core::ffi::CStr::from_ptr(#a) })
                            };
                            ::ffi_desc::wire::put_opt_str(__s, &mut __args);
                        });
                    }
                    CallbackParam::UserData { .. } => {
                        raw.push(quote!(#a: *mut ::ffi_desc::c::c_void));
                        user = quote!(#a);
                    }
                }
            }
            let (ret_ty, decode) = match &cb.ret {
                None => (quote!(()), quote!(let _ = __ok;)),
                Some(t) => {
                    let rt = self.raw_value_ty(t);
                    (
                        rt.clone(),
                        quote! {
                            let mut __r = ::ffi_desc::wire::Reader::new(&__reply);
                            match (__ok, <#rt as ::ffi_desc::wire::Wire>::get(&mut __r)) {
                                (true, ::core::result::Result::Ok(v)) if __r.finish().is_ok() => v,
                                // SAFETY: all-zero is a valid value of every callback result type.
                                _ => unsafe { ::core::mem::zeroed() },
                            }
                        },
                    )
                }
            };
            out.push(quote! {
                #[allow(non_snake_case)]
                unsafe extern "C" fn #name(#(#raw),*) -> #ret_ty {
                    let __user = #user;
                    if __user.is_null() {
                        // SAFETY: all-zero is a valid value of every callback result type.
                        return unsafe { ::core::mem::zeroed() };
                    }
                    // SAFETY: the user data is the callback id this domain passed to C.
                    let __id = unsafe { *(__user as *const u32) };
                    let mut __args = ::ffi_desc::__private::Vec::new();
                    #(#enc)*
                    let mut __reply = ::ffi_desc::__private::Vec::new();
                    let __ok = ::ffi_desc::isolated::server_callback(__id, &__args, &mut __reply).is_ok();
                    #decode
                }
            });
        }
        quote!(#(#out)*)
    }
}
