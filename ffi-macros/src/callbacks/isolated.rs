//! Isolated callbacks. C inside the domain calls the server's trampoline,
//! which sends the arguments to the client with the callback's id (its user
//! data); the client's invoker decodes them, runs the closure and encodes
//! its result.
//!
//! Strings, arrays and buffers travel as `ffi_desc::isolated` writes them:
//! what C passed, or the reason the description does not allow it, which
//! the client reports as the Linked trampoline would (the callback does not
//! run). The counts of arrays and buffers do not travel: each array carries
//! its own, and those sharing a count must agree.

use crate::gen::Gen;
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// The client: a view of the handle id `id` of type `ty` the domain lent a
/// callback, owned by this linkage instance (`__owner`).
fn client_view(g: &Gen<'_>, ty: &str, id: TokenStream) -> TokenStream {
    let (t, idx) = (crate::gen::ident(ty), g.opaque_index(ty));
    quote!(#t { core: ::ffi_desc::rt::HandleCore::view(#id, #idx, __owner as *const ()) })
}

/// The domain, after the callback returned: the ids lent for it die.
pub(crate) fn server_end_loans(cb: &CallbackDef) -> TokenStream {
    if crate::callbacks::native::lends(cb) {
        quote!(::ffi_desc::isolated::server_end_loans(&__lent);)
    } else {
        quote!()
    }
}

/// `let a = expr` for an argument decoded as `Refusable<_>`: a refusal
/// ends the invoker, with the callback not run.
fn accepted(a: &syn::Ident, expr: TokenStream) -> TokenStream {
    quote! {
        let #a = match #expr {
            ::core::result::Result::Ok(v) => v,
            ::core::result::Result::Err(__why) => {
                ::ffi_desc::rt::refuse_callback(__why);
                return ::core::result::Result::Ok(());
            }
        };
    }
}

impl Gen<'_> {
    /// The invoker that decodes a callback's arguments, runs the Rust closure
    /// `f` (with `lead` as its first argument, for a callback kept on a
    /// handle), and encodes its result.
    pub(crate) fn client_invoker_body(
        &self,
        cb: &CallbackDef,
        f: TokenStream,
        lead: Option<TokenStream>,
    ) -> TokenStream {
        let mut decode = Vec::new();
        let mut accept = Vec::new();
        let mut args: Vec<TokenStream> = lead.into_iter().collect();
        // The arrays and buffers each count parameter counts.
        let mut counted: BTreeMap<&str, Vec<syn::Ident>> = BTreeMap::new();
        for (i, p) in cb.params.iter().enumerate() {
            let a = format_ident!("__a{}", i);
            match p {
                CallbackParam::Value { ty, .. } => {
                    let t = self.stored_ty(ty);
                    decode.push(quote!(let #a: #t = ::ffi_desc::wire::Wire::get(&mut __r)?;));
                    args.push(quote!(#a));
                }
                CallbackParam::CStr { nullable, .. } => {
                    decode.push(quote!(let #a = ::ffi_desc::wire::get_opt_cstring(&mut __r)?;));
                    if *nullable {
                        args.push(quote!(#a.as_deref()));
                    } else {
                        accept.push(accepted(
                            &a,
                            quote!(#a.as_deref().ok_or(::ffi_desc::rt::REFUSALS[0])),
                        ));
                        args.push(quote!(#a));
                    }
                }
                CallbackParam::Strings {
                    extent, nullable, ..
                } => {
                    decode.push(
                        quote!(let #a = ::ffi_desc::isolated::get_callback_strings(&mut __r)?;),
                    );
                    let view = if *nullable {
                        quote!(#a.as_ref().map_err(|e| *e).map(|w| w.options()))
                    } else {
                        quote!(#a.as_ref().map_err(|e| *e).and_then(|w| w.strings().ok_or(::ffi_desc::rt::REFUSALS[4])))
                    };
                    accept.push(accepted(&a, view));
                    args.push(quote!(&#a[..]));
                    if let Extent::Param(len) = extent {
                        counted.entry(len).or_default().push(a);
                    }
                }
                CallbackParam::Buffer { elem, len, .. } => {
                    let get = match elem {
                        ValueType::Scalar(Scalar::U8) => {
                            quote!(::ffi_desc::isolated::get_callback_bytes(&mut __r)?)
                        }
                        other => {
                            let t = self.stored_ty(other);
                            quote!(::ffi_desc::isolated::get_callback_vec::<#t>(&mut __r)?)
                        }
                    };
                    decode.push(quote!(let #a = #get;));
                    accept.push(accepted(&a, quote!(#a.as_deref().map_err(|e| *e))));
                    args.push(quote!(#a));
                    counted.entry(len).or_default().push(a);
                }
                CallbackParam::Handle { ty, .. } => {
                    let v = format_ident!("__v{}", i);
                    let view = client_view(self, ty, quote!(#a));
                    decode.push(quote!(let #a = ::ffi_desc::isolated::get_callback_handle(&mut __r, __gen)?;));
                    accept.push(accepted(&a, quote!(#a)));
                    accept.push(quote!(let #v = #view;));
                    args.push(quote!(&#v));
                }
                CallbackParam::Handles { ty, len, .. } => {
                    let (vs, rs) = (format_ident!("__vs{}", i), format_ident!("__rs{}", i));
                    let view = client_view(self, ty, quote!(__id));
                    decode.push(quote!(let #a = ::ffi_desc::isolated::get_callback_handles(&mut __r, __gen)?;));
                    accept.push(accepted(&a, quote!(#a)));
                    accept.push(quote! {
                        let #vs: ::ffi_desc::__private::Vec<_> = #a.iter().map(|&__id| #view).collect();
                        let #rs: ::ffi_desc::__private::Vec<&_> = #vs.iter().collect();
                    });
                    args.push(quote!(&#rs[..]));
                    counted.entry(len).or_default().push(a);
                }
                CallbackParam::Length { .. } | CallbackParam::UserData { .. } => {}
            }
        }
        let agree = counted.values().filter(|v| v.len() > 1).map(|v| {
            let first = &v[0];
            let rest = &v[1..];
            quote! {
                if #(#rest.len() != #first.len())||* {
                    return ::core::result::Result::Err(::ffi_desc::wire::WireError("arrays sharing a count differ"));
                }
            }
        });
        let put = match &cb.ret {
            None => quote!(let _ = __res;),
            Some(_) => quote!(::ffi_desc::wire::Wire::put(&__res, __out);),
        };
        quote! {
            let mut __r = ::ffi_desc::wire::Reader::new(__args);
            #(#decode)*
            __r.finish()?;
            #(#accept)*
            #(#agree)*
            // SAFETY: all-zero is a valid value of every callback result type.
            let __res = ::ffi_desc::rt::run_callback(unsafe { ::core::mem::zeroed() }, || #f(#(#args),*));
            #put
            ::core::result::Result::Ok(())
        }
    }

    /// A domain trampoline's parameters, the encoding of its arguments into
    /// `__args`, and its user-data parameter.
    pub(crate) fn server_callback_args(
        &self,
        cb: &CallbackDef,
    ) -> (Vec<TokenStream>, Vec<TokenStream>, TokenStream) {
        let mut raw = Vec::new();
        let mut enc = Vec::new();
        let mut user = quote!(::core::ptr::null_mut::<::ffi_desc::c::c_void>());
        let raw_of: BTreeMap<&str, syn::Ident> = cb
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name(), format_ident!("__a{}", i)))
            .collect();
        for (i, p) in cb.params.iter().enumerate() {
            let a = format_ident!("__a{}", i);
            let t = self.callback_param_raw_ty(p);
            raw.push(quote!(#a: #t));
            let count = |len: &str| {
                let n = &raw_of[len];
                quote!(::ffi_desc::rt::callback_count(#n))
            };
            match p {
                CallbackParam::Value { .. } => {
                    enc.push(quote!(::ffi_desc::wire::Wire::put(&#a, &mut __args);));
                }
                CallbackParam::CStr { .. } => enc.push(quote! {
                    // SAFETY: C passes NULL or a NUL-terminated string valid for the callback.
                    ::ffi_desc::wire::put_opt_str(unsafe { ::ffi_desc::rt::c_opt_str(#a) }, &mut __args);
                }),
                CallbackParam::Strings { extent, .. } => {
                    let n = match extent {
                        Extent::Param(len) => count(len),
                        // SAFETY (below): C passes a NULL-terminated array.
                        _ => quote!(unsafe { ::ffi_desc::rt::c_strings_count(#a) }),
                    };
                    enc.push(quote! {
                        // SAFETY: C passes the strings it counts, valid for the callback.
                        unsafe { ::ffi_desc::isolated::put_callback_strings(#a, #n, &mut __args) };
                    });
                }
                CallbackParam::Buffer { len, .. } => {
                    let n = count(len);
                    enc.push(quote! {
                        // SAFETY: C passes the elements it counts, valid for the callback.
                        unsafe { ::ffi_desc::isolated::put_callback_slice(#a, #n, &mut __args) };
                    });
                }
                CallbackParam::Handle { ty, user_data, .. } => {
                    let (id, idx) = (format_ident!("__id{}", i), self.opaque_index(ty));
                    enc.push(quote! {
                        let #id = ::ffi_desc::isolated::server_lend(#idx, #a, &mut __lent);
                        ::ffi_desc::wire::Wire::put(&#id, &mut __args);
                    });
                    if let Some(f) = user_data {
                        let sym = crate::gen::ident(
                            &self.desc.function(f).map(Function::symbol).unwrap_or_default(),
                        );
                        // SAFETY (generated): C lent the callback this handle.
                        user = quote! {
                            if #a.is_null() { ::core::ptr::null_mut() } else { unsafe { __linked_sys::#sym(#a) } }
                        };
                    }
                }
                CallbackParam::Handles { ty, len, .. } => {
                    let (n, idx) = (count(len), self.opaque_index(ty));
                    enc.push(quote! {
                        // SAFETY: C passes the handles it counts, valid for the callback.
                        unsafe { ::ffi_desc::isolated::put_callback_handles(#idx, #a, #n, &mut __args, &mut __lent) };
                    });
                }
                CallbackParam::Length { .. } => {}
                CallbackParam::UserData { .. } => user = quote!(#a),
            }
        }
        if crate::callbacks::native::lends(cb) {
            enc.insert(
                0,
                quote!(let mut __lent: ::ffi_desc::__private::Vec<(usize, u64)> = ::ffi_desc::__private::Vec::new();),
            );
        }
        (raw, enc, user)
    }

    /// A domain trampoline's result type, and the decoding of the client's
    /// reply into it (zeroed when the reply is missing or malformed).
    pub(crate) fn server_callback_result(&self, cb: &CallbackDef) -> (TokenStream, TokenStream) {
        match &cb.ret {
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
        }
    }

    /// Trampolines through which C, inside the domain, reaches client callbacks.
    pub(crate) fn server_trampolines(&self) -> TokenStream {
        let mut out = Vec::new();
        for cb in &self.desc.callbacks {
            let name = format_ident!("__srv_tramp_{}", cb.name);
            let (raw, enc, user) = self.server_callback_args(cb);
            let (ret_ty, decode) = self.server_callback_result(cb);
            let end = server_end_loans(cb);
            // A user data taken from a handle C passed as NULL: no callback
            // to route to, so the client is told it was refused.
            let refuse = cb
                .params
                .iter()
                .any(|p| {
                    matches!(
                        p,
                        CallbackParam::Handle {
                            user_data: Some(_),
                            ..
                        }
                    )
                })
                .then(|| {
                    quote!(::ffi_desc::isolated::server_refuse_callback(::ffi_desc::rt::REFUSALS[9]);)
                });
            out.push(quote! {
                #[allow(non_snake_case, unused_unsafe)]
                unsafe extern "C" fn #name(#(#raw),*) -> #ret_ty {
                    let __user = #user;
                    if __user.is_null() {
                        #refuse
                        // SAFETY: all-zero is a valid value of every callback result type.
                        return unsafe { ::core::mem::zeroed() };
                    }
                    // SAFETY: the user data is the callback id this domain passed to C.
                    let __id = unsafe { *(__user as *const u32) };
                    let mut __args = ::ffi_desc::__private::Vec::new();
                    #(#enc)*
                    let mut __reply = ::ffi_desc::__private::Vec::new();
                    let __ok = ::ffi_desc::isolated::server_callback(__id, &__args, &mut __reply).is_ok();
                    #end
                    #decode
                }
            });
        }
        out.push(self.server_on_trampolines());
        quote!(#(#out)*)
    }
}
